"""VERP return paths: bounce+<message pk>.<mac>@INBOUND_DOMAIN.

A DSN comes back to the envelope sender, so putting the message's id there
tells us which message bounced without trusting the bounce's content. The
MAC stops anyone from suppressing a member's address by mailing a forged
bounce to bounce+<guess>@.
"""

import hashlib
import hmac
import re

from django.conf import settings

_PATTERN = re.compile(r"^bounce\+(\d+)\.([0-9a-f]{12})@(.+)$", re.IGNORECASE)


def _mac(pk: int) -> str:
    key = f"donemail-verp:{settings.SECRET_KEY}".encode()
    return hmac.new(key, str(pk).encode(), hashlib.sha256).hexdigest()[:12]


def return_path(message_pk: int) -> str:
    return f"bounce+{message_pk}.{_mac(message_pk)}@{settings.INBOUND_DOMAIN}"


def message_pk_from(address: str) -> int | None:
    """The message pk in a VERP address we made, or None for anything else."""
    match = _PATTERN.match(address.strip().strip("<>"))
    if not match or match.group(3).lower() != settings.INBOUND_DOMAIN.lower():
        return None
    pk = int(match.group(1))
    return pk if hmac.compare_digest(match.group(2).lower(), _mac(pk)) else None
