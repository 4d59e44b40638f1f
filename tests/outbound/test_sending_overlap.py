"""A message's outcome is written while the next message's envelope goes
out, and never later than the next message's final dot: whatever the
database's speed, the server never holds two of a batch's messages whose
outcomes are unwritten, and a write that fails stops the batch before the
next message is accepted."""

from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from django.db import connection, connections
from django.utils import timezone

from apps.outbound.models import OutboundMessage, State
from apps.outbound.recovery import outbound_sweep
from apps.outbound.sending import batch_send

from .received import parsed, received_ids
from .sending_fixtures import mail_sink, make_queued  # noqa: F401


def _slow_outcome_writes(seconds: float) -> None:
    """A real slow database: every event insert (each outcome's write) sleeps."""
    with connection.cursor() as cursor:
        cursor.execute(f"""
            CREATE FUNCTION test_slow_event() RETURNS trigger AS $$
            BEGIN
                IF NEW.from_state = 'sending' THEN PERFORM pg_sleep({seconds}); END IF;
                RETURN NEW;
            END $$ LANGUAGE plpgsql;
            CREATE TRIGGER test_slow_event BEFORE INSERT ON outbound_messageevent
                FOR EACH ROW EXECUTE FUNCTION test_slow_event();
        """)


def _failing_outcome_write(message_id: int) -> None:
    """The database refuses the outcome of one message, as a full disk would."""
    with connection.cursor() as cursor:
        cursor.execute(f"""
            CREATE FUNCTION test_failing_event() RETURNS trigger AS $$
            BEGIN
                IF NEW.from_state = 'sending' AND NEW.message_id = {int(message_id)} THEN
                    RAISE EXCEPTION 'disk full (test)';
                END IF;
                RETURN NEW;
            END $$ LANGUAGE plpgsql;
            CREATE TRIGGER test_failing_event BEFORE INSERT ON outbound_messageevent
                FOR EACH ROW EXECUTE FUNCTION test_failing_event();
        """)


def _unwritten_at_each_accept(sink) -> list[int]:
    """As the sink accepts each message, how many it accepted before are
    still `sending` in the database (read on the sink's own connection)."""
    counts = []

    def count(earlier):
        try:
            return OutboundMessage.objects.filter(
                message_id__in=earlier, state=State.SENDING,
            ).count()
        finally:
            connections.close_all()  # this thread's own connection

    def check(received):
        earlier = [parsed(r)["Message-ID"] for r in sink.received[:-1]]
        with ThreadPoolExecutor(1) as thread:  # the sink's loop is async: the ORM is not
            counts.append(thread.submit(count, earlier).result())

    sink.on_accept(check)
    return counts


@pytest.mark.django_db(transaction=True)
def test_no_message_is_accepted_while_the_previous_outcome_is_unwritten(
    postgres_only, mail_sink, make_queued,
):
    _slow_outcome_writes(0.05)  # each write outlasts the next envelope's round trips
    rows = make_queued(8)
    unwritten = _unwritten_at_each_accept(mail_sink)

    report = batch_send(ids=[r.pk for r in rows])

    assert report["sent"] == 8
    assert unwritten == [0] * 8
    assert set(OutboundMessage.objects.values_list("state", flat=True)) == {State.SENT}


@pytest.mark.django_db(transaction=True)
def test_an_outcome_that_cannot_be_written_stops_the_batch_before_the_next_is_accepted(
    postgres_only, mail_sink, make_queued, settings,
):
    rows = make_queued(5)
    _failing_outcome_write(rows[1].pk)

    with pytest.raises(Exception, match="disk full"):
        batch_send(ids=[r.pk for r in rows])

    # The second was accepted; its outcome could not be written, so the third
    # (its envelope already sent) never got its final dot.
    assert received_ids(mail_sink) == [rows[0].message_id, rows[1].message_id]
    states = dict(OutboundMessage.objects.values_list("id", "state"))
    assert states[rows[0].pk] == State.SENT
    assert {states[r.pk] for r in rows[1:]} == {State.SENDING}

    # The database heals; once the lease has run out the sweep hands the rest
    # back and they go. Only the one whose outcome was lost goes twice.
    with connection.cursor() as cursor:
        cursor.execute("DROP TRIGGER test_failing_event ON outbound_messageevent")
    later = timezone.now() + timedelta(seconds=settings.SEND_LEASE_SECONDS + 1)
    outbound_sweep(now=later)
    batch_send(ids=[r.pk for r in rows[1:]])
    assert set(OutboundMessage.objects.values_list("state", flat=True)) == {State.SENT}
    ids = received_ids(mail_sink)
    assert sorted(ids) == sorted([r.message_id for r in rows] + [rows[1].message_id])


def _prepared_statements() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM pg_prepared_statements WHERE name LIKE 'donemail_%%'")
        return {name for (name,) in cursor.fetchall()}


def test_the_outcome_statement_is_prepared_once_per_session(postgres_only, mail_sink, make_queued):
    from apps.outbound import recording

    recording._prepared.pop(connection.connection, None)
    with connection.cursor() as cursor:
        cursor.execute("DEALLOCATE ALL")
    rows = make_queued(3)

    assert batch_send(ids=[r.pk for r in rows])["sent"] == 3

    assert len(_prepared_statements()) == 1  # one outcome shape (sent), three messages
    assert set(OutboundMessage.objects.values_list("state", flat=True)) == {State.SENT}


def test_behind_a_transaction_pooler_nothing_is_prepared(
    postgres_only, mail_sink, make_queued, monkeypatch,
):
    """DATABASE_URL=...?disable_server_side_cursors=true: PgBouncer's transaction mode."""
    from apps.outbound import recording

    recording._prepared.pop(connection.connection, None)
    with connection.cursor() as cursor:
        cursor.execute("DEALLOCATE ALL")
    monkeypatch.setitem(connection.settings_dict, "DISABLE_SERVER_SIDE_CURSORS", "true")
    rows = make_queued(3)

    assert batch_send(ids=[r.pk for r in rows])["sent"] == 3

    assert _prepared_statements() == set()
    assert set(OutboundMessage.objects.values_list("state", flat=True)) == {State.SENT}


def test_the_prepared_outcome_write_finds_its_row_by_primary_key(
    postgres_only, mail_sink, make_queued,
):
    """A prepared statement runs on a generic plan. Ours, on a table not yet
    analysed (as after a morning's dispatch), found the row through (state,
    lease_until), which every row of a batch shares, and so walked the whole
    batch, dead row versions included, for each write."""
    from apps.outbound import recording

    rows = make_queued(60)
    assert batch_send(ids=[r.pk for r in rows[:2]])["sent"] == 2  # prepares it here
    lease = timezone.now() + timedelta(minutes=5)
    OutboundMessage.objects.filter(pk__in=[r.pk for r in rows[2:]]).update(
        state=State.SENDING, lease_until=lease,
    )
    # Enough other rows (sent long ago) that no plan would read the table whole.
    OutboundMessage.objects.bulk_create(
        OutboundMessage(member=rows[0].member, kind=rows[0].kind, state=State.SENT,
                        local_date=rows[0].local_date - timedelta(days=day),
                        scheduled_for=rows[0].scheduled_for)
        for day in range(1, 3001)
    )
    now = timezone.now()
    values = {"state": State.SENT, "updated_at": now, "lease_until": None, "provider_id": "x",
              "sent_at": now, "last_error": "", "next_attempt_at": None}
    shape = recording._shape(tuple(values))
    assert shape.name in _prepared_statements()
    params = [*values.values(), rows[30].pk, State.SENDING, lease,
              State.SENDING, State.SENT, now, "250 ok"]
    with connection.cursor() as cursor:
        cursor.execute("SET plan_cache_mode = force_generic_plan")
        try:
            cursor.execute(f"EXPLAIN {shape.execute}", params)
            plan = "\n".join(line for (line,) in cursor.fetchall())
        finally:
            cursor.execute("RESET plan_cache_mode")

    assert "outbound_outboundmessage_pkey" in plan, plan
    assert "outbound_state_lease" not in plan, plan
