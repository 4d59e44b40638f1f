"""Reads for dispatch: the message rows one zone's members are owed now."""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.db import NotSupportedError
from django.db.models import (
    Case, CharField, DateField, DateTimeField, Exists, F, Func, OuterRef, Q, QuerySet, Value,
    When,
)
from django.db.models.functions import Concat

from apps.delivery.selectors import suppressed_email_exists
from apps.teams import weekdays
from apps.teams.models import Member
from apps.teams.selectors import members_receiving_q

from .models import Kind, OutboundMessage, State

# The Member field holding each kind's local hour.
HOUR_FIELD = {Kind.REMINDER: "reminder_hour", Kind.DIGEST: "digest_hour"}
# The OutboundMessage columns members_due() yields, in its SELECT order.
ROW_COLUMNS = (
    "member_id", "kind", "local_date", "scheduled_for", "state", "attempts", "message_id",
    "provider_id", "last_error", "created_at", "updated_at",
)


@dataclass(frozen=True)
class Slot:
    """The latest time one local hour came, for one kind, in one zone."""

    kind: str
    hour: int
    local_date: dt.date  # the row's date: the day asked about, or the day a digest reports
    at: dt.datetime  # UTC; becomes scheduled_for


class RandomHex(Func):
    """32 random hex digits made by the database, for Message-IDs of rows
    that never pass through Python (same shape as models.new_message_id).
    gen_random_uuid() is built into PostgreSQL from version 13."""

    output_field = CharField()

    def as_sql(self, compiler, connection, **extra):
        raise NotSupportedError(f"RandomHex has no SQL for {connection.vendor}")

    def as_postgresql(self, compiler, connection, **extra):
        return "replace(gen_random_uuid()::text, '-', '')", []

    def as_sqlite(self, compiler, connection, **extra):
        return "lower(hex(randomblob(16)))", []


def masks_with(weekday: int) -> list[int]:
    """Every weekday mask that includes `weekday`: an IN list any database
    plans well, where a bitwise AND would hide the column in an expression."""
    bit = weekdays.bit(weekday)
    return [mask for mask in range(weekdays.ALL + 1) if mask & bit]


def _by_hour(kind: str, slots: list[Slot], value, output_field):
    """A CASE on the member's hour for `kind`: value(slot) of the slot of that hour."""
    return Case(
        *[When(**{HOUR_FIELD[kind]: s.hour}, then=Value(value(s), output_field=output_field))
          for s in slots],
        output_field=output_field,
    )


def _owed_q(kind: str, slots: list[Slot], cutoff: dt.datetime) -> Q:
    """Members owed a `kind` row for one of `slots` that they do not have yet.

    A slot before `cutoff` is owed only as a record of a miss, and only if it
    came after the member last changed (or joined): a slot that passed while
    someone was unsubscribed, paused or had another hour was not missed.
    """
    hours_by_date = defaultdict(list)
    for slot in slots:
        hours_by_date[slot.local_date].append(slot)
    hour = HOUR_FIELD[kind]
    q = Q(pk__in=[])
    for day, day_slots in hours_by_date.items():
        timely = Q(**{f"{hour}__in": [s.hour for s in day_slots if s.at >= cutoff]})
        for s in day_slots:
            if s.at < cutoff:
                timely |= Q(**{hour: s.hour}, updated_at__lt=s.at)
        q |= (
            Q(members_receiving_q(kind=kind, local_date=day))
            & Q(weekdays__in=masks_with(day.weekday()))
            & timely
            & ~Exists(OutboundMessage.objects.filter(
                member=OuterRef("pk"), kind=kind, local_date=day,
            ))
        )
    return q


def members_due(*, zone: str, slots: list[Slot], cutoff: dt.datetime, now: dt.datetime):
    """The OutboundMessage rows (ROW_COLUMNS) that `zone`'s members are owed
    for `slots`, as one SELECT for dispatch to insert from.

    The database leaves out members who have the row already (an earlier run
    made it), whose day it is not, who are paused, unsubscribed from that
    kind or inactive, or whose address is suppressed; so in the steady state
    this selects almost nothing. Slots before `cutoff` come out `cancelled`:
    the record of a message that fell due too long ago to send.
    """
    by_kind = defaultdict(list)
    for slot in slots:
        by_kind[slot.kind].append(slot)
    base = Member.objects.filter(time_zone=zone, is_active=True).exclude(
        suppressed_email_exists("email")
    )
    message_id = Concat(Value("<"), RandomHex(), Value(f"@{settings.INBOUND_DOMAIN}>"))
    parts = []
    for kind, kind_slots in by_kind.items():
        missed_hours = [s.hour for s in kind_slots if s.at < cutoff]
        rows = base.filter(_owed_q(kind, kind_slots, cutoff)).annotate(
            row_member_id=F("pk"),
            row_kind=Value(kind),
            row_local_date=_by_hour(kind, kind_slots, lambda s: s.local_date, DateField()),
            row_scheduled_for=_by_hour(kind, kind_slots, lambda s: s.at, DateTimeField()),
            row_state=Case(
                When(**{f"{HOUR_FIELD[kind]}__in": missed_hours}, then=Value(State.CANCELLED)),
                default=Value(State.SCHEDULED),
            ),
            row_attempts=Value(0),
            row_message_id=message_id,
            row_provider_id=Value(""),
            row_last_error=Value(""),
            row_created_at=Value(now, output_field=DateTimeField()),
            row_updated_at=Value(now, output_field=DateTimeField()),
        )
        parts.append(rows.values(*(f"row_{column}" for column in ROW_COLUMNS)).order_by())
    if not parts:
        return OutboundMessage.objects.none()
    return parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]


def zones_in_use() -> list[str]:
    """The distinct zones of active members, in one order for every run: dispatch
    works zone by zone, and runs that insert in the same order cannot deadlock."""
    return list(
        Member.objects.filter(is_active=True).order_by("time_zone")
        .values_list("time_zone", flat=True).distinct()
    )


def sql_of(queryset: QuerySet) -> tuple[str, tuple]:
    """A queryset's SQL and parameters, to embed in a statement the ORM cannot
    write (INSERT ... SELECT)."""
    return queryset.query.sql_with_params()
