"""Read a multipart/form-data POST as a stream of bytes, part by part.

Django's own parser would do for ordinary forms, but not for SendGrid: it
refuses non-file fields over DATA_UPLOAD_MAX_MEMORY_SIZE (raw mode's `email`
field holds the whole message, up to 30 MB) with a 400 that makes SendGrid
drop the mail, and it decodes every field as UTF-8, which garbles raw 8-bit
messages and parsed-mode `text`/`html` in their own charsets. So we drive
werkzeug's sans-IO decoder ourselves: chunks go from the socket to one
spooled temporary file per part (memory up to a small size, disk beyond),
bytes stay bytes, and nothing is held twice.
"""

import tempfile
from dataclasses import dataclass, field

from werkzeug.http import parse_options_header
from werkzeug.sansio.multipart import (
    Data, Epilogue, Field, File, MultipartDecoder, NeedData,
)

CHUNK = 64 * 1024
SPOOL_IN_MEMORY = 1024 * 1024  # a part above this goes to a temporary file


class MalformedForm(ValueError):
    """The body is not multipart/form-data we can read."""


@dataclass
class Part:
    name: str
    filename: str | None
    content_type: str
    size: int = 0
    truncated: bool = False  # more arrived than `keep` allowed; the rest was dropped
    file: tempfile.SpooledTemporaryFile = field(
        default_factory=lambda: tempfile.SpooledTemporaryFile(max_size=SPOOL_IN_MEMORY),
        repr=False,
    )

    def read(self) -> bytes:
        self.file.seek(0)
        return self.file.read()


@dataclass
class FormData:
    parts: dict[str, Part] = field(default_factory=dict)

    def __contains__(self, name: str) -> bool:
        return name in self.parts

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def bytes(self, name: str) -> bytes:
        part = self.parts.get(name)
        return part.read() if part else b""

    def text(self, name: str, charset: str = "utf-8") -> str:
        """A field decoded with `charset` (UTF-8 unless SendGrid named one);
        undecodable bytes become U+FFFD rather than an error."""
        try:
            return self.bytes(name).decode(charset, errors="replace")
        except LookupError:  # a charset Python does not know
            return self.bytes(name).decode("utf-8", errors="replace")

    def close(self) -> None:
        for part in self.parts.values():
            part.file.close()


def _boundary(content_type: str) -> bytes:
    mimetype, options = parse_options_header(content_type)
    if mimetype != "multipart/form-data" or not options.get("boundary"):
        raise MalformedForm(f"expected multipart/form-data with a boundary, got {content_type!r}")
    return options["boundary"].encode("latin-1")


def form_read(*, stream, content_type: str, length: int, keep: int | None = None) -> FormData:
    """Read `length` bytes of form data from `stream` (anything with read(n)).

    `keep` bounds the bytes kept per part (the rest is read and dropped), for
    posts too large to store whole whose headers we still want to record.
    """
    decoder = MultipartDecoder(_boundary(content_type))
    form, current, remaining = FormData(), None, length
    try:
        while True:
            event = decoder.next_event()
            if isinstance(event, NeedData):
                chunk = stream.read(min(CHUNK, remaining)) if remaining > 0 else b""
                remaining -= len(chunk)
                decoder.receive_data(chunk or None)  # None: the body ended
            elif isinstance(event, (Field, File)):
                current = Part(
                    name=event.name,
                    filename=event.filename if isinstance(event, File) else None,
                    content_type=event.headers.get("content-type", ""),
                )
                form.parts.setdefault(event.name, current)
            elif isinstance(event, Data) and current is not None:
                _append(current, event.data, keep)
            elif isinstance(event, Epilogue):
                return form
    except ValueError as exc:  # werkzeug's word for a broken body (incl. bad part headers)
        form.close()
        raise MalformedForm(f"unreadable form data: {exc}") from exc


def _append(part: Part, data: bytes, keep: int | None) -> None:
    if keep is not None and part.size + len(data) > keep:
        data, part.truncated = data[: max(0, keep - part.size)], True
    part.file.write(data)
    part.size += len(data)
