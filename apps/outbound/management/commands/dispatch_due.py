import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from apps.outbound.dispatch import dispatch_due


def parse_now(value: str) -> dt.datetime:
    """ISO 8601, with an offset or Z; a time without one is read as UTC."""
    try:
        parsed = dt.datetime.fromisoformat(value.strip())
    except ValueError:
        raise CommandError(
            f"--now {value!r} is not an ISO 8601 date and time, "
            "e.g. 2026-03-08T07:00:00Z or 2026-03-08T02:00:00-05:00"
        ) from None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=dt.UTC)
    return parsed.astimezone(dt.UTC)


class Command(BaseCommand):
    help = (
        "Create the reminders and digests due now (or at --now), claim them and "
        "publish their batches: what beat runs every DISPATCH_INTERVAL_SECONDS."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--now", help="ISO 8601 instant to dispatch for (default: the current time); "
            "without an offset it is read as UTC",
        )

    def handle(self, *args, now, **options):
        instant = parse_now(now) if now is not None else timezone.now()
        self.stdout.write(str(dispatch_due(now=instant)))
