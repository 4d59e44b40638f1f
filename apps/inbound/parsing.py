"""Raw email bytes in, `ParsedMail` out: headers, the whole text, the new reply and its items.

Pure functions, no database (DESIGN.md: the parser is a handful of small pure
functions). mail-parser reads the Date header (it knows the obsolete forms); the
standard library (policy=default) gives the `EmailMessage` the services keep. The body
is chosen and decoded by our own code: mail-parser's text extraction decodes with the
declared charset and drops what does not fit (errors="ignore"), and the stdlib's
get_content() raises on unknown charsets — real mail declares charsets wrongly all the
time (see charsets.py). Headers are read from their raw values for the same reason
(see headers.py).

`parse` never raises for bad mail: unreadable input comes back with `error` set.
"""

import re
from datetime import timezone
from email import policy
from email.message import EmailMessage, Message
from email.parser import BytesParser
from email.utils import parsedate_to_datetime

from mailparser.dates import parse_mail_date

from apps.inbound.autoreply import is_auto_reply, is_bounce
from apps.inbound.charsets import text_decode
from apps.inbound.flowed import unflow
from apps.inbound.headers import (
    addresses_read,
    content_type,
    disposition,
    first_value,
    header_decode,
    raw_values,
)
from apps.inbound.html_text import html_to_text
from apps.inbound.items import items_split
from apps.inbound.parsed import ParsedMail
from apps.inbound.quotes import history_strip
from apps.inbound.signatures import signature_strip


_MESSAGE_ID = re.compile(r"<[^<>\s]+>")
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)
_META_CHARSET = re.compile(rb"<meta[^>]+charset=[\"']?([A-Za-z0-9_:.-]+)", re.I)
_MAX_PART = 5_000_000
_MAX_REPLY_CHARS = 200_000
_MAX_REPLY_LINES = 5_000  # characters of one text part we read; the rest is not a reply


def _date_iso(message: Message) -> str:
    values = raw_values(message, "Date")
    if not values:
        return ""
    text = header_decode(values[0])
    try:
        value = parse_mail_date(text).value
    except Exception:  # noqa: BLE001 - a broken Date header only loses the date
        value = None
    if value is None:
        # mail-parser refuses some dates the stdlib still reads ("1 Dec 2026 17:00 CET").
        try:
            value = parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError, OverflowError):
            return ""
        if value.tzinfo is None:
            value = value.replace(tzinfo=timezone.utc)
        value = value.astimezone(timezone.utc)
    return value.isoformat()


def _message_id(message: Message) -> str:
    """The first Message-ID, with <>; a bare id from a careless client gets them added."""
    values = raw_values(message, "Message-ID")
    found = _MESSAGE_ID.findall(clean_text(" ".join(values)))
    if found:
        return found[0]
    bare = header_decode(values[0]).split() if values else []
    return f"<{bare[0].strip('<>')}>" if bare and "@" in bare[0] else ""


def _ids(message: Message) -> list[str]:
    ids: list[str] = []
    for name in ("In-Reply-To", "References"):
        for value in raw_values(message, name):
            for found in _MESSAGE_ID.findall(clean_text(str(value))):
                if found not in ids:
                    ids.append(found)
    return ids


def _part_text(part: Message, params: dict[str, str], subtype: str) -> str:
    try:
        payload = part.get_payload(decode=True)
    except Exception:  # noqa: BLE001 - broken base64/QP/uuencode: read what is there
        payload = None
    if payload is None:
        raw = part.get_payload()
        payload = raw.encode("utf-8", "surrogateescape") if isinstance(raw, str) else b""
    charset = params.get("charset")
    if not charset and subtype == "html":
        # No charset in the MIME header: the page may still say it in a <meta> tag.
        found = _META_CHARSET.search(payload[:4096])
        charset = found.group(1).decode("ascii") if found else None
    text = text_decode(payload[:_MAX_PART], charset)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")
    if subtype == "plain" and params.get("format", "").lower() == "flowed":
        text = unflow(text, delsp=params.get("delsp", "").lower() == "yes")
    return text


def _looks_like_text(part: Message) -> bool:
    """Broken mailers label text application/octet-stream; a real binary has NULs early."""
    try:
        head = (part.get_payload(decode=True) or b"")[:8192]
    except Exception:  # noqa: BLE001
        return False
    controls = sum(byte < 9 or 13 < byte < 32 for byte in head)
    return b"\x00" not in head and controls <= len(head) // 20


def _is_attachment(part: Message) -> bool:
    kind, params = disposition(part)
    return kind == "attachment" or (kind == "inline" and bool(params.get("filename")))


_BOUNDARY_LINE = re.compile(r"^--([^\s]{1,200})[ \t]*$", re.M)


def _parts_by_guessed_boundary(part: Message) -> list[Message]:
    """A multipart whose declared boundary never occurs: split on the one its body uses.

    Broken mailers and spam tools write one boundary in the header and another in the
    body; the stdlib then sees no parts at all, and the text would be lost.
    """
    payload = part.get_payload()
    if not isinstance(payload, str):
        return []
    found = _BOUNDARY_LINE.search(payload)
    if not found:
        return []
    head = f'Content-Type: multipart/mixed; boundary="{found.group(1)}"\r\n\r\n'
    try:
        rebuilt = BytesParser(policy=policy.default).parsebytes(
            head.encode() + payload.encode("utf-8", "surrogateescape")
        )
    except Exception:  # noqa: BLE001 - recovery is best effort
        return []
    children = rebuilt.get_payload()
    return [child for child in children if isinstance(child, Message)] if isinstance(
        children, list
    ) else []


def _bodies(message: Message) -> tuple[str, str]:
    """The first text/plain and text/html bodies of the message itself.

    Parts inside an attached message/rfc822 belong to someone else's mail, and parts with
    a filename are attachments, so neither is the member's text.
    """
    plain = html = None
    stack = [message]
    while stack:
        part = stack.pop(0)
        ctype, params = content_type(part)
        if part.is_multipart():
            children = part.get_payload()
            if isinstance(children, list):
                stack[0:0] = [child for child in children if isinstance(child, Message)]
            continue
        if ctype.startswith("multipart/"):
            stack[0:0] = _parts_by_guessed_boundary(part)
            continue
        if ctype == "message/rfc822" or _is_attachment(part) and part is not message:
            continue
        subtype = ctype.split("/", 1)[1]
        if ctype == "text/plain" and plain is None:
            plain = _part_text(part, params, subtype)
        elif ctype == "text/html" and html is None:
            html = _part_text(part, params, subtype)
        elif part is message and ctype not in ("text/plain", "text/html"):
            if ctype.startswith("text/") or ctype == "application/octet-stream" and (
                _looks_like_text(part)
            ):
                plain = _part_text(part, params, subtype)
    return plain or "", html or ""


def clean_text(text: str) -> str:
    """Text any store can take: no lone surrogates (8-bit bytes the parser kept) and no
    control characters but tab and newline (PostgreSQL refuses NUL outright)."""
    text = text.encode("utf-8", "replace").decode("utf-8") if not text.isascii() else text
    return _CONTROLS.sub("", text)


def _normalise(text: str) -> str:
    text = clean_text(text)
    text = text.translate(_INVISIBLE).replace("\xa0", " ").replace("\u3000", " ")
    return "\n".join(line.rstrip() for line in text.split("\n"))


def reply_extract(text: str, *, sender_name: str = "") -> str:
    """The new text of a reply: `text` without quoted history and signature.

    Only the head of a huge body is read: a reply is at the top and short, and the line
    rules must not let a 30 MB message hold a worker for minutes.
    """
    head = text[:_MAX_REPLY_CHARS].split("\n")[:_MAX_REPLY_LINES]
    text = history_strip(_normalise("\n".join(head)))
    text = signature_strip(text, sender_name=sender_name)
    return text.strip("\n").strip()


def _looks_like_mail(message: Message) -> bool:
    names = [key for key, _ in message.raw_items()]
    return bool(names) and all(re.fullmatch(r"[!-9;-~]+", name or "") for name in names[:3])


def parse(raw: bytes) -> ParsedMail:
    """Read one raw RFC 5322 message. Never raises for bad mail (see ParsedMail.error)."""
    if not isinstance(raw, (bytes, bytearray, memoryview)):
        return ParsedMail(error=f"expected bytes, got {type(raw).__name__}")
    # Files saved by editors and tools can start with a byte-order mark or blank lines.
    raw = bytes(raw).removeprefix(b"\xef\xbb\xbf").lstrip(b"\r\n")
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
    senders = addresses_read(raw_values(message, "From"))
    from_name, from_addr = senders[0] if senders else ("", "")
    recipients = addresses_read(raw_values(message, "To") + raw_values(message, "Cc"))
    subject = first_value(message, "Subject")
    plain, html = _bodies(message)
    body_text = _normalise(plain if plain.strip() else html_to_text(html, drop_quotes=False))
    bounce = is_bounce(message, from_addr=from_addr, subject=subject)
    auto_reply = not bounce and is_auto_reply(message, subject=subject)
    reply_text = ""
    if not (bounce or auto_reply):
        source = plain if plain.strip() else html_to_text(html)
        local_part = re.sub(r"[._+-]+", " ", from_addr.split("@", 1)[0])
        reply_text = reply_extract(source, sender_name=f"{from_name} {local_part}")
    return ParsedMail(
        message_id=_message_id(message),
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
