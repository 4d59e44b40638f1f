"""Turn an OutboundMessage row into the email that goes on the wire.

Rendering happens when a worker sends, not when dispatch creates the row, so
a digest includes the replies that arrived in between and a member's new name
or zone shows in the next message. Each kind has three templates under
templates/emails/: `<kind>.subject.txt`, `<kind>.txt` and `<kind>.html`; the
HTML has its CSS inlined here (mail clients drop <style> blocks) and is
autoescaped, so nothing a member wrote can become markup.

message_render is the reference: apps/outbound/merging.py renders a batch's
reminders once a group and fills each member in, and must equal it byte for
byte; where it cannot, it calls message_render.
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


def member_links(message: OutboundMessage) -> dict[str, str]:
    """The signed links of the member `message` goes to. With the member's
    name they are all that tells one reminder of a group from the next
    (apps/outbound/merging.py fills them into a rendered group)."""
    member = message.member
    return {
        "preferences_url": links.preferences_url(member),
        "team_url": links.team_url(member),
        "unsubscribe_url": links.unsubscribe_url(member, scope=links.KIND_SCOPE[message.kind]),
    }


def context_build(message, member, member_values: dict) -> dict:
    """The context of `message`'s templates for `member`, with `member_values`
    (member_links or stand-ins for them). One function for message_render and
    for a merged group, whose `message` and `member` are stand-ins: whatever a
    kind adds here is asked of the stand-in too, and refused unless allowlisted."""
    context = {
        "message": message,
        "member": member,
        "team": member.team,
        "local_date": message.local_date,
        **member_values,
    }
    if message.kind == Kind.DIGEST:
        from apps.entries.digests import digest_context  # the digest's own reads

        context.update(digest_context(member=member, local_date=message.local_date))
    return context


def message_context(message: OutboundMessage) -> dict:
    """What every template of every kind can use."""
    return context_build(message, message.member, member_links(message))


def language() -> str:
    """The language every email renders in (a merged group is keyed on it)."""
    return settings.LANGUAGE_CODE


def _one_line(text: str) -> str:
    """A subject is one header line: collapse every newline a template (or a
    team name) brought in, so nothing can start a header of its own."""
    return " ".join(text.split())


def parts_render(kind: str, time_zone: str, context: dict) -> tuple[str, str, str]:
    """(subject, text, html) of `kind` as its templates render `context`, not
    yet finished: a merged group fills its members in between the two."""
    base = f"emails/{kind}"
    zone = zoneinfo.ZoneInfo(time_zone)
    with translation.override(language()), timezone.override(zone):
        return (
            render_to_string(f"{base}.subject.txt", context),
            render_to_string(f"{base}.txt", context),
            render_to_string(f"{base}.html", context),
        )


def texts_finish(subject: str, text: str) -> tuple[str, str]:
    """One subject line, a text body ending in one newline."""
    return _one_line(subject), text.strip("\n") + "\n"


def html_inline(html: str) -> str:
    """The HTML with its CSS inlined. One function for message_render and for
    a merged group, which inlines its skeleton once and must get the bytes
    this gives for each member's HTML (apps/outbound/inlining.py)."""
    return _inliner.inline(html)


def parts_finish(subject: str, text: str, html: str) -> tuple[str, str, str]:
    """One subject line, a text body ending in one newline, the HTML with its CSS inlined."""
    return (*texts_finish(subject, text), html_inline(html))


def email_build(
    message: OutboundMessage, *, subject: str, text: str, html: str, unsubscribe_url: str,
) -> EmailMultiAlternatives:
    """The email around finished parts: addresses and headers, made for this
    message alone, and `unsubscribe_url` (the body's) in List-Unsubscribe."""
    member = message.member
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
            **links.list_unsubscribe_headers(member, kind=message.kind, url=unsubscribe_url),
        },
    )
    email.attach_alternative(html, "text/html")
    email.envelope_from = verp.return_path(message.pk)
    email.donemail_id = message.pk
    return email


def message_render(message: OutboundMessage) -> EmailMultiAlternatives:
    """The complete email for `message`. Raises Skip when it must not be sent.

    Besides the headers, the result carries two attributes the transports
    read: `envelope_from` (the VERP return path, so a bounce names this
    message) and `donemail_id` (SendGrid's custom_args, so delivery events
    find this row).
    """
    context = message_context(message)
    if context.get("skip_reason"):
        raise Skip(context["skip_reason"])
    parts = parts_render(message.kind, message.member.time_zone, context)
    subject, text, html = parts_finish(*parts)
    return email_build(
        message, subject=subject, text=text, html=html,
        unsubscribe_url=context["unsubscribe_url"],
    )
