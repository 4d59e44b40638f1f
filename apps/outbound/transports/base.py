"""What every transport promises: send a list of messages, say what happened
to each one.

A transport is built once per worker process by `get_transport()` and kept
open across batches (the SMTP pool keeps its connections; the SendGrid client
its HTTP session). `send()` never raises for a delivery problem: a refused
recipient, a 4xx, a dropped connection or a timeout is an Outcome, so one bad
message never fails the rest of its batch. It raises only for our own bugs.

`before_handoff`, when given, is called once per message just before the
step that lets the server accept it (SMTP: the content with its final dot,
after the 354; an HTTP API: the request). The sender uses it to finish
recording the previous message's outcome while this one's envelope is
already on the wire; an exception from it propagates and the message is not
handed off.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from django.core.mail import EmailMessage

SENT = "sent"
TEMPORARY = "temporary"
PERMANENT = "permanent"


@dataclass(frozen=True)
class Outcome:
    """The fate of one message.

    status: SENT (with the server's reply or the provider's message id in
    `provider_id`), TEMPORARY (retry later: 4xx, 421, 429, disconnects,
    timeouts, 5xx from an HTTP API), or PERMANENT (5xx from SMTP, a refused
    recipient, 400/401/403/413 from an HTTP API). `retry_after` is a hint in
    seconds when the server gave one (SendGrid's 429 reset time).
    """

    status: str
    detail: str = ""
    provider_id: str = ""
    retry_after: float | None = None

    @classmethod
    def sent(cls, provider_id: str = "", detail: str = "") -> "Outcome":
        return cls(SENT, detail=detail, provider_id=provider_id)

    @classmethod
    def temporary(cls, detail: str, retry_after: float | None = None) -> "Outcome":
        return cls(TEMPORARY, detail=detail, retry_after=retry_after)

    @classmethod
    def permanent(cls, detail: str) -> "Outcome":
        return cls(PERMANENT, detail=detail)


class Transport(Protocol):
    """Shaped like a Django email backend (open, close, context manager), but
    `send` answers one Outcome per message, in order."""

    def open(self) -> None: ...

    def close(self) -> None: ...

    def send(
        self, messages: list[EmailMessage], *, before_handoff: Callable[[], None] | None = None,
    ) -> list[Outcome]: ...

    def __enter__(self) -> "Transport": ...

    def __exit__(self, *exc) -> None: ...
