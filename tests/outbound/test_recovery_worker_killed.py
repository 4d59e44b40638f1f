"""The promise under the harshest failure: a worker process SIGKILLed in the
middle of a batch. Once its lease has run out and the sweep has run, every
message has reached the server and every row is `sent`; a message reached
it twice only if it was on the wire when the worker died."""

import collections
import time

from django.db import transaction
from django.utils import timezone

from apps.outbound.models import OutboundMessage, State
from apps.outbound.publishing import batches_publish
from apps.outbound.recovery import outbound_sweep

from .received import received_ids
from .sending_fixtures import mail_sink, make_queued, spawn_worker, wait_for  # noqa: F401

LEASE_SECONDS = 4
# The server keeps each message, then takes this long to say 250: the batch is
# slow, and a kill almost always lands while a delivered message awaits its reply.
REPLY_DELAY = 0.25


def test_a_worker_killed_mid_batch_loses_nothing_and_duplicates_only_what_was_in_flight(
    postgres_only, transactional_db, mail_sink, make_queued, spawn_worker,
):
    """Needs PostgreSQL: the worker subprocess shares the test database, and
    pytest-django's SQLite test database lives in this process's memory."""
    rows = make_queued(8)
    ids = [r.pk for r in rows]
    mail_sink.slow_reply(REPLY_DELAY)
    doomed = spawn_worker(SEND_LEASE_SECONDS=LEASE_SECONDS)

    with transaction.atomic():
        batches_publish([ids])
    wait_for(lambda: len(mail_sink.received) >= 3, timeout=45)
    doomed.kill()  # SIGKILL to the main process and its pool child alike

    at_kill = dict(OutboundMessage.objects.filter(id__in=ids).values_list("message_id", "state"))
    reached = set(received_ids(mail_sink))
    in_flight = {mid for mid, state in at_kill.items() if state == State.SENDING and mid in reached}
    assert State.SENT in at_kill.values(), doomed.log()
    assert State.SENDING in at_kill.values(), "the kill came after the batch ended"
    assert len(in_flight) <= 1  # one pool process, one message on its connection

    # Nothing moves the dead worker's rows until their lease has run out.
    assert outbound_sweep(now=timezone.now())["expired_requeued"] == 0
    lease = max(OutboundMessage.objects.filter(id__in=ids, state=State.SENDING)
                .values_list("lease_until", flat=True))
    time.sleep(max(0.0, (lease - timezone.now()).total_seconds()) + 0.1)
    report = outbound_sweep(now=timezone.now())
    assert report["expired_requeued"] == list(at_kill.values()).count(State.SENDING)

    fresh = spawn_worker(SEND_LEASE_SECONDS=LEASE_SECONDS)
    wait_for(
        lambda: OutboundMessage.objects.filter(id__in=ids, state=State.SENT).count() == len(ids),
        timeout=45,
    )
    fresh.kill()

    counts = collections.Counter(received_ids(mail_sink))
    assert set(counts) == {r.message_id for r in rows}  # every message arrived
    duplicates = {mid for mid, n in counts.items() if n > 1}
    assert duplicates == in_flight and max(counts.values()) <= 2
    attempts = dict(
        OutboundMessage.objects.filter(id__in=ids).values_list("message_id", "attempts"),
    )
    assert all(attempts[mid] == 2 for mid in in_flight)
