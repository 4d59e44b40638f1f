"""How fast SmtpTransport sends, against the ceiling of a raw smtplib loop.

    .venv/bin/python bench/transports.py [--messages 5000] [--batch 100] [--rounds 3]

Starts one aiosmtpd sink (tests/smtp_sink.py) in its own process on loopback,
then, in this process and in the same run, sends the same messages to it:

- raw: one smtplib connection, `sendmail()` in a loop over bytes built
  beforehand — the most a single Python SMTP client gets from this sink;
- transport: SmtpTransport.send() in batches, with the default pool settings
  (one connection kept across batches, replaced every
  EMAIL_MAX_MESSAGES_PER_CONNECTION messages), given the EmailMessage objects
  (as send_batch does) — so it includes building the MIME bytes;
- transport, bytes built: the same, with each message's bytes built before
  the clock starts (the raw loop's bytes), which isolates what the transport
  itself costs. Building the MIME is rendering's cost, paid once per message.

Rounds alternate raw and transport so a noisy neighbour hurts both alike; the
best round of each is printed, with the ratios to raw.
"""

import argparse
import multiprocessing
import os
import smtplib
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402

from apps.outbound.transports import SENT  # noqa: E402
from apps.outbound.transports.smtp import SmtpTransport  # noqa: E402
from tests.outbound.transports.conftest import make_message  # noqa: E402


def _sink_process(ready, stop):
    import logging

    from tests.smtp_sink import SmtpSink

    logging.getLogger("mail.log").setLevel(logging.WARNING)  # a line per command otherwise

    sink = SmtpSink().start()
    sink.state.received = _Discard()  # count, do not keep: memory stays flat
    ready.put((sink.host, sink.port))
    stop.wait()
    sink.stop()


class _Discard(list):
    def append(self, item):
        pass


class _Built:
    """MIME already flattened: as_bytes() hands back the bytes made once."""

    def __init__(self, data: bytes):
        self.data = data

    def as_bytes(self, linesep="\n"):
        return self.data


class _Prebuilt:
    """Wraps a message so message() returns its bytes built before timing."""

    def __init__(self, message, data: bytes):
        self._message = message
        self._built = _Built(data)

    def __getattr__(self, name):
        return getattr(self._message, name)

    def message(self):
        return self._built


def raw_loop(host, port, prepared) -> float:
    started = time.perf_counter()
    with smtplib.SMTP(host, port) as smtp:
        for sender, recipient, data in prepared:
            smtp.sendmail(sender, [recipient], data)
    return time.perf_counter() - started


def transport_run(host, port, messages, batch) -> float:
    transport = SmtpTransport(
        host=host, port=port, timeout=30, pool_size=settings.EMAIL_POOL_SIZE,
        max_messages_per_connection=settings.EMAIL_MAX_MESSAGES_PER_CONNECTION,
        noop_after=settings.EMAIL_NOOP_AFTER_SECONDS,
    )
    started = time.perf_counter()
    for start in range(0, len(messages), batch):
        outcomes = transport.send(messages[start:start + batch])
        if any(o.status != SENT for o in outcomes):
            raise SystemExit(f"a message was not sent: {outcomes}")
    elapsed = time.perf_counter() - started
    transport.close()
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=5000)
    parser.add_argument("--batch", type=int, default=100)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()

    ready, stop = multiprocessing.Queue(), multiprocessing.Event()
    sink = multiprocessing.Process(target=_sink_process, args=(ready, stop), daemon=True)
    sink.start()
    host, port = ready.get(timeout=30)
    try:
        n = args.messages
        messages = [make_message(i) for i in range(1, n + 1)]
        prepared = [
            (m.envelope_from, m.to[0], m.message().as_bytes(linesep="\r\n")) for m in messages
        ]
        size = sum(len(p[2]) for p in prepared) / n
        best = {"raw": [], "transport": [], "transport, bytes built": []}
        for _ in range(args.rounds):
            best["raw"].append(raw_loop(host, port, prepared))
            best["transport"].append(transport_run(host, port, messages, args.batch))
            prebuilt = [_Prebuilt(m, p[2]) for m, p in zip(messages, prepared)]
            best["transport, bytes built"].append(
                transport_run(host, port, prebuilt, args.batch))
        raw_rate = n / min(best["raw"])
        print(f"{n} messages of {size:.0f} bytes, batches of {args.batch}, "
              f"best of {args.rounds} rounds, sink in its own process")
        for name, times in best.items():
            rate = n / min(times)
            print(f"  {name:<24} {rate:8.0f} msgs/s   {rate / raw_rate:5.2f}x raw")
    finally:
        stop.set()
        sink.join(timeout=10)


if __name__ == "__main__":
    main()
