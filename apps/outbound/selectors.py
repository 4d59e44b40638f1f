"""Reads for dispatch: which members of one zone need a message row now."""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Exists, F, OuterRef, Q, Value

from apps.delivery.selectors import suppressed_email_exists
from apps.teams import weekdays
from apps.teams.models import Member
from apps.teams.selectors import members_receiving_q

from .models import Kind, OutboundMessage

# The Member field holding each kind's local hour.
HOUR_FIELD = {Kind.REMINDER: "reminder_hour", Kind.DIGEST: "digest_hour"}


@dataclass(frozen=True)
class Slot:
    """The latest time one local hour came, for one kind, in one zone."""

    kind: str
    hour: int
    local_date: dt.date  # the row's date: the day asked about, or the day a digest reports
    at: dt.datetime  # UTC; becomes scheduled_for


@dataclass(frozen=True)
class Candidate:
    member_id: int
    kind: str
    hour: int
    updated_at: dt.datetime


def masks_with(weekday: int) -> list[int]:
    """Every weekday mask that includes `weekday`: an IN list any database
    indexes and plans, where a bitwise AND in SQL would need a function."""
    bit = weekdays.bit(weekday)
    return [mask for mask in range(weekdays.ALL + 1) if mask & bit]


def _kind_q(kind: str, slots: list[Slot]) -> Q:
    """Members owed a `kind` row for one of `slots` that they do not have yet."""
    hours_by_date = defaultdict(list)
    for slot in slots:
        hours_by_date[slot.local_date].append(slot.hour)
    q = Q(pk__in=[])
    for day, hours in hours_by_date.items():
        q |= (
            Q(members_receiving_q(kind=kind, local_date=day))
            & Q(**{f"{HOUR_FIELD[kind]}__in": hours}, weekdays__in=masks_with(day.weekday()))
            & ~Exists(OutboundMessage.objects.filter(
                member=OuterRef("pk"), kind=kind, local_date=day,
            ))
        )
    return q


def members_due(*, zone: str, slots: list[Slot]) -> list[Candidate]:
    """The members of `zone` owed a row for one of `slots`, in one query.

    Members with the row already (an earlier run made it), on a day that is
    not one of their weekdays, paused, unsubscribed from that kind, inactive,
    or whose address is suppressed are left out by the database, so in the
    steady state this returns almost nothing.
    """
    by_kind = defaultdict(list)
    for slot in slots:
        by_kind[slot.kind].append(slot)
    base = Member.objects.filter(time_zone=zone, is_active=True).exclude(
        suppressed_email_exists("email")
    )
    parts = [
        base.filter(_kind_q(kind, kind_slots))
        .annotate(due_kind=Value(kind), due_hour=F(HOUR_FIELD[kind]))
        .values_list("pk", "due_kind", "due_hour", "updated_at")
        .order_by()
        for kind, kind_slots in by_kind.items()
    ]
    if not parts:
        return []
    rows = parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]
    return [Candidate(pk, kind, hour, updated_at) for pk, kind, hour, updated_at in rows]


def zones_in_use() -> list[str]:
    """The distinct zones of active members: dispatch works zone by zone."""
    return list(
        Member.objects.filter(is_active=True).order_by().values_list("time_zone", flat=True)
        .distinct()
    )
