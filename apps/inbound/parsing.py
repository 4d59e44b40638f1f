"""Raw email bytes in, `ParsedMail` out: headers, the whole text, the new reply and its items.

Pure functions, no database (DESIGN.md: the parser is a handful of small pure
functions). mail-parser reads the Date header (it knows the obsolete forms); the
standard library (policy=default) gives the `EmailMessage` the services keep; the body
is chosen and decoded by our own code, because both libraries give up on the charsets
and transfer encodings real mail declares wrongly (see charsets.py).

`parse` never raises for bad mail: unreadable input comes back with `error` set.
"""

import logging
import re
from email import policy
from email.message import EmailMessage, Message
from email.parser import BytesParser

from mailparser.dates import parse_mail_date

from apps.inbound.autoreply import is_auto_reply, is_bounce
from apps.inbound.charsets import text_decode
from apps.inbound.flowed import unflow
from apps.inbound.headers import addresses_read, header_decode
from apps.inbound.html_text import html_to_text
from apps.inbound.items import items_split
from apps.inbound.parsed import ParsedMail
from apps.inbound.quotes import history_strip
from apps.inbound.signatures import signature_strip

log = logging.getLogger(__name__)

_MESSAGE_ID = re.compile(r"<[^<>\s]+>")
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)
_MAX_PART = 5_000_000  # characters of one text part we read; the rest is not a reply


def _raw_header(message: Message, name: str) -> list[str]:
    """Raw values of one header (as received, before the policy's parsing)."""
    name = name.lower()
    return [value for key, value in message.raw_items() if key.lower() == name]


def _first(message: Message, name: str) -> str:
    values = _raw_header(message, name)
    return header_decode(values[0]) if values else ""


def _date_iso(message: Message) -> str:
    values = _raw_header(message, "Date")
    if not values:
        return ""
    try:
        value = parse_mail_date(header_decode(values[0])).value
    except Exception:  # noqa: BLE001 - a broken Date header only loses the date
        return ""
    return value.isoformat() if value else ""


def _ids(message: Message) -> list[str]:
    ids: list[str] = []
    for name in ("In-Reply-To", "References"):
        for value in _raw_header(message, name):
            for found in _MESSAGE_ID.findall(str(value)):
                if found not in ids:
                    ids.append(found)
    return ids


def _part_text(part: Message) -> str:
    try:
        payload = part.get_payload(decode=True)
    except Exception:  # noqa: BLE001 - broken base64/QP/uuencode: read what is there
        payload = None
    if payload is None:
        raw = part.get_payload()
        payload = raw.encode("utf-8", "surrogateescape") if isinstance(raw, str) else b""
    try:
        charset = part.get_content_charset()
    except Exception:  # noqa: BLE001
        charset = None
    text = text_decode(payload[: _MAX_PART * 4], charset)[:_MAX_PART]
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")
    if part.get_content_subtype() == "plain":
        params = {k.lower(): str(v).lower() for k, v in (part.get_params() or [])[1:]}
        if params.get("format") == "flowed":
            text = unflow(text, delsp=params.get("delsp") == "yes")
    return text


def _is_attachment(part: Message) -> bool:
    try:
        disposition = part.get_content_disposition()
    except Exception:  # noqa: BLE001
        return False
    return disposition == "attachment" or (
        disposition == "inline" and bool(part.get_filename(None))
    )


def _bodies(message: Message) -> tuple[str, str]:
    """The first text/plain and text/html bodies of the message itself.

    Parts inside an attached message/rfc822 belong to someone else's mail, and parts with
    a filename are attachments, so neither is the member's text.
    """
    plain = html = None
    stack = [message]
    while stack:
        part = stack.pop(0)
        ctype = part.get_content_type()
        if part.is_multipart():
            children = part.get_payload()
            if isinstance(children, list):
                stack[0:0] = [child for child in children if isinstance(child, Message)]
            continue
        if ctype == "message/rfc822" or _is_attachment(part) and part is not message:
            continue
        if ctype == "text/plain" and plain is None:
            plain = _part_text(part)
        elif ctype == "text/html" and html is None:
            html = _part_text(part)
        elif part is message and ctype not in ("text/plain", "text/html"):
            if part.get_content_maintype() == "text" or ctype == "application/octet-stream":
                plain = _part_text(part)
    return plain or "", html or ""


def _normalise(text: str) -> str:
    text = text.translate(_INVISIBLE).replace("\xa0", " ").replace("\u3000", " ")
    return "\n".join(line.rstrip() for line in text.split("\n"))


def reply_extract(text: str, *, sender_name: str = "") -> str:
    """The new text of a reply: `text` without quoted history and signature."""
    text = history_strip(_normalise(text))
    text = signature_strip(text, sender_name=sender_name)
    return text.strip("\n").strip()


def _looks_like_mail(message: Message) -> bool:
    names = [key for key, _ in message.raw_items()]
    return bool(names) and all(re.fullmatch(r"[!-9;-~]+", name or "") for name in names[:3])


def parse(raw: bytes) -> ParsedMail:
    """Read one raw RFC 5322 message. Never raises for bad mail (see ParsedMail.error)."""
    if not isinstance(raw, (bytes, bytearray, memoryview)):
        return ParsedMail(error=f"expected bytes, got {type(raw).__name__}")
    raw = bytes(raw)
    if not raw.strip():
        return ParsedMail(error="empty message")
    try:
        message = BytesParser(policy=policy.default).parsebytes(raw)
    except Exception as exc:  # noqa: BLE001 - the parser is lenient; this is truly unreadable
        return ParsedMail(error=f"unreadable message: {exc.__class__.__name__}: {exc}")
    if not _looks_like_mail(message):
        return ParsedMail(error="not an email message: no header fields found", message=message)
    try:
        return _parsed(message)
    except RecursionError:
        return ParsedMail(error="message nested too deeply to read", message=message)


def _parsed(message: EmailMessage) -> ParsedMail:
    senders = addresses_read(_raw_header(message, "From"))
    from_name, from_addr = senders[0] if senders else ("", "")
    recipients = addresses_read(_raw_header(message, "To") + _raw_header(message, "Cc"))
    subject = _first(message, "Subject")
    message_ids = _MESSAGE_ID.findall(" ".join(map(str, _raw_header(message, "Message-ID"))))
    plain, html = _bodies(message)
    body_text = _normalise(plain if plain.strip() else html_to_text(html, drop_quotes=False))
    bounce = is_bounce(message, from_addr=from_addr, subject=subject)
    auto_reply = not bounce and is_auto_reply(message, subject=subject)
    reply_text = ""
    if not (bounce or auto_reply):
        source = plain if plain.strip() else html_to_text(html)
        reply_text = reply_extract(source, sender_name=from_name)
    return ParsedMail(
        message_id=message_ids[0] if message_ids else "",
        from_addr=from_addr,
        from_name=from_name,
        to=[addr for _, addr in recipients],
        subject=subject,
        date=_date_iso(message),
        in_reply_to=_ids(message),
        body_text=body_text.strip("\n"),
        reply_text=reply_text,
        items=items_split(reply_text),
        auto_reply=auto_reply,
        bounce=bounce,
        message=message,
    )
