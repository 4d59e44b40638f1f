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


def test_the_first_batches_are_published_while_the_rest_wait_to_be_claimed(
    transactional_db, make_member, settings, empty_queue, monkeypatch,
):
    """A big morning is claimed a few batches at a time, each claim committed
    and published before the next: the senders need not wait for them all."""
    from apps.outbound import dispatch

    settings.DISPATCH_BATCH_SIZE = 2
    monkeypatch.setattr(dispatch, "CLAIM_BATCHES", 2)
    for _ in range(9):
        make_member(time_zone="UTC", reminder_hour=17, unsubscribed_digests_at=NOW)
    seen = []  # at each publish: the tasks on the broker, the rows still scheduled
    publish = dispatch.batches_publish

    def publish_and_look(batches):
        publish(batches)
        seen.append((len(drain(empty_queue)), OutboundMessage.objects.filter(
            state=State.SCHEDULED).count()))

    monkeypatch.setattr(dispatch, "batches_publish", publish_and_look)

    report = dispatch_due(now=NOW)

    assert (report.queued, report.batches) == (9, 5)
    assert seen == [(2, 5), (2, 1), (1, 0)]
    assert OutboundMessage.objects.filter(state=State.QUEUED).count() == 9
