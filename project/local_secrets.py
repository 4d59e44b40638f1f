"""Secrets for a machine that was given none.

`make run` must work on a fresh machine with nothing configured, yet the app
still needs a SECRET_KEY, webhook credentials and a Flower password. The first
process to start writes random ones to var/secrets.env (mode 0600, created
atomically so concurrent starters agree) and every process then reads them.
Anything already set in the environment wins, so production sets its own and
turns this off with DONEMAIL_LOCAL_SECRETS=false.
"""

import os
import secrets
from pathlib import Path


def _generate() -> dict[str, str]:
    return {
        "SECRET_KEY": secrets.token_urlsafe(50),
        "INBOUND_WEBHOOK_SECRET": f"sendgrid:{secrets.token_urlsafe(24)}",
        "FLOWER_BASIC_AUTH": f"admin:{secrets.token_urlsafe(18)}",
    }


def _read(path: Path) -> dict[str, str]:
    values = {}
    for line in path.read_text().splitlines():
        if line and not line.startswith("#") and "=" in line:
            key, _, value = line.partition("=")
            values[key.strip()] = value.strip()
    return values


def load(var_dir: Path) -> dict[str, str]:
    """Create var/secrets.env once, then export its values as defaults."""
    var_dir.mkdir(parents=True, exist_ok=True)
    path = var_dir / "secrets.env"
    if not path.exists():
        body = "# Generated on first run by project/local_secrets.py. Keep private.\n"
        body += "".join(f"{k}={v}\n" for k, v in _generate().items())
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass  # another process won the race; read what it wrote
        else:
            with os.fdopen(fd, "w") as f:
                f.write(body)
    values = _read(path)
    for key, value in values.items():
        os.environ.setdefault(key, value)
    return values
