"""The sweep: pick up every message that nothing else will move.

Three kinds of row would otherwise wait forever:

- `deferred` rows whose next attempt has come: back to `queued`, published;
- `queued` rows whose task never arrived (the broker was down when dispatch
  or an earlier sweep committed, or it lost the message): published again
  once they have waited SWEEP_REPUBLISH_AFTER_SECONDS;
- `sending` rows whose lease ran out (their worker died): back to `queued`
  and published, or `failed` once they have used up their attempts, so a
  message that kills every worker that touches it stops doing so.

Each kind is taken in bounded, set-based chunks (SWEEP_BATCH_SIZE ids per
guarded move and per task, at most SWEEP_LIMIT rows per run): a backlog is
worked off over several runs instead of in one long transaction. A re-queued
row keeps its Message-ID; a second task for a row is harmless, since the
sender's claim is guarded.
"""

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone

from .models import OutboundMessage, State
from .publishing import batches_publish
from .states import transition

log = logging.getLogger(__name__)


def _chunks(rows: QuerySet) -> list[list[int]]:
    ids = list(rows.order_by("id").values_list("id", flat=True)[: settings.SWEEP_LIMIT])
    size = settings.SWEEP_BATCH_SIZE
    return [ids[i : i + size] for i in range(0, len(ids), size)]


def _requeue(rows: QuerySet, *, from_state: str, detail: str) -> list[list[int]]:
    """Move `rows` (all in `from_state`) to queued, chunk by chunk; the moved batches."""
    batches = []
    for chunk in _chunks(rows):
        moved = transition(
            chunk, State.QUEUED, from_states=[from_state], detail=detail,
            next_attempt_at=None, lease_until=None,
        )
        if moved:
            batches.append(moved)
    return batches


def _fail_exhausted_leases(*, now: datetime) -> int:
    """Rows whose worker died on their last allowed attempt: failed, not retried."""
    failed = 0
    reason = f"gave up after {settings.SEND_MAX_ATTEMPTS} attempts: worker lost while sending"
    rows = OutboundMessage.objects.filter(
        state=State.SENDING, lease_until__lt=now, attempts__gte=settings.SEND_MAX_ATTEMPTS,
    )
    for chunk in _chunks(rows):
        failed += len(transition(
            chunk, State.FAILED, from_states=[State.SENDING], detail=reason,
            last_error=reason, lease_until=None,
        ))
    return failed


def _republish_lost(*, now: datetime) -> list[list[int]]:
    """Queued rows waiting longer than a task could take to arrive."""
    cutoff = now - timedelta(seconds=settings.SWEEP_REPUBLISH_AFTER_SECONDS)
    batches = _chunks(OutboundMessage.objects.filter(state=State.QUEUED, updated_at__lt=cutoff))
    for chunk in batches:
        # Restart their clock, so a slow queue is not flooded with a copy a minute.
        OutboundMessage.objects.filter(id__in=chunk, state=State.QUEUED).update(
            updated_at=timezone.now(),
        )
    return batches


def outbound_sweep(*, now: datetime) -> dict:
    """Run the three recoveries once; return how many rows each one took."""
    # First the rows already queued, so those this run re-queues are not counted twice.
    lost = _republish_lost(now=now)
    due = _requeue(
        OutboundMessage.objects.filter(state=State.DEFERRED, next_attempt_at__lte=now),
        from_state=State.DEFERRED, detail="retry: the next attempt is due",
    )
    failed = _fail_exhausted_leases(now=now)
    expired = _requeue(
        OutboundMessage.objects.filter(state=State.SENDING, lease_until__lt=now),
        from_state=State.SENDING, detail="lease expired: the worker sending it was lost",
    )
    batches_publish(lost + due + expired)
    report = {
        "deferred_requeued": sum(map(len, due)),
        "expired_requeued": sum(map(len, expired)),
        "expired_failed": failed,
        "republished": sum(map(len, lost)),
    }
    if any(report.values()):
        log.info("outbound sweep: %s", report)
    return report
