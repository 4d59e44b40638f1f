"""A small world for email tests: teammates in zones, what they wrote, the
rows dispatch would create for them, and the bytes an SMTP server receives.

Rows are made the way dispatch makes them (kind, the member's local_date, the
UTC instant of the member's local hour) so the tests do not wait for the
dispatch piece; rendering and the wire are the real ones.
"""

import datetime as dt
import smtplib
import zoneinfo
from email import policy
from email.parser import BytesParser

from apps.entries.models import Entry
from apps.outbound.models import OutboundMessage
from apps.outbound.rendering import message_render
from apps.teams import weekdays
from apps.teams.models import Member

MONDAY = dt.date(2026, 11, 30)
TUESDAY = dt.date(2026, 12, 1)


def person(team, name: str, *, zone: str = "Europe/London", **fields) -> Member:
    slug = "".join(c for c in name.lower() if c.isascii() and c.isalnum())[:40] or "someone"
    fields.setdefault("weekdays", weekdays.ALL)
    member = Member.objects.create(
        team=team, name=name, email=f"{slug}@example.com", time_zone=zone, **fields,
    )
    # Members of this world joined long before the days under test.
    Member.objects.filter(pk=member.pk).update(created_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC))
    member.refresh_from_db()
    return member


def wrote(member: Member, day: dt.date, *texts: str) -> list[Entry]:
    """`member` replied to `day`'s reminder with these items."""
    return [
        Entry.objects.create(member=member, local_date=day, text=text, position=number)
        for number, text in enumerate(texts)
    ]


def _at_local(member: Member, day: dt.date, hour: int) -> dt.datetime:
    zone = zoneinfo.ZoneInfo(member.time_zone)
    return dt.datetime.combine(day, dt.time(hour), zone).astimezone(dt.UTC)


def digest_row(member: Member, day: dt.date) -> OutboundMessage:
    """The digest reporting `day`, due at the member's digest hour the day after."""
    return OutboundMessage.objects.create(
        member=member, kind="digest", local_date=day,
        scheduled_for=_at_local(member, day + dt.timedelta(days=1), member.digest_hour),
    )


def reminder_row(member: Member, day: dt.date) -> OutboundMessage:
    return OutboundMessage.objects.create(
        member=member, kind="reminder", local_date=day,
        scheduled_for=_at_local(member, day, member.reminder_hour),
    )


def render(message: OutboundMessage):
    """Rendered as the sender does: from a freshly read row."""
    return message_render(OutboundMessage.objects.select_related("member").get(pk=message.pk))


def parts(email) -> tuple[str, str]:
    """(text, html) of a rendered message, before transfer encoding."""
    return email.body, email.alternatives[0].content


def send_through(sink, emails) -> list:
    """Send rendered messages to the SMTP sink as the SMTP transport does
    (MAIL FROM the VERP return path) and return what arrived, parsed by the
    standard library, with the raw bytes on `.raw`."""
    with smtplib.SMTP(sink.host, sink.port, timeout=10) as smtp:
        for email in emails:
            smtp.sendmail(
                email.envelope_from, email.recipients(),
                email.message().as_bytes(linesep="\r\n"),
            )
    received = []
    for item in sink.received:
        parsed = BytesParser(policy=policy.default).parsebytes(item.data)
        parsed.raw = item.data
        parsed.envelope_from = item.mail_from
        received.append(parsed)
    return received
