"""The wire bytes of a rendered email, without the stdlib's email generator.

`EmailMultiAlternatives.message().as_bytes()` builds a tree of MIME objects
and walks it with email.generator, which re-folds every header through
email.header: about a millisecond a message, more than the SMTP transaction
itself (bench/outbound.py). Every email Donemail sends has one shape — a
multipart/alternative of a text/plain body and one text/html alternative,
UTF-8, no attachments — so for that shape `message_bytes` writes the same
bytes directly: the same headers in the same order, each validated and
encoded by Django's own forbid_multi_line_headers (no header injection,
RFC 2047 words, IDN addresses), folded by the stdlib's compat32 policy
unless it is short plain ASCII, and the same transfer encodings (7bit or
8bit, quoted-printable when a line is over 998 octets). Only the multipart
boundary differs, being random in both; tests/outbound/test_mime.py holds
the two byte for byte to each other. Any other shape, or a class or an
instance whose message() is its own, goes through Django.
"""

import functools
import random
import re
import sys
from email import policy
from email.charset import QP, Charset

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.core.mail.message import RFC5322_EMAIL_LINE_LENGTH_LIMIT, forbid_multi_line_headers

_FOLD = policy.compat32.clone(linesep="\r\n")
_MAX_LINE = 78
_MAX_LINE_CHARACTERS = RFC5322_EMAIL_LINE_LENGTH_LIMIT // 4 + 1
_SHARED_HEADERS = frozenset({
    "subject", "from", "auto-submitted", "x-donemail-kind", "list-unsubscribe-post",
})
# Header(value).encode() leaves a short ASCII value as it is unless it has
# runs of whitespace, tabs or an edge space to normalise: those take the slow path.
_VERBATIM = re.compile(r"[!-~]+(?: [!-~]+)*", re.ASCII)
_QP_CHARSET = Charset("utf-8")
_QP_CHARSET.body_encoding = QP
_BOUNDARY_WIDTH = len(repr(sys.maxsize - 1))
_SKIPPED_EXTRAS = frozenset({"from", "to", "cc", "reply-to"})


def message_bytes(email) -> bytes:
    """What `email.message().as_bytes(linesep="\\r\\n")` returns, faster for our shape."""
    if not _is_our_shape(email):
        return email.message().as_bytes(linesep="\r\n")
    text_part = _text_part(email.body, "plain")
    html_part = _text_part(email.alternatives[0][0], "html")
    boundary = _boundary(text_part, html_part)
    head = [_multipart_header(boundary), b"MIME-Version: 1.0\r\n"]
    head += [_header_line(name, value) for name, value in _headers(email)]
    marker = b"--" + boundary.encode("ascii")
    return b"".join((
        *head, b"\r\n", marker, b"\r\n", text_part, b"\r\n", marker, b"\r\n", html_part,
        b"\r\n", marker, b"--\r\n",
    ))


def _is_our_shape(email) -> bool:
    """Exactly Django's class, its message() not replaced on the instance: a
    subclass or a wrapper that changes message() must get what it asks for."""
    return (
        type(email) is EmailMultiAlternatives and "message" not in vars(email)
        and (email.encoding or settings.DEFAULT_CHARSET) == "utf-8"
        and email.content_subtype == "plain"
        and email.alternative_subtype == "alternative"
        and not email.attachments
        and isinstance(email.body, str) and email.body != ""
        and len(email.alternatives) == 1
        and email.alternatives[0][1] == "text/html"
        and isinstance(email.alternatives[0][0], str)
    )


def _headers(email):
    """(name, value) in the order EmailMessage.message() sets them."""
    yield "Subject", email.subject
    yield "From", email.extra_headers.get("From", email.from_email)
    for name, values in (("To", email.to), ("Cc", email.cc), ("Reply-To", email.reply_to)):
        if values:
            yield name, ", ".join(str(v) for v in values)
    names = {name.lower() for name in email.extra_headers}
    if "date" not in names or "message-id" not in names:
        # Django's defaults; rendering always sets both, this keeps the promise.
        reference = email.message()
        if "date" not in names:
            yield "Date", reference["Date"]
        if "message-id" not in names:
            yield "Message-ID", reference["Message-ID"]
    for name, value in email.extra_headers.items():
        if name.lower() not in _SKIPPED_EXTRAS:
            yield name, value


def _header_line(name: str, value: str) -> bytes:
    if name.lower() in _SHARED_HEADERS:
        return _shared_header_line(name, value)
    return _header(*forbid_multi_line_headers(name, value, "utf-8"))


@functools.lru_cache(maxsize=256)
def _shared_header_line(name: str, value: str) -> bytes:
    """Headers most messages of a batch share (a merge group's Subject, our
    From): encoded once. Django's encoding of a Subject alone costs more than
    all the per-member headers together."""
    return _header(*forbid_multi_line_headers(name, value, "utf-8"))


def _multipart_header(boundary: str) -> bytes:
    """The Content-Type line, folded as compat32 folds it (it is over 78
    characters). Every boundary _boundary() makes has the same length and
    characters, so every one folds alike: the fold is done once."""
    before, after = _multipart_header_around()
    return before + boundary.encode("ascii") + after


@functools.cache
def _multipart_header_around() -> tuple[bytes, bytes]:
    stand_in = "=" * 15 + "0" * _BOUNDARY_WIDTH + "=="
    folded = _header("Content-Type", f'multipart/alternative; boundary="{stand_in}"')
    before, after = folded.split(stand_in.encode("ascii"))
    return before, after


def _header(name: str, value: str) -> bytes:
    if len(name) + 2 + len(value) <= _MAX_LINE and _VERBATIM.fullmatch(value):
        return f"{name}: {value}\r\n".encode("ascii")
    return _FOLD.fold_binary(name, value)


def _text_part(payload: str, subtype: str) -> bytes:
    """One text/<subtype> part as SafeMIMEText writes it: headers, blank line, body."""
    lines = payload.splitlines()
    # A line over 998 octets has at least 250 characters (4 octets at most
    # each): only then are its octets counted.
    if max(map(len, lines), default=0) >= _MAX_LINE_CHARACTERS and any(
        len(line.encode(errors="surrogateescape")) > RFC5322_EMAIL_LINE_LENGTH_LIMIT
        for line in lines
    ):
        cte, text = "quoted-printable", _QP_CHARSET.body_encode(payload.encode("utf-8"))
    else:
        cte, text = ("7bit" if payload.isascii() else "8bit"), payload
    head = (f'Content-Type: text/{subtype}; charset="utf-8"\r\nMIME-Version: 1.0\r\n'
            f"Content-Transfer-Encoding: {cte}\r\n\r\n").encode("ascii")
    crlf = text.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\r\n")
    return head + crlf.encode("utf-8")


def _boundary(*parts: bytes) -> str:
    """A boundary as email.generator makes one: random, and in no part."""
    while True:
        boundary = "=" * 15 + f"{random.randrange(sys.maxsize):0{_BOUNDARY_WIDTH}d}" + "=="
        token = b"--" + boundary.encode("ascii")
        if not any(token in part for part in parts):
            return boundary
