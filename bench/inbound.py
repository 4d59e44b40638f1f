"""The inbound benchmark: the webhook under gunicorn, then the parser over the corpus.

    .venv/bin/python bench/inbound.py [--requests N] [--concurrency C] [--big-mib M] [--rounds R]

Each half is its own script, so each can be run and read alone; this one runs
both in one go and passes the options on:
- bench/webhook.py: SendGrid-shaped POSTs against gunicorn on loopback, in
  requests/s with p50/p99, beside a baseline measured against the same server
  in the same run (a request refused at the Basic-auth check), plus the
  memory a 29 MiB post costs;
- bench/parser.py: parse() in messages/s over the public and our own corpus,
  beside the bare `email` package parse of the same bytes in the same run,
  and the accuracy of ours and of the public libraries on the same sets.
"""

import argparse
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--big-mib", type=int, default=29)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    runs = [
        ["webhook.py", "--requests", str(args.requests), "--concurrency", str(args.concurrency),
         "--big-mib", str(args.big_mib)],
        ["parser.py", "--rounds", str(args.rounds)],
    ]
    status = 0
    for script, *options in runs:
        print(f"=== bench/{script} {' '.join(options)}", flush=True)
        status |= subprocess.call([sys.executable, str(HERE / script), *options])
    return status


if __name__ == "__main__":
    sys.exit(main())
