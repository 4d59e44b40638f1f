"""Claimed batches reach the real broker as one `outbound.send_batch(ids)` task each."""

from apps.outbound.dispatch import dispatch_due
from apps.outbound.models import OutboundMessage, State

from .conftest import drain, utc

NOW = utc(2026, 1, 13, 17, 0)


def test_each_batch_is_published_as_one_task_after_commit(
    transactional_db, make_member, settings, empty_queue,
):
    settings.DISPATCH_BATCH_SIZE = 3
    for _ in range(7):
        make_member(time_zone="UTC", reminder_hour=17, unsubscribed_digests_at=NOW)

    report = dispatch_due(now=NOW)

    published = drain(empty_queue)
    assert (report.queued, report.batches) == (7, 3)
    assert [name for name, _ in published] == ["outbound.send_batch"] * 3
    batches = [args[0] for _, args in published]
    assert sorted(len(ids) for ids in batches) == [1, 3, 3]  # the file broker may reorder
    queued = OutboundMessage.objects.filter(state=State.QUEUED).values_list("pk", flat=True)
    assert sorted(pk for ids in batches for pk in ids) == sorted(queued)


def test_a_run_with_nothing_due_publishes_nothing(transactional_db, make_member, empty_queue):
    make_member(time_zone="UTC", reminder_hour=9, digest_hour=9)
    dispatch_due(now=utc(2026, 1, 13, 9, 0))
    drain(empty_queue)

    dispatch_due(now=utc(2026, 1, 13, 9, 5))

    assert drain(empty_queue) == []
