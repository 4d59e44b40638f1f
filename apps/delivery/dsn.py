"""Delivery status notifications (RFC 3464), read from an email.message.EmailMessage.

Postfix, Exchange and Gmail all send multipart/report; report-type=delivery-status
with a message/delivery-status part (one block per message, one per recipient)
and the original message or its headers. We read the recipients' Action and
Status, and the original Message-ID to find our row when the return path did
not carry one.
"""

import re
from dataclasses import dataclass, field
from email.message import EmailMessage, Message
from email.parser import BytesHeaderParser
from email.policy import default as default_policy

_STATUS = re.compile(r"\b([245])\.(\d{1,3})\.(\d{1,3})\b")


@dataclass(frozen=True)
class DsnRecipient:
    address: str
    action: str  # failed, delayed, delivered, relayed, expanded
    status: str  # e.g. 5.1.1
    diagnostic: str

    @property
    def severity(self) -> str:
        """hard for 5.x.x, soft for 4.x.x; delivered/relayed are not bounces."""
        if self.action in ("delivered", "relayed", "expanded"):
            return ""
        if self.status.startswith("5") or (not self.status and self.action == "failed"):
            return "hard"
        return "soft"


@dataclass(frozen=True)
class Dsn:
    recipients: list[DsnRecipient] = field(default_factory=list)
    original_message_id: str = ""
    reporting_mta: str = ""


def _header(block: Message, name: str) -> str:
    value = block.get(name, "")
    return " ".join(str(value).split())


def _address(value: str) -> str:
    """'rfc822; ada@example.com' → 'ada@example.com'."""
    return value.partition(";")[2].strip().strip("<>") if ";" in value else value.strip("<>")


def _original_message_id(report: Message) -> str:
    for part in report.walk():
        ctype = part.get_content_type()
        if ctype == "message/rfc822":
            inner = part.get_payload()
            inner = inner[0] if isinstance(inner, list) and inner else inner
            if isinstance(inner, Message) and inner.get("Message-ID"):
                return str(inner["Message-ID"]).strip()
        elif ctype == "text/rfc822-headers":
            raw = part.get_payload(decode=True) or b""
            headers = BytesHeaderParser(policy=default_policy).parsebytes(raw)
            if headers.get("Message-ID"):
                return str(headers["Message-ID"]).strip()
    return ""


def parse_dsn(message: EmailMessage) -> Dsn | None:
    """The DSN in `message`, or None when it is not one."""
    if message.get_content_type() != "multipart/report":
        return None
    if message.get_param("report-type", "").lower() != "delivery-status":
        return None
    status_part = next(
        (p for p in message.walk() if p.get_content_type() in
         ("message/delivery-status", "message/global-delivery-status")),
        None,
    )
    if status_part is None:
        return None
    blocks = status_part.get_payload()
    if not isinstance(blocks, list) or not blocks:
        return None
    per_message, per_recipient = blocks[0], blocks[1:]
    recipients = []
    for block in per_recipient:
        address = _address(_header(block, "Final-Recipient") or _header(block, "Original-Recipient"))
        if not address:
            continue
        status_match = _STATUS.search(_header(block, "Status"))
        recipients.append(DsnRecipient(
            address=address,
            action=_header(block, "Action").lower(),
            status=".".join(status_match.groups()) if status_match else "",
            diagnostic=_header(block, "Diagnostic-Code"),
        ))
    return Dsn(
        recipients=recipients,
        original_message_id=_original_message_id(message),
        reporting_mta=_address(_header(per_message, "Reporting-MTA")),
    )
