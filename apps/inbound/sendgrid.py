"""What SendGrid's Inbound Parse POST means: raw message bytes plus the envelope.

Raw mode ("Send Raw" on, which we recommend) posts the whole MIME message in
`email`; we keep those bytes exactly. The default mode posts the message
taken apart (`headers`, `text`, `html`, attachments as file parts, each text
field in the charset named in `charsets`); we put it back together as one
MIME message, so the parser and the admin see one shape whatever the mode.
"""

import json
import logging
import ntpath
import posixpath
import re
from dataclasses import dataclass
from email.message import EmailMessage
from email.policy import SMTP, default as default_policy

from .formdata import FormData, Part

logger = logging.getLogger(__name__)

# Headers describing the body SendGrid took apart: ours replace them.
_BODY_HEADERS = {"content-type", "content-transfer-encoding", "mime-version"}
_HEADER_END = re.compile(rb"\r?\n\r?\n")
_ATTACHMENT = re.compile(r"^attachment(\d+)$")


@dataclass
class Delivery:
    raw: bytes
    mode: str  # InboundEmail.Mode
    envelope: dict
    spf: str
    dkim: str
    spam_score: float | None


def _json_field(form: FormData, name: str) -> dict:
    text = form.text(name).strip()
    if not text:
        return {}
    try:
        value = json.loads(text)
    except ValueError:
        return {"unreadable": text[:2000]}
    return value if isinstance(value, dict) else {"unreadable": text[:2000]}


def _spam_score(form: FormData) -> float | None:
    try:
        return float(form.text("spam_score").strip())
    except ValueError:
        return None


def delivery_read(form: FormData, *, keep_body: bool = True) -> Delivery:
    """The message and its envelope from a webhook form.

    With keep_body=False (a post too large to store) only the message's
    header section is kept in `raw`.
    """
    raw_mode = "email" in form
    if raw_mode:
        raw = form.bytes("email")
    elif keep_body:
        raw = message_rebuild(form)
    else:
        raw = _crlf(form.bytes("headers"))
    if not keep_body:
        raw = header_section(raw)
    return Delivery(
        raw=raw,
        mode="raw" if raw_mode else "parsed",
        envelope=_json_field(form, "envelope"),
        spf=form.text("SPF").strip()[:64],
        dkim=form.text("dkim").strip(),
        spam_score=_spam_score(form),
    )


def header_section(raw: bytes) -> bytes:
    """The header lines of a message, up to (and with) the blank line."""
    match = _HEADER_END.search(raw)
    return raw[: match.end()] if match else raw


def _crlf(data: bytes) -> bytes:
    return re.sub(rb"\r?\n", b"\r\n", data)


def _charsets(form: FormData) -> dict[str, str]:
    return {str(k).lower(): str(v) for k, v in _json_field(form, "charsets").items()}


def _one_line(value) -> str:
    """A posted value as one line of printable text (it goes into a header)."""
    return " ".join("".join(c if c.isprintable() else " " for c in str(value or "")).split())


def _safe_filename(name) -> str:
    """SendGrid passes the sender's file name through: keep its last path piece."""
    base = posixpath.basename(ntpath.basename(_one_line(name))).strip()
    return "" if base in ("", ".", "..") else base


_TOKEN = re.compile(r"^[a-z0-9][a-z0-9!#$&^_.+-]*$")


def _attachment_info(form: FormData) -> dict:
    info = _json_field(form, "attachment-info")
    return {k: v for k, v in info.items() if isinstance(v, dict)}


def _attachment_parts(form: FormData) -> list[Part]:
    """attachment1..N by number (a part posted with filename="" has no
    filename at all once parsed, so the name is what says it is one)."""
    found = [(int(m.group(1)), part) for name, part in form.parts.items()
             if (m := _ATTACHMENT.match(name))]
    return [part for _, part in sorted(found, key=lambda pair: pair[0])]


def _attach(body: EmailMessage, form: FormData) -> None:
    info = _attachment_info(form)
    for part in _attachment_parts(form):
        meta = info.get(part.name, {})
        ctype = _one_line(meta.get("type") or part.content_type or "application/octet-stream")
        maintype, _, subtype = ctype.split(";")[0].strip().lower().partition("/")
        if not (_TOKEN.match(maintype) and _TOKEN.match(subtype)):
            maintype, subtype = "application", "octet-stream"
        if maintype == "message" or maintype == "multipart":
            maintype, subtype = "application", "octet-stream"  # keep the bytes exactly
        filename = _safe_filename(meta.get("filename") or part.filename or "")
        cid = _one_line(meta.get("content-id")).strip("<>").replace(" ", "")
        body.add_attachment(
            part.read(), maintype=maintype, subtype=subtype,
            filename=filename or None,
            disposition="inline" if cid else "attachment",
            cid=f"<{cid}>" if cid else None,
        )


def message_rebuild(form: FormData) -> bytes:
    """One MIME message from parsed-mode fields.

    The original header block (`headers`) is kept byte for byte, so
    Message-ID, References, Received and DKIM-Signature survive; only the
    body headers are ours. `text` and `html` are decoded with the charsets
    SendGrid names and re-encoded as UTF-8.
    """
    charsets = _charsets(form)
    body = EmailMessage(policy=default_policy)  # text keeps \n; the wire form gets CRLF
    text = form.text("text", charsets.get("text", "utf-8")) if "text" in form else None
    html = form.text("html", charsets.get("html", "utf-8")) if "html" in form else None
    if text is not None or html is None:
        body.set_content(text or "", charset="utf-8")
        if html is not None:
            body.add_alternative(html, subtype="html", charset="utf-8")
    else:
        body.set_content(html, subtype="html", charset="utf-8")
    if _attachment_parts(form):
        # One multipart/mixed, inline images marked inline with their Content-ID:
        # the stdlib cannot wrap an alternative in multipart/related, and nothing
        # downstream renders the mail, so the simpler shape loses nothing.
        body.make_mixed()
        _attach(body, form)

    headers = _crlf(form.bytes("headers").strip(b"\r\n"))
    lines = _header_lines(headers)
    if not lines:  # no header block posted: make one from the plain fields
        for name in ("from", "to", "cc", "subject"):
            # One line: a field with a line break must not become a header injection.
            value = " ".join(form.text(name, charsets.get(name, "utf-8")).split())
            if value:
                try:
                    body[name.capitalize()] = value
                except (ValueError, TypeError, IndexError) as exc:  # unparseable address
                    logger.warning("parsed-mode field %s left out of the rebuild: %s", name, exc)
        return body.as_bytes(policy=SMTP)
    kept = [line for line in lines if _header_name(line) not in _BODY_HEADERS]
    return b"".join(kept) + body.as_bytes(policy=SMTP)


def _header_lines(headers: bytes) -> list[bytes]:
    """Split a header block into whole (unfolded-together) header fields."""
    lines: list[bytes] = []
    for line in headers.split(b"\r\n"):
        if not line:
            continue
        if line[:1] in (b" ", b"\t") and lines:
            lines[-1] += line + b"\r\n"
        else:
            lines.append(line + b"\r\n")
    return lines


def _header_name(line: bytes) -> str:
    return line.split(b":", 1)[0].strip().decode("latin-1").lower()
