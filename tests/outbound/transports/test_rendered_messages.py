"""The transports with messages exactly as rendering builds them from a row:
the VERP return path reaches the SMTP envelope, the row's pk SendGrid's
custom_args, and the stable Message-ID both."""

import datetime as dt

import pytest
from django.utils import timezone

from apps.delivery import verp
from apps.outbound.models import Kind, OutboundMessage
from apps.outbound.rendering import message_render
from apps.outbound.transports import SENT

from .conftest import built_bytes


@pytest.fixture
def reminder(member):
    return OutboundMessage.objects.create(
        member=member, kind=Kind.REMINDER, local_date=dt.date(2026, 12, 1),
        scheduled_for=timezone.now(),
    )


def test_a_rendered_reminder_reaches_the_sink_as_built(reminder, smtp_sink, smtp_transport):
    email = message_render(reminder)
    sent_bytes = built_bytes(email)
    [outcome] = smtp_transport.send([email])
    assert outcome.status == SENT
    [received] = smtp_sink.received
    assert received.mail_from == verp.return_path(reminder.pk)
    assert verp.message_pk_from(received.mail_from) == reminder.pk
    assert received.rcpt_tos == ["ada@example.com"]
    assert received.data == sent_bytes()
    assert f"Message-ID: {reminder.message_id}".encode() in received.data


def test_a_rendered_reminder_reaches_sendgrid_with_its_id(
    reminder, sendgrid_fake, sendgrid_transport,
):
    [outcome] = sendgrid_transport.send([message_render(reminder)])
    assert outcome.status == SENT
    body = sendgrid_fake.requests[0].body
    assert body["custom_args"] == {"donemail_id": str(reminder.pk)}
    assert body["headers"]["Message-ID"] == reminder.message_id
    assert body["headers"]["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert body["personalizations"][0]["to"] == [
        {"email": "ada@example.com", "name": "Ada Lovelace"}]
    assert body["reply_to"]["email"] == f"reply+{reminder.member.reply_token}@in.localhost"
