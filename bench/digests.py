"""How long a digest takes to build and render, and how big it is.

    .venv/bin/python bench/digests.py [--members 500] [--items 3] [--runs 20]

Builds a team of `--members` (all but a tenth wrote `--items` items, a
twentieth were off) in a throwaway test database (PostgreSQL when
DATABASE_URL is set, else SQLite), then times `digest_context` and
`message_render` for one member's digest, against a 5-member team measured
in the same run as the baseline, and prints the HTML size against Gmail's
102 KB clipping limit. Every digest of a team reads the same rows, so a team
of N costs N of these renders each morning.
"""

import argparse
import datetime as dt
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
# The test settings: a throwaway var/ directory, and a test database made below.
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402

DAY = dt.date(2026, 11, 30)
GMAIL_CLIPS_AT = 102 * 1024
ITEM = "Reviewed the pull request for the bounce classifier and left comments ({})"


def team_make(*, slug: str, members: int, items: int):
    from apps.entries.models import Entry
    from apps.teams.models import Member, Team

    team = Team.objects.create(name=f"Team {slug}", slug=slug)
    people = Member.objects.bulk_create([
        Member(
            team=team, name=f"Member {n:04}", email=f"m{n}@{slug}.example.com",
            weekdays=0 if n % 20 == 19 else 0b1111111,  # a twentieth off that day
        )
        for n in range(members)
    ])
    Member.objects.filter(team=team).update(created_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC))
    Entry.objects.bulk_create([
        Entry(member=m, local_date=DAY, text=ITEM.format(i), position=i)
        for n, m in enumerate(people) if n % 10 != 9  # a tenth quiet
        for i in range(items)
    ])
    return Member.objects.select_related("team").get(pk=people[0].pk)


def timed(fn, runs: int) -> float:
    """Median seconds of `runs` calls, after one warm-up call."""
    fn()
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def measure(reader, runs: int) -> dict:
    from apps.entries.digests import digest_context
    from apps.outbound.models import OutboundMessage
    from apps.outbound.rendering import message_render

    message = OutboundMessage.objects.create(
        member=reader, kind="digest", local_date=DAY,
        scheduled_for=dt.datetime(2026, 12, 1, 8, tzinfo=dt.UTC),
    )
    message = OutboundMessage.objects.select_related("member").get(pk=message.pk)
    with CaptureQueriesContext(connection) as queries:
        email = message_render(message)
    return {
        "context": timed(lambda: digest_context(member=reader, local_date=DAY), runs),
        "render": timed(lambda: message_render(message), runs),
        "html": len(email.alternatives[0].content.encode()),
        "text": len(email.body.encode()),
        "queries": len(queries),
        "subject": email.subject,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--members", type=int, default=500)
    parser.add_argument("--items", type=int, default=3)
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    if args.members < 1 or args.items < 0 or args.runs < 1:
        parser.error("--members and --runs must be at least 1, --items at least 0")

    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        base = measure(team_make(slug="base", members=5, items=args.items), args.runs)
        big = measure(team_make(slug="big", members=args.members, items=args.items), args.runs)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)

    print(f"database: {connection.vendor}; median of {args.runs} runs")
    print(f"subject: {big['subject']}")
    for label, key in [("digest_context", "context"), ("message_render", "render")]:
        print(
            f"{label:>15}: {args.members} members {big[key] * 1000:8.2f} ms  "
            f"| 5 members {base[key] * 1000:6.2f} ms  | ratio {big[key] / base[key]:6.1f}x"
        )
    print(f"{'renders/s':>15}: {1 / big['render']:8.1f} for {args.members} members "
          f"(a morning's digests for the team: {args.members * big['render']:.1f} s of one core)")
    print(f"{'queries':>15}: {big['queries']} for {args.members} members, {base['queries']} for 5")
    print(f"{'HTML size':>15}: {big['html'] / 1024:8.1f} KiB for {args.members} members "
          f"({big['html'] / GMAIL_CLIPS_AT:.0%} of Gmail's 102 KB clip), "
          f"{base['html'] / 1024:.1f} KiB for 5")
    print(f"{'text size':>15}: {big['text'] / 1024:8.1f} KiB")


if __name__ == "__main__":
    main()
