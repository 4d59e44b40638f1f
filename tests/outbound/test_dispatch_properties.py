"""Whatever the zone, the hour and the rhythm of the beats: every hour that comes
while dispatch runs at least once per catch-up window is sent exactly once, at
its instant, and nothing else is sent."""

import datetime as dt
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, given, settings, strategies as st

from apps.outbound.dispatch import dispatch_due
from apps.outbound.models import DispatchRun, Kind, OutboundMessage, State
from apps.outbound.slots import local_hour_instant

from .conftest import utc

ZONES = ["America/New_York", "Europe/London", "Australia/Lord_Howe", "Asia/Kathmandu",
         "Pacific/Chatham", "UTC"]
# Three days around a clock change in each of those zones.
STARTS = [utc(2026, 3, 7), utc(2026, 3, 28), utc(2026, 4, 3), utc(2026, 9, 25),
          utc(2026, 10, 2), utc(2026, 10, 24), utc(2026, 10, 31)]


@settings(max_examples=10, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    zone=st.sampled_from(ZONES),
    hour=st.integers(0, 23),
    start=st.sampled_from(STARTS),
    gaps=st.lists(st.integers(1, 179), min_size=12, max_size=24),  # minutes, < 3 h
)
def test_each_hour_that_comes_between_runs_is_sent_once_at_its_instant(
    make_member, zone, hour, start, gaps,
):
    OutboundMessage.objects.all().delete()
    DispatchRun.objects.all().delete()
    member = make_member(time_zone=zone, reminder_hour=hour,
                         unsubscribed_digests_at=utc(2025, 1, 1))
    runs = [start]
    for gap in gaps:
        runs.append(runs[-1] + dt.timedelta(minutes=gap))
    for now in runs:
        dispatch_due(now=now)

    tz = ZoneInfo(zone)
    first_day = start.astimezone(tz).date() - dt.timedelta(days=1)
    expected = []
    for n in range(5):
        day = first_day + dt.timedelta(days=n)
        at = local_hour_instant(zone=tz, day=day, hour=hour)
        if runs[0] <= at <= runs[-1]:
            expected.append((day, at, State.QUEUED))
    rows = OutboundMessage.objects.filter(member=member, kind=Kind.REMINDER)
    sent = list(rows.filter(scheduled_for__gte=runs[0]).order_by("local_date")
                .values_list("local_date", "scheduled_for", "state"))
    assert sent == expected
    # Before the first run only the latest hour may be there, sent or recorded missed.
    assert rows.filter(scheduled_for__lt=runs[0]).count() <= 1
