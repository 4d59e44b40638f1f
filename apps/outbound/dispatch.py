"""Dispatch: create the messages that are due, then hand them to the senders.

Beat runs `dispatch_due` every DISPATCH_INTERVAL_SECONDS. Each run works zone
by zone: for every local hour it knows the latest time that hour came there
(see slots.py for the days the clocks change), asks the database in one query
which members of the zone are owed a row for it and do not have one, and
bulk inserts those rows. Then it claims the due `scheduled` rows into
`queued` through the state machine and publishes them in batches.

Nothing is created twice: rows are unique per (member, kind, local_date), the
query skips members who have theirs, and two runs at once (two beats, or beat
and an operator's command) take turns on a lock, so the second finds the
first's rows. Nothing is claimed twice: claiming is a guarded state move.

What fell due within DISPATCH_CATCH_UP_HOURS (after downtime, say) is still
sent. What is older is not: its row is created `cancelled`, with an event
saying it was missed, so the admin shows why and no later run creates it.
"""

import datetime as dt
import logging
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.conf import settings
from django.db import connection, transaction

from apps.delivery.selectors import suppressed_email_exists

from .models import Kind, MessageEvent, OutboundMessage, State
from .publishing import batches_publish
from .selectors import Candidate, Slot, members_due, zones_in_use
from .slots import latest_hour
from .states import transition

log = logging.getLogger(__name__)

# Rows per INSERT and ids per state move: big enough to be set-based, small
# enough for SQLite's limit on query parameters and a bounded memory.
CHUNK = 5000
# Names the PostgreSQL advisory lock dispatch runs hold (any constant bigint).
DISPATCH_LOCK = 0x646F6E656D61696C  # "donemail"
CLAIMED = "claimed by dispatch"


@dataclass(frozen=True)
class DispatchReport:
    now: dt.datetime
    created: dict[str, int]  # per kind: rows created to be sent
    missed: int  # fell due before the catch-up window: recorded cancelled, not sent
    queued: int
    batches: int

    def as_dict(self) -> dict:
        return {
            "now": self.now.isoformat(), "created": dict(self.created), "missed": self.missed,
            "queued": self.queued, "batches": self.batches,
        }

    def __str__(self):
        created = ", ".join(f"{n} {kind}" for kind, n in sorted(self.created.items()))
        return (
            f"dispatch at {self.now:%Y-%m-%d %H:%M:%S} UTC: created {created}; "
            f"missed {self.missed}; queued {self.queued} in {self.batches} batches"
        )


@dataclass(frozen=True)
class Claim:
    batches: list[list[int]]
    expired: int  # scheduled rows that waited past the catch-up window
    suppressed: int  # scheduled rows whose address was suppressed since they were made


def catch_up_cutoff(now: dt.datetime) -> dt.datetime:
    """Slots before this instant are missed, not sent."""
    return now - dt.timedelta(hours=settings.DISPATCH_CATCH_UP_HOURS)


def zone_slots(*, zone: ZoneInfo, now: dt.datetime) -> list[Slot]:
    """For each local hour, the latest time it came in `zone`, for both kinds.

    A reminder at hour H on local day D asks about D. A digest at hour H on D
    reports D-1, so its row's date is the day before.
    """
    slots = []
    for hour in range(24):
        day, at = latest_hour(zone=zone, hour=hour, now=now)
        slots.append(Slot(Kind.REMINDER, hour, day, at))
        slots.append(Slot(Kind.DIGEST, hour, day - dt.timedelta(days=1), at))
    return slots


def _chunks(items: Iterable, size: int = CHUNK) -> Iterator[list]:
    chunk = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _take_turns() -> None:
    """Serialise concurrent runs until the end of the transaction.

    PostgreSQL: a transaction-scoped advisory lock. SQLite: the IMMEDIATE
    transaction (settings) already holds the write lock from BEGIN. The
    unique constraint would keep the rows single anyway; the turn makes the
    second run see the first's rows, so it inserts nothing and counts right.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [DISPATCH_LOCK])


def _missed_detail(slot: Slot, now: dt.datetime) -> str:
    return (
        f"missed: fell due {slot.at:%Y-%m-%d %H:%M} UTC, more than "
        f"{settings.DISPATCH_CATCH_UP_HOURS} h before this dispatch "
        f"({now:%Y-%m-%d %H:%M} UTC); not sent"
    )


def _record_missed(rows: list[tuple[OutboundMessage, str]]) -> int:
    """Insert rows created `cancelled`, each with the event that says why."""
    OutboundMessage.objects.bulk_create([row for row, _ in rows], ignore_conflicts=True)
    detail_of = {row.message_id: detail for row, detail in rows}
    # Conflicting inserts set no pk; the fresh Message-IDs find exactly our rows.
    ours = OutboundMessage.objects.filter(message_id__in=list(detail_of)).values_list(
        "pk", "message_id",
    )
    events = [
        MessageEvent(message_id=pk, from_state="", to_state=State.CANCELLED,
                     detail=detail_of[message_id])
        for pk, message_id in ours
    ]
    MessageEvent.objects.bulk_create(events)
    return len(events)


def _zone_create(*, zone_name: str, now: dt.datetime, created: Counter) -> int:
    """Create the due and the missed rows of one zone; return how many were missed."""
    try:
        zone = ZoneInfo(zone_name)
    except (ZoneInfoNotFoundError, ValueError):
        log.error("dispatch: members with unknown time zone %r get no mail; fix them", zone_name)
        return 0
    cutoff = catch_up_cutoff(now)
    slots = {(slot.kind, slot.hour): slot for slot in zone_slots(zone=zone, now=now)}
    missed = 0

    def rows(candidates: list[Candidate]) -> Iterator[tuple[OutboundMessage, str]]:
        for candidate in candidates:
            slot = slots[(candidate.kind, candidate.hour)]
            if slot.at >= cutoff:
                state, detail = State.SCHEDULED, ""
            elif candidate.updated_at < slot.at:
                state, detail = State.CANCELLED, _missed_detail(slot, now)
            else:
                # The slot came before the member joined or last changed their
                # settings: not a message dispatch failed to send.
                continue
            row = OutboundMessage(
                member_id=candidate.member_id, kind=slot.kind, local_date=slot.local_date,
                scheduled_for=slot.at, state=state,
            )
            yield row, detail

    for chunk in _chunks(rows(members_due(zone=zone_name, slots=list(slots.values())))):
        due = [row for row, _ in chunk if row.state == State.SCHEDULED]
        OutboundMessage.objects.bulk_create(due, ignore_conflicts=True)
        created.update(row.kind for row in due)
        late = [(row, detail) for row, detail in chunk if row.state == State.CANCELLED]
        if late:
            missed += _record_missed(late)
    return missed


def messages_create_due(*, now: dt.datetime) -> tuple[dict[str, int], int]:
    """Create every row that has fallen due by `now`; return (created per kind, missed)."""
    created = Counter({kind: 0 for kind in Kind.values})
    missed = 0
    with transaction.atomic():
        _take_turns()
        for zone_name in zones_in_use():
            missed += _zone_create(zone_name=zone_name, now=now, created=created)
    return dict(created), missed


def _move_all(ids: list[int], to: str, *, detail: str) -> list[int]:
    moved = []
    for chunk in _chunks(ids):
        done = set(transition(chunk, to, from_states=[State.SCHEDULED], detail=detail))
        moved.extend(pk for pk in chunk if pk in done)  # keep the order asked for
    return moved


def messages_claim_due(*, now: dt.datetime) -> Claim:
    """Move the due `scheduled` rows to `queued`, in send order; return the batches.

    Rows that waited past the catch-up window (a run that died between
    creating and claiming, then downtime) are cancelled as missed, and rows
    whose address was suppressed after they were made are cancelled too, so
    neither reaches a sender.
    """
    due = OutboundMessage.objects.filter(state=State.SCHEDULED, scheduled_for__lte=now)
    cutoff = catch_up_cutoff(now)
    expired = _move_all(
        list(due.filter(scheduled_for__lt=cutoff).values_list("pk", flat=True)),
        State.CANCELLED,
        detail=f"missed: fell due more than {settings.DISPATCH_CATCH_UP_HOURS} h before "
               f"dispatch ran ({now:%Y-%m-%d %H:%M} UTC); not sent",
    )
    suppressed = _move_all(
        list(due.filter(suppressed_email_exists("member__email")).values_list("pk", flat=True)),
        State.CANCELLED, detail="address suppressed; not sent",
    )
    claimed = _move_all(
        list(due.order_by("scheduled_for", "pk").values_list("pk", flat=True)),
        State.QUEUED, detail=CLAIMED,
    )
    size = settings.DISPATCH_BATCH_SIZE
    batches = [claimed[i:i + size] for i in range(0, len(claimed), size)]
    return Claim(batches=batches, expired=len(expired), suppressed=len(suppressed))


def dispatch_due(*, now: dt.datetime) -> DispatchReport:
    """Create what is due at `now` (an aware datetime), claim it, publish it."""
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("dispatch_due needs an aware datetime (UTC)")
    now = now.astimezone(dt.UTC)
    created, missed = messages_create_due(now=now)
    claim = messages_claim_due(now=now)
    batches_publish(claim.batches)
    report = DispatchReport(
        now=now, created=created, missed=missed + claim.expired,
        queued=sum(map(len, claim.batches)), batches=len(claim.batches),
    )
    log.info("%s", report)
    if report.missed:
        log.warning(
            "dispatch: %d messages fell due more than %d h ago and were not sent "
            "(recorded as cancelled; see their events in the admin)",
            report.missed, settings.DISPATCH_CATCH_UP_HOURS,
        )
    if claim.suppressed:
        log.info("dispatch: cancelled %d messages for suppressed addresses", claim.suppressed)
    return report
