import time

from django.core.management.base import BaseCommand, CommandError

from apps.teams import weekdays as wd
from apps.teams.services import teams_seed_demo
from apps.teams.validators import known_time_zones


def _hour(value: str) -> int:
    hour = int(value)
    if not 0 <= hour <= 23:
        raise ValueError
    return hour


class Command(BaseCommand):
    help = "Create demo teams and members (idempotent). Zones and hours spread unless pinned."

    def add_arguments(self, parser):
        parser.add_argument("--teams", type=int, default=1)
        parser.add_argument("--members", type=int, default=5)
        parser.add_argument("--zone", help="IANA time zone for every member created")
        parser.add_argument("--reminder-hour", help="0-23, for every member created")
        parser.add_argument("--digest-hour", help="0-23, for every member created")
        parser.add_argument("--weekdays", help="mon,tue,... or all")

    def handle(self, *args, teams, members, zone, reminder_hour, digest_hour, weekdays, **opts):
        if teams < 1 or members < 1:
            raise CommandError("--teams and --members must be at least 1.")
        if zone and zone not in known_time_zones():
            raise CommandError(f"--zone {zone!r} is not an IANA time zone (e.g. Europe/Berlin).")
        hours = {}
        for name, value in (("reminder-hour", reminder_hour), ("digest-hour", digest_hour)):
            if value is None:
                continue
            try:
                hours[name] = _hour(value)
            except ValueError:
                raise CommandError(f"--{name} {value!r} is not an hour; use 0 to 23.") from None
        mask = None
        if weekdays:
            try:
                mask = wd.parse(weekdays)
            except ValueError as exc:
                raise CommandError(f"--weekdays: {exc}") from None
        started = time.monotonic()
        result = teams_seed_demo(
            teams=teams, members=members, zone=zone,
            reminder_hour=hours.get("reminder-hour"), digest_hour=hours.get("digest-hour"),
            weekdays=mask,
        )
        self.stdout.write(
            f"seed_demo: {result.teams_created} teams and {result.members_created} members "
            f"created in {time.monotonic() - started:.1f}s"
        )
