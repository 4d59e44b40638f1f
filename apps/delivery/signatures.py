"""SendGrid's signed Event Webhook: ECDSA P-256 over timestamp + raw body.

We verify over the exact bytes received (never a re-encoded string), accept
any of several public keys so a key can be rotated without losing events,
and refuse timestamps outside a tolerance so a captured request cannot be
replayed later.
"""

import base64
import binascii
import time
from functools import cache

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from sendgrid.helpers.eventwebhook import EventWebhook

SIGNATURE_HEADER = "X-Twilio-Email-Event-Webhook-Signature"
TIMESTAMP_HEADER = "X-Twilio-Email-Event-Webhook-Timestamp"


class SignatureError(Exception):
    """Why a request's signature was refused (safe to log, not to echo)."""


@cache
def load_public_key(text: str) -> ec.EllipticCurvePublicKey:
    """The key as SendGrid shows it: base64 DER, with or without PEM armour."""
    body = text.strip()
    if "BEGIN PUBLIC KEY" in body:
        body = "".join(line for line in body.splitlines() if "PUBLIC KEY" not in line)
    return EventWebhook().convert_public_key_to_ecdsa(body)


def verify(
    *, body: bytes, signature: str | None, timestamp: str | None,
    public_keys: list[str], tolerance: int, now: float | None = None,
) -> None:
    """Return if one key verifies the request; raise SignatureError otherwise."""
    if not signature or not timestamp:
        raise SignatureError("missing signature or timestamp header")
    try:
        sent_at = int(timestamp)
    except ValueError:
        raise SignatureError("timestamp is not a number") from None
    now = time.time() if now is None else now
    if abs(now - sent_at) > tolerance:
        raise SignatureError(f"timestamp {sent_at} is outside the {tolerance}s tolerance")
    try:
        decoded = base64.b64decode(signature, validate=True)
    except (binascii.Error, ValueError):
        raise SignatureError("signature is not base64") from None
    signed = timestamp.encode("ascii") + body
    for key in public_keys:
        try:
            load_public_key(key).verify(decoded, signed, ec.ECDSA(hashes.SHA256()))
            return
        except InvalidSignature:
            continue
    raise SignatureError("no configured key verifies the signature")
