"""Send a batch of queued messages and record what happened to each one.

A batch's life: claim its rows (`queued → sending`, with a lease, attempts
+ 1; only the rows this call moved are its own), then for each message:
render (a mail merge: merging.py), send, record. Each outcome — one guarded UPDATE and one event — is
committed before the server can accept the next message: it is written on a
thread of its own while the next message renders and its envelope goes out,
and the next final dot waits for it. So a worker killed in the middle of a
batch leaves every message it had sent recorded as `sent` but at most one,
the message between its final dot and its commit at the kill; the sweep
sends that one again. That is the whole of the duplicate promise (README,
"Sending and recovery"), and the commit's round trip is hidden behind the
SMTP exchange instead of following it.

The lease is also a fencing token. An outcome is written only to a row that
is still `sending` under the lease this batch set, so a worker that lost its
rows to the sweep cannot overwrite a newer attempt. And a worker whose lease
is running short stops and hands the rest back (`queued`, attempt not
counted) rather than race the sweep for them. A slow batch re-reads which
rows are still its own about once a second, so a message cancelled while
its batch is on the wire is not sent if it has not gone yet.
"""

import logging
import time
import traceback
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import F
from django.utils import timezone

from . import backoff
from .eligibility import UNWANTED, messages_unwanted
from .models import OutboundMessage, State
from .publishing import batches_publish
from .recording import OutcomeWriter
from .merging import BatchRenderer
from .rendering import Skip
from .states import transition
from .transports import get_transport
from .transports.base import PERMANENT, SENT, TEMPORARY, Outcome

log = logging.getLogger(__name__)

# Stop taking new messages from a batch when less than this share of the lease is left.
LEASE_MARGIN = 0.2
# After this many temporary refusals in a row the server is down or throttling
# us: the rest of the batch is deferred untried, each at its own jittered time,
# instead of waiting out a timeout apiece.
TEMPORARY_RUN_LIMIT = 3
# While a batch is on the wire, re-read which of its rows are still ours at
# most this often (one query), so a message cancelled meanwhile is not sent.
RECHECK_SECONDS = 1.0


def error_summary(exc: BaseException) -> str:
    """'ValueError: bad thing (at rendering.py:42 in message_render)': enough
    for an operator reading last_error; the log has the whole traceback."""
    where = ""
    frames = traceback.extract_tb(exc.__traceback__)
    if frames:
        last = frames[-1]
        where = f" (at {last.filename.rsplit('/', 1)[-1]}:{last.lineno} in {last.name})"
    return f"{type(exc).__name__}: {exc}{where}"


def _outcome_fields(message: OutboundMessage, outcome: Outcome) -> tuple[str, str, dict]:
    """(to-state, event detail, fields) for what the transport said."""
    if outcome.status == SENT:
        reply = outcome.detail or outcome.provider_id
        return State.SENT, reply, {
            "provider_id": (outcome.provider_id or outcome.detail)[:255],
            "sent_at": timezone.now(), "last_error": "", "next_attempt_at": None,
        }
    reason = outcome.detail or outcome.status
    if outcome.status == PERMANENT:
        return State.FAILED, reason, {"last_error": reason, "next_attempt_at": None}
    if message.attempts >= settings.SEND_MAX_ATTEMPTS:
        reason = f"gave up after {message.attempts} attempts: {reason}"
        return State.FAILED, reason, {"last_error": reason, "next_attempt_at": None}
    delay = backoff.retry_delay(attempts=message.attempts, retry_after=outcome.retry_after)
    next_at = timezone.now() + delay
    detail = f"{reason}; next attempt at {next_at.isoformat(timespec='seconds')}"
    return State.DEFERRED, detail, {"last_error": reason, "next_attempt_at": next_at}


def _hand_back(ids: list[int]) -> list[int]:
    """Give rows we claimed but never tried back to the queue, uncounted."""
    moved = transition(
        ids, State.QUEUED, from_states=[State.SENDING],
        detail="handed back unsent: the batch's lease was running short",
        attempts=F("attempts") - 1, lease_until=None,
    )
    batches_publish([moved])
    return moved


class _WriteFailed(Exception):
    """Recording the previous outcome failed while this message was on the wire."""


class _Batch:
    """One batch being sent: its lease, its transport, its tally and timings.

    Outcomes are written by an OutcomeWriter while the next message's
    envelope goes out: message N's outcome is submitted once N+1 has
    rendered (a digest's render reads the database, which the writer must
    not be using then) and must be committed before N+1's final dot.
    """

    def __init__(self, *, lease_until: datetime):
        self.lease_until = lease_until
        margin = timedelta(seconds=settings.SEND_LEASE_SECONDS * LEASE_MARGIN)
        self.stop_at = lease_until - margin
        self.transport = get_transport()
        self.renderer = BatchRenderer()
        self.writer = OutcomeWriter()
        self.unwritten: dict | None = None
        self.counts = {State.SENT: 0, State.DEFERRED: 0, State.FAILED: 0, State.CANCELLED: 0}
        self.seconds = {"render": 0.0, "transport": 0.0, "record": 0.0}
        self.lost = 0
        self.withdrawn = 0
        self.temporary_run = 0
        self.last_temporary = ""
        self.handed_back: list[int] = []

    def run(self, messages: list[OutboundMessage]) -> None:
        try:
            self.run_all(messages)
        finally:
            try:  # what the server accepted is recorded even when the batch is cut short
                self.settle()
            finally:
                self.writer.close()

    def run_all(self, messages: list[OutboundMessage]) -> None:
        held = {m.pk for m in messages}
        recheck_at = time.monotonic() + RECHECK_SECONDS
        for index, message in enumerate(messages):
            if timezone.now() >= self.stop_at:
                self.settle()
                self.handed_back = _hand_back([m.pk for m in messages[index:]])
                return
            if self.temporary_run >= TEMPORARY_RUN_LIMIT:
                return self.defer_untried(messages[index:])
            if time.monotonic() >= recheck_at:
                self.settle()
                held = self.still_held([m.pk for m in messages[index:]])
                recheck_at = time.monotonic() + RECHECK_SECONDS
            if message.pk in held:
                self.send(message)
            else:
                self.withdrawn += 1
                log.info("message %s was withdrawn from its batch before it was sent", message.pk)

    def still_held(self, ids: list[int]) -> set[int]:
        """The rows of `ids` still `sending` under our lease (not cancelled meanwhile)."""
        return set(OutboundMessage.objects.filter(
            id__in=ids, state=State.SENDING, lease_until=self.lease_until,
        ).values_list("id", flat=True))

    def record(self, message: OutboundMessage, to: str, detail: str, **fields) -> None:
        """Note `message`'s outcome; it is written by the next flush()."""
        self.flush()
        self.unwritten = {
            "pk": message.pk, "lease_until": self.lease_until, "to": to, "detail": detail, **fields,
        }

    def flush(self) -> None:
        """Start writing the noted outcome, if any (wait() or settle() ends it)."""
        if self.unwritten is None:
            return
        to, self.unwritten, record = self.unwritten["to"], None, self.unwritten
        started = time.perf_counter()
        self.writer.submit(lambda moved: self.tally(to, moved), **record)
        self.seconds["record"] += time.perf_counter() - started

    def tally(self, to: str, moved: bool) -> None:
        if moved:
            self.counts[to] += 1
        else:
            self.lost += 1

    def wait(self) -> None:
        """Until the outcome being written is committed: the time it was not hidden."""
        started = time.perf_counter()
        try:
            self.writer.wait()
        finally:
            self.seconds["record"] += time.perf_counter() - started

    def wait_before_handoff(self) -> None:
        """wait(), its failure told apart from a transport's own."""
        try:
            self.wait()
        except Exception as exc:
            raise _WriteFailed from exc

    def settle(self) -> None:
        """Every outcome so far written: before we use the database ourselves, and at the end."""
        self.flush()
        self.wait()

    def send(self, message: OutboundMessage) -> None:
        self.wait()  # the render may read the database
        started = time.perf_counter()
        try:
            email = self.renderer.render(message)
        except Skip as skip:
            self.seconds["render"] += time.perf_counter() - started
            return self.record(message, State.CANCELLED, str(skip))
        except Exception as exc:  # our bug: this message fails loudly, the batch goes on
            log.exception("could not render message %s", message.pk)
            self.seconds["render"] += time.perf_counter() - started
            reason = f"render failed: {error_summary(exc)}"
            return self.record(message, State.FAILED, reason, last_error=reason)
        self.seconds["render"] += time.perf_counter() - started
        self.flush()
        started = time.perf_counter()
        waited = self.seconds["record"]
        try:
            [outcome] = self.transport.send([email], before_handoff=self.wait_before_handoff)
        except _WriteFailed as failed:  # the database, not the message: the task fails
            raise failed.__cause__ from None
        except Exception as exc:  # a transport bug: unknown fate, so retry it later
            log.exception("transport raised for message %s", message.pk)
            outcome = Outcome.temporary(f"transport error: {error_summary(exc)}")
        self.seconds["transport"] += time.perf_counter() - started - (self.seconds["record"] - waited)
        if outcome.status == TEMPORARY:
            self.temporary_run += 1
            self.last_temporary = outcome.detail
        else:
            self.temporary_run = 0
        to, detail, fields = _outcome_fields(message, outcome)
        self.record(message, to, detail, **fields)

    def defer_untried(self, messages: list[OutboundMessage]) -> None:
        reason = (
            f"not tried: the {self.temporary_run} messages before it were refused for now"
            f" ({self.last_temporary})"
        )
        for message in messages:
            to, detail, fields = _outcome_fields(message, Outcome.temporary(reason))
            self.record(message, to, detail, **fields)


def batch_send(*, ids: list[int]) -> dict:
    """Claim, send and record the messages `ids`; return a tally for logs and benches.

    Rows not `queued` (sent already, cancelled, held by another worker) are
    skipped: running a batch twice sends nothing twice.
    """
    if not all(type(pk) is int for pk in ids):
        raise TypeError(f"batch_send takes a list of message ids (int), not {ids!r:.200}")
    lease_until = timezone.now() + timedelta(seconds=settings.SEND_LEASE_SECONDS)
    batch = _Batch(lease_until=lease_until)  # before the claim: a bad EMAIL_URL claims nothing
    claimed = transition(
        ids, State.SENDING, from_states=[State.QUEUED], detail="claimed for sending",
        lease_until=lease_until, attempts=F("attempts") + 1,
    )
    if claimed:
        messages = list(
            OutboundMessage.objects.filter(id__in=claimed)
            .select_related("member__team").order_by("id")
        )
        unwanted = {m.pk for m in messages_unwanted(messages)}
        if unwanted:
            transition(unwanted, State.CANCELLED, from_states=[State.SENDING], detail=UNWANTED)
            batch.counts[State.CANCELLED] += len(unwanted)
        batch.run([m for m in messages if m.pk not in unwanted])
    report = {
        "asked": len(ids), "claimed": len(claimed),
        **{str(state): count for state, count in batch.counts.items()},
        "handed_back": len(batch.handed_back), "withdrawn": batch.withdrawn,
        "lost_lease": batch.lost,
        "seconds": {k: round(v, 6) for k, v in batch.seconds.items()},
    }
    log.info("batch sent: %s", report)
    return report
