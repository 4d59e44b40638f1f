"""How fast does the sending pipeline go, against the ceiling of the same box?

    .venv/bin/python bench/outbound.py [--members 20000] [--batch 100]
        [--database donemail_bench_outbound] [--mode inprocess|worker] [--concurrency 2]
        [--dispatch-members 100000]

Against one local aiosmtpd sink running in a process of its own:

1. the ceiling: one raw smtplib connection sending N messages, rendered
   beforehand, as prebuilt bytes, measured before and after the pipeline
   (the ratio is against their mean: the box's speed drifts);
2. the pipeline: N members seeded (seed_demo's service, every one due now),
   `dispatch_due` creating, claiming and publishing their reminders, and the
   batches sent by `batch_send` (claim, render, SMTP through get_transport(),
   one recorded outcome per message) — in this process (`inprocess`), or by a
   real `celery worker` subprocess consuming what dispatch published through
   the broker (`worker`, measured from the dispatch to the last row `sent`).

It prints both rates, their ratio, the dispatch time, the pipeline's time per
message split into render, transport and record (inprocess; record is the
time the sender waited for outcome writes, the rest of each write overlapping
the next SMTP exchange), and the worker processes' peak memory (worker). Then, on PostgreSQL and unless
--dispatch-members 0, it runs bench/dispatch.py for that many members on a
database of its own and prints its figures. With --database it creates that PostgreSQL
database (the name must contain "bench") and drops it at the end; without, it
uses SQLite in a temporary directory. The broker is CELERY_BROKER_URL if set,
else kombu's filesystem broker in the same temporary directory.
"""

import argparse
import multiprocessing
import os
import smtplib
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _sink(ready, stop, port_out, received):
    """A counting aiosmtpd sink in its own process, so it does not share our
    GIL. `received` (shared memory) counts what it accepted: the bench waits
    on it rather than on the database, which the workers are using."""
    from aiosmtpd.controller import Controller

    class Count:
        async def handle_DATA(self, server, session, envelope):
            received.value += 1  # only this process writes it
            return f"250 2.0.0 Ok: queued as bench-{received.value}"

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(Count(), hostname="127.0.0.1", port=port, ready_timeout=10)
    controller.start()
    port_out.value = port
    ready.set()
    stop.wait()
    controller.stop()


def _pg(url_db: str, sql: str) -> None:
    import psycopg2

    conn = psycopg2.connect(f"postgresql://postgres@127.0.0.1:5432/{url_db}")
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute(sql)
    conn.close()


def _environment(args, workdir: Path, sink_port: int) -> dict:
    env = {
        "DJANGO_SETTINGS_MODULE": "project.settings",
        "DONEMAIL_VAR_DIR": str(workdir),
        "EMAIL_URL": f"smtp://127.0.0.1:{sink_port}",
        "LOG_LEVEL": "WARNING",
        # Not a setting Donemail reads: the worker is told with --queues, we set it on publish.
        "CELERY_TASK_DEFAULT_QUEUE": f"donemail-bench-{uuid.uuid4().hex[:8]}",
    }
    if args.database:
        env["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{args.database}"
    else:
        env["DATABASE_URL"] = f"sqlite:///{workdir / 'bench.sqlite3'}"
    return env


def _seed(count: int) -> list[int]:
    import datetime as dt

    from django.utils import timezone

    from apps.outbound.models import OutboundMessage, State
    from apps.teams.models import Member, Team

    team = Team.objects.create(name="Bench", slug=f"bench-{uuid.uuid4().hex[:6]}")
    # On no weekday: whatever the hour, dispatch must not give these members
    # reminders of their own, for the pipeline would then send twice the
    # messages it is timed for (it did, from 16:00 UTC, Berlin's default hour).
    members = Member.objects.bulk_create(
        Member(team=team, name=f"Member {i}", email=f"m{i}@bench.example.com",
               time_zone="Europe/Berlin", weekdays=0)
        for i in range(count)
    )
    if members[0].pk is None:  # backends without RETURNING
        members = list(Member.objects.filter(team=team).order_by("id"))
    now = timezone.now()
    OutboundMessage.objects.bulk_create(
        OutboundMessage(member=m, kind="reminder", local_date=dt.date(2026, 11, 23),
                        scheduled_for=now, state=State.QUEUED)
        for m in members
    )
    return list(OutboundMessage.objects.filter(member__team=team).order_by("id")
                .values_list("id", flat=True))


def _seed_due(count: int, per_team: int = 100):
    """`count` members whose reminder is due now (UTC, every weekday); their
    digests come at another hour, so dispatch makes reminders only."""
    import datetime as dt

    from apps.teams import weekdays
    from apps.teams.services import teams_seed_demo

    now = dt.datetime.now(dt.UTC).replace(second=0, microsecond=0)
    teams_seed_demo(
        teams=-(-count // per_team), members=per_team, zone="UTC", reminder_hour=now.hour,
        digest_hour=(now.hour + 12) % 24, weekdays=weekdays.ALL,
    )
    return now


def _dispatch(now) -> tuple[list[int], float]:
    """Run dispatch as beat would; return the ids it queued and its seconds."""
    from apps.outbound.dispatch import dispatch_due
    from apps.outbound.models import OutboundMessage

    started = time.perf_counter()
    report = dispatch_due(now=now)
    elapsed = time.perf_counter() - started
    print(f"dispatch_due: {report.queued} queued in {report.batches} batches, {elapsed:.2f} s")
    # The seeded teams' reminders, whatever state a fast worker has moved them to.
    seeded = OutboundMessage.objects.filter(kind="reminder", member__team__slug__startswith="demo-")
    ids = list(seeded.order_by("id").values_list("id", flat=True))
    return ids, elapsed


def _prebuild(ids: list[int]) -> list[tuple[str, list[str], bytes]]:
    """The ceiling's messages, rendered and turned into bytes beforehand."""
    from apps.outbound.models import OutboundMessage
    from apps.outbound.rendering import message_render

    prebuilt = []
    for message in OutboundMessage.objects.filter(id__in=ids).select_related("member__team"):
        email = message_render(message)
        data = email.message().as_bytes(linesep="\r\n")
        prebuilt.append((email.envelope_from, email.recipients(), data))
    return prebuilt


def _raw(prebuilt: list[tuple[str, list[str], bytes]], port: int) -> float:
    """The ceiling: prebuilt bytes down one smtplib connection. Returns msgs/s."""
    with smtplib.SMTP("127.0.0.1", port) as smtp:
        started = time.perf_counter()
        for sender, recipients, data in prebuilt:
            smtp.sendmail(sender, recipients, data)
        elapsed = time.perf_counter() - started
    return len(prebuilt) / elapsed


def _pipeline_inprocess(ids: list[int], batch: int) -> tuple[float, dict]:
    from apps.outbound.sending import batch_send

    split = {"render": 0.0, "transport": 0.0, "record": 0.0}
    started = time.perf_counter()
    for i in range(0, len(ids), batch):
        report = batch_send(ids=ids[i : i + batch])
        for key in split:
            split[key] += report["seconds"][key]
    elapsed = time.perf_counter() - started
    split["claim and load"] = elapsed - sum(split.values())
    return len(ids) / elapsed, split


def _sent_count(ids: list[int]) -> int:
    from apps.outbound.models import OutboundMessage, State

    return OutboundMessage.objects.filter(id__in=ids, state=State.SENT).count()


def _pipeline_worker(now, env: dict, concurrency: int, received) -> tuple[float, int]:
    """A real worker subprocess consuming what dispatch publishes; measured
    from the dispatch to the last row recorded `sent`."""
    from project.celery import app

    app.conf.task_default_queue = env["CELERY_TASK_DEFAULT_QUEUE"]  # ours alone
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "--app", "project", "worker", "--pool", "prefork",
         "--concurrency", str(concurrency), "--queues", env["CELERY_TASK_DEFAULT_QUEUE"],
         "--loglevel", "WARNING", "--without-gossip", "--without-mingle", "--without-heartbeat"],
        cwd=ROOT, env={**os.environ, **env}, start_new_session=True,
    )
    try:
        time.sleep(5)  # let the pool start: its boot is not the pipeline's speed
        started = time.perf_counter()
        before = received.value
        ids, _ = _dispatch(now)
        _wait_sent(ids, received=received, expected=before + len(ids), timeout=900)
        rate = len(ids) / (time.perf_counter() - started)
        print(f"worker pool processes' peak memory: {_peak_rss_mib(worker.pid)}")
        return rate, len(ids)
    finally:
        os.killpg(worker.pid, 15)
        worker.wait(timeout=30)


def _peak_rss_mib(pid: int) -> str:
    """VmHWM of each child of `pid` (Linux /proc), e.g. '61 MiB, 60 MiB'."""
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        peaks = []
        for child in children:
            for line in Path(f"/proc/{child}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    peaks.append(f"{int(line.split()[1]) // 1024} MiB")
        return ", ".join(peaks) or "unknown"
    except OSError:
        return "unknown (no /proc)"


def _wait_sent(ids: list[int], *, received, expected: int, timeout: float) -> None:
    """Until every row of `ids` is `sent`.

    First until the sink has accepted `expected` messages in all, read off
    shared memory; then until the last outcomes are committed. Polling the
    table all along cost PostgreSQL a sixth of a core here (each poll walks
    the state index's entries for rows already sent), taken from the
    pipeline it measured. The table is still looked at once a second, so a
    run whose messages cannot all arrive (deferred, failed) stops and says
    so rather than waiting out the timeout.
    """
    from apps.outbound.models import OutboundMessage, State

    unfinished = OutboundMessage.objects.filter(
        id__gte=min(ids), id__lte=max(ids),
        state__in=[State.SCHEDULED, State.QUEUED, State.SENDING, State.DEFERRED],
    )
    deadline = time.monotonic() + timeout
    look_at = time.monotonic() + 1.0
    while received.value < expected:
        if time.monotonic() >= look_at:
            if not unfinished.exists():
                break  # all moved on, some not by the sink: the check below says which
            look_at = time.monotonic() + 1.0
        if time.monotonic() > deadline:
            raise SystemExit(f"timed out: {_sent_count(ids)} of {len(ids)} sent")
        time.sleep(0.002)
    while unfinished.exists():
        if time.monotonic() > deadline:
            raise SystemExit(f"timed out: {_sent_count(ids)} of {len(ids)} sent")
        time.sleep(0.002)
    if _sent_count(ids) < len(ids):
        raise SystemExit(f"only {_sent_count(ids)} of {len(ids)} sent: see the rows' last_error")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--members", "--messages", dest="messages", type=int, default=20_000)
    parser.add_argument("--batch", type=int, default=100)
    parser.add_argument(
        "--database", help="PostgreSQL database to create and drop (its name must contain 'bench')",
    )
    parser.add_argument("--mode", choices=["inprocess", "worker"], default="inprocess")
    parser.add_argument("--concurrency", type=int, default=2)
    parser.add_argument("--dispatch-members", type=int, default=100_000,
                        help="then run bench/dispatch.py for this many members (0: skip)")
    args = parser.parse_args()
    if args.messages < 10 or args.batch < 1:
        parser.error("--messages must be at least 10 and --batch at least 1")
    if args.database and "bench" not in args.database:
        parser.error("--database must contain 'bench': the script drops it at the end")

    ready, stop = multiprocessing.Event(), multiprocessing.Event()
    port = multiprocessing.Value("i", 0)
    received = multiprocessing.Value("q", 0, lock=False)
    sink = multiprocessing.Process(target=_sink, args=(ready, stop, port, received), daemon=True)
    sink.start()
    ready.wait(10)
    workdir = Path(tempfile.mkdtemp(prefix="donemail-bench-"))
    env = _environment(args, workdir, port.value)
    os.environ.update(env)
    if args.database:
        _pg("postgres", f'DROP DATABASE IF EXISTS "{args.database}"')
        _pg("postgres", f'CREATE DATABASE "{args.database}"')
    try:
        import django

        django.setup()
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        from django.conf import settings

        settings.DISPATCH_BATCH_SIZE = args.batch
        prebuilt = _prebuild(_seed(args.messages))
        raw_before = _raw(prebuilt, port.value)
        now = _seed_due(args.messages)
        if args.mode == "inprocess":
            started = time.perf_counter()
            pipe_ids, _ = _dispatch(now)
            rate, split = _pipeline_inprocess(pipe_ids, args.batch)
            end_to_end = len(pipe_ids) / (time.perf_counter() - started)
            count = len(pipe_ids)
        else:
            (rate, count), split = _pipeline_worker(now, env, args.concurrency, received), {}
            end_to_end = rate
        # The ceiling again, after: this box's speed drifts by a tenth and more
        # over a minute, and the pipeline is judged against the two's mean.
        raw_after = _raw(prebuilt, port.value)
        raw = (raw_before + raw_after) / 2
        _report(args, (raw_before, raw_after), rate, split, count)
        print(f"end to end (dispatch + send):                  {end_to_end:8.0f} msgs/s"
              f"  ({end_to_end / raw:.2f}x raw)")
        if args.dispatch_members and not args.database:
            print("dispatch for many members: bench/dispatch.py measures PostgreSQL; "
                  "run with --database donemail_bench_outbound")
        elif args.dispatch_members:
            _dispatch_bench(args, env)
    finally:
        from django.db import connections

        connections.close_all()
        if args.database:
            _pg("postgres", f'DROP DATABASE IF EXISTS "{args.database}"')
        stop.set()
        sink.join(10)


def _dispatch_bench(args, env: dict) -> None:
    """bench/dispatch.py on a database of its own, so our rows don't count as its."""
    database = f"{args.database}_dispatch"
    print(f"--- bench/dispatch.py --members {args.dispatch_members} (database {database})",
          flush=True)
    _pg("postgres", f'DROP DATABASE IF EXISTS "{database}"')
    _pg("postgres", f'CREATE DATABASE "{database}"')
    try:
        subprocess.call(
            [sys.executable, str(ROOT / "bench" / "dispatch.py"),
             "--members", str(args.dispatch_members)],
            env={**os.environ, **env,
                 "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{database}"},
        )
    finally:
        _pg("postgres", f'DROP DATABASE IF EXISTS "{database}"')


def _report(args, raws: tuple[float, float], rate: float, split: dict, count: int) -> None:
    from django.db import connection

    workers = f" concurrency={args.concurrency}" if args.mode == "worker" else ""
    print(f"database={connection.vendor} mode={args.mode} messages={args.messages} "
          f"batch={args.batch}{workers}")
    raw = sum(raws) / len(raws)
    print(f"raw smtplib (prebuilt bytes, one connection): {raw:8.0f} msgs/s"
          f"  (mean of {raws[0]:.0f} before and {raws[1]:.0f} after the pipeline)")
    print(f"pipeline (queued -> sent):                     {rate:8.0f} msgs/s")
    print(f"ratio pipeline/raw:                            {rate / raw:8.2f}x")
    if split:
        print("pipeline time per message:")
        for key, seconds in split.items():
            print(f"  {key:15s} {seconds / count * 1e6:8.0f} µs")


if __name__ == "__main__":
    main()
