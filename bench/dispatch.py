"""Dispatch for many members at once: creation, claiming and publishing, timed.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/<db> \\
    CELERY_BROKER_URL=amqp://guest:guest@127.0.0.1:5672// \\
        .venv/bin/python bench/dispatch.py [--members 100000] [--per-team 100]

Seeds demo teams with seed_demo's service (zones spread over the world, every
weekday), then sets each member's reminder hour to the hour it is in their
zone at the chosen instant, so everybody is due in one run: the worst beat
there can be (digests are switched off; they come at another hour). Prints,
for each phase, its time and rows per second, and beside it, measured in the
same run on the same database, a ceiling: the same number of rows written by
one plain INSERT ... SELECT (creation) and one plain UPDATE without events
(claiming); and a baseline: the rows built as models and written with
bulk_create, and claimed with transition() a chunk at a time. Then the next
beats, when nothing is due: the cost of an ordinary beat.

Uses the database it is given: it deletes the outbound rows of the demo teams
between runs (never other data), and publishes to a queue of its own, which
it deletes at the end.
"""

import argparse
import datetime as dt
import os
import sys
import time
import uuid
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "project.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from apps.outbound import dispatch  # noqa: E402
from apps.outbound.models import DispatchRun, MessageEvent, OutboundMessage, State  # noqa: E402
from apps.outbound.publishing import batches_publish  # noqa: E402
from apps.outbound.states import transition  # noqa: E402
from apps.teams import weekdays  # noqa: E402
from apps.delivery.models import DeliveryEvent  # noqa: E402
from apps.teams.models import Member, Team  # noqa: E402
from apps.teams.services import teams_seed_demo  # noqa: E402
from project.celery import app  # noqa: E402

NOW = dt.datetime(2026, 12, 1, 17, 20, tzinfo=dt.UTC)


def timed(fn, *args, **kwargs):
    started = time.perf_counter()
    result = fn(*args, **kwargs)
    return result, time.perf_counter() - started


def line(label: str, seconds: float, rows: int, extra: str = "") -> None:
    rate = rows / seconds if seconds else float("inf")
    print(f"  {label:<34} {seconds:8.2f} s {rows:>9,} rows {rate:>11,.0f} rows/s  {extra}")


def demo_members():
    return Member.objects.filter(team__slug__startswith="demo-")


def reset_messages() -> None:
    """Delete the demo teams' messages in plain SQL: the ORM's delete() would
    collect 100,000 rows and their events in Python first. ANALYZE first: on
    statistics from before a big insert PostgreSQL plans this for hours."""
    messages = OutboundMessage._meta.db_table
    ours = (
        f"SELECT o.id FROM {messages} o WHERE o.member_id IN (SELECT m.id FROM "
        f"{Member._meta.db_table} m JOIN {Team._meta.db_table} t ON t.id = m.team_id "
        "WHERE t.slug LIKE 'demo-%%')"
    )
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {messages}")
        cursor.execute(f"ANALYZE {MessageEvent._meta.db_table}")
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"UPDATE {DeliveryEvent._meta.db_table} SET message_id = NULL "
                       f"WHERE message_id IN ({ours})")
        cursor.execute(f"DELETE FROM {MessageEvent._meta.db_table} WHERE message_id IN ({ours})")
        cursor.execute(f"DELETE FROM {messages} WHERE id IN ({ours})")


def reset_runs() -> None:
    """Forget this bench's earlier runs (at its own instants), so each run starts alike."""
    DispatchRun.objects.filter(now__gte=NOW, now__lte=NOW + dt.timedelta(hours=1)).delete()


def make_everyone_due() -> None:
    """One UPDATE per zone: the reminder hour is the local hour at NOW."""
    zones = demo_members().order_by().values_list("time_zone", flat=True).distinct()
    for zone in zones:
        hour = NOW.astimezone(ZoneInfo(zone)).hour
        demo_members().filter(time_zone=zone).update(
            reminder_hour=hour, weekdays=weekdays.ALL, paused=False, is_active=True,
            unsubscribed_reminders_at=None, unsubscribed_digests_at=NOW - dt.timedelta(days=30),
            updated_at=NOW - dt.timedelta(days=30),
        )


def rolled_back(fn, *args, **kwargs) -> tuple[object, float]:
    """Time `fn` and undo what it wrote, so the next phase sees the same rows."""
    with transaction.atomic():
        result, seconds = timed(fn, *args, **kwargs)
        transaction.set_rollback(True)
    return result, seconds


def due_rows():
    return OutboundMessage.objects.filter(state=State.SCHEDULED, scheduled_for__lte=NOW)


def claim_one_batch_at_a_time() -> int:
    """The baseline: transition() on the ids, a chunk at a time."""
    ids = list(due_rows().order_by("scheduled_for", "pk").values_list("pk", flat=True))
    return sum(len(transition(ids[i:i + dispatch.CHUNK], State.QUEUED, detail="claimed"))
               for i in range(0, len(ids), dispatch.CHUNK))


def insert_with_bulk_create(template: list[dict]) -> int:
    """The baseline: the same rows as model instances, bulk_create(ignore_conflicts=True)."""
    OutboundMessage.objects.bulk_create(
        [OutboundMessage(**row) for row in template], batch_size=dispatch.CHUNK,
        ignore_conflicts=True,
    )
    return len(template)


def insert_plain_sql(count: int) -> int:
    """The ceiling: one INSERT ... SELECT of as many rows, no conditions at all."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {OutboundMessage._meta.db_table} (member_id, kind, local_date, "
            "scheduled_for, state, attempts, message_id, provider_id, last_error, created_at, "
            "updated_at) SELECT m.id, 'reminder', %s, %s, 'scheduled', 0, "
            "'<' || replace(gen_random_uuid()::text, '-', '') || '@bench>', '', '', %s, %s "
            f"FROM {Member._meta.db_table} m WHERE m.id IN (SELECT id FROM "
            f"{Member._meta.db_table} ORDER BY id LIMIT %s)",
            [NOW.date(), NOW, NOW, NOW, count],
        )
        return cursor.rowcount


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--members", type=int, default=100_000)
    parser.add_argument("--per-team", type=int, default=100)
    args = parser.parse_args()
    teams = max(1, args.members // args.per_team)
    if connection.vendor != "postgresql":
        sys.exit("bench/dispatch.py measures PostgreSQL: set DATABASE_URL=postgres://...")

    print(f"database={connection.vendor} broker={app.conf.broker_url.split('://')[0]} "
          f"now={NOW:%Y-%m-%d %H:%M} UTC")
    call_command("migrate", verbosity=0)
    seeded, seconds = timed(teams_seed_demo, teams=teams, members=args.per_team)
    print(f"  seed_demo: {seeded.members_created:,} members created in {seconds:.1f} s")
    make_everyone_due()
    reset_messages()
    reset_runs()
    with connection.cursor() as cursor:
        cursor.execute(f"VACUUM ANALYZE {Member._meta.db_table}")
    members = demo_members().count()
    zones = demo_members().order_by().values("time_zone").distinct().count()
    print(f"  {members:,} demo members in {zones} zones (earlier runs' members stay)")

    print("dispatch, everybody due at once:")
    with CaptureQueriesContext(connection) as queries:
        run, create_s = timed(dispatch.messages_create_due, now=NOW)
    created, missed = run.created, run.missed
    rows = sum(created.values())
    table = f'INSERT INTO "{OutboundMessage._meta.db_table}"'
    inserts = sum(1 for q in queries.captured_queries if q["sql"].startswith(table))
    line("create (one INSERT..SELECT a zone)", create_s, rows,
         f"{inserts} statements for {zones} zones; missed {missed}")

    moved, update_s = rolled_back(due_rows().update, state=State.QUEUED)
    baseline_claimed, baseline_claim_s = rolled_back(claim_one_batch_at_a_time)
    claims = []  # when each claim (CLAIM_BATCHES batches) committed
    claim_started = time.perf_counter()
    claim, claim_s = timed(
        dispatch.messages_claim_due, now=NOW,
        on_claimed=lambda batches: claims.append(time.perf_counter() - claim_started),
    )
    queued = sum(map(len, claim.batches))
    line("claim (transition_all, event/row)", claim_s, queued,
         f"{len(claim.batches):,} batches in {len(claims)} claims, the first ready"
         f" after {claims[0] if claims else 0:.2f} s")

    app.conf.task_default_queue = queue_name = f"donemail-bench-{uuid.uuid4().hex[:8]}"
    try:
        _, publish_s = timed(batches_publish, claim.batches)
        line("publish (send_batch tasks)", publish_s, queued,
             f"{len(claim.batches) / publish_s:,.0f} tasks/s")
    finally:
        with app.connection_for_write() as conn:
            app.amqp.queues[queue_name](conn.default_channel).delete()
    line("total", create_s + claim_s + publish_s, queued, f"{members:,} members")
    events = MessageEvent.objects.filter(message__member__in=demo_members(), to_state="queued")
    assert events.count() == queued == rows == members, (events.count(), queued, rows)

    print("the next beats (nothing due):")
    for minutes, label in ((5, "first, reads the fresh rows"), (10, "an ordinary one")):
        with CaptureQueriesContext(connection) as queries:
            report, beat_s = timed(dispatch.dispatch_due, now=NOW + dt.timedelta(minutes=minutes))
        line(f"dispatch_due: {label}", beat_s, sum(report.created.values()),
             f"{len(queries.captured_queries)} queries")

    template = list(OutboundMessage.objects.filter(member__in=demo_members()).values(
        "member_id", "kind", "local_date", "scheduled_for",
    ))
    reset_messages()
    _, bulk_s = timed(insert_with_bulk_create, template)
    reset_messages()
    inserted, plain_s = timed(insert_plain_sql, len(template))
    reset_messages()
    reset_runs()

    print("baselines and ceilings, same rows, same run:")
    line("create with bulk_create (models)", bulk_s, len(template),
         f"create is {bulk_s / create_s:.1f}x faster")
    line("one plain INSERT..SELECT (ceiling)", plain_s, inserted,
         f"create takes {create_s / plain_s:.1f}x this")
    line("claim with transition() by chunk", baseline_claim_s, baseline_claimed,
         f"claim is {baseline_claim_s / claim_s:.1f}x faster (baseline not committed)")
    line("one plain UPDATE, no events (ceiling)", update_s, moved,
         f"claim takes {claim_s / update_s:.1f}x this")


if __name__ == "__main__":
    main()
