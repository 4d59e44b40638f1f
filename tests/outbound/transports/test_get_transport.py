"""get_transport(): one transport per process, built from settings.EMAIL_URL."""

import os

import pytest
from django.core.exceptions import ImproperlyConfigured

from apps.outbound.transports import SENT, get_transport, reset_transport
from apps.outbound.transports.sendgrid import SendGridTransport
from apps.outbound.transports.smtp import SmtpTransport

from .conftest import make_message


@pytest.fixture(autouse=True)
def fresh_transport():
    reset_transport()
    yield
    reset_transport()


def test_the_transport_is_built_once_per_process(settings, smtp_sink):
    settings.EMAIL_URL = smtp_sink.url
    transport = get_transport()
    assert isinstance(transport, SmtpTransport)
    assert get_transport() is transport
    assert [o.status for o in transport.send([make_message()])] == [SENT]
    assert smtp_sink.received[0].rcpt_tos == ["member1@example.com"]


def test_pool_settings_reach_the_transport(settings, smtp_sink):
    settings.EMAIL_URL = smtp_sink.url + "?timeout=7"
    settings.EMAIL_POOL_SIZE = 3
    settings.EMAIL_MAX_MESSAGES_PER_CONNECTION = 9
    settings.EMAIL_NOOP_AFTER_SECONDS = 4.5
    transport = get_transport()
    assert (transport.timeout, transport._pool.size) == (7.0, 3)
    assert (transport.max_messages_per_connection, transport.noop_after) == (9, 4.5)


def test_email_timeout_applies_when_the_url_names_none(settings, smtp_sink):
    settings.EMAIL_URL = smtp_sink.url
    settings.EMAIL_TIMEOUT = 12.0
    assert get_transport().timeout == 12.0


def test_starttls_url_with_cafile_sends_through_the_tls_sink(settings, starttls_sink, certificate):
    settings.EMAIL_URL = f"{starttls_sink.url}?cafile={certificate[0]}"
    assert [o.status for o in get_transport().send([make_message()])] == [SENT]
    assert len(starttls_sink.received) == 1


def test_sendgrid_url_builds_the_sendgrid_transport(settings):
    settings.EMAIL_URL = "sendgrid://?timeout=3"
    settings.SENDGRID_API_KEY = "SG.from-settings"
    transport = get_transport()
    assert isinstance(transport, SendGridTransport)
    assert transport.timeout == 3.0


@pytest.mark.parametrize("url, problem", [
    ("smtps://mail.example.org:465", "unknown scheme"),
    ("smtp+tls://user:pass@:587", "no host"),
])
def test_a_bad_url_raises_at_first_use(settings, url, problem):
    settings.EMAIL_URL = url
    with pytest.raises(ImproperlyConfigured, match=problem):
        get_transport()


@pytest.mark.parametrize("variable, value, problem", [
    ("EMAIL_URL", "bogus://x", "unknown scheme bogus://"),
    ("EMAIL_URL", "smtp://:25", "no host"),
    ("EMAIL_URL", "sendgrid://", "no API key"),
    ("EMAIL_POOL_SIZE", "0", "EMAIL_POOL_SIZE must be at least 1"),
    ("EMAIL_MAX_MESSAGES_PER_CONNECTION", "0", "must be at least 1"),
    ("EMAIL_TIMEOUT", "0", "EMAIL_TIMEOUT must be more than 0"),
    ("EMAIL_NOOP_AFTER_SECONDS", "-1", "EMAIL_NOOP_AFTER_SECONDS must be 0 or more"),
])
def test_a_bad_value_stops_settings_from_loading(variable, value, problem):
    """The settings module itself refuses it, so a process never starts with it."""
    import subprocess
    import sys

    env = {**os.environ, variable: value, "DJANGO_SETTINGS_MODULE": "tests.settings"}
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        env=env, capture_output=True, text=True, timeout=60,
    )
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and problem in result.stderr


def test_a_forked_child_builds_its_own_transport(settings, smtp_sink):
    """A prefork child must not write on the parent's sockets: after fork it
    gets a new transport, and the parent's connection keeps working."""
    settings.EMAIL_URL = smtp_sink.url
    parent = get_transport()
    parent.send([make_message(1)])
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child
        try:
            child = get_transport()
            outcome = child.send([make_message(2)])[0]
            ok = child is not parent and outcome.status == SENT
            os.write(write, b"ok" if ok else b"no")
        finally:
            os._exit(0)
    os.waitpid(pid, 0)
    assert os.read(read, 2) == b"ok"
    assert parent.send([make_message(3)])[0].status == SENT
    assert get_transport() is parent
    assert smtp_sink.connections == 2  # the parent's, reused; the child's own


def test_reset_transport_quits_the_pooled_connections(settings, smtp_sink):
    import time

    settings.EMAIL_URL = smtp_sink.url
    get_transport().send([make_message()])
    assert smtp_sink.open_sessions == 1
    reset_transport()
    time.sleep(0.1)
    assert smtp_sink.open_sessions == 0


def test_a_changed_email_setting_builds_a_new_transport(settings, smtp_sink):
    settings.EMAIL_URL = smtp_sink.url
    first = get_transport()
    settings.EMAIL_POOL_SIZE = 5
    second = get_transport()
    assert second is not first and second._pool.size == 5
