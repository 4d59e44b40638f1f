"""Writes for teams and members."""

import itertools
from dataclasses import dataclass

from django.db import connection, transaction

from .models import Member, Team, new_reply_token

# Spread over the world on purpose, including the :30 and :45 offsets and the
# zones whose clocks change on unusual days, so a demo exercises dispatch.
DEMO_ZONES = (
    "America/Los_Angeles", "America/Denver", "America/Chicago", "America/New_York",
    "America/St_Johns", "America/Sao_Paulo", "Atlantic/Azores", "Europe/London",
    "Europe/Berlin", "Europe/Helsinki", "Africa/Nairobi", "Asia/Tehran", "Asia/Dubai",
    "Asia/Kolkata", "Asia/Kathmandu", "Asia/Shanghai", "Asia/Tokyo", "Australia/Adelaide",
    "Australia/Sydney", "Australia/Lord_Howe", "Pacific/Auckland", "Pacific/Chatham",
    "Pacific/Honolulu", "UTC",
)
FIRST_NAMES = (
    "Ada", "Grace", "Alan", "Edsger", "Barbara", "Ken", "Margaret", "Linus", "Radia",
    "Donald", "Frances", "Guido", "Katherine", "Dennis", "Hedy", "Tim",
)


# Members created in one seeding after which the table's statistics are refreshed.
ANALYZE_AFTER = 1_000


def _statistics_refresh() -> None:
    """ANALYZE the members table after a big seeding.

    Right after it the statistics still describe the table before it, and a
    dispatch run at once (a demo, a bench) had every batch's sender read the
    whole table twice to find its hundred members: PostgreSQL, believing the
    table small, chose sequential scans. Autovacuum would analyze it, but
    only a minute or more later.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(Member._meta.db_table)}")


@dataclass(frozen=True)
class SeedResult:
    teams_created: int
    members_created: int


def teams_seed_demo(
    *,
    teams: int,
    members: int,
    zone: str | None = None,
    reminder_hour: int | None = None,
    digest_hour: int | None = None,
    weekdays: int | None = None,
    batch_size: int = 5000,
) -> SeedResult:
    """Create `teams` demo teams of `members` members each, idempotently.

    Names and emails are derived from the position (team i, member j), and the
    inserts skip rows whose unique keys exist, so a second run adds nothing.
    Bulk inserts keep 100,000 members well under a minute.
    """
    slugs = [f"demo-{i}" for i in range(1, teams + 1)]
    with transaction.atomic():
        before_teams = Team.objects.filter(slug__in=slugs).count()
        Team.objects.bulk_create(
            [Team(name=f"Demo team {i}", slug=slug) for i, slug in enumerate(slugs, 1)],
            ignore_conflicts=True,
        )
        team_ids = dict(Team.objects.filter(slug__in=slugs).values_list("slug", "id"))
        before_members = Member.objects.filter(team_id__in=team_ids.values()).count()

        counter = itertools.count()

        def rows():
            for t, slug in enumerate(slugs, 1):
                for m in range(1, members + 1):
                    n = next(counter)
                    reminder = reminder_hour if reminder_hour is not None else (16 + n % 4) % 24
                    yield Member(
                        team_id=team_ids[slug],
                        name=f"{FIRST_NAMES[n % len(FIRST_NAMES)]} {t}-{m}",
                        email=f"member{m}@{slug}.example.com",
                        time_zone=zone or DEMO_ZONES[n % len(DEMO_ZONES)],
                        reminder_hour=reminder,
                        digest_hour=digest_hour if digest_hour is not None else (7 + n % 3),
                        weekdays=weekdays if weekdays is not None else 0b0011111,
                        reply_token=new_reply_token(),
                    )

        batch = []
        for member in rows():
            batch.append(member)
            if len(batch) >= batch_size:
                Member.objects.bulk_create(batch, ignore_conflicts=True)
                batch = []
        if batch:
            Member.objects.bulk_create(batch, ignore_conflicts=True)
        after_members = Member.objects.filter(team_id__in=team_ids.values()).count()
    if after_members - before_members >= ANALYZE_AFTER:
        _statistics_refresh()
    return SeedResult(
        teams_created=len(team_ids) - before_teams,
        members_created=after_members - before_members,
    )
