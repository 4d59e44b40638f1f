"""When a member's local hour falls, as a UTC instant, including the days
the clocks change.

A member picks an hour on their wall clock. Where summer time exists, that
hour is missing on one day a year (spring forward) and may happen twice on
another (fall back). The rules: a wall time that does not exist is sent at
the next instant that does (the moment the clocks jump), and a wall time that
happens twice is sent at its first occurrence. "Once" then holds because the
row is unique per (member, kind, local_date), whatever dispatch does later.

Pure functions of the zone database: no models, no settings.
"""

import datetime as dt
from zoneinfo import ZoneInfo

UTC = dt.UTC


def _wall(instant: dt.datetime, zone: ZoneInfo) -> dt.datetime:
    return instant.astimezone(zone).replace(tzinfo=None)


def local_hour_instant(*, zone: ZoneInfo, day: dt.date, hour: int) -> dt.datetime:
    """The UTC instant at which `hour`:00 on `day` happens in `zone`.

    fold=0 gives the first occurrence of a repeated wall time. For a wall
    time in a gap, fold=0 would add the length of the gap (02:00 in New York
    becomes 03:00 EDT, right by luck; 03:00 in Chatham becomes 04:00 instead
    of 03:45, when the clocks jump), so the jump itself is searched for.
    """
    wall = dt.datetime.combine(day, dt.time(hour))
    first = wall.replace(tzinfo=zone, fold=0).astimezone(UTC)
    if _wall(first, zone) == wall:
        return first
    return _jump_after(zone=zone, wall=wall)


def _jump_after(*, zone: ZoneInfo, wall: dt.datetime) -> dt.datetime:
    """The instant the clocks jump over `wall`, which lies in a gap.

    Read with the offset after the gap, `wall` names an instant before the
    jump (the clock there shows less than `wall`); read with the offset
    before it, an instant at or after the jump (the clock shows more). The
    jump is the first second whose clock shows more: bisect on whole seconds,
    as the zone database has no finer transitions.
    """
    lo = int(wall.replace(tzinfo=zone, fold=1).timestamp())
    hi = int(wall.replace(tzinfo=zone, fold=0).timestamp())
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if _wall(dt.datetime.fromtimestamp(mid, UTC), zone) > wall:
            hi = mid
        else:
            lo = mid
    return dt.datetime.fromtimestamp(hi, UTC)


def latest_hour(*, zone: ZoneInfo, hour: int, now: dt.datetime) -> tuple[dt.date, dt.datetime]:
    """The local date and UTC instant of the latest `hour`:00 at or before `now`
    in `zone`: today's if it has come, else yesterday's."""
    today = _wall(now, zone).date()
    for back in range(3):  # 2: a gap at midnight can push yesterday's hour past now
        day = today - dt.timedelta(days=back)
        instant = local_hour_instant(zone=zone, day=day, hour=hour)
        if instant <= now:
            return day, instant
    raise AssertionError(f"no {hour}:00 in {zone} within two days before {now}")
