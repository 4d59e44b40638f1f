"""A local HTTP server that answers as SendGrid's Web API v3 does.

SendGrid cannot be reached from the test machines, so this fakes it at the
HTTP layer, and only there: the real `sendgrid` package makes real HTTP
requests to it (its `host` pointed here). It checks what SendGrid checks
before it accepts a message — the Bearer key, the JSON shape, reserved
headers, custom_args values being strings — and answers with SendGrid's
statuses, headers and JSON error bodies, as SendGrid's docs show them:

    202 (empty body, X-Message-Id)   accepted
    400 {"errors": [{"message", "field", "help"}]}   a bad request
    401 {"errors": [{"message": "The provided authorization grant is invalid, ..."}]}
    403, 413, 429 (X-RateLimit-Limit/-Remaining/-Reset), 5xx

Answers can be queued (`answer(...)`), and `stall(seconds)` makes it slow.
"""

import json
import threading
import time
import uuid
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

RESERVED_HEADERS = {
    "x-sg-id", "x-sg-eid", "received", "dkim-signature", "content-type",
    "content-transfer-encoding", "to", "from", "subject", "reply-to", "cc", "bcc",
}
HELP = "http://sendgrid.com/docs/API_Reference/Web_API_v3/Mail/errors.html"


def error_body(message: str, field_name: str | None = None, help_url: str | None = None) -> bytes:
    return json.dumps({"errors": [
        {"message": message, "field": field_name, "help": help_url}
    ]}).encode()


@dataclass
class Request:
    method: str
    path: str
    headers: dict  # lower-cased names
    body: dict
    status: int  # what the fake answered


@dataclass
class Answer:
    status: int
    body: bytes = b""
    headers: dict = field(default_factory=dict)


def _shape_errors(body: dict) -> list[tuple[str, str]]:
    """What SendGrid would refuse with a 400, as (message, field)."""
    errors = []
    for required in ("personalizations", "from", "subject", "content"):
        if not body.get(required):
            errors.append((f"The {required} parameter is required.", required))
    for index, personalization in enumerate(body.get("personalizations") or []):
        for number, to in enumerate(personalization.get("to") or []):
            if "@" not in to.get("email", ""):
                errors.append(("Does not contain a valid address.",
                               f"personalizations.{index}.to.{number}.email"))
        for key in ("cc", "bcc"):
            if key in personalization and not personalization[key]:
                errors.append((f"The {key} array must have at least one item.", key))
    content = body.get("content") or []
    if content and content[0].get("type") != "text/plain" and len(content) > 1:
        errors.append(("If present, text/plain must be first.", "content.0.type"))
    for name in body.get("headers") or {}:
        if name.lower() in RESERVED_HEADERS:
            errors.append((f"The {name} header is reserved and cannot be set.", "headers"))
    for name, value in (body.get("custom_args") or {}).items():
        if not isinstance(value, str):
            errors.append(("Custom args values must be strings.", f"custom_args.{name}"))
    return errors


class FakeSendGrid:
    def __init__(self, *, api_key: str = "SG.test-key"):
        self.api_key = api_key
        self.requests: list[Request] = []
        self.answers: list[Answer] = []
        self.delay = 0.0
        self.refused: set[str] = set()
        self.lock = threading.Lock()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def do_POST(self):
                raw = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                fake._handle(self, raw)

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self.host = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    def start(self) -> "FakeSendGrid":
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    # --- arming -------------------------------------------------------------
    def answer(self, status: int, body: bytes = b"", headers: dict | None = None, times: int = 1):
        with self.lock:
            self.answers.extend(Answer(status, body, headers or {}) for _ in range(times))

    def refuse_recipient(self, address: str) -> None:
        """Answer 400 for any message to `address`, as SendGrid does for an
        address it will not take."""
        with self.lock:
            self.refused.add(address.lower())

    def stall(self, seconds: float) -> None:
        self.delay = seconds

    @property
    def accepted(self) -> list[Request]:
        """The requests answered 202: the messages SendGrid took."""
        with self.lock:
            return [r for r in self.requests if r.status == 202]

    # --- the API ------------------------------------------------------------
    def _decide(self, handler, raw: bytes) -> Answer:
        if handler.path != "/v3/mail/send":
            return Answer(404, error_body("not found"))
        if handler.headers.get("Authorization") != f"Bearer {self.api_key}":
            return Answer(401, error_body(
                "The provided authorization grant is invalid, expired, or revoked"))
        if handler.headers.get("Content-Type") != "application/json":
            return Answer(415, error_body("Content-Type should be application/json."))
        try:
            body = json.loads(raw)
        except ValueError:
            return Answer(400, error_body("Bad Request", None, HELP))
        errors = _shape_errors(body)
        with self.lock:
            errors += [
                ("The email address is not allowed.", f"personalizations.0.to.{number}.email")
                for number, to in enumerate(body["personalizations"][0].get("to", []))
                if to.get("email", "").lower() in self.refused
            ] if not errors else []
        if errors:
            return Answer(400, json.dumps({"errors": [
                {"message": message, "field": name, "help": HELP} for message, name in errors
            ]}).encode())
        with self.lock:
            if self.answers:
                return self.answers.pop(0)
        return Answer(202, b"", {"X-Message-Id": uuid.uuid4().hex[:22]})

    def _handle(self, handler, raw: bytes) -> None:
        if self.delay:
            time.sleep(self.delay)
        answer = self._decide(handler, raw)
        try:
            body = json.loads(raw)
        except ValueError:
            body = {}
        headers = {k.lower(): v for k, v in handler.headers.items()}
        with self.lock:
            self.requests.append(Request("POST", handler.path, headers, body, answer.status))
        handler.send_response(answer.status)
        for name, value in answer.headers.items():
            handler.send_header(name, value)
        if answer.body:
            handler.send_header("Content-Type", "application/json")
        handler.send_header("Content-Length", str(len(answer.body)))
        handler.end_headers()
        handler.wfile.write(answer.body)
