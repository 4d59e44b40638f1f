"""Inbound webhook benchmark: SendGrid-shaped POSTs against gunicorn on loopback.

    .venv/bin/python bench/webhook.py [--requests N] [--concurrency C] [--big-mib M]

Starts gunicorn (as the Procfile does) on a free loopback port with its own
state directory and the embedded filesystem broker, so the parse tasks it
publishes go nowhere near anyone's queue. The database is DATABASE_URL when
set (migrated first), else a fresh SQLite file.

Prints, for the same server in the same run:
- baseline: the same POST with a wrong password (Django's whole stack and our
  Basic-auth check, but no body read, no row, no publish): requests/s, p50, p99;
- stored: a raw-mode reply (~1 KB) stored and its task published: requests/s, p50, p99,
  and its cost as a ratio to the baseline;
- big: one raw-mode POST of --big-mib MiB, its latency and how much the
  gunicorn worker's peak memory (VmHWM) grew, as a multiple of the post. Our
  code holds the message once (the body streams to a spooled file); what
  comes on top is the database driver's copy of the parameter (SQLite's
  record, psycopg2's escaped bytea literal).
"""

import argparse
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.inbound.sendgrid_posts import (  # noqa: E402
    big_message, form_body, raw_fields, reply_message,
)

USER, PASSWORD = "bench", "bench-secret"
MiB = 1024 * 1024


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _server(env: dict, port: int) -> subprocess.Popen:
    subprocess.run([sys.executable, "manage.py", "migrate", "--no-input", "-v", "0"],
                   cwd=ROOT, env=env, check=True)
    gunicorn = Path(sys.executable).with_name("gunicorn")
    process = subprocess.Popen(
        [str(gunicorn), "project.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "2",
         "--log-level", "warning"],
        cwd=ROOT, env=env, start_new_session=True,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return process
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise SystemExit("gunicorn did not start")


def _run(url: str, body: bytes, auth, count: int, concurrency: int) -> tuple[float, list, set]:
    def one(_):
        with requests.Session() as session:
            started = time.perf_counter()
            response = session.post(url, data=body, auth=auth, timeout=60,
                                    headers={"Content-Type": "multipart/form-data; boundary=xYzZY"})
            elapsed = time.perf_counter() - started
        return response.status_code, elapsed

    started = time.perf_counter()
    with ThreadPoolExecutor(concurrency) as pool:
        results = list(pool.map(one, range(count)))
    wall = time.perf_counter() - started
    statuses = {status for status, _ in results}
    return count / wall, sorted(elapsed for _, elapsed in results), statuses


def _percentile(values: list[float], share: float) -> float:
    return values[min(len(values) - 1, int(len(values) * share))]


def _worker_pids(master: int) -> list[int]:
    children = Path(f"/proc/{master}/task/{master}/children")
    return [int(pid) for pid in children.read_text().split()] if children.exists() else []


def _hwm_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return 0


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--big-mib", type=int, default=29)
    args = parser.parse_args()

    var = tempfile.mkdtemp(prefix="donemail-bench-")
    env = {**os.environ, "DONEMAIL_VAR_DIR": var, "INBOUND_WEBHOOK_SECRET": f"{USER}:{PASSWORD}",
           "DJANGO_SETTINGS_MODULE": "project.settings", "LOG_LEVEL": "ERROR"}
    env.pop("CELERY_BROKER_URL", None)  # the embedded broker in `var`: no shared queue
    port = _free_port()
    url = f"http://127.0.0.1:{port}/hooks/sendgrid/inbound/"
    server = _server(env, port)
    database = "PostgreSQL" if env.get("DATABASE_URL", "").startswith("postgres") else "SQLite"
    try:
        reply = form_body(raw_fields(reply_message(to="reply+bench@in.localhost")))
        _run(url, reply, (USER, PASSWORD), 20, 2)  # warm up both workers

        base_rate, base, base_status = _run(url, reply, (USER, "wrong"), args.requests,
                                            args.concurrency)
        rate, stored, stored_status = _run(url, reply, (USER, PASSWORD), args.requests,
                                           args.concurrency)
        print(f"webhook under gunicorn (2 sync workers, {database}, filesystem broker), "
              f"{args.requests} requests, concurrency {args.concurrency}, body {len(reply)} B")
        for name, r, times, status in (("baseline 401", base_rate, base, base_status),
                                       ("stored 200", rate, stored, stored_status)):
            print(f"  {name:13} {r:8.1f} req/s   p50 {_percentile(times, .5) * 1000:6.1f} ms   "
                  f"p99 {_percentile(times, .99) * 1000:6.1f} ms   status {sorted(status)}")
        print(f"  storing costs {base_rate / rate:.2f}x the baseline's time per request")

        big = form_body(raw_fields(big_message(args.big_mib * MiB)))
        before = {pid: _hwm_kib(pid) for pid in _worker_pids(server.pid)}
        _, (elapsed,), status = _run(url, big, (USER, PASSWORD), 1, 1)
        grown = max(_hwm_kib(pid) - before.get(pid, 0) for pid in _worker_pids(server.pid))
        print(f"  big {args.big_mib} MiB raw post: {elapsed * 1000:.0f} ms, "
              f"status {sorted(status)}, worker peak memory +{grown / 1024:.0f} MiB "
              f"= {grown * 1024 / len(big):.2f}x the post")
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
