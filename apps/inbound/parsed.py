"""What the parser makes of one raw email: the contract between the pure
extraction code (apps/inbound/parsing.py, no database) and the services that
store its results (apps/inbound/services.py).

`parse(raw: bytes) -> ParsedMail` never raises for bad mail: a message it
cannot read at all comes back with `error` set, so the `parse_email` CLI and
the parser task can both report it and go on.
"""

from dataclasses import dataclass, field
from email.message import EmailMessage


@dataclass
class ParsedMail:
    message_id: str = ""  # as in the header, with <>
    from_addr: str = ""  # bare address, lower-cased
    from_name: str = ""
    to: list[str] = field(default_factory=list)  # bare addresses, To then Cc
    subject: str = ""
    date: str = ""  # ISO 8601 when the Date header could be read
    in_reply_to: list[str] = field(default_factory=list)  # In-Reply-To then References ids
    body_text: str = ""  # the whole text body, decoded (HTML turned into text)
    reply_text: str = ""  # only what the member wrote this time
    items: list[str] = field(default_factory=list)  # done items split from reply_text
    auto_reply: bool = False  # auto-responder or out-of-office
    bounce: bool = False  # a delivery status notification or other bounce
    error: str = ""  # why the mail could not be read at all
    message: EmailMessage | None = field(default=None, repr=False)  # stdlib, policy=default

    def as_json(self) -> dict:
        """The `parse_email --json` line (DESIGN.md contract) minus `file`."""
        return {
            "message_id": self.message_id,
            "from": self.from_addr,
            "subject": self.subject,
            "reply_text": self.reply_text,
            "items": self.items,
            "auto_reply": self.auto_reply,
            "bounce": self.bounce,
            "error": self.error,
        }
