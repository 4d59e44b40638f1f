"""Bad values in the environment stop the process at start, naming the
variable, instead of failing at the first send or the first reply.

Each case starts a fresh interpreter with the bad environment, as a worker
or `manage.py` would start."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def start(**variables) -> subprocess.CompletedProcess:
    env = {**os.environ, **variables, "DJANGO_SETTINGS_MODULE": "tests.settings"}
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        env=env, capture_output=True, text=True, timeout=60, cwd=ROOT,
    )


@pytest.fixture
def not_a_pem(tmp_path):
    path = tmp_path / "ca.pem"
    path.write_text("this is not a certificate\n")
    return path


@pytest.mark.parametrize("variable, value, problem", [
    ("EMAIL_URL", "smtp+tls://u:p@mail.example.org?cafile=/nonexistent.pem",
     "EMAIL_URL: cafile='/nonexistent.pem' cannot be read (No such file or directory)"),
    ("DEFAULT_FROM_EMAIL", "Donemail", "DEFAULT_FROM_EMAIL='Donemail' has no valid email address"),
    ("DEFAULT_FROM_EMAIL", "Donemail <>", "DEFAULT_FROM_EMAIL='Donemail <>' has no valid email"),
    ("DEFAULT_FROM_EMAIL", "Donemail <donemail@>", "has no valid email address"),
    ("INBOUND_DOMAIN", "in example.org", "INBOUND_DOMAIN='in example.org' is not a domain name"),
    ("INBOUND_DOMAIN", "https://in.example.org", "is not a domain name"),
    ("INBOUND_DOMAIN", "reply@in.example.org", "is not a domain name"),
    ("INBOUND_DOMAIN", "in.example.org:25", "is not a domain name"),
])
def test_a_bad_value_stops_the_start_naming_the_variable(variable, value, problem):
    result = start(**{variable: value})
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and problem in result.stderr


def test_a_cafile_that_holds_no_certificate_stops_the_start(not_a_pem):
    result = start(EMAIL_URL=f"smtp+tls://u:p@mail.example.org?cafile={not_a_pem}")
    assert result.returncode != 0
    assert f"EMAIL_URL: cafile='{not_a_pem}' holds no PEM CA certificates" in result.stderr


def test_manage_py_check_reports_it_too():
    env = {**os.environ, "INBOUND_DOMAIN": "not a domain",
           "DJANGO_SETTINGS_MODULE": "tests.settings"}
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        env=env, capture_output=True, text=True, timeout=60, cwd=ROOT,
    )
    assert result.returncode != 0
    assert "INBOUND_DOMAIN='not a domain' is not a domain name" in result.stderr


@pytest.mark.parametrize("variables", [
    {},
    {"DEFAULT_FROM_EMAIL": "reminders@example.org", "INBOUND_DOMAIN": "in.example.org"},
    {"DEFAULT_FROM_EMAIL": '"Done, mail" <reminders@example.org>'},
])
def test_good_values_start(variables):
    result = start(**variables)
    assert result.returncode == 0, result.stderr
