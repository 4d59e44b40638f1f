"""Admin actions on "select all" of a big table: the ids go to the state
machine in chunks, so no query needs more parameters than the database allows.

On SQLite the connection's limit on query parameters is lowered to 999, the
default of SQLite before 3.32 and of many builds still shipped (this one
allows 250000, which a test cannot reach quickly)."""

import datetime as dt
import sqlite3

import pytest
from django.db import connection
from django.utils import timezone

from apps.outbound.models import Kind, MessageEvent, OutboundMessage, State

from .conftest import drain

LIST = "/admin/outbound/outboundmessage/"
ROWS = 1200


@pytest.fixture
def old_sqlite_limit(db):
    if connection.vendor != "sqlite":
        yield
        return
    connection.ensure_connection()
    raw = connection.connection
    before = raw.setlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER, 999)
    yield
    raw.setlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER, before)


@pytest.fixture
def many(make_member):
    """ROWS messages in `state`, over two members and many days."""
    def make(state):
        members = [make_member(), make_member()]
        day, now = dt.date(2026, 1, 1), timezone.now()
        OutboundMessage.objects.bulk_create(
            OutboundMessage(
                member=members[n % 2], kind=Kind.REMINDER, state=state,
                local_date=day + dt.timedelta(days=n // 2), scheduled_for=now,
            )
            for n in range(ROWS)
        )
        return OutboundMessage.objects.order_by("pk").first()

    return make


def act_on_all(client, action, one):
    """The action with "Select all N messages" ticked."""
    return client.post(LIST, {
        "action": action, "select_across": "1", "index": "0", "_selected_action": [one.pk],
    }, follow=True)


def test_cancel_on_select_all_of_a_big_table_cancels_every_row(
    staff_client, many, old_sqlite_limit,
):
    one = many(State.SCHEDULED)

    response = act_on_all(staff_client, "cancel", one)

    assert response.status_code == 200
    assert f"Cancelled {ROWS} of {ROWS} selected messages." in response.content.decode()
    assert OutboundMessage.objects.filter(state=State.CANCELLED).count() == ROWS
    assert MessageEvent.objects.filter(to_state=State.CANCELLED).count() == ROWS


def test_retry_now_on_select_all_of_a_big_table_queues_and_publishes_every_row(
    staff_client, many, old_sqlite_limit, empty_queue, django_capture_on_commit_callbacks,
    settings,
):
    one = many(State.FAILED)

    with django_capture_on_commit_callbacks(execute=True):
        response = act_on_all(staff_client, "retry_now", one)

    assert f"Queued {ROWS} of {ROWS} selected messages." in response.content.decode()
    assert OutboundMessage.objects.filter(state=State.QUEUED).count() == ROWS
    published = drain(empty_queue)
    assert len(published) == ROWS // settings.DISPATCH_BATCH_SIZE
    assert sorted(pk for _, [ids] in published for pk in ids) == sorted(
        OutboundMessage.objects.values_list("pk", flat=True))
