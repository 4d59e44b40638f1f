"""HTTP Basic for the provider webhooks (SendGrid's inbound and event hooks).

Providers put `user:password` in the webhook URL; we accept any of several
configured secrets so one can be rotated without a moment of refusals. Every
secret is compared, through a digest of equal length, so neither an early
exit nor a length difference tells an attacker how close a guess was.
"""

import base64
import binascii
import hashlib
import hmac

CHALLENGE = 'Basic realm="donemail", charset="UTF-8"'


def _digest(value: bytes) -> bytes:
    return hashlib.sha256(value).digest()


def basic_auth_ok(request, secrets: list[str]) -> bool:
    """True when the request's Basic credentials equal one of `secrets`."""
    header = request.META.get("HTTP_AUTHORIZATION", "")
    scheme, _, encoded = header.partition(" ")
    if scheme.lower() != "basic" or not secrets:
        return False
    try:
        given = _digest(base64.b64decode(encoded.strip(), validate=True))
    except (binascii.Error, ValueError):
        return False
    ok = False
    for secret in secrets:
        ok |= hmac.compare_digest(given, _digest(secret.encode()))  # no early exit
    return ok
