"""Turning the bytes of a header or a body into text, whatever the sender declared.

Mail in the wild declares charsets that do not exist ("x-unknown", "utf8mb4"), names a
subset of what it really used (gb2312 for GBK text, iso-8859-1 for windows-1252 quotes,
shift_jis for cp932), declares nothing on an 8-bit body, or declares a single-byte
charset on UTF-8 bytes. We read the declaration as a hint, prefer the superset codecs
that browsers use for the same labels (WHATWG Encoding), and fall back to detection.
Decoding never raises: the last resort replaces what cannot be read.
"""

import codecs
import re

from charset_normalizer import from_bytes

# Labels that mean a bigger codec in practice (what WHATWG Encoding maps them to), and
# common misspellings. Keys are lower-cased with "_" turned into "-".
_SUPERSETS = {
    "us-ascii": "utf-8",  # 8-bit bytes under an ASCII label are nearly always UTF-8
    "ascii": "utf-8",
    "ansi-x3.4-1968": "utf-8",
    "iso-8859-1": "windows-1252",
    "latin1": "windows-1252",
    "latin-1": "windows-1252",
    "iso-8859-9": "windows-1254",
    "iso-8859-11": "cp874",
    "tis-620": "cp874",
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "cp936": "gb18030",
    "x-gbk": "gb18030",
    "euc-cn": "gb18030",
    "big5": "big5hkscs",
    "x-big5": "big5hkscs",
    "shift-jis": "cp932",
    "shift_jis": "cp932",
    "sjis": "cp932",
    "x-sjis": "cp932",
    "ms-kanji": "cp932",
    "windows-31j": "cp932",
    "iso-2022-jp": "iso2022_jp_ext",
    "euc-jp": "euc_jis_2004",
    "ks-c-5601-1987": "cp949",
    "ks_c_5601-1987": "cp949",
    "euc-kr": "cp949",
    "utf8": "utf-8",
    "utf8mb4": "utf-8",
    "x-unknown": "",
    "unknown": "",
    "unknown-8bit": "",
    "x-user-defined": "",
    "default": "",
    "charset": "",
}

_SINGLE_BYTE_FAMILIES = ("windows-125", "iso-8859", "cp125", "koi8", "mac", "cp874")


def codec_for(label: str | None) -> str:
    """The Python codec for a declared charset label, or "" when it names none we know."""
    if not label:
        return ""
    name = str(label).strip().strip("\"'").lower().replace("_", "-")
    if name in _SUPERSETS:
        return _SUPERSETS[name]
    try:
        return codecs.lookup(name).name
    except (LookupError, ValueError):
        return ""


def _is_single_byte(codec: str) -> bool:
    return codec.replace("_", "-").startswith(_SINGLE_BYTE_FAMILIES) or codec == "latin-1"


def _looks_western(data: bytes) -> bool:
    """High bytes in runs of one or two next to ASCII letters: "Gr\xf6\xdfe", "it\x92s".

    Detection libraries misread short, mostly-ASCII Latin-1 text as a CJK codec; in CJK
    and Cyrillic text the high bytes come in long runs (whole characters, whole words).
    """
    runs = re.finditer(rb"[\x80-\xff]+", data[:_SAMPLE])
    high = western = 0
    for run in runs:
        size = run.end() - run.start()
        high += size
        around = data[max(0, run.start() - 1) : run.start()] + data[run.end() : run.end() + 1]
        if size <= 2 and re.search(rb"[A-Za-z]", around):
            western += size
    return high > 0 and western / high >= 0.6


_SAMPLE = 65_536  # detection and the heuristics look at the head: bodies can be 30 MB


def _detected(data: bytes) -> str:
    best = from_bytes(data[:_SAMPLE]).best()
    return best.encoding if best is not None else ""


def text_decode(data: bytes, declared: str | None = None) -> str:
    """Decode `data`, trusting `declared` only as far as the bytes agree with it."""
    if not data:
        return ""
    codec = codec_for(declared)
    if data.isascii():
        # 7-bit bodies: ISO-2022-JP and UTF-7 are the only codecs that change ASCII bytes.
        if codec.startswith("iso2022") or codec == "utf-7":
            try:
                return data.decode(codec)
            except (UnicodeDecodeError, LookupError):
                pass
        return data.decode("ascii")
    if codec and not _is_single_byte(codec) and codec != "utf-8":
        try:
            return data.decode(codec)
        except (UnicodeDecodeError, LookupError):
            pass
    # UTF-8 is self-checking: bytes that decode as UTF-8 almost never were anything else,
    # whatever single-byte label the sender's client put on them.
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    if codec and codec != "utf-8":
        try:
            return data.decode(codec)
        except (UnicodeDecodeError, LookupError):
            pass
    # Mostly UTF-8 with a stray bad byte (a truncated line, a broken QP soft break):
    # replacing that byte beats decoding the whole text as some other script.
    lenient = data.decode("utf-8", errors="replace")
    bad = lenient.count("\ufffd")
    good = len(lenient) - len(lenient.encode("ascii", "ignore")) - bad
    if (not codec or codec == "utf-8" or _is_single_byte(codec)) and good and (
        bad <= max(1, good // 25)
    ):
        return lenient
    if _looks_western(data):
        try:
            return data.decode("windows-1252")
        except UnicodeDecodeError:
            pass
    guess = _detected(data)
    if guess:
        try:
            return data.decode(guess)
        except (UnicodeDecodeError, LookupError):
            pass
    return data.decode(codec or "utf-8", errors="replace")
