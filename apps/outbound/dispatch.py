"""Dispatch: create the messages that are due, then hand them to the senders.

Beat runs `dispatch_due` every DISPATCH_INTERVAL_SECONDS. Each run works zone
by zone: for every local hour it knows the latest time that hour came there
(see slots.py for the days the clocks change), and one INSERT ... SELECT per
zone creates the rows its members are owed and do not have yet. Then the due
`scheduled` rows are claimed into `queued` through the state machine
(set-based moves of CLAIM_BATCHES batches each) and published in batches as
each move commits.

Nothing is created twice: rows are unique per (member, kind, local_date), the
SELECT skips members who have theirs, and when two runs insert at once (two
beats, or beat and an operator's command) the unique key lets each row in
once: ON CONFLICT DO NOTHING, as bulk_create(ignore_conflicts=True) does,
but without 100,000 model instances in Python. Nothing is claimed twice:
claiming is a guarded state move.

What fell due within DISPATCH_CATCH_UP_HOURS (after downtime, say) is still
sent. What is older is not: its row is created `cancelled`, with an event
saying it was missed, so the admin shows why and no later run creates it.
Each run is recorded (DispatchRun), and the next one looks for misses only
after it: an ordinary beat checks minutes of slots, not the whole last day.
"""

import datetime as dt
import logging
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from apps.delivery.selectors import suppressed_email_exists

from .models import DispatchRun, Kind, MessageEvent, OutboundMessage, State
from .publishing import batches_publish
from .selectors import ROW_COLUMNS, Slot, members_due, sql_of, zones_in_use
from .slots import latest_hour
from .states import CHUNK, transition_all, without_jit

log = logging.getLogger(__name__)

CLAIMED = "claimed by dispatch"
# Batches claimed (and published) per statement: the senders start on the
# first ones while the rest of a big morning is still being claimed.
CLAIM_BATCHES = 20
# Rows created in one run after which the table's statistics are refreshed.
ANALYZE_AFTER = 10_000
# Runs recorded this long (288 a day at the default interval).
RUNS_KEPT = dt.timedelta(days=30)


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


def _rows_insert(rows) -> list[tuple[int, str, str]]:
    """INSERT ... SELECT `rows` ... ON CONFLICT DO NOTHING: the set-based twin
    of bulk_create(ignore_conflicts=True) whose rows never pass through
    Python, and which says (RETURNING) exactly which rows it inserted, so
    counts are right even when another run inserted some of them first."""
    quote = connection.ops.quote_name
    select_sql, params = sql_of(rows)
    sql = (
        f"INSERT INTO {quote(OutboundMessage._meta.db_table)} "
        f"({', '.join(quote(column) for column in ROW_COLUMNS)}) "
        # WHERE true: SQLite's parser needs it before ON CONFLICT. The order: two
        # runs inserting the same rows wait for each other in turn, never in a cycle.
        f"SELECT * FROM ({select_sql}) AS due WHERE true "
        f'ORDER BY "row_member_id", "row_kind" '
        f'ON CONFLICT DO NOTHING RETURNING "id", "kind", "state"'
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _missed_record(ids: list[int], now: dt.datetime) -> None:
    """The event that says why a row was created `cancelled`."""
    MessageEvent.objects.bulk_create(
        MessageEvent(
            message_id=pk, from_state="", to_state=State.CANCELLED,
            detail=(
                f"missed: fell due {at:%Y-%m-%d %H:%M} UTC, more than "
                f"{settings.DISPATCH_CATCH_UP_HOURS} h before this dispatch "
                f"({now:%Y-%m-%d %H:%M} UTC); not sent"
            ),
        )
        for pk, at in OutboundMessage.objects.filter(pk__in=ids).values_list("pk", "scheduled_for")
    )


def _zone_create(
    *, zone_name: str, now: dt.datetime, since: dt.datetime | None, created: Counter,
) -> int:
    """Create the due and the missed rows of one zone in one statement;
    return how many were missed. Misses are looked for only after `since`
    (the previous run handled what came before), or over the last day."""
    try:
        zone = ZoneInfo(zone_name)
    except (ZoneInfoNotFoundError, ValueError):
        log.error("dispatch: members with unknown time zone %r get no mail; fix them", zone_name)
        return 0
    cutoff = catch_up_cutoff(now)
    slots = [
        slot for slot in zone_slots(zone=zone, now=now)
        if slot.at >= cutoff or since is None or slot.at > since
    ]
    missed = []
    for pk, kind, state in _rows_insert(
        members_due(zone=zone_name, slots=slots, cutoff=cutoff, now=now)
    ):
        if state == State.SCHEDULED:
            created[kind] += 1
        else:
            missed.append(pk)
    for start in range(0, len(missed), CHUNK):
        _missed_record(missed[start:start + CHUNK], now)
    return len(missed)


def messages_create_due(*, now: dt.datetime) -> DispatchRun:
    """Create every row that has fallen due by `now`; return the run's record
    (created per kind, missed).

    One transaction, so a run that fails creates (and records) nothing and
    the next run does it all; two runs at once both insert, and the unique
    key lets each row in once (the loser's insert skips it and does not
    count it).
    """
    created = Counter({kind: 0 for kind in Kind.values})
    missed = 0
    with transaction.atomic():
        without_jit()
        previous = DispatchRun.objects.filter(now__lte=now).order_by("-now").first()
        since = previous.now if previous else None
        for zone_name in zones_in_use():
            missed += _zone_create(zone_name=zone_name, now=now, since=since, created=created)
        run = DispatchRun.objects.create(now=now, created=dict(created), missed=missed)
    if sum(created.values()) + missed >= ANALYZE_AFTER:
        statistics_refresh()
    return run


def statistics_refresh() -> None:
    """ANALYZE the messages table after a big insert.

    PostgreSQL plans the claim that follows from the table's statistics, and
    right after 100,000 inserts they still describe the table before them:
    believing it nearly empty, it chose nested loops over the whole table and
    a claim that takes seconds ran for over a quarter of an hour.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(OutboundMessage._meta.db_table)}")


def messages_claim_due(
    *, now: dt.datetime, on_claimed: Callable[[list[list[int]]], None] | None = None,
) -> Claim:
    """Move the due `scheduled` rows to `queued`, earliest first; return the batches.

    They are claimed CLAIM_BATCHES batches at a time, each claim its own
    transaction, and `on_claimed(batches)` is called as each one commits, so
    dispatch publishes the first batches while it claims the rest: a
    100,000-member morning's first mail goes out seconds sooner. A run that
    dies between two claims leaves the rest `scheduled` for the next run.

    Rows that waited past the catch-up window (a run that died between
    creating and claiming, then downtime) are cancelled as missed, and rows
    whose address was suppressed after they were made are cancelled too, so
    neither reaches a sender.
    """
    due = OutboundMessage.objects.filter(scheduled_for__lte=now)
    expired = transition_all(
        due.filter(scheduled_for__lt=catch_up_cutoff(now)), State.CANCELLED,
        from_state=State.SCHEDULED,
        detail=f"missed: fell due more than {settings.DISPATCH_CATCH_UP_HOURS} h before "
               f"dispatch ran ({now:%Y-%m-%d %H:%M} UTC); not sent",
    )
    suppressed = transition_all(
        due.filter(suppressed_email_exists("member__email")), State.CANCELLED,
        from_state=State.SCHEDULED, detail="address suppressed; not sent",
    )
    size = settings.DISPATCH_BATCH_SIZE
    limit = size * CLAIM_BATCHES
    batches = []
    while True:
        # Rows another run holds are skipped, not waited for: fewer than
        # `limit` means nothing this run may claim is left.
        claimed = transition_all(
            due, State.QUEUED, from_state=State.SCHEDULED, detail=CLAIMED, limit=limit,
        )
        chunk = [claimed[i:i + size] for i in range(0, len(claimed), size)]
        if chunk and on_claimed is not None:
            on_claimed(chunk)
        batches += chunk
        if len(claimed) < limit:
            return Claim(batches=batches, expired=len(expired), suppressed=len(suppressed))


def dispatch_due(*, now: dt.datetime) -> DispatchReport:
    """Create what is due at `now` (an aware datetime), claim it, publish it."""
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("dispatch_due needs an aware datetime (UTC)")
    now = now.astimezone(dt.UTC)
    run = messages_create_due(now=now)
    claim = messages_claim_due(now=now, on_claimed=batches_publish)
    report = DispatchReport(
        now=now, created=run.created, missed=run.missed + claim.expired,
        queued=sum(map(len, claim.batches)), batches=len(claim.batches),
    )
    finished = timezone.now()
    DispatchRun.objects.filter(pk=run.pk).update(
        missed=report.missed, queued=report.queued, batches=report.batches,
        finished_at=finished,
    )
    # Measured from the earlier of the two clocks: a --now in the future must not
    # erase the real history, nor one in the past the runs after it.
    DispatchRun.objects.filter(now__lt=min(now, finished) - RUNS_KEPT).delete()
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
