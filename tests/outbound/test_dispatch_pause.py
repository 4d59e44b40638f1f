"""A pause stops the mail *sent* on the paused days, digests included.

`paused_until` reads "no mail up to and including this local date". A digest
row is dated the day it reports (D-1) and goes out on D, so the pause is
judged against D.
"""

import datetime as dt

from apps.outbound.dispatch import dispatch_due
from apps.outbound.models import Kind, State

from .conftest import utc

MONDAY = dt.date(2026, 1, 12)  # January: UTC and London agree
TUESDAY = MONDAY + dt.timedelta(days=1)


def at(day: dt.date, hour: int) -> dt.datetime:
    return utc(day.year, day.month, day.day, hour)


def test_the_first_digest_after_a_pause_is_sent(make_member, messages_of):
    member = make_member(time_zone="UTC", digest_hour=8, paused_until=MONDAY)

    dispatch_due(now=at(TUESDAY, 8))

    assert messages_of(member, Kind.DIGEST) == [
        (Kind.DIGEST, MONDAY, State.QUEUED, at(TUESDAY, 8)),
    ]


def test_no_digest_goes_out_on_the_last_paused_day(make_member, messages_of):
    member = make_member(time_zone="UTC", digest_hour=8, paused_until=MONDAY)

    report = dispatch_due(now=at(MONDAY, 8))  # Monday's digest, about Sunday

    assert messages_of(member, Kind.DIGEST) == []
    assert report.created[Kind.DIGEST] == 0
