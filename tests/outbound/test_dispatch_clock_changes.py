"""Dispatch on the days the clocks change, in the zones that change them oddly.

An hour that does not exist that day is sent at the next instant that does;
an hour that happens twice is sent once, at its first occurrence.
"""

import datetime as dt

import pytest

from apps.outbound.dispatch import dispatch_due
from apps.outbound.models import Kind, OutboundMessage, State

from .conftest import utc

MINUTE = dt.timedelta(minutes=1)
HOUR = dt.timedelta(hours=1)

# zone, local hour, local day, the instant it is sent
NONEXISTENT = [
    ("America/New_York", 2, dt.date(2026, 3, 8), utc(2026, 3, 8, 7, 0)),  # 02:00 -> 03:00
    ("Europe/London", 1, dt.date(2026, 3, 29), utc(2026, 3, 29, 1, 0)),  # 01:00 -> 02:00
    ("Australia/Lord_Howe", 2, dt.date(2026, 10, 4), utc(2026, 10, 3, 15, 30)),  # 02:00 -> 02:30
    ("Pacific/Chatham", 3, dt.date(2026, 9, 27), utc(2026, 9, 26, 14, 0)),  # 02:45 -> 03:45
]
REPEATED = [
    ("America/New_York", 1, dt.date(2026, 11, 1), utc(2026, 11, 1, 5, 0)),  # 02:00 -> 01:00
    ("Europe/London", 1, dt.date(2026, 10, 25), utc(2026, 10, 25, 0, 0)),  # 02:00 -> 01:00
    ("Pacific/Chatham", 3, dt.date(2026, 4, 5), utc(2026, 4, 4, 13, 15)),  # 03:45 -> 02:45
]


def case_id(case):
    zone, hour, day, _ = case
    return f"{zone}-{day}-{hour:02d}h"


@pytest.mark.parametrize("case", NONEXISTENT, ids=case_id)
def test_an_hour_that_does_not_exist_is_sent_when_the_clocks_jump(make_member, case):
    zone, hour, day, instant = case
    member = make_member(time_zone=zone, reminder_hour=hour, digest_hour=hour)
    that_day = OutboundMessage.objects.filter(member=member, scheduled_for__gte=instant - HOUR)

    dispatch_due(now=instant - MINUTE)
    assert not that_day.exists()

    report = dispatch_due(now=instant)

    assert sorted(that_day.values_list("kind", "local_date", "scheduled_for", "state")) == [
        (Kind.DIGEST, day - dt.timedelta(days=1), instant, State.QUEUED),
        (Kind.REMINDER, day, instant, State.QUEUED),
    ]
    assert report.created == {Kind.REMINDER: 1, Kind.DIGEST: 1}


@pytest.mark.parametrize("case", REPEATED, ids=case_id)
def test_an_hour_that_happens_twice_is_sent_once_at_the_first(make_member, case):
    zone, hour, day, first = case
    member = make_member(time_zone=zone, reminder_hour=hour, digest_hour=hour)

    for now in (first - MINUTE, first, first + 30 * MINUTE, first + HOUR, first + 2 * HOUR):
        dispatch_due(now=now)

    todays = OutboundMessage.objects.filter(member=member, scheduled_for__gte=first - MINUTE)
    assert sorted(todays.values_list("kind", "local_date", "scheduled_for", "state")) == [
        (Kind.DIGEST, day - dt.timedelta(days=1), first, State.QUEUED),
        (Kind.REMINDER, day, first, State.QUEUED),
    ]


def test_kathmandu_members_are_served_at_their_quarter_to_hour(make_member):
    """+05:45 all year: 17:00 is 11:15 UTC, which a beat every five minutes reaches."""
    member = make_member(time_zone="Asia/Kathmandu", reminder_hour=17)
    day = dt.date(2026, 3, 9)

    dispatch_due(now=utc(2026, 3, 9, 11, 10))
    assert not OutboundMessage.objects.filter(member=member, local_date=day).exists()

    dispatch_due(now=utc(2026, 3, 9, 11, 15))
    assert list(
        OutboundMessage.objects.filter(member=member, kind=Kind.REMINDER, local_date=day)
        .values_list("local_date", "scheduled_for", "state")
    ) == [(day, utc(2026, 3, 9, 11, 15), State.QUEUED)]


def test_lord_howe_half_hour_shift_leaves_the_next_days_hour_on_time(make_member):
    """The day after the 30-minute jump, 02:00 is 15:00 UTC (+11), not 15:30."""
    member = make_member(time_zone="Australia/Lord_Howe", reminder_hour=2)
    dispatch_due(now=utc(2026, 10, 3, 15, 30))
    dispatch_due(now=utc(2026, 10, 4, 15, 0))
    assert list(
        OutboundMessage.objects.filter(member=member, kind=Kind.REMINDER, state=State.QUEUED)
        .order_by("local_date").values_list("local_date", "scheduled_for")
    ) == [
        (dt.date(2026, 10, 4), utc(2026, 10, 3, 15, 30)),
        (dt.date(2026, 10, 5), utc(2026, 10, 4, 15, 0)),
    ]
