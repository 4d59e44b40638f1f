"""From SendGrid's POST to entries and bounces, through the real broker and a real worker."""

import time

from django.utils import timezone

from apps.delivery.models import DeliveryEvent
from apps.entries.models import Entry
from apps.inbound.models import InboundEmail
from apps.inbound.services import inbound_sweep
from apps.outbound.models import State as OutboundState

from .sendgrid_posts import reply_message
from .test_services_bounces import dsn_raw

State = InboundEmail.State


def settled(timeout: float = 30) -> InboundEmail:
    """The one stored email, once a worker has moved it out of `received`."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        email = InboundEmail.objects.get()
        if email.state != State.RECEIVED:
            return email
        time.sleep(0.1)
    raise AssertionError(f"still received after {timeout}s: {email.state_reason!r}")


def test_a_reply_posted_to_the_webhook_becomes_entries(webhook, worker, member, reply_to):
    response = webhook.post_raw(reply_message(to=reply_to), envelope_to=reply_to)

    assert response.status_code == 200
    email = settled()
    assert email.state == State.PARSED, email.state_reason
    assert list(Entry.objects.filter(member=member).order_by("position")
                .values_list("text", flat=True)) == ["Shipped the importer", "Reviewed #42"]


def test_a_dsn_posted_to_the_webhook_bounces_the_reminder(webhook, worker, reminder):
    raw, return_path = dsn_raw("postfix_hard.eml", reminder)

    response = webhook.post_raw(raw, envelope_to=return_path, envelope_from="")

    assert response.status_code == 200
    email = settled()
    assert email.state == State.IGNORED and email.state_reason.startswith("bounce recorded")
    event = DeliveryEvent.objects.get()
    assert (event.event, event.severity, event.email) == ("bounce", "hard", "gone@example.org")
    reminder.refresh_from_db()
    assert reminder.state == OutboundState.BOUNCED


def test_mail_stored_while_the_broker_was_down_is_parsed_after_the_sweep(
    webhook, broker, member, reply_to, request,
):
    broker.down()
    response = webhook.post_raw(reply_message(to=reply_to), envelope_to=reply_to)
    assert response.status_code == 200
    assert InboundEmail.objects.get().state == State.RECEIVED
    broker.up()

    request.getfixturevalue("worker")
    assert inbound_sweep(now=timezone.now() + timezone.timedelta(minutes=2)) == 1

    assert settled().state == State.PARSED
    assert Entry.objects.filter(member=member).count() == 2
