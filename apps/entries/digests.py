"""What goes into a member's morning digest.

A member's digest on their local day D reports D-1 (dispatch puts that date
on the row as `local_date`). Each teammate's entries carry the teammate's own
local date (Entry.local_date is the day *their* reminder asked about), so the
digest lists the entries whose `local_date` equals the reported date,
whatever zone each writer lives in: Auckland's Monday and Los Angeles'
Monday are both "Monday", although they are almost a day apart in UTC.

People who wrote nothing are named at the end in three groups, so the
digest never shames anyone who was off: `off` were not asked that day (not
one of their weekdays, paused, unsubscribed from reminders, or not yet in the
team at that day's reminder hour); `later` were asked but their day is not
over yet where they live (a reader in Auckland gets Monday's digest while Los
Angeles is still in its Monday morning: those items reach the team page, not
this digest); `quiet` were asked, their day is over, and they wrote nothing.

Two queries whatever the team size: the team's members (with whether they
were asked, computed in SQL by the same Q dispatch uses) and the day's entries.
"""

import datetime as dt
import zoneinfo
from dataclasses import dataclass, field

from django.db.models import BooleanField, ExpressionWrapper
from django.utils import timezone

from apps.outbound.slots import local_hour_instant
from apps.teams import weekdays
from apps.teams.models import Member
from apps.teams.selectors import members_receiving_q

from .models import Entry


@dataclass
class Person:
    """One teammate's block in the digest."""

    name: str
    is_you: bool
    entries: list = field(default_factory=list)


def _entry_order() -> tuple[str, ...]:
    """Items keep the order their reply had: by the reply they came from once
    Entry has a `source` (the inbound piece may add one), then position, id."""
    names = {f.name for f in Entry._meta.get_fields()}
    return ("source_id", "position", "id") if "source" in names else ("position", "id")


def _was_asked(member: Member, local_date: dt.date) -> bool:
    """Whether `member` got (or was due) a reminder about `local_date`.

    Judged by the member's settings as they are when the digest renders (no
    history of settings is kept): someone who paused this morning counts as
    off yesterday, which errs on the side of not calling anyone quiet.
    """
    if not member.receiving:  # paused, pausing through it, unsubscribed, inactive
        return False
    if not member.weekdays & weekdays.bit(local_date.weekday()):
        return False
    # Someone who joined after that day's reminder hour (their hour, in their
    # zone) was not asked about it, even if they joined earlier that same day.
    asked_at = local_hour_instant(
        zone=zoneinfo.ZoneInfo(member.time_zone), day=local_date, hour=member.reminder_hour,
    )
    return member.created_at <= asked_at


def _day_over(member: Member, local_date: dt.date, now: dt.datetime) -> bool:
    zone = zoneinfo.ZoneInfo(member.time_zone)
    return now >= dt.datetime.combine(local_date + dt.timedelta(days=1), dt.time(), zone)


def digest_context(*, member, local_date: dt.date, now: dt.datetime | None = None) -> dict:
    """Template context for `member`'s digest of `local_date`, as of `now`
    (default: the moment of rendering, which is the moment of sending).

    `people`: Person blocks with entries, `member` first, then by name;
    `quiet`, `later`, `off`: names of those who wrote nothing, in the same
    order; `item_count`, `people_count`; and `skip_reason` when the digest
    must not be sent (empty, and the team does not send empties).
    """
    now = now or timezone.now()
    team = member.team
    teammates = list(
        Member.objects.filter(team_id=team.pk)
        .annotate(receiving=ExpressionWrapper(
            members_receiving_q(kind="reminder", local_date=local_date),
            output_field=BooleanField(),
        ))
        .order_by("name", "id")
    )
    by_member: dict[int, list] = {m.pk: [] for m in teammates}
    entries = Entry.objects.filter(member__team_id=team.pk, local_date=local_date)
    for entry in entries.order_by("member_id", *_entry_order()):
        by_member.setdefault(entry.member_id, []).append(entry)

    # The reader first; the sort is stable, so the rest stay in name order.
    teammates.sort(key=lambda m: m.pk != member.pk)
    people, quiet, later, off = [], [], [], []
    for teammate in teammates:
        written = by_member[teammate.pk]
        if written:
            people.append(Person(teammate.name, teammate.pk == member.pk, written))
        elif not teammate.is_active:
            continue  # left the team and wrote nothing that day: not part of it
        elif not _was_asked(teammate, local_date):
            off.append(teammate.name)
        elif _day_over(teammate, local_date, now):
            quiet.append(teammate.name)
        else:
            later.append(teammate.name)
    item_count = sum(len(p.entries) for p in people)
    context = {
        "people": people, "quiet": quiet, "later": later, "off": off,
        "item_count": item_count, "people_count": len(people),
    }
    if not item_count and not team.send_empty_digest:
        # For the operator reading the cancelled row in the admin, not translated.
        context["skip_reason"] = (
            f"empty digest: nobody wrote anything on {local_date.isoformat()} "
            "and the team does not send empty digests"
        )
    return context
