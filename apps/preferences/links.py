"""Signed per-member links and the List-Unsubscribe headers built from them.

A link is the member's credential: no password, just a value signed with
SECRET_KEY (django.core.signing) under a salt per purpose, so a preferences
link cannot be replayed as an unsubscribe link and the reverse. Links carry
their signing time and expire after a configurable age; unsubscribe links live
longer because mailbox providers let people unsubscribe from old mail.

The mailto address cannot carry a signing token: a local part is at most 64
characters and mail systems may lowercase it. It carries a short lowercase
HMAC instead, which never expires (an unsubscribe request is always honoured).
"""

import functools
import hmac
import json
import re
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.core.exceptions import ImproperlyConfigured
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.crypto import salted_hmac

from apps.teams.models import Stream

PREFERENCES = "preferences"
UNSUBSCRIBE = "unsubscribe"
TEAM = "team"
PURPOSES = (PREFERENCES, UNSUBSCRIBE, TEAM)

ALL = "all"
SCOPES = (Stream.REMINDERS.value, Stream.DIGESTS.value, ALL)
# OutboundMessage.kind -> the list a message belongs to.
KIND_SCOPE = {"reminder": Stream.REMINDERS.value, "digest": Stream.DIGESTS.value}

_MAILTO_SALT = "donemail.links.mailto"
_MAILTO_LOCAL = re.compile(r"^unsubscribe\+(reminders|digests|all)-(\d{1,18})-([0-9a-f]{20})$")
# What may stand inside <...> in a header: visible ASCII without the
# characters that would end the URI or start another one.
_HEADER_URI = re.compile(r"^[!#-+\--;=?-~]+$")


class LinkError(Exception):
    """A link that cannot be honoured; `status` is the HTTP status of its page."""

    status = 400


class LinkInvalid(LinkError):
    status = 400


class LinkExpired(LinkError):
    status = 410


@dataclass(frozen=True)
class LinkData:
    member_id: int
    scope: str | None = None


def _salt(purpose: str) -> str:
    if purpose not in PURPOSES:
        raise ValueError(f"unknown link purpose {purpose!r}")
    return f"donemail.links.{purpose}"


def _max_age(purpose: str) -> timedelta:
    days = (
        settings.UNSUBSCRIBE_LINK_MAX_AGE_DAYS if purpose == UNSUBSCRIBE
        else settings.SIGNED_LINK_MAX_AGE_DAYS
    )
    return timedelta(days=days)


def token_make(*, member_id: int, purpose: str, scope: str | None = None) -> str:
    payload = {"m": member_id}
    if scope is not None:
        if scope not in SCOPES:
            raise ValueError(f"unknown unsubscribe scope {scope!r}")
        payload["s"] = scope
    signer = _signer(_salt(purpose), settings.SECRET_KEY)
    return signer.sign_object(payload, serializer=_CompactJSON, compress=False)


@functools.lru_cache(maxsize=16)
def _signer(salt: str, key: str) -> signing.TimestampSigner:
    """What signing.dumps builds for each call, built once per salt and key:
    three links a message, a hundred thousand messages a morning."""
    return signing.TimestampSigner(key=key, salt=salt)


class _CompactJSON:
    """Django's JSONSerializer, the same bytes, without building a JSON
    encoder for every token (json.dumps does when given separators)."""

    _encoder = json.JSONEncoder(separators=(",", ":"))

    def dumps(self, obj) -> bytes:
        return self._encoder.encode(obj).encode("latin-1")

    def loads(self, data: bytes):
        return signing.JSONSerializer().loads(data)


def token_read(*, token: str, purpose: str) -> LinkData:
    """The member (and scope) a token was made for; raises LinkExpired or LinkInvalid."""
    try:
        payload = signing.loads(token, salt=_salt(purpose), max_age=_max_age(purpose))
    except signing.SignatureExpired as exc:
        raise LinkExpired(str(exc)) from exc
    except signing.BadSignature as exc:
        raise LinkInvalid(str(exc)) from exc
    # A valid signature means we wrote the payload; check its shape anyway.
    if not isinstance(payload, dict) or not isinstance(payload.get("m"), int):
        raise LinkInvalid("unexpected payload")
    scope = payload.get("s")
    if scope is not None and scope not in SCOPES:
        raise LinkInvalid("unexpected scope")
    return LinkData(member_id=payload["m"], scope=scope)


# A signed token is URL-safe base64 and ':' separators, which reverse()
# leaves as they are: so a route's URL is its reversed form around the token,
# reversed once (per URLconf) instead of once a link, three links a message.
_TOKEN_CHARACTERS = re.compile(r"[A-Za-z0-9_:-]+")
_PLACEHOLDER = "tokenplaceholder0"
_routes: dict[tuple, list[str]] = {}


def _link(route: str, token: str) -> str:
    key = (route, settings.ROOT_URLCONF, get_urlconf(), get_script_prefix())
    around = _routes.get(key)
    if around is None:
        around = _routes[key] = reverse(route, args=[_PLACEHOLDER]).split(_PLACEHOLDER)
    if len(around) != 2 or not _TOKEN_CHARACTERS.fullmatch(token):
        return f"{settings.PUBLIC_URL}{reverse(route, args=[token])}"
    return f"{settings.PUBLIC_URL}{around[0]}{token}{around[1]}"


def preferences_url(member) -> str:
    return _link("preferences:preferences", token_make(member_id=member.pk, purpose=PREFERENCES))


def unsubscribe_url(member, *, scope: str) -> str:
    token = token_make(member_id=member.pk, purpose=UNSUBSCRIBE, scope=scope)
    return _link("preferences:unsubscribe", token)


def team_url(member) -> str:
    return _link("preferences:team", token_make(member_id=member.pk, purpose=TEAM))


def _mailto_mac(member_id: int, scope: str) -> str:
    return salted_hmac(_MAILTO_SALT, f"{member_id}:{scope}", algorithm="sha256").hexdigest()[:20]


def unsubscribe_address(member, *, scope: str) -> str:
    """`unsubscribe+<scope>-<id>-<mac>@INBOUND_DOMAIN`: at most 62 characters
    before the @ (the limit is 64), lowercase so case-folding relays keep it valid."""
    if scope not in SCOPES:
        raise ValueError(f"unknown unsubscribe scope {scope!r}")
    mac = _mailto_mac(member.pk, scope)
    return f"unsubscribe+{scope}-{member.pk}-{mac}@{settings.INBOUND_DOMAIN}"


def unsubscribe_address_parse(*, address: str) -> LinkData | None:
    """The member and scope of an unsubscribe address, or None if it is not
    one of ours. For the inbound parser: mail to this address unsubscribes."""
    local, _, domain = address.strip().strip("<>").rpartition("@")
    if domain.lower() != settings.INBOUND_DOMAIN.lower():
        return None
    match = _MAILTO_LOCAL.match(local.lower())
    if not match:
        return None
    scope, member_id, mac = match.group(1), int(match.group(2)), match.group(3)
    if not hmac.compare_digest(mac, _mailto_mac(member_id, scope)):
        return None
    return LinkData(member_id=member_id, scope=scope)


def _header_uri(uri: str) -> str:
    if not _HEADER_URI.match(uri):
        raise ImproperlyConfigured(
            f"{uri!r} cannot go in a List-Unsubscribe header: check PUBLIC_URL and INBOUND_DOMAIN"
        )
    return f"<{uri}>"


def list_unsubscribe_headers(member, *, kind: str, url: str | None = None) -> dict[str, str]:
    """The RFC 2369 + RFC 8058 headers for one message of `kind` to `member`.

    The https URL comes first: providers that support one-click POST
    `List-Unsubscribe=One-Click` to it; the mailto is the fallback for the rest.
    Unsubscribing from a reminder stops reminders only, and likewise for digests.

    `url` is `unsubscribe_url(member, scope=KIND_SCOPE[kind])` when the caller
    has signed it already for the email's body: signing is a good part of a
    message's rendering time, and the body and the header then name one link.
    """
    if kind not in KIND_SCOPE:
        raise ValueError(f"no unsubscribe list for message kind {kind!r}")
    scope = KIND_SCOPE[kind]
    if url is None:
        url = unsubscribe_url(member, scope=scope)
    url = _header_uri(url)
    mailto = _header_uri(f"mailto:{unsubscribe_address(member, scope=scope)}")
    return {
        "List-Unsubscribe": f"{url}, {mailto}",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }
