"""Local hours as UTC instants, on the days the clocks change (pure: no database)."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings, strategies as st

from apps.outbound.slots import latest_hour, local_hour_instant

from .conftest import utc


@pytest.mark.parametrize("zone, day, hour, expected", [
    # Ordinary days, including the :45 and :30 offsets.
    ("Asia/Kathmandu", dt.date(2026, 3, 8), 17, utc(2026, 3, 8, 11, 15)),
    ("Australia/Lord_Howe", dt.date(2026, 1, 15), 9, utc(2026, 1, 14, 22, 0)),
    ("Pacific/Chatham", dt.date(2026, 1, 15), 9, utc(2026, 1, 14, 19, 15)),
    # New York springs forward 2026-03-08 at 02:00 -> 03:00: 02:00 is sent at 03:00 EDT.
    ("America/New_York", dt.date(2026, 3, 8), 2, utc(2026, 3, 8, 7, 0)),
    ("America/New_York", dt.date(2026, 3, 8), 3, utc(2026, 3, 8, 7, 0)),
    # ...and falls back 2026-11-01 at 02:00 -> 01:00: 01:00 happens twice, sent at the first.
    ("America/New_York", dt.date(2026, 11, 1), 1, utc(2026, 11, 1, 5, 0)),
    # London: 01:00 does not exist on 2026-03-29; it happens twice on 2026-10-25.
    ("Europe/London", dt.date(2026, 3, 29), 1, utc(2026, 3, 29, 1, 0)),
    ("Europe/London", dt.date(2026, 10, 25), 1, utc(2026, 10, 25, 0, 0)),
    # Lord Howe moves by 30 minutes: 2026-10-04 02:00 -> 02:30, so 02:00 is sent at 02:30.
    ("Australia/Lord_Howe", dt.date(2026, 10, 4), 2, utc(2026, 10, 3, 15, 30)),
    # 2026-04-05 02:00 (+11) -> 01:30 (+10:30): no whole hour repeats, 02:00 comes once.
    ("Australia/Lord_Howe", dt.date(2026, 4, 5), 1, utc(2026, 4, 4, 14, 0)),
    ("Australia/Lord_Howe", dt.date(2026, 4, 5), 2, utc(2026, 4, 4, 15, 30)),
    # Chatham jumps 2026-09-27 02:45 -> 03:45: 03:00 is sent at 03:45, not 04:00.
    ("Pacific/Chatham", dt.date(2026, 9, 27), 3, utc(2026, 9, 26, 14, 0)),
    # ...and goes back 2026-04-05 03:45 -> 02:45: 03:00 happens twice, sent at the first.
    ("Pacific/Chatham", dt.date(2026, 4, 5), 3, utc(2026, 4, 4, 13, 15)),
])
def test_local_hour_instant_on_ordinary_and_clock_change_days(zone, day, hour, expected):
    assert local_hour_instant(zone=ZoneInfo(zone), day=day, hour=hour) == expected


ZONES = [
    "America/New_York", "Europe/London", "Australia/Lord_Howe", "Asia/Kathmandu",
    "Pacific/Chatham", "America/Santiago", "Asia/Tehran", "America/St_Johns", "Africa/Cairo",
]


@settings(max_examples=300, deadline=None)
@given(
    zone=st.sampled_from(ZONES),
    day=st.dates(min_value=dt.date(2020, 1, 1), max_value=dt.date(2030, 12, 31)),
    hour=st.integers(0, 23),
)
def test_the_instant_is_the_first_whose_clock_shows_the_hour_or_later(zone, day, hour):
    """Whatever the day: at the instant the wall clock shows the hour (or, in a
    gap, the first time after it), and one second earlier it showed less."""
    tz = ZoneInfo(zone)
    wall = dt.datetime.combine(day, dt.time(hour))
    instant = local_hour_instant(zone=tz, day=day, hour=hour)
    assert instant.astimezone(tz).replace(tzinfo=None) >= wall
    before = instant - dt.timedelta(seconds=1)
    assert before.astimezone(tz).replace(tzinfo=None) < wall


def test_latest_hour_is_today_once_it_has_come_else_yesterday():
    kathmandu = ZoneInfo("Asia/Kathmandu")
    assert latest_hour(zone=kathmandu, hour=17, now=utc(2026, 3, 9, 11, 15)) == (
        dt.date(2026, 3, 9), utc(2026, 3, 9, 11, 15),
    )
    assert latest_hour(zone=kathmandu, hour=17, now=utc(2026, 3, 9, 11, 14)) == (
        dt.date(2026, 3, 8), utc(2026, 3, 8, 11, 15),
    )
