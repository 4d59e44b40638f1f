"""Reading header values the way mail clients write them, not the way RFC 5322 wants.

We decode from the raw header string ourselves rather than through the email
package's header objects: those raise or give up on encoded words with unknown
charsets, base64 without padding, words split in the middle of a UTF-8 sequence, and
raw 8-bit bytes in headers — all of which real mail has.
"""

import base64
import binascii
import quopri
import re
from email.utils import getaddresses

from apps.inbound.charsets import text_decode

_ENCODED_WORD = re.compile(r"=\?([^?\s]+)\?([bBqQ])\?([^?]*)\?=")
_BETWEEN_WORDS = re.compile(r"^[ \t\r\n]*$")


def _raw_bytes(value: str) -> bytes:
    """Header strings from a bytes parse carry 8-bit bytes as surrogate escapes."""
    return value.encode("utf-8", "surrogateescape")


def _word_bytes(encoding: str, text: str) -> bytes:
    if encoding.lower() == "q":
        return quopri.decodestring(text.replace("_", " ").encode("latin-1", "replace"))
    data = re.sub(r"[^A-Za-z0-9+/]", "", text)
    data += "=" * (-len(data) % 4)
    try:
        return base64.b64decode(data)
    except (binascii.Error, ValueError):
        return b""


def header_decode(value: object) -> str:
    """Unfold and decode one header value into text; never raises."""
    if value is None:
        return ""
    raw = _raw_bytes(str(value))
    text = text_decode(raw) if not raw.isascii() else raw.decode("ascii")
    text = re.sub(r"\r?\n[ \t]", " ", text).replace("\r", "").replace("\n", " ")
    out: list[str] = []
    pending: list[tuple[str, bytes]] = []  # adjacent encoded words, joined before decoding
    pos = 0

    def flush():
        if pending:
            charset = pending[0][0]
            out.append(text_decode(b"".join(chunk for _, chunk in pending), charset))
            pending.clear()

    for match in _ENCODED_WORD.finditer(text):
        between = text[pos : match.start()]
        if not (pending and _BETWEEN_WORDS.match(between)):
            flush()
            out.append(between)
        charset = match.group(1).split("*", 1)[0]  # RFC 2231 language suffix
        chunk = _word_bytes(match.group(2), match.group(3))
        if pending and pending[0][0].lower() != charset.lower():
            flush()
        pending.append((charset, chunk))
        pos = match.end()
    flush()
    out.append(text[pos:])
    text = "".join(out)
    if not text.isascii():
        text = text.encode("utf-8", "replace").decode("utf-8")  # lone surrogates
    return re.sub(r"\s+", " ", re.sub(r"[\x00-\x08\x0e-\x1f\x7f]", "", text)).strip()


def addresses_read(values: list[str]) -> list[tuple[str, str]]:
    """(display name, lower-cased address) pairs from raw address headers.

    Addresses are split on the raw value, so a comma inside an encoded display name
    ("=?utf-8?q?Doe=2C_John?=") does not split one person into two.
    """
    unfolded = [re.sub(r"\r?\n[ \t]", " ", str(v)) for v in values if v]
    try:
        pairs = getaddresses(unfolded)
    except Exception:  # noqa: BLE001 - the stdlib's address parser has raised on junk
        return []
    result = []
    for name, addr in pairs:
        addr = header_decode(addr).strip().strip("<>").lower()
        if "@" not in addr:
            continue
        result.append((header_decode(name).strip().strip('"').strip(), addr))
    return result


# -- reading MIME structure headers cheaply ---------------------------------------------
# The email package re-parses Content-Type with its full RFC 2045 grammar on every
# get_content_type()/get_param() call; that was most of parse()'s time. We only need the
# type and a few parameters, read once from the raw value.

_PARAM = re.compile(r';\s*([!#$%&\'*+.^_`|~0-9A-Za-z-]+)\s*=\s*("(?:[^"\\]|\\.)*"|[^;\s]*)')


def raw_values(message, name: str) -> list[str]:
    """Raw values of one header (as received, before the policy's parsing)."""
    name = name.lower()
    return [str(value) for key, value in message.raw_items() if key.lower() == name]


def first_value(message, name: str) -> str:
    values = raw_values(message, name)
    return header_decode(values[0]) if values else ""


def _type_and_params(raw: str) -> tuple[str, dict[str, str]]:
    raw = re.sub(r"\r?\n[ \t]", " ", raw)
    main = raw.split(";", 1)[0].strip().lower()
    params = {}
    for name, value in _PARAM.findall(raw):
        if value.startswith('"'):
            value = re.sub(r"\\(.)", r"\1", value[1:-1])
        params.setdefault(name.lower(), value)
    return main, params


def content_type(message) -> tuple[str, dict[str, str]]:
    """(type/subtype, parameters) with the RFC 2045 defaults for missing or junk types."""
    values = raw_values(message, "Content-Type")
    ctype, params = _type_and_params(values[0]) if values else ("", {})
    if ctype.count("/") != 1 or not all(ctype.split("/")):
        ctype = "message/rfc822" if _inside_digest(message) else "text/plain"
    return ctype, params


def _inside_digest(message) -> bool:
    return message.get_default_type() == "message/rfc822"


def disposition(message) -> tuple[str, dict[str, str]]:
    values = raw_values(message, "Content-Disposition")
    return _type_and_params(values[0]) if values else ("", {})
