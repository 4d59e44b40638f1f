"""SendGrid's Web API v3 (`POST /v3/mail/send`) through the `sendgrid` package.

The API takes JSON, not MIME: we send the parts of the rendered message
(from, to, subject, the text and HTML bodies, reply_to, our own headers) and
SendGrid builds the MIME itself. So:

- From, To, Cc, Bcc, Subject and Reply-To go in their JSON fields; SendGrid
  refuses them (and x-sg-id, x-sg-eid, received, dkim-signature, Content-Type,
  Content-Transfer-Encoding) in `headers` with a 400, so they are never put there.
- Message-ID goes in `headers`: SendGrid keeps a Message-ID it is given (and
  reports it as smtp-id), so replies thread to our stable id. List-Unsubscribe
  and List-Unsubscribe-Post go there too, verbatim (turn off SendGrid's own
  subscription tracking, or it adds a second List-Unsubscribe).
- `custom_args: {"donemail_id": "<pk>"}` comes back on every event SendGrid
  posts to the event webhook, which is how apps/delivery finds the row.
- The VERP envelope_from is not used: SendGrid owns the return path and
  reports bounces as events instead.

The package sets no timeout (a hung API would hang the worker), so every
request gets one. Mapping: 202 → sent with X-Message-Id; 429 → temporary with
retry_after from X-RateLimit-Reset; 5xx, timeouts and connection errors →
temporary; 400/401/403/413 → permanent with SendGrid's error messages; any
other status → temporary (an operator can fix it and the mail will go).
"""

import http.client
import json
import logging
import time
import urllib.error
from collections.abc import Callable
from email.header import decode_header, make_header
from email.utils import parseaddr

from django.core.mail import EmailMessage
from python_http_client.exceptions import HTTPError
from sendgrid import SendGridAPIClient

from .base import Outcome

logger = logging.getLogger("donemail.transports.sendgrid")

# SendGrid answers 400 when `headers` holds one of these (they have JSON fields).
RESERVED_HEADERS = frozenset({
    "x-sg-id", "x-sg-eid", "received", "dkim-signature", "content-type",
    "content-transfer-encoding", "to", "from", "subject", "reply-to", "cc", "bcc",
})
PERMANENT_STATUSES = frozenset({400, 401, 403, 413})


def _no_newline(value: str, what: str) -> str:
    if "\r" in value or "\n" in value:
        raise ValueError(f"{what} contains a newline: {value!r}")
    return value


def _display_name(name: str) -> str:
    """The display name as a person reads it. Rendering builds addresses with
    formataddr, which RFC 2047-encodes a non-ASCII name ('=?utf-8?b?...?=');
    SendGrid's JSON takes the name as text and would show the encoded word
    verbatim, so it is decoded here (a plain name passes through unchanged)."""
    decoded = str(make_header(decode_header(name))) if "=?" in name else name
    return _no_newline(decoded, "a display name")


def _address(value: str) -> dict:
    name, email = parseaddr(_no_newline(value, "an address"))
    if "@" not in email:
        raise ValueError(f"not an email address: {value!r}")
    name = _display_name(name)
    return {"email": email, "name": name} if name else {"email": email}


def mail_body(message: EmailMessage) -> dict:
    """The v3 mail/send JSON for `message`. Raises ValueError for what
    cannot be sent (a newline in an address or header, no body)."""
    personalization = {"to": [_address(a) for a in message.to]}
    if message.cc:
        personalization["cc"] = [_address(a) for a in message.cc]
    if message.bcc:
        personalization["bcc"] = [_address(a) for a in message.bcc]
    if not message.recipients():
        raise ValueError("the message has no recipients")
    content = []
    if message.body:
        content.append({"type": f"text/{message.content_subtype}", "value": message.body})
    for alternative, mimetype in getattr(message, "alternatives", []):
        if mimetype == "text/html":
            content.append({"type": "text/html", "value": str(alternative)})
    if not content:
        raise ValueError("the message has neither a text nor an HTML body")
    if message.attachments:
        raise ValueError("the SendGrid transport sends no attachments")
    body = {
        "personalizations": [personalization],
        "from": _address(message.from_email),
        "subject": _no_newline(str(message.subject), "the subject"),
        "content": content,
    }
    if len(message.reply_to) == 1:
        body["reply_to"] = _address(message.reply_to[0])
    elif message.reply_to:
        body["reply_to_list"] = [_address(a) for a in message.reply_to]
    headers = {
        name: _no_newline(str(value), f"header {name}")
        for name, value in message.extra_headers.items()
        if name.lower() not in RESERVED_HEADERS
    }
    if headers:
        body["headers"] = headers
    donemail_id = getattr(message, "donemail_id", None)
    if donemail_id is not None:
        body["custom_args"] = {"donemail_id": str(donemail_id)}
    return body


def _errors(body: bytes) -> str:
    """SendGrid's `{"errors": [{"message", "field"}]}` as one line."""
    try:
        errors = json.loads(body)["errors"]
        return "; ".join(
            e["message"] + (f" ({e['field']})" if e.get("field") else "") for e in errors
        )
    except (ValueError, KeyError, TypeError):
        return body[:300].decode("utf-8", "replace")


def _retry_after(headers) -> float | None:
    """Seconds until X-RateLimit-Reset (epoch seconds), if SendGrid said."""
    try:
        reset = float(headers.get("X-RateLimit-Reset"))
    except (TypeError, ValueError):
        return None
    return max(0.0, reset - time.time())


def _from_error(error: HTTPError) -> Outcome:
    status = error.status_code
    detail = f"SendGrid {status} {error.reason}: {_errors(error.body or b'')}".rstrip(": ")
    if status == 429:
        return Outcome.temporary(detail, retry_after=_retry_after(error.headers or {}))
    if status in PERMANENT_STATUSES:
        if status in (401, 403):
            logger.error("%s. Check the API key in EMAIL_URL/SENDGRID_API_KEY and the "
                         "verified senders.", detail)
        return Outcome.permanent(detail)
    return Outcome.temporary(detail)


class SendGridTransport:
    """One API request per message (each message has its own body), so
    each gets its own outcome; see the module docstring for the mapping."""

    def __init__(self, *, api_key: str, host: str = "https://api.sendgrid.com",
                 timeout: float = 30.0):
        self.host = host
        self.timeout = timeout
        self._client = SendGridAPIClient(api_key, host=host)
        self._client.client.timeout = timeout  # and passed with each request below

    def __repr__(self) -> str:
        return f"<SendGridTransport {self.host}>"

    def open(self) -> None:
        """Nothing to open: each request makes its own HTTPS connection."""

    def close(self) -> None:
        """Nothing held open between requests."""

    def __enter__(self) -> "SendGridTransport":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def send(
        self, messages: list[EmailMessage], *, before_handoff: Callable[[], None] | None = None,
    ) -> list[Outcome]:
        return [self._send_one(message, before_handoff) for message in messages]

    def _send_one(self, message: EmailMessage, before_handoff: Callable[[], None] | None) -> Outcome:
        try:
            body = mail_body(message)
        except ValueError as exc:
            return Outcome.permanent(f"cannot be sent: {exc}")
        if before_handoff is not None:
            before_handoff()
        try:
            response = self._client.client.mail.send.post(request_body=body, timeout=self.timeout)
        except HTTPError as error:
            return _from_error(error)
        except (urllib.error.URLError, http.client.HTTPException, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            return Outcome.temporary(f"SendGrid unreachable at {self.host}: {reason}")
        if response.status_code not in (200, 202):
            return Outcome.temporary(f"SendGrid answered {response.status_code}, not 202")
        provider_id = response.headers.get("X-Message-Id", "") if response.headers else ""
        return Outcome.sent(provider_id=provider_id, detail=f"SendGrid {response.status_code}")
