"""Fixtures for the sending and recovery tests: mail pointed at the real SMTP
sink, and queued messages made the way dispatch leaves them.

Kept out of conftest.py, which the dispatch tests own; the test modules
import what they use."""

import datetime as dt
import itertools

import pytest
from django.utils import timezone

_emails = itertools.count(1)


@pytest.fixture
def mail_sink(settings, smtp_sink):
    """The smtp_sink, with this process's transport sending to it."""
    from apps.outbound.transports import reset_transport

    settings.EMAIL_URL = smtp_sink.url
    reset_transport()
    yield smtp_sink
    reset_transport()


@pytest.fixture
def make_queued(team):
    """make_queued(n, kind=..., **member_fields) -> n `queued` messages, one member each."""
    from apps.outbound.models import OutboundMessage, State
    from apps.teams.models import Member

    def make(count=1, *, kind="reminder", state=State.QUEUED, attempts=0, **member_fields):
        rows = []
        for _ in range(count):
            number = next(_emails)
            member = Member.objects.create(
                team=team, name=f"Member {number}", email=f"sending{number}@example.com",
                time_zone="Europe/London", **member_fields,
            )
            rows.append(OutboundMessage.objects.create(
                member=member, kind=kind, state=state, attempts=attempts,
                local_date=dt.date(2026, 11, 23), scheduled_for=timezone.now(),
            ))
        return rows

    return make



def wait_for(predicate, *, timeout: float = 30.0, every: float = 0.05):
    """Poll `predicate` until it is true; fail with what it last returned."""
    import time

    deadline = time.monotonic() + timeout
    while not (result := predicate()):
        if time.monotonic() > deadline:
            raise AssertionError(f"still {result!r} after {timeout}s")
        time.sleep(every)
    return result


class WorkerProcess:
    """A real `celery worker` (prefork) in a process group of its own, on this
    test's database, broker and queue: one we can SIGKILL like the OOM killer."""

    def __init__(self, *, env: dict, log_path):
        import subprocess
        import sys

        from django.conf import settings

        self.log_path = log_path
        self._log = open(log_path, "ab")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "celery", "--app", "project", "worker",
             "--pool", "prefork", "--concurrency", "1", "--loglevel", "INFO",
             "--queues", settings.CELERY_TASK_DEFAULT_QUEUE,
             "--without-gossip", "--without-mingle", "--without-heartbeat"],
            cwd=settings.BASE_DIR, env=env, stdout=self._log, stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def kill(self, sig=None) -> None:
        """Signal the whole group (main process and pool child); wait for the main one."""
        import os
        import signal

        try:
            os.killpg(self.process.pid, sig or signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.process.wait(timeout=30)
        self._log.close()

    def log(self) -> str:
        with open(self.log_path, "rb") as f:
            return f.read().decode(errors="replace")


@pytest.fixture
def spawn_worker(celery_app, tmp_path, settings):
    """spawn_worker(**env) -> a WorkerProcess; every one is killed at the end.

    The worker reads tests.settings with DATABASE_URL pointing at pytest's
    test database, the broker this process uses and DONEMAIL_TEST_QUEUE set
    to this run's queue, so it publishes (hand-backs) where we consume.
    """
    import os
    import signal

    db = settings.DATABASES["default"]
    database_url = (
        f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    )
    workers = []

    def spawn(**extra):
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "tests.settings",
            "DATABASE_URL": database_url,
            "CELERY_BROKER_URL": celery_app.conf.broker_url,
            "DONEMAIL_TEST_QUEUE": settings.CELERY_TASK_DEFAULT_QUEUE,
            "EMAIL_URL": settings.EMAIL_URL,
            **{k: str(v) for k, v in extra.items()},
        }
        worker = WorkerProcess(env=env, log_path=tmp_path / f"worker-{len(workers)}.log")
        workers.append(worker)
        return worker

    yield spawn
    for worker in workers:
        if worker.process.poll() is None:
            worker.kill(signal.SIGKILL)
