"""Inbound email: store first, then parse into a member's done items.

`inbound_store` is all the webhook does with a delivery: one row, committed,
and `inbound.parse` published after the commit. `inbound_parse` is the task's
whole work: read the raw bytes (apps/inbound/parsing.py, pure), decide what
the mail is (a bounce, an unsubscribe, an auto-reply, a duplicate, a reply
from a member) and write the outcome. Mail we cannot use ends in a state with
a reason; a bug of ours ends in `failed` with the exception and re-raises so
the task fails loudly. Nothing is deleted, and parsing again replaces the
entries of that one email, so it is always safe to run again.
"""

import hashlib
import logging
import re
from datetime import datetime, timedelta
from email.parser import BytesHeaderParser
from email.policy import default as default_policy
from email.utils import parseaddr
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import DatabaseError, transaction
from django.db.models import F, Q
from django.utils import timezone

from apps.delivery.dsn import parse_dsn
from apps.delivery.services import dsn_store, events_apply
from apps.entries.models import Entry
from apps.outbound.models import Kind, OutboundMessage
from apps.preferences.links import unsubscribe_address_parse
from apps.preferences.services import member_unsubscribe_by_address
from apps.teams.models import Member

from .models import InboundEmail
from .parsed import ParsedMail
from .publishing import parse_publish, parse_publish_now
from .sendgrid import header_section

logger = logging.getLogger(__name__)
State = InboundEmail.State

# A row still `received` this long after it arrived is published by the sweep
# (its task may never have reached the broker); a row the sweep published is
# published again only after REPUBLISH_AFTER, so a backlog is not multiplied.
SWEEP_AFTER = timedelta(minutes=1)
REPUBLISH_AFTER = timedelta(minutes=15)
SWEEP_BATCH = 1000


class UnusableMail(Exception):
    """The mail cannot be used: it ends in `state` with the reason an operator reads."""

    def __init__(self, state: str, reason: str):
        super().__init__(reason)
        self.state, self.reason = state, reason


# --- storing ---------------------------------------------------------------------

def _header_summary(raw: bytes) -> dict:
    """Message-ID, sender and subject for the admin list, before any parsing.

    Best effort on a header block only: a header Python cannot read leaves
    its field blank, never an error in the webhook.
    """
    summary = {"message_id": "", "from_addr": "", "subject": ""}
    headers = BytesHeaderParser(policy=default_policy).parsebytes(header_section(raw))
    for key, name in (("message_id", "Message-ID"), ("from_addr", "From"), ("subject", "Subject")):
        try:
            summary[key] = " ".join(str(headers.get(name, "") or "").split())
        except Exception:  # noqa: BLE001 - the parser will say what is wrong later
            continue
    summary["from_addr"] = parseaddr(summary["from_addr"])[1].lower()[:254]
    summary["message_id"] = summary["message_id"][:998]
    return summary


def inbound_store(
    *, raw: bytes, mode: str, envelope: dict, spf: str = "", dkim: str = "",
    spam_score: float | None = None, size: int | None = None, rejected_reason: str = "",
) -> InboundEmail:
    """Keep one delivery, and publish its parsing once the row is committed.

    `rejected_reason` records a post we refused to keep whole (too large,
    unreadable): `raw` then holds what we kept of it, and nothing is parsed.
    """
    with transaction.atomic():
        email = InboundEmail.objects.create(
            raw=raw, size=len(raw) if size is None else size,
            sha256=hashlib.sha256(raw).hexdigest(), envelope=envelope, spf=spf, dkim=dkim,
            spam_score=spam_score, mode=mode,
            state=State.REJECTED if rejected_reason else State.RECEIVED,
            state_reason=rejected_reason, truncated=bool(rejected_reason),
            **_header_summary(raw),
        )
        if not rejected_reason:
            parse_publish([email.pk])
    return email


def inbound_sweep(*, now: datetime) -> int:
    """Publish `inbound.parse` again for rows whose task never arrived."""
    stranded = Q(published_at__isnull=True) | Q(published_at__lt=now - REPUBLISH_AFTER)
    ids = list(
        InboundEmail.objects.filter(stranded, state=State.RECEIVED,
                                    received_at__lt=now - SWEEP_AFTER)
        .order_by("received_at").values_list("pk", flat=True)[:SWEEP_BATCH]
    )
    if not ids:
        return 0
    logger.info("sweep: publishing %d inbound emails still waiting", len(ids))
    # Marked before publishing, so no write races the worker that takes the task
    # (and not by the webhook at all, which must answer at once); unmarked again
    # for what could not go out, so the next sweep tries those in a minute.
    InboundEmail.objects.filter(pk__in=ids).update(published_at=now)
    published = parse_publish_now(ids)
    if published < len(ids):
        InboundEmail.objects.filter(pk__in=ids[published:]).update(published_at=None)
    return published


# --- parsing ---------------------------------------------------------------------

def inbound_parse(*, inbound_id: int, again: bool = False) -> str:
    """Parse one stored email and write its outcome; returns the new state.

    The task parses only rows still `received`, so a redelivered or swept
    duplicate of a task that already ran costs one read. `again=True` (the
    admin's "parse again") parses whatever the state: the email's entries
    are replaced, not added to, so that is safe too.
    """
    from .parsing import parse  # the parser piece; imported here to keep start-up light

    try:
        with transaction.atomic():
            email = InboundEmail.objects.select_for_update().get(pk=inbound_id)
            if email.truncated:  # only the headers were kept: nothing to parse
                return email.state
            if email.state != State.RECEIVED and not again:
                return email.state
            parsed = parse(bytes(email.raw))
            _record_parse(email, parsed)
            try:
                state, reason = _decide(email, parsed)
            except UnusableMail as unusable:
                state, reason = unusable.state, unusable.reason
            if state != State.PARSED:
                Entry.objects.filter(source=email).delete()  # a new verdict: no items
            email.state, email.state_reason = state, reason
            email.save()
    except Exception as exc:
        _fail(inbound_id, exc)
        raise
    logger.info("inbound #%s: %s %s", inbound_id, state, reason)
    return state


def _record_parse(email: InboundEmail, parsed: ParsedMail) -> None:
    email.attempts += 1
    email.parsed_at = timezone.now()
    email.message_id = parsed.message_id[:998] or email.message_id
    email.from_addr = parsed.from_addr[:254] or email.from_addr
    email.subject = parsed.subject or email.subject
    email.reply_text = parsed.reply_text
    email.member, email.local_date = None, None


def _fail(inbound_id: int, exc: Exception) -> None:
    """Our bug: say so on the row (in its own transaction) before re-raising."""
    logger.exception("parsing inbound #%s failed", inbound_id)
    try:
        InboundEmail.objects.filter(pk=inbound_id).update(
            state=State.FAILED, state_reason=f"{type(exc).__name__}: {exc}"[:10000],
            attempts=F("attempts") + 1, parsed_at=timezone.now(),
        )
    except DatabaseError:  # the database itself is the trouble: the row stays
        logger.exception("could not mark #%s failed; it stays received for the sweep",
                         inbound_id)


def _decide(email: InboundEmail, parsed: ParsedMail) -> tuple[str, str]:
    """What this mail is, in order of precedence; writes entries for a reply."""
    if parsed.error:
        raise UnusableMail(State.REJECTED, f"unreadable mail: {parsed.error}")
    original = _duplicate_of(email)
    if original:
        return State.IGNORED, f"duplicate of #{original}"
    if parsed.bounce or (parsed.message is not None and parse_dsn(parsed.message)):
        return State.IGNORED, _bounce_record(email, parsed)
    unsubscribe = _unsubscribe_address(_recipients(email, parsed))
    if unsubscribe:
        return _unsubscribe(unsubscribe)
    if parsed.auto_reply:  # never entries, whoever sent it; the member only for the admin
        try:
            email.member = _member_find(email, parsed)
        except UnusableMail:
            pass
        return State.IGNORED, "auto-reply"
    email.member = _member_find(email, parsed)
    email.local_date = _local_date(email, parsed)
    items = [item.strip() for item in parsed.items if item.strip()]
    if not items:
        return State.IGNORED, "empty reply"
    Entry.objects.filter(source=email).delete()
    Entry.objects.bulk_create(
        Entry(member=email.member, local_date=email.local_date, text=text, position=position,
              source=email)
        for position, text in enumerate(items)
    )
    return State.PARSED, f"{len(items)} items for {email.local_date.isoformat()}"


def _duplicate_of(email: InboundEmail) -> int | None:
    """An earlier delivery of the same mail: same bytes, or same Message-ID and sender.

    Earlier by id, whatever its state now, so two copies parsed at the same
    moment cannot both write entries: the later one always yields.
    """
    same = Q(sha256=email.sha256)
    if email.message_id:
        same |= Q(message_id=email.message_id, from_addr=email.from_addr)
    return (
        InboundEmail.objects.filter(same, pk__lt=email.pk, truncated=False)
        .exclude(state=State.REJECTED).order_by("pk").values_list("pk", flat=True).first()
    )


def _bounce_record(email: InboundEmail, parsed: ParsedMail) -> str:
    dsn = parse_dsn(parsed.message) if parsed.message is not None else None
    if dsn is None:
        return "bounce (not a delivery status report; nothing recorded)"
    ids = dsn_store(dsn=dsn, envelope_to=_envelope_to(email), inbound_id=email.pk,
                    occurred_at=email.received_at)
    events_apply(ids=ids)
    return f"bounce recorded ({len(ids)} delivery events)"


def _envelope_to(email: InboundEmail) -> list[str]:
    to = (email.envelope or {}).get("to") or []
    to = [to] if isinstance(to, str) else to
    return [str(address).strip().strip("<>").lower() for address in to if address]


def _recipients(email: InboundEmail, parsed: ParsedMail) -> list[str]:
    """Envelope recipients first (SendGrid's word), then To and Cc."""
    seen: dict[str, None] = {}
    for address in _envelope_to(email) + [a.lower() for a in parsed.to]:
        seen.setdefault(address, None)
    return list(seen)


def _unsubscribe_address(recipients: list[str]) -> str:
    """Our List-Unsubscribe mailto among the recipients (another domain's
    unsubscribe+ address in a Cc is none of our business)."""
    ours = "@" + settings.INBOUND_DOMAIN.lower()
    return next((a for a in recipients if a.startswith("unsubscribe+") and a.endswith(ours)), "")


def _unsubscribe(address: str) -> tuple[str, str]:
    if unsubscribe_address_parse(address=address) is None:
        raise UnusableMail(State.UNMATCHED, f"{address} is not a valid unsubscribe address")
    streams = member_unsubscribe_by_address(address=address)
    if streams is None:
        raise UnusableMail(State.UNMATCHED, "unsubscribe address of no active member")
    done = ", ".join(str(s.label) for s in streams) or "already unsubscribed"
    return State.IGNORED, f"unsubscribe request honoured ({done})"


def _reply_token(address: str) -> str:
    local, _, domain = address.rpartition("@")
    if domain != settings.INBOUND_DOMAIN.lower() or not local.startswith("reply+"):
        return ""
    return local.removeprefix("reply+")


def _member_find(email: InboundEmail, parsed: ParsedMail) -> Member:
    """By the reply address first; by From only when SendGrid vouches for it."""
    for address in _recipients(email, parsed):
        token = _reply_token(address)
        if token:
            member = Member.objects.filter(reply_token=token, is_active=True).first()
            if member:
                return member
    sender = parsed.from_addr.lower()
    members = (list(Member.objects.filter(email__iexact=sender, is_active=True)[:2])
               if sender else [])
    if not members:
        raise UnusableMail(State.UNMATCHED, f"no member for {sender or 'an empty From'} "
                                            "and no reply address of ours")
    if len(members) > 1:
        raise UnusableMail(State.UNMATCHED, f"{sender} is a member of several teams; "
                                            "only a reply to a reminder says which")
    if not sender_verified(from_addr=sender, spf=email.spf, dkim=email.dkim,
                           envelope_from=str((email.envelope or {}).get("from") or "")):
        raise UnusableMail(State.REJECTED, f"unverified sender: From matched member "
                                           f"#{members[0].pk} but neither SPF nor DKIM "
                                           "passed for its domain")
    return members[0]


_DKIM_VERDICT = re.compile(r"@?([A-Za-z0-9.-]+)\s*:\s*([A-Za-z]+)")


def _aligned(domain: str, from_domain: str) -> bool:
    """Relaxed alignment, approximately: one domain equals or contains the other.
    (DMARC compares organisational domains; this never accepts a stranger's.)"""
    domain, from_domain = domain.lower().strip("."), from_domain.lower().strip(".")
    return bool(domain) and (
        domain == from_domain or from_domain.endswith("." + domain)
        or domain.endswith("." + from_domain)
    )


def sender_verified(*, from_addr: str, spf: str, dkim: str, envelope_from: str) -> bool:
    """True when SendGrid saw SPF or DKIM pass for the From's domain.

    SendGrid posts `SPF` as one verdict for the envelope sender's domain and
    `dkim` like `{@example.com : pass}` (one `@domain : verdict` per
    signature). A pass counts only when its domain aligns with the From.
    """
    from_domain = from_addr.rpartition("@")[2]
    if not from_domain:
        return False
    if spf.strip().lower() == "pass":
        envelope_domain = parseaddr(envelope_from)[1].rpartition("@")[2]
        if _aligned(envelope_domain, from_domain):
            return True
    return any(
        verdict.lower() == "pass" and _aligned(domain, from_domain)
        for domain, verdict in _DKIM_VERDICT.findall(dkim)
    )


def _local_date(email: InboundEmail, parsed: ParsedMail):
    """The reminder's day when the mail answers one of ours, else the member's today."""
    if parsed.in_reply_to:
        reminder_day = (
            OutboundMessage.objects.filter(
                message_id__in=parsed.in_reply_to, member=email.member, kind=Kind.REMINDER,
            ).order_by("-local_date").values_list("local_date", flat=True).first()
        )
        if reminder_day:
            return reminder_day
    return email.received_at.astimezone(ZoneInfo(email.member.time_zone)).date()

