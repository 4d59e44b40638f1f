"""Delivery status notifications that come back through the inbound webhook
are recorded as bounces of the message they name (issue 6, part 2)."""

import pytest

from apps.delivery import verp
from apps.delivery.models import DeliveryEvent, Suppression
from apps.entries.models import Entry
from apps.inbound.models import InboundEmail
from apps.inbound.services import inbound_parse, inbound_store
from apps.outbound.models import State as OutboundState
from tests.delivery.test_dsn import load

State = InboundEmail.State


def dsn_raw(name: str, message) -> tuple[bytes, str]:
    """A real MTA's DSN for `message`, sent back to its VERP return path."""
    return_path = verp.return_path(message.pk)
    pk, mac = return_path.split("@")[0].removeprefix("bounce+").split(".")
    return load(name, PK=pk, MAC=mac, MESSAGE_ID=message.message_id), return_path


def parsed_dsn(name, message, *, envelope_to=None):
    raw, return_path = dsn_raw(name, message)
    email = inbound_store(raw=raw, mode="raw", envelope={"to": [envelope_to or return_path],
                                                         "from": ""})
    inbound_parse(inbound_id=email.pk)
    email.refresh_from_db()
    return email


@pytest.mark.parametrize("name", ["postfix_hard.eml", "exchange_hard.eml"])
def test_a_hard_bounce_dsn_bounces_the_message_and_suppresses_the_address(name, reminder):
    email = parsed_dsn(name, reminder)

    assert email.state == State.IGNORED
    assert email.state_reason.startswith("bounce recorded")
    event = DeliveryEvent.objects.get()
    assert (event.source, event.event, event.severity) == ("dsn", "bounce", "hard")
    assert event.message == reminder and event.processed_at is not None
    reminder.refresh_from_db()
    assert reminder.state == OutboundState.BOUNCED
    assert Suppression.objects.filter(address=event.email).exists()
    assert not Entry.objects.exists()


def test_a_soft_bounce_dsn_is_noted_without_suppressing(reminder):
    email = parsed_dsn("gmail_soft.eml", reminder)

    assert email.state == State.IGNORED
    event = DeliveryEvent.objects.get()
    assert (event.event, event.severity) == ("deferred", "soft")
    assert not Suppression.objects.exists()
    reminder.refresh_from_db()
    assert reminder.state == OutboundState.SENT


def test_a_dsn_without_our_return_path_is_matched_by_the_original_message_id(reminder):
    parsed_dsn("postfix_hard.eml", reminder, envelope_to="postmaster@in.localhost")

    assert DeliveryEvent.objects.get().message == reminder


def test_the_same_dsn_delivered_twice_records_one_bounce(reminder):
    first = parsed_dsn("postfix_hard.eml", reminder)
    second = parsed_dsn("postfix_hard.eml", reminder)

    assert second.state_reason == f"duplicate of #{first.pk}"
    assert DeliveryEvent.objects.count() == 1
