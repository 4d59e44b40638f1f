"""Property-based fuzzing: whatever bytes arrive, parse() returns a ParsedMail.

Broken MIME is generated two ways: real corpus messages damaged the ways transports and
spammers damage them (truncation, wrong or missing boundaries, bad base64 and
quoted-printable, garbage charset names, huge headers, NULs, random byte flips), and
messages assembled from scratch with random structure and headers.
"""

import json
import random
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from apps.inbound.parsed import ParsedMail
from apps.inbound.parsing import parse
from tests.inbound.corpus import OWN, PUBLIC

SEEDS = sorted(OWN.glob("*/*.eml"))[::7] + sorted(PUBLIC.glob("spamscope_mail_parser/*.eml"))
SEEDS = [path.read_bytes() for path in SEEDS]
FUZZ = settings(max_examples=150, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def _check(raw: bytes) -> ParsedMail:
    parsed = parse(raw)
    assert isinstance(parsed, ParsedMail)
    assert isinstance(parsed.reply_text, str) and isinstance(parsed.body_text, str)
    assert all(isinstance(item, str) and item for item in parsed.items)
    assert isinstance(parsed.auto_reply, bool) and isinstance(parsed.bounce, bool)
    record = parsed.as_json()
    json.dumps(record, ensure_ascii=False).encode("utf-8")  # what the CLI prints
    for value in (parsed.message_id, parsed.from_addr, parsed.from_name, parsed.subject,
                  parsed.date, parsed.body_text, parsed.reply_text, *parsed.items, *parsed.to,
                  *parsed.in_reply_to):
        value.encode("utf-8")  # no lone surrogates: the database and stdout must take it
        assert "\x00" not in value  # PostgreSQL refuses NUL in text
    if parsed.auto_reply or parsed.bounce or parsed.error:
        assert parsed.reply_text == "" and parsed.items == []
    return parsed


def _damage(raw: bytes, rng: random.Random, kind: str) -> bytes:
    if kind == "truncate":
        return raw[: rng.randrange(len(raw) + 1)]
    if kind == "boundary":
        start = raw.find(b"boundary=")
        if start < 0:
            return raw.replace(b"\r\n\r\n", b"\r\n--x\r\n\r\n", 1)
        return raw[:start] + b"boundary=\"" + bytes(rng.randrange(33, 127) for _ in range(8)) \
            + b"\"" + raw[start + 9 :]
    if kind == "drop-boundaries":
        return b"\r\n".join(line for line in raw.split(b"\r\n") if not line.startswith(b"--"))
    if kind == "base64":
        return raw.replace(b"Content-Transfer-Encoding: 7bit", b"Content-Transfer-Encoding: base64"
                           ).replace(b"Content-Transfer-Encoding: quoted-printable",
                                     b"Content-Transfer-Encoding: base64") + b"=!*\x00"
    if kind == "qp":
        return raw.replace(b"Content-Transfer-Encoding: base64",
                           b"Content-Transfer-Encoding: quoted-printable").replace(b"=", b"=Z")
    if kind == "charset":
        junk = bytes(rng.randrange(1, 256) for _ in range(rng.randrange(1, 30)))
        return raw.replace(b"charset=", b"charset=" + junk.replace(b"\r", b"").replace(b"\n", b"")
                           + b"x", 1) if b"charset=" in raw else raw
    if kind == "huge-header":
        return b"X-Huge: " + b"a" * rng.randrange(10_000, 200_000) + b"\r\n" + raw
    if kind == "nul":
        position = rng.randrange(len(raw) + 1)
        return raw[:position] + b"\x00" * rng.randrange(1, 50) + raw[position:]
    flips = bytearray(raw)
    for _ in range(rng.randrange(1, 40)):
        if flips:
            flips[rng.randrange(len(flips))] = rng.randrange(256)
    return bytes(flips)


KINDS = ["truncate", "boundary", "drop-boundaries", "base64", "qp", "charset", "huge-header",
         "nul", "flip"]


@FUZZ
@given(seed=st.sampled_from(range(len(SEEDS))), kinds=st.lists(st.sampled_from(KINDS),
       min_size=1, max_size=3), salt=st.integers(0, 2**32))
def test_damaged_real_mail_never_raises(seed, kinds, salt):
    rng = random.Random(salt)
    raw = SEEDS[seed]
    for kind in kinds:
        raw = _damage(raw, rng, kind)
    _check(raw)


HEADER_NAMES = st.sampled_from([
    "From", "To", "Cc", "Subject", "Message-ID", "Date", "In-Reply-To", "References",
    "Content-Type", "Content-Transfer-Encoding", "Content-Disposition", "Auto-Submitted",
    "Precedence", "X-Autoreply", "MIME-Version",
])
CONTENT_TYPES = st.sampled_from([
    "text/plain", "text/html", "multipart/alternative", "multipart/mixed", "multipart/report",
    "message/rfc822", "application/octet-stream", "text/enriched", "image/png", "garbage",
])
TEXT = st.text(alphabet=st.characters(codec="utf-8"), max_size=200)


@st.composite
def _part(draw, depth=0):
    ctype = draw(CONTENT_TYPES)
    charset = draw(st.sampled_from(["utf-8", "iso-8859-1", "koi8-r", "gb2312", "x-bogus",
                                    "iso-2022-jp", "", "utf-7", "shift_jis"]))
    cte = draw(st.sampled_from(["7bit", "8bit", "base64", "quoted-printable", "x-uuencode",
                                "binary", "bogus"]))
    head = f"Content-Type: {ctype}; charset={charset}\r\nContent-Transfer-Encoding: {cte}\r\n"
    if ctype.startswith("multipart/") and depth < 4:
        boundary = draw(st.text(alphabet="abc'()+_,-./:=? ", min_size=0, max_size=20))
        head = f"Content-Type: {ctype}; boundary=\"{boundary}\"\r\n"
        children = draw(st.lists(_part(depth=depth + 1), max_size=3))
        body = b"".join(f"--{boundary}\r\n".encode() + child + b"\r\n" for child in children)
        if draw(st.booleans()):
            body += f"--{boundary}--\r\n".encode()
        return head.encode("utf-8", "replace") + b"\r\n" + body
    body = draw(st.one_of(TEXT.map(lambda t: t.encode("utf-8")), st.binary(max_size=300)))
    return head.encode("utf-8", "replace") + b"\r\n" + body


@FUZZ
@given(headers=st.lists(st.tuples(HEADER_NAMES, TEXT), max_size=12), part=_part())
def test_mail_assembled_from_random_parts_never_raises(headers, part):
    head = "".join(f"{name}: {value}\r\n" for name, value in headers)
    _check(head.encode("utf-8", "surrogatepass") + part)


@FUZZ
@given(raw=st.binary(max_size=2000))
def test_arbitrary_bytes_never_raise(raw):
    _check(raw)


def test_deeply_nested_multiparts_give_an_answer():
    raw = b"From: a@example.com\r\nSubject: deep\r\n"
    for level in range(3000):
        raw += f"Content-Type: multipart/mixed; boundary=\"b{level}\"\r\n\r\n".encode()
        raw += f"--b{level}\r\n".encode()
    raw += b"Content-Type: text/plain\r\n\r\nhello\r\n"

    parsed = _check(raw)

    assert parsed.error or parsed.reply_text in ("", "hello")


def test_a_huge_header_and_a_huge_line_give_an_answer():
    raw = (b"From: a@example.com\r\nSubject: " + b"x" * 1_000_000 + b"\r\n\r\n"
           + b"> " * 500_000 + b"\r\nDone the export\r\n")

    parsed = _check(raw)

    assert parsed.from_addr == "a@example.com"


def test_every_corpus_file_survives_truncation_at_every_kilobyte():
    raw = (OWN / "outlook").glob("*.eml").__next__().read_bytes()
    for end in range(0, len(raw), 1024):
        _check(raw[:end])


@pytest.mark.parametrize("body", [
    "a:\n" * 200_000,  # every line could start an attribution or a header block
    "From: x\n" * 100_000,
    "Shipped X\n\nThanks,\n" + "1 " * 200_000,  # a phone-number-shaped tail
    "On " + "1 a@b.c " * 50_000 + " wrote:",
    "- a\n" * 100_000,
    "-" * 500_000,
], ids=["colons", "from-labels", "digits", "attribution", "bullets", "dashes"])
def test_bodies_built_to_make_line_rules_slow_still_finish(body):
    """No timing is asserted (bench/ measures speed); pytest-timeout ends a hang."""
    _check(b"From: a@example.com\r\nSubject: x\r\n\r\n" + body.encode())


@pytest.mark.parametrize("html", ["<" * 1_000_000, "<div>" * 100_000, "<!--" * 100_000])
def test_html_built_to_make_the_converter_slow_still_finishes(html):
    _check(b"From: a@example.com\r\nContent-Type: text/html\r\n\r\n" + html.encode())
