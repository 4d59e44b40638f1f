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
    return re.sub(r"\s+", " ", "".join(out).replace("\x00", "")).strip()


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
