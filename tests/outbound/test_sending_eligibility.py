"""A message whose member stopped wanting it after it was made is not sent,
even when no cancel reached its row (the dispatch/unsubscribe race)."""

from django.utils import timezone

from apps.delivery.models import Suppression
from apps.outbound.models import OutboundMessage, State
from apps.outbound.sending import batch_send
from apps.teams.models import Member

from .received import received_ids
from .sending_fixtures import mail_sink, make_queued  # noqa: F401


def _state(row) -> str:
    return OutboundMessage.objects.get(pk=row.pk).state


def test_a_member_who_unsubscribed_after_the_row_was_made_is_not_mailed(mail_sink, make_queued):
    keep, gone = make_queued(2)
    # As the race leaves it: the stamp is set, but no cancel ever saw the row.
    Member.objects.filter(pk=gone.member_id).update(unsubscribed_reminders_at=timezone.now())

    report = batch_send(ids=[keep.pk, gone.pk])

    assert report["sent"] == 1
    assert _state(keep) == State.SENT
    assert _state(gone) == State.CANCELLED
    assert "no longer gets this mail" in OutboundMessage.objects.get(pk=gone.pk).events.last().detail
    assert received_ids(mail_sink) == [keep.message_id]


def test_a_paused_or_suppressed_member_is_not_mailed(mail_sink, make_queued):
    keep, paused, suppressed = make_queued(3)
    Member.objects.filter(pk=paused.member_id).update(paused=True)
    Suppression.objects.create(address=suppressed.member.email, reason="hard_bounce",
                               source="test")

    batch_send(ids=[keep.pk, paused.pk, suppressed.pk])

    assert [_state(r) for r in (keep, paused, suppressed)] == [
        State.SENT, State.CANCELLED, State.CANCELLED,
    ]
    assert received_ids(mail_sink) == [keep.message_id]


def test_a_digest_is_judged_by_its_own_kind(mail_sink, make_queued):
    """Unsubscribing from reminders stops reminders, not the digest."""
    [digest] = make_queued(1, kind="digest")
    Member.objects.filter(pk=digest.member_id).update(unsubscribed_reminders_at=timezone.now())
    digest.member.team.send_empty_digest = True
    digest.member.team.save()

    batch_send(ids=[digest.pk])

    assert _state(digest) == State.SENT
