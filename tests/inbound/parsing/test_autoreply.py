"""Auto-replies and bounces are recognised by headers, senders and subjects."""

import pytest

from apps.inbound.parsing import parse


def _mail(*headers: str, subject: str = "Re: What did you get done today?",
          sender: str = "ada@example.com", ctype: str = "text/plain") -> bytes:
    head = "".join(f"{header}\r\n" for header in headers)
    return (f"From: {sender}\r\nSubject: {subject}\r\n{head}Content-Type: {ctype}\r\n\r\n"
            "- Shipped the export\r\n").encode()


@pytest.mark.parametrize("header", [
    "Auto-Submitted: auto-replied", "Auto-Submitted: auto-generated",
    "X-Autoreply: yes", "X-Autorespond: Out of office", "Precedence: auto_reply",
    "Precedence: bulk", "Precedence: junk",
    "X-MS-Exchange-Generated-Message-Source: Mailbox Rules Agent",
])
def test_auto_reply_headers(header):
    parsed = parse(_mail(header))

    assert parsed.auto_reply is True
    assert parsed.reply_text == "" and parsed.items == []
    assert "Shipped the export" in parsed.body_text


@pytest.mark.parametrize("subject", [
    "Automatic reply: What did you get done today?", "Out of Office: Re: today",
    "Abwesenheitsnotiz: Heute", "Automatische Antwort: Heute", "Réponse automatique : X",
    "Fuera de la oficina: X", "Respuesta automática: X", "Resposta automática: X",
    "Automatisch antwoord: X", "Risposta automatica: X", "Автоматический ответ: X",
    "自動応答: X", "自动回复: X", "[Auto-Reply] Re: today", "Absent: until Monday",
])
def test_auto_reply_subjects(subject):
    assert parse(_mail(subject=subject)).auto_reply is True


@pytest.mark.parametrize("header", [
    "X-Auto-Response-Suppress: All",  # Outlook sets it on ordinary mail a person sends
    "X-Auto-Response-Suppress: DR, RN, NRN, OOF, AutoReply",
    "Auto-Submitted: no",
    "Precedence: list",
    "X-MS-Exchange-Inbox-Rules-Loop: ada@example.com",
])
def test_headers_that_do_not_make_a_reply_automatic(header):
    parsed = parse(_mail(header))

    assert parsed.auto_reply is False and parsed.bounce is False
    assert parsed.items == ["Shipped the export"]


@pytest.mark.parametrize("subject", [
    "Re: Out of the box setup finished", "Re: vacation planning doc written",
])
def test_subjects_that_only_mention_absence_are_replies(subject):
    assert parse(_mail(subject=subject)).auto_reply is False


@pytest.mark.parametrize(("sender", "subject", "ctype"), [
    ("MAILER-DAEMON@mx.example.org", "Undelivered Mail Returned to Sender", "text/plain"),
    ("postmaster@example.com", "Undeliverable: today", "text/plain"),
    ("ada@example.com", "Delivery Status Notification (Failure)", "text/plain"),
    ("ada@example.com", "Re: today",
     "multipart/report; report-type=delivery-status; boundary=b"),
])
def test_bounces(sender, subject, ctype):
    parsed = parse(_mail(sender=sender, subject=subject, ctype=ctype))

    assert parsed.bounce is True and parsed.auto_reply is False
    assert parsed.reply_text == "" and parsed.items == []


def test_a_read_receipt_is_not_a_reply():
    parsed = parse(_mail(ctype="multipart/report; report-type=disposition-notification; "
                               "boundary=b"))

    assert parsed.auto_reply is True and parsed.reply_text == ""
