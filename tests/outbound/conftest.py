import datetime as dt
import itertools
import threading

import pytest

# Members in these tests exist well before any instant they are dispatched at,
# so a slot older than the catch-up window counts as missed (not "before they joined").
LONG_AGO = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)


def utc(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=dt.UTC)


def at_once(*calls) -> list:
    """Run each call in its own thread, all released together, each thread on
    its own database connection (as two workers or two beats would be);
    return their results, raising if any of them raised."""
    from django.db import connection

    barrier = threading.Barrier(len(calls))
    results, errors = [], []

    def run(call):
        try:
            barrier.wait(timeout=30)
            results.append(call())
        except Exception as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors
    assert len(results) == len(calls), "a thread did not finish"
    return results


def drain(app) -> list[tuple[str, list]]:
    """Take every message off this run's test queue on the real broker: (task name, args)."""
    queue = app.amqp.queues[app.conf.task_default_queue]
    taken = []
    with app.connection_for_read() as conn:
        bound = queue(conn.default_channel)
        bound.declare()
        while (message := bound.get(no_ack=True)) is not None:
            args, _kwargs, _embed = message.decode()
            taken.append((message.headers["task"], args))
    return taken


@pytest.fixture
def empty_queue(celery_app):
    """The test queue, emptied of what earlier tests published."""
    drain(celery_app)
    return celery_app


@pytest.fixture
def make_member(team):
    """A member of `team` (every weekday unless told), existing since LONG_AGO."""
    from apps.teams import weekdays
    from apps.teams.models import Member

    numbers = itertools.count(1)

    def make(**fields):
        n = next(numbers)
        fields.setdefault("weekdays", weekdays.ALL)
        fields.setdefault("name", f"Member {n}")
        fields.setdefault("email", f"member{n}@example.com")
        fields.setdefault("team", team)
        member = Member.objects.create(**fields)
        Member.objects.filter(pk=member.pk).update(created_at=LONG_AGO, updated_at=LONG_AGO)
        member.refresh_from_db()
        return member

    return make


@pytest.fixture
def messages_of():
    """(kind, local_date, state, scheduled_for) of a member's rows, oldest day first."""
    from apps.outbound.models import OutboundMessage

    def rows(member, kind=None):
        found = OutboundMessage.objects.filter(member=member).order_by("local_date", "kind")
        if kind:
            found = found.filter(kind=kind)
        return list(found.values_list("kind", "local_date", "state", "scheduled_for"))

    return rows
