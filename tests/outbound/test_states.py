"""The state machine: allowed moves happen once and are logged; others raise or wait."""

import datetime as dt

import pytest
from django.utils import timezone

from apps.outbound.models import Kind, MessageEvent, OutboundMessage, State
from apps.outbound.states import (
    ALLOWED, IllegalTransition, note, transition, transition_all,
)

from .conftest import at_once

DAY = dt.date(2026, 1, 12)
HOUR = dt.timedelta(hours=1)
MOVES = sorted((source, to) for to, sources in ALLOWED.items() for source in sources)


@pytest.fixture
def make_message(make_member):
    def make(state=State.SCHEDULED, day=0):
        return OutboundMessage.objects.create(
            member=make_member(), kind=Kind.REMINDER, state=state,
            local_date=DAY + dt.timedelta(days=day), scheduled_for=timezone.now(),
        )

    return make


def state_of(message) -> str:
    message.refresh_from_db()
    return message.state


@pytest.mark.parametrize("source, to", MOVES, ids=[f"{s}->{t}" for s, t in MOVES])
def test_every_allowed_move_happens_and_is_logged(make_message, source, to):
    message = make_message(state=source)

    assert transition([message.pk], to, detail="because") == [message.pk]

    assert state_of(message) == to
    assert list(message.events.values_list("from_state", "to_state", "detail")) == [
        (source, to, "because"),
    ]


def test_rows_in_a_state_that_may_not_move_there_are_left_alone(make_message):
    scheduled, sent = make_message(State.SCHEDULED), make_message(State.SENT, day=1)

    moved = transition([scheduled.pk, sent.pk], State.QUEUED)

    assert moved == [scheduled.pk]
    assert state_of(sent) == State.SENT
    assert not sent.events.exists()


def test_asking_for_a_move_the_table_forbids_raises_and_changes_nothing(make_message):
    message = make_message(State.SENT)
    with pytest.raises(IllegalTransition, match="sent may not move to queued"):
        transition([message.pk], State.QUEUED, from_states=[State.SENT])
    with pytest.raises(IllegalTransition, match="no message may move to 'scheduled'"):
        transition([message.pk], "scheduled")
    with pytest.raises(IllegalTransition, match="no message may move to 'lost'"):
        transition([message.pk], "lost")
    assert state_of(message) == State.SENT
    assert not MessageEvent.objects.exists()


def test_from_states_narrows_the_move(make_message):
    scheduled, deferred = make_message(State.SCHEDULED), make_message(State.DEFERRED, day=1)
    assert transition([scheduled.pk, deferred.pk], State.QUEUED,
                      from_states=[State.DEFERRED]) == [deferred.pk]
    assert state_of(scheduled) == State.SCHEDULED


def test_a_move_sets_the_fields_given(make_message):
    message = make_message(State.QUEUED)
    lease = timezone.now() + dt.timedelta(minutes=5)
    transition([message.pk], State.SENDING, lease_until=lease)
    message.refresh_from_db()
    assert (message.state, message.lease_until) == (State.SENDING, lease)


def test_nothing_to_move_is_not_an_error():
    assert transition([], State.QUEUED) == []


def test_a_note_logs_without_moving(make_message):
    message = make_message(State.SENT)
    note([message.pk], detail="provider deferred it")
    assert state_of(message) == State.SENT
    assert list(message.events.values_list("from_state", "to_state", "detail")) == [
        (State.SENT, State.SENT, "provider deferred it"),
    ]


def test_transition_all_moves_every_matching_row_once_earliest_first(make_message):
    early, late = make_message(State.SCHEDULED), make_message(State.SCHEDULED, day=1)
    OutboundMessage.objects.filter(pk=early.pk).update(scheduled_for=timezone.now() - HOUR)
    sent = make_message(State.SENT, day=2)

    moved = transition_all(OutboundMessage.objects.all(), State.QUEUED,
                           from_state=State.SCHEDULED, detail="claimed")

    assert moved == [early.pk, late.pk]
    assert (state_of(early), state_of(late), state_of(sent)) == (
        State.QUEUED, State.QUEUED, State.SENT,
    )
    assert sorted(MessageEvent.objects.values_list("message_id", "from_state", "to_state")) == [
        (early.pk, State.SCHEDULED, State.QUEUED), (late.pk, State.SCHEDULED, State.QUEUED),
    ]
    assert transition_all(OutboundMessage.objects.all(), State.QUEUED,
                          from_state=State.SCHEDULED) == []


def test_transition_all_moves_only_the_rows_asked_for(make_message):
    chosen, other = make_message(State.SCHEDULED), make_message(State.SCHEDULED, day=1)
    moved = transition_all(OutboundMessage.objects.filter(member=chosen.member), State.QUEUED,
                           from_state=State.SCHEDULED)
    assert moved == [chosen.pk]
    assert (state_of(chosen), state_of(other)) == (State.QUEUED, State.SCHEDULED)
    assert not other.events.exists()


def test_transition_all_sets_fields_and_refuses_what_the_table_forbids(make_message):
    message = make_message(State.DEFERRED)
    OutboundMessage.objects.filter(pk=message.pk).update(next_attempt_at=timezone.now())
    with pytest.raises(IllegalTransition, match="sent may not move to queued"):
        transition_all(OutboundMessage.objects.all(), State.QUEUED, from_state=State.SENT)

    transition_all(OutboundMessage.objects.all(), State.CANCELLED, from_state=State.DEFERRED,
                   next_attempt_at=None, detail="stop")

    message.refresh_from_db()
    assert (message.state, message.next_attempt_at) == (State.CANCELLED, None)


@pytest.mark.postgres
def test_two_dispatchers_claiming_all_at_once_move_each_row_once(
    postgres_only, transactional_db, make_message,
):
    ids = [make_message(State.SCHEDULED, day=n).pk for n in range(200)]
    def claim():
        return transition_all(OutboundMessage.objects.all(), State.QUEUED,
                              from_state=State.SCHEDULED)

    won = at_once(claim, claim, claim)
    assert sorted(pk for moved in won for pk in moved) == sorted(ids)
    assert MessageEvent.objects.filter(to_state=State.QUEUED).count() == len(ids)


@pytest.mark.postgres
def test_two_workers_racing_for_the_same_rows_move_each_once(
    postgres_only, transactional_db, make_message,
):
    ids = [make_message(State.QUEUED, day=n).pk for n in range(40)]
    def claim():
        return transition(ids, State.SENDING, detail="claimed")

    won = at_once(claim, claim)
    assert sorted(pk for moved in won for pk in moved) == sorted(ids)
    assert MessageEvent.objects.filter(to_state=State.SENDING).count() == len(ids)


def test_a_claim_finds_its_rows_by_primary_key_whatever_the_statistics_say(
    postgres_only, make_member,
):
    """Statistics taken when no row was `queued` (dispatch analyses the table
    right after creating the morning's rows) once sent each batch's claim
    through the state index, reading every queued row for a hundred."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    member = make_member()
    OutboundMessage.objects.bulk_create(
        OutboundMessage(member=member, kind=Kind.REMINDER, state=State.SCHEDULED,
                        local_date=DAY - dt.timedelta(days=n), scheduled_for=timezone.now())
        for n in range(3000)
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE outbound_outboundmessage")
    OutboundMessage.objects.update(state=State.QUEUED)  # the claim of a whole morning
    batch = list(OutboundMessage.objects.order_by("pk").values_list("pk", flat=True)[:100])

    with CaptureQueriesContext(connection) as queries:
        assert transition(batch, State.SENDING, detail="claimed") == batch
    [claim] = [q["sql"] for q in queries.captured_queries if "FOR UPDATE" in q["sql"]]
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN {claim}")
        plan = "\n".join(line for (line,) in cursor.fetchall())

    assert "outbound_outboundmessage_pkey" in plan, plan
    assert "outbound_state_" not in plan, plan
