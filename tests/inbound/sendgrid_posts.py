"""SendGrid Inbound Parse POSTs, byte for byte, for tests.

SendGrid posts multipart/form-data with CRLF framing, one part per field,
text fields in whatever charset the mail used (named in `charsets`) and
attachments as file parts. The payloads in tests/corpus/public/anymail_sendgrid
(captured by django-anymail) are replayed through `payload_post`.
"""

import base64
import json
from pathlib import Path

CORPUS = Path(__file__).resolve().parent.parent / "corpus" / "public" / "anymail_sendgrid"
BOUNDARY = "xYzZY"


def _bytes(value) -> bytes:
    return value if isinstance(value, bytes) else str(value).encode("utf-8")


def form_body(fields: dict, files: dict | None = None, boundary: str = BOUNDARY) -> bytes:
    """`fields`: name → str or bytes (bytes go out untouched, e.g. in latin-1).
    `files`: name → (filename, content_type, bytes)."""
    out = []
    for name, value in fields.items():
        out.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
                   .encode() + _bytes(value) + b"\r\n")
    for name, (filename, content_type, content) in (files or {}).items():
        out.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
            f'filename="{filename}"\r\nContent-Type: {content_type}\r\n\r\n'.encode()
            + content + b"\r\n"
        )
    out.append(f"--{boundary}--\r\n".encode())
    return b"".join(out)


def content_type(boundary: str = BOUNDARY) -> str:
    return f"multipart/form-data; boundary={boundary}"


def payload(name: str) -> dict:
    return json.loads((CORPUS / f"{name}.json").read_text())


def payload_post(name: str) -> tuple[bytes, str]:
    """(body, content type) of a captured payload, as SendGrid sent it."""
    data = payload(name)
    if data.get("raw_body_base64"):
        return base64.b64decode(data["raw_body_base64"]), data["content_type"]
    files = {}
    for field, spec in data.get("files", {}).items():
        content = (base64.b64decode(spec["content_base64"]) if "content_base64" in spec
                   else spec["content_text"].encode())
        files[field] = (spec["filename"], spec["content_type"], content)
    return form_body(data["fields"], files), content_type()


def raw_fields(message: bytes, *, envelope_to="reply+abc@in.localhost",
               envelope_from="ada@example.com", spf="pass", dkim="{@example.com : pass}",
               **extra) -> dict:
    """The fields of a raw-mode ("Send Raw") post carrying `message`."""
    fields = {
        "email": message,
        "envelope": json.dumps({"to": [envelope_to] if isinstance(envelope_to, str)
                                else envelope_to, "from": envelope_from}),
        "SPF": spf,
        "dkim": dkim,
        "spam_score": "0.1",
        "sender_ip": "192.0.2.1",
        "charsets": json.dumps({"to": "UTF-8", "from": "UTF-8", "subject": "UTF-8"}),
    }
    fields.update(extra)
    return fields


def reply_message(*, to: str, sender: str = "Ada Lovelace <ada@example.com>",
                  body: str = "- Shipped the importer\n- Reviewed #42\n",
                  message_id: str = "<reply-1@mail.example.com>", in_reply_to: str = "",
                  headers: str = "") -> bytes:
    """A member's reply as a mail client writes it (CRLF, UTF-8, quoted history)."""
    lines = [f"From: {sender}", f"To: {to}", "Subject: Re: What did you get done today?",
             f"Message-ID: {message_id}", "Date: Mon, 30 Nov 2026 18:02:11 +0000",
             "MIME-Version: 1.0", "Content-Type: text/plain; charset=utf-8",
             "Content-Transfer-Encoding: 8bit"]
    if in_reply_to:
        lines += [f"In-Reply-To: {in_reply_to}", f"References: {in_reply_to}"]
    lines += [h for h in headers.splitlines() if h]
    quoted = "\nOn Mon, 30 Nov 2026 at 17:00, Donemail wrote:\n> What did you get done today?\n"
    text = "\r\n".join(lines) + "\r\n\r\n" + (body + quoted).replace("\n", "\r\n")
    return text.encode("utf-8")


def big_message(size: int) -> bytes:
    """A message of exactly `size` bytes: headers and a long base64-looking body."""
    head = (b"From: Ada <ada@example.com>\r\nTo: reply+abc@in.localhost\r\n"
            b"Subject: A big one\r\nMessage-ID: <big@example.com>\r\nMIME-Version: 1.0\r\n"
            b"Content-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\n\r\n")
    line = b"QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNkZWZnaGlqa2xtbm9wcXJzdHV2d3h5ejAxMjM0\r\n"
    body = line * ((size - len(head)) // len(line) + 1)
    return head + body[: size - len(head)]
