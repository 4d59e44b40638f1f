"""The sweep, in this process: what it takes back, what it leaves alone, and
that a retried message ends `sent` (or `failed`) keeping its Message-ID."""

from datetime import timedelta

from django.utils import timezone

from apps.outbound.models import OutboundMessage, State
from apps.outbound.recovery import outbound_sweep
from apps.outbound.sending import batch_send

from .received import received_ids
from .sending_fixtures import mail_sink, make_queued  # noqa: F401


def state_of(row) -> str:
    row.refresh_from_db()
    return row.state


def test_a_deferred_message_comes_back_when_its_time_has_come_and_keeps_its_message_id(
    mail_sink, make_queued, django_capture_on_commit_callbacks,
):
    [row] = make_queued()
    message_id = row.message_id
    mail_sink.refuse_data("451 4.3.0 Try again later")
    batch_send(ids=[row.pk])
    row.refresh_from_db()
    assert row.state == State.DEFERRED

    early = outbound_sweep(now=row.next_attempt_at - timedelta(seconds=1))
    assert early["deferred_requeued"] == 0 and state_of(row) == State.DEFERRED

    with django_capture_on_commit_callbacks() as published:
        report = outbound_sweep(now=row.next_attempt_at)
    assert report["deferred_requeued"] == 1 and len(published) == 1
    assert state_of(row) == State.QUEUED and row.next_attempt_at is None

    batch_send(ids=[row.pk])  # what the published task does

    row.refresh_from_db()
    assert row.state == State.SENT and row.attempts == 2
    assert row.message_id == message_id
    assert received_ids(mail_sink) == [message_id]
    assert [e.to_state for e in row.events.all()] == [
        State.SENDING, State.DEFERRED, State.QUEUED, State.SENDING, State.SENT,
    ]


def test_retries_of_a_message_that_is_always_refused_end_in_failed(
    mail_sink, make_queued, settings,
):
    settings.SEND_MAX_ATTEMPTS = 3
    [row] = make_queued()
    mail_sink.refuse_recipient(row.member.email, "421 4.7.0 Try again later")

    for _ in range(10):  # more rounds than attempts: the code, not the loop, stops it
        batch_send(ids=[row.pk])
        row.refresh_from_db()
        if row.state != State.DEFERRED:
            break
        outbound_sweep(now=row.next_attempt_at)

    assert row.state == State.FAILED and row.attempts == 3
    assert row.last_error.startswith("gave up after 3 attempts: ")
    assert "421 4.7.0 Try again later" in row.last_error
    assert mail_sink.received == []


def test_queued_rows_whose_task_never_arrived_are_published_again(
    make_queued, settings, django_capture_on_commit_callbacks,
):
    lost, fresh = make_queued(2)
    long_ago = timezone.now() - timedelta(seconds=settings.SWEEP_REPUBLISH_AFTER_SECONDS + 1)
    OutboundMessage.objects.filter(pk=lost.pk).update(updated_at=long_ago)

    with django_capture_on_commit_callbacks() as published:
        report = outbound_sweep(now=timezone.now())

    assert report["republished"] == 1 and len(published) == 1
    assert state_of(lost) == State.QUEUED and state_of(fresh) == State.QUEUED
    # Its clock restarts, so the next sweep does not publish it again at once.
    assert lost.updated_at > long_ago
    assert outbound_sweep(now=timezone.now())["republished"] == 0


def test_rows_of_a_worker_that_died_come_back_after_the_lease(make_queued):
    [held] = make_queued(state=State.SENDING, attempts=1)
    lease = timezone.now() + timedelta(seconds=300)
    OutboundMessage.objects.filter(pk=held.pk).update(lease_until=lease)
    message_id = held.message_id

    assert outbound_sweep(now=lease - timedelta(seconds=1))["expired_requeued"] == 0
    assert state_of(held) == State.SENDING

    report = outbound_sweep(now=lease + timedelta(seconds=1))

    assert report["expired_requeued"] == 1
    held.refresh_from_db()
    assert held.state == State.QUEUED and held.lease_until is None
    assert held.attempts == 1 and held.message_id == message_id
    assert "lease expired" in held.events.last().detail


def test_a_message_whose_worker_died_on_its_last_attempt_fails(make_queued, settings):
    settings.SEND_MAX_ATTEMPTS = 4
    [held] = make_queued(state=State.SENDING, attempts=4)
    OutboundMessage.objects.filter(pk=held.pk).update(
        lease_until=timezone.now() - timedelta(seconds=1),
    )

    report = outbound_sweep(now=timezone.now())

    assert report == {
        "deferred_requeued": 0, "expired_requeued": 0, "expired_failed": 1, "republished": 0,
    }
    held.refresh_from_db()
    assert held.state == State.FAILED
    assert held.last_error == "gave up after 4 attempts: worker lost while sending"


def test_the_sweep_takes_a_bounded_number_of_rows_per_run(
    make_queued, settings, django_capture_on_commit_callbacks,
):
    settings.SWEEP_LIMIT = 5
    settings.SWEEP_BATCH_SIZE = 2
    rows = make_queued(7, state=State.DEFERRED)
    due = timezone.now()
    OutboundMessage.objects.filter(id__in=[r.pk for r in rows]).update(next_attempt_at=due)

    with django_capture_on_commit_callbacks() as published:
        first = outbound_sweep(now=due)
    second = outbound_sweep(now=due)

    assert first["deferred_requeued"] == 5 and second["deferred_requeued"] == 2
    assert len(published) == 1  # one publish of three batches: 2 + 2 + 1 ids
    assert set(OutboundMessage.objects.values_list("state", flat=True)) == {State.QUEUED}


def test_the_sweep_leaves_every_other_state_alone(make_queued):
    long_ago = timezone.now() - timedelta(days=2)
    rows = []
    for state in (State.SCHEDULED, State.SENT, State.FAILED, State.CANCELLED, State.DELIVERED):
        rows += make_queued(state=state)
    OutboundMessage.objects.update(
        updated_at=long_ago, next_attempt_at=long_ago, lease_until=long_ago,
    )

    report = outbound_sweep(now=timezone.now())

    assert not any(report.values())
    assert [state_of(r) for r in rows] == [
        State.SCHEDULED, State.SENT, State.FAILED, State.CANCELLED, State.DELIVERED,
    ]
