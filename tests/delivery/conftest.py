import base64
import json
import time

import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec


class Signer:
    """A real P-256 key pair, signing like SendGrid: timestamp + raw body."""

    def __init__(self):
        self.key = ec.generate_private_key(ec.SECP256R1())
        der = self.key.public_key().public_bytes(
            serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
        )
        self.public_key = base64.b64encode(der).decode()

    def headers(self, body: bytes, timestamp: int | None = None) -> dict:
        ts = str(int(time.time()) if timestamp is None else timestamp)
        signature = self.key.sign(ts.encode() + body, ec.ECDSA(hashes.SHA256()))
        return {
            "X-Twilio-Email-Event-Webhook-Signature": base64.b64encode(signature).decode(),
            "X-Twilio-Email-Event-Webhook-Timestamp": ts,
        }


@pytest.fixture
def signer():
    return Signer()


@pytest.fixture
def signed_webhook(settings, signer):
    settings.SENDGRID_EVENT_WEBHOOK_PUBLIC_KEYS = [signer.public_key]
    settings.SENDGRID_EVENT_WEBHOOK_BASIC_AUTH = []
    return signer


@pytest.fixture
def sent_message(member):
    from apps.outbound.models import Kind, OutboundMessage, State
    from django.utils import timezone

    return OutboundMessage.objects.create(
        member=member, kind=Kind.REMINDER, local_date=timezone.now().date(),
        scheduled_for=timezone.now(), state=State.SENT, sent_at=timezone.now(),
    )


def sendgrid_event(message=None, **fields) -> dict:
    """One event as SendGrid posts it (custom_args appear as top-level keys)."""
    event = {
        "email": "ada@example.com",
        "timestamp": int(time.time()),
        "event": "delivered",
        "sg_event_id": fields.pop("sg_event_id", f"sg-{time.time_ns()}"),
        "sg_message_id": "14c5d75ce93.dfd.64b469.filter0001.16648.5515E0B88.0",
        "response": "250 OK",
    }
    if message is not None:
        event["smtp-id"] = message.message_id
        event["donemail_id"] = str(message.pk)
    event.update(fields)
    return event


def body_of(*events) -> bytes:
    return json.dumps(list(events)).encode()
