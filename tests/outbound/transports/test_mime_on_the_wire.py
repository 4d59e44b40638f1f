"""A rendered reminder sent by SmtpTransport arrives at the sink as the bytes
apps/outbound/mime writes — which are Django's but for the boundary — and
parses back to the rendered subject, addresses and bodies."""

import datetime as dt
import re
from email import message_from_bytes, policy

from django.utils import timezone

from apps.outbound.models import Kind, OutboundMessage
from apps.outbound.rendering import message_render
from apps.outbound.transports import SENT

_BOUNDARY = re.compile(rb"={15}\d{19}==")


def test_a_rendered_reminder_reaches_the_sink_as_django_would_have_built_it(
    member, smtp_sink, smtp_transport,
):
    member.name = "Zoë Ünïcode-Lovelace, the very first programmer of them all"
    member.save()
    reminder = OutboundMessage.objects.create(
        member=member, kind=Kind.REMINDER, local_date=dt.date(2026, 12, 1),
        scheduled_for=timezone.now(),
    )
    email = message_render(reminder)
    [outcome] = smtp_transport.send([email])
    assert outcome.status == SENT
    [received] = smtp_sink.received
    django = email.message().as_bytes(linesep="\r\n")
    assert _BOUNDARY.sub(b"B", received.data) == _BOUNDARY.sub(b"B", django)

    parsed = message_from_bytes(received.data, policy=policy.default)
    assert parsed["Message-ID"] == reminder.message_id
    assert parsed["Subject"] == email.subject
    theirs = message_from_bytes(django, policy=policy.default)
    assert parsed["To"].addresses[0].display_name == theirs["To"].addresses[0].display_name
    text, html = (part.get_content() for part in parsed.iter_parts())
    assert text.replace("\r\n", "\n") == email.body
    assert html.replace("\r\n", "\n") == email.alternatives[0][0]
