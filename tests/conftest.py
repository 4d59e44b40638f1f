"""The small named world every test can use, and the real services it runs on."""

import socket

import pytest
from django.conf import settings
from django.db import connection


def pytest_report_header(config):
    from project.celery import app

    db = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    broker = app.conf.broker_url.split("://", 1)[0]
    return f"donemail: database={db} broker={broker} queue={app.conf.task_default_queue}"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (set DATABASE_URL); CI runs it")


@pytest.fixture
def team(db):
    from apps.teams.models import Team

    return Team.objects.create(name="Platform", slug="platform")


@pytest.fixture
def member(team):
    from apps.teams.models import Member

    return Member.objects.create(
        team=team, name="Ada Lovelace", email="ada@example.com",
        time_zone="Europe/London", reminder_hour=17, digest_hour=8,
    )


@pytest.fixture(scope="session")
def celery_app():
    from project.celery import app

    return app


@pytest.fixture
def celery_worker(celery_app, transactional_db):
    """A real worker consuming from the real broker, in a thread of this process.

    It shares the test database through its own connection, so tests using it
    need committed data (transactional_db), exactly as in production.
    """
    from celery.contrib.testing.worker import start_worker

    with start_worker(
        celery_app, pool="threads", concurrency=2, perform_ping_check=False,
        shutdown_timeout=90, loglevel="WARNING",
    ) as worker:
        yield worker


@pytest.fixture
def staff_client(client, django_user_model):
    """A client logged in as an operator (superuser) for admin pages."""
    user = django_user_model.objects.create_superuser("op", "op@example.com", "pw-for-tests")
    client.force_login(user)
    return client


@pytest.fixture
def smtp_sink():
    """A real aiosmtpd server on loopback; see tests/smtp_sink.py for how to
    make it answer 421, 451 or 550, drop a connection or stall."""
    from tests.smtp_sink import SmtpSink

    sink = SmtpSink().start()
    try:
        yield sink
    finally:
        sink.stop()
