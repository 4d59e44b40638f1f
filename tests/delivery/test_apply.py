from datetime import timedelta

import pytest
from django.utils import timezone

from apps.delivery.models import DeliveryEvent, Suppression
from apps.delivery.services import events_apply, sendgrid_events_store, suppression_add, suppression_remove
from apps.outbound.models import Kind, MessageEvent, OutboundMessage, State
from tests.delivery.conftest import sendgrid_event


def apply(*events):
    return events_apply(ids=sendgrid_events_store(events=list(events)))


def state_of(message):
    message.refresh_from_db()
    return message.state


def test_delivered_moves_sent_to_delivered_with_an_event(sent_message):
    apply(sendgrid_event(sent_message, event="delivered"))
    assert state_of(sent_message) == State.DELIVERED
    assert MessageEvent.objects.filter(message=sent_message, to_state=State.DELIVERED).exists()


def test_a_hard_bounce_bounces_and_suppresses_the_address(sent_message):
    apply(sendgrid_event(sent_message, event="bounce", type="bounce", status="5.1.1"))
    assert state_of(sent_message) == State.BOUNCED
    suppression = Suppression.objects.get()
    assert (suppression.address, suppression.reason) == ("ada@example.com", "hard_bounce")


def test_blocked_bounces_the_message_but_suppresses_only_after_n_in_a_row(sent_message, settings):
    settings.SOFT_BOUNCE_LIMIT = 3
    for n in range(2):
        apply(sendgrid_event(sent_message, event="bounce", type="blocked", status="4.7.1"))
    assert state_of(sent_message) == State.BOUNCED
    assert not Suppression.objects.exists()
    apply(sendgrid_event(sent_message, event="bounce", type="blocked", status="4.7.1"))
    assert Suppression.objects.get().reason == "soft_bounces"


def test_a_delivery_between_soft_bounces_resets_the_count(sent_message, settings):
    settings.SOFT_BOUNCE_LIMIT = 2
    now = int(timezone.now().timestamp())
    apply(sendgrid_event(sent_message, event="bounce", type="blocked", status="4.2.2", timestamp=now - 30))
    apply(sendgrid_event(sent_message, event="delivered", timestamp=now - 20))
    apply(sendgrid_event(sent_message, event="bounce", type="blocked", status="4.2.2", timestamp=now - 10))
    assert not Suppression.objects.exists()


@pytest.mark.parametrize("event, reason", [
    ("spamreport", "spam_report"), ("unsubscribe", "unsubscribe"), ("group_unsubscribe", "unsubscribe"),
])
def test_complaints_and_unsubscribes_suppress(sent_message, event, reason):
    apply(sendgrid_event(sent_message, event=event))
    assert Suppression.objects.get().reason == reason
    assert MessageEvent.objects.filter(message=sent_message, detail__contains=event).exists()


def test_deferred_is_noted_in_the_log_without_moving(sent_message):
    apply(sendgrid_event(sent_message, event="deferred", response="421 try later"))
    assert state_of(sent_message) == State.SENT
    note = MessageEvent.objects.get(message=sent_message)
    assert note.from_state == note.to_state == State.SENT and "421 try later" in note.detail


def test_dropped_for_a_bounced_address_suppresses(sent_message):
    apply(sendgrid_event(sent_message, event="dropped", reason="Bounced Address"))
    assert Suppression.objects.get().reason == "hard_bounce"


def test_applying_twice_changes_nothing_twice(sent_message):
    ids = sendgrid_events_store(events=[sendgrid_event(sent_message, event="spamreport")])
    assert events_apply(ids=ids) == 1
    assert events_apply(ids=ids) == 0
    assert MessageEvent.objects.filter(message=sent_message).count() == 1


def test_suppressing_cancels_pending_mail_for_that_address_only(member, team):
    from apps.teams.models import Member

    other = Member.objects.create(team=team, name="Bob", email="bob@example.com")
    today = timezone.now().date()

    def message(m, state, days=0):
        return OutboundMessage.objects.create(
            member=m, kind=Kind.REMINDER, local_date=today + timedelta(days=days),
            scheduled_for=timezone.now(), state=state,
        )

    queued, deferred, sent = message(member, State.QUEUED), message(member, State.DEFERRED, 1), message(member, State.SENT, 2)
    bobs = message(other, State.QUEUED)
    suppression_add(address="ADA@example.com", reason=Suppression.Reason.MANUAL, source="test")
    assert [state_of(m) for m in (queued, deferred, sent, bobs)] == [
        State.CANCELLED, State.CANCELLED, State.SENT, State.QUEUED,
    ]
    assert "suppressed" in MessageEvent.objects.get(message=queued).detail


def test_suppression_is_idempotent_and_removal_is_recorded(db):
    first = suppression_add(address="x@example.com", reason="hard_bounce", source="a")
    again = suppression_add(address="X@Example.com", reason="spam_report", source="b")
    assert first.pk == again.pk and again.reason == "hard_bounce"
    assert suppression_remove(suppression_id=first.pk, by="op", note="asked by the member")
    first.refresh_from_db()
    assert first.removed_by == "op" and first.removed_at is not None
    # Suppressing again after removal makes a new record; the old one stays.
    suppression_add(address="x@example.com", reason="spam_report", source="c")
    assert Suppression.objects.filter(address="x@example.com").count() == 2
