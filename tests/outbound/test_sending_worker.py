"""Sending through a real worker on the real broker: batches published after
commit are sent, and the sweep task publishes what it takes back."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from apps.outbound.models import OutboundMessage, State
from apps.outbound.publishing import batches_publish

from .received import received_ids
from .sending_fixtures import mail_sink, make_queued, wait_for  # noqa: F401


def all_in(ids, state) -> bool:
    return OutboundMessage.objects.filter(id__in=ids, state=state).count() == len(ids)


def test_batches_published_after_commit_are_sent_by_the_worker(
    celery_worker, mail_sink, make_queued,
):
    rows = make_queued(5)
    ids = [r.pk for r in rows]

    with transaction.atomic():
        batches_publish([ids[:3], ids[3:]])

    wait_for(lambda: all_in(ids, State.SENT))
    assert sorted(received_ids(mail_sink)) == sorted(r.message_id for r in rows)


def test_the_sweep_task_sends_deferred_messages_whose_time_has_come(
    celery_worker, celery_app, mail_sink, make_queued,
):
    due, later = make_queued(2, state=State.DEFERRED, attempts=1)
    now = timezone.now()
    OutboundMessage.objects.filter(pk=due.pk).update(next_attempt_at=now - timedelta(seconds=1))
    OutboundMessage.objects.filter(pk=later.pk).update(next_attempt_at=now + timedelta(hours=1))

    result = celery_app.send_task("outbound.sweep").get(timeout=30)

    assert result["deferred_requeued"] == 1
    wait_for(lambda: all_in([due.pk], State.SENT))
    later.refresh_from_db()
    assert later.state == State.DEFERRED
    assert received_ids(mail_sink) == [due.message_id]
