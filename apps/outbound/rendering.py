"""Turn an OutboundMessage row into the email that goes on the wire.

Rendering happens when a worker sends, not when dispatch creates the row, so
a digest includes the replies that arrived in between and a member's new name
or zone shows in the next message. Each kind has three templates under
templates/emails/: `<kind>.subject.txt`, `<kind>.txt` and `<kind>.html`; the
HTML has its CSS inlined here (mail clients drop <style> blocks) and is
autoescaped, so nothing a member wrote can become markup.
"""

import zoneinfo
from email.utils import format_datetime, formataddr

import css_inline
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import timezone, translation

from apps.delivery import verp
from apps.preferences import links

from .models import Kind, OutboundMessage

_inliner = css_inline.CSSInliner(keep_style_tags=False, load_remote_stylesheets=False)


class Skip(Exception):
    """This message should not go out at all (an empty digest its team does
    not want); the sender cancels it with `str(exc)` as the reason."""


def reply_address(member) -> str:
    return f"reply+{member.reply_token}@{settings.INBOUND_DOMAIN}"


def message_context(message: OutboundMessage) -> dict:
    """What every template of every kind can use."""
    member = message.member
    scope = links.KIND_SCOPE[message.kind]
    context = {
        "message": message,
        "member": member,
        "team": member.team,
        "local_date": message.local_date,
        "preferences_url": links.preferences_url(member),
        "team_url": links.team_url(member),
        "unsubscribe_url": links.unsubscribe_url(member, scope=scope),
    }
    if message.kind == Kind.DIGEST:
        from apps.entries.digests import digest_context  # the digest's own reads

        context.update(digest_context(member=member, local_date=message.local_date))
    return context


def _one_line(text: str) -> str:
    """A subject is one header line: collapse every newline a template (or a
    team name) brought in, so nothing can start a header of its own."""
    return " ".join(text.split())


def message_render(message: OutboundMessage) -> EmailMultiAlternatives:
    """The complete email for `message`. Raises Skip when it must not be sent.

    Besides the headers, the result carries two attributes the transports
    read: `envelope_from` (the VERP return path, so a bounce names this
    message) and `donemail_id` (SendGrid's custom_args, so delivery events
    find this row).
    """
    member = message.member
    context = message_context(message)
    if context.get("skip_reason"):
        raise Skip(context["skip_reason"])
    base = f"emails/{message.kind}"
    zone = zoneinfo.ZoneInfo(member.time_zone)
    with translation.override(settings.LANGUAGE_CODE), timezone.override(zone):
        subject = _one_line(render_to_string(f"{base}.subject.txt", context))
        text = render_to_string(f"{base}.txt", context).strip("\n") + "\n"
        html = _inliner.inline(render_to_string(f"{base}.html", context))
    email = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[formataddr((_one_line(member.name), member.email))],
        reply_to=[reply_address(member)],
        headers={
            "Message-ID": message.message_id,
            "Date": format_datetime(timezone.now()),
            # RFC 3834: out-of-office responders should not answer a reminder.
            "Auto-Submitted": "auto-generated",
            "X-Donemail-Kind": message.kind,
            **links.list_unsubscribe_headers(member, kind=message.kind),
        },
    )
    email.attach_alternative(html, "text/html")
    email.envelope_from = verp.return_path(message.pk)
    email.donemail_id = message.pk
    return email
