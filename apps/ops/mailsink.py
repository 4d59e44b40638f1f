"""The local mail sink: an SMTP server that files every message in a Maildir.

`make run` points outbound mail here, so a new user sees real emails without
an account anywhere. Messages are stored exactly as received (the DATA bytes
after dot-unstuffing), so tests can compare them byte for byte.
"""

import itertools
import logging
import os
import socket
import time
from email.parser import BytesHeaderParser
from email.policy import default as default_policy
from pathlib import Path

logger = logging.getLogger("donemail.mailsink")
_sequence = itertools.count()


class Maildir:
    """Just enough of the Maildir format: write to tmp/, rename into new/."""

    def __init__(self, root: Path):
        self.root = Path(root)
        for sub in ("tmp", "new", "cur"):
            (self.root / sub).mkdir(parents=True, exist_ok=True)

    def deliver(self, data: bytes) -> Path:
        name = f"{time.time_ns()}.P{os.getpid()}Q{next(_sequence)}.{socket.gethostname()}"
        tmp = self.root / "tmp" / name
        with open(tmp, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        final = self.root / "new" / name
        os.rename(tmp, final)
        return final

    def messages(self) -> list[Path]:
        return sorted((self.root / "new").iterdir())


class MaildirHandler:
    """aiosmtpd handler: accept every message, file it, log one line."""

    def __init__(self, maildir: Maildir):
        self.maildir = maildir

    async def handle_DATA(self, server, session, envelope):
        data = envelope.original_content or envelope.content
        path = self.maildir.deliver(data)
        headers = BytesHeaderParser(policy=default_policy).parsebytes(data)
        logger.info(
            "from=%s to=%s subject=%r file=%s",
            envelope.mail_from, ",".join(envelope.rcpt_tos), str(headers.get("Subject", "")),
            path.name,
        )
        return f"250 OK stored as {path.name}"
