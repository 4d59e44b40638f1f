"""parse() fills every field of ParsedMail, and reports unreadable input instead of raising."""

from email.message import EmailMessage

from apps.inbound.parsing import parse

GMAIL_REPLY = b"""\
Return-Path: <ada@example.com>
Message-ID: <CAKsfaBW4hj0Gek6@mail.gmail.com>
In-Reply-To: <reminder-1@donemail.test>
References: <thread-0@donemail.test> <reminder-1@donemail.test>
Date: Tue, 1 Dec 2026 17:42:10 +0000
From: =?UTF-8?Q?Ada_Lovel=C3=A1ce?= <Ada@Example.com>
To: Donemail <reply+tok3n@in.localhost>
Cc: boss@example.com
Subject: Re: What did you get done today?
MIME-Version: 1.0
Content-Type: text/plain; charset="UTF-8"
Content-Transfer-Encoding: quoted-printable

Hi team,

- Shipped the caf=C3=A9 menu export
- Reviewed two pull requests for the billing
  migration

Thanks,
Ada

On Tue, Dec 1, 2026 at 5:00 PM Donemail <reply+tok3n@in.localhost> wrote:

> What did you get done today?
>
"""


def test_a_gmail_reply_fills_every_field():
    parsed = parse(GMAIL_REPLY)

    assert parsed.error == ""
    assert parsed.message_id == "<CAKsfaBW4hj0Gek6@mail.gmail.com>"
    assert parsed.from_addr == "ada@example.com"
    assert parsed.from_name == "Ada Loveláce"
    assert parsed.to == ["reply+tok3n@in.localhost", "boss@example.com"]
    assert parsed.subject == "Re: What did you get done today?"
    assert parsed.date == "2026-12-01T17:42:10+00:00"
    assert parsed.in_reply_to == ["<reminder-1@donemail.test>", "<thread-0@donemail.test>"]
    assert "What did you get done today?" in parsed.body_text
    assert parsed.reply_text == (
        "Hi team,\n\n- Shipped the café menu export\n"
        "- Reviewed two pull requests for the billing\n  migration"
    )
    assert parsed.items == [
        "Shipped the café menu export",
        "Reviewed two pull requests for the billing migration",
    ]
    assert parsed.auto_reply is False and parsed.bounce is False
    assert isinstance(parsed.message, EmailMessage)


def test_empty_input_is_an_error_not_an_exception():
    assert parse(b"").error == "empty message"
    assert parse(b"  \r\n").error == "empty message"


def test_binary_junk_is_an_error_not_an_exception():
    parsed = parse(bytes(range(256)) * 4)

    assert parsed.error
    assert parsed.reply_text == "" and parsed.items == []


def test_an_auto_reply_keeps_its_text_in_the_body_only():
    raw = (
        b"From: ada@example.com\r\nSubject: Automatic reply: What did you get done today?\r\n"
        b"Auto-Submitted: auto-replied\r\n\r\nI am out of the office until Monday.\r\n"
    )
    parsed = parse(raw)

    assert parsed.auto_reply is True
    assert parsed.reply_text == "" and parsed.items == []
    assert parsed.body_text == "I am out of the office until Monday."


def test_a_bare_message_id_gets_its_angle_brackets():
    parsed = parse(b"Message-ID: abc.123@mail.example.com\r\nFrom: a@example.com\r\n\r\nhi\r\n")

    assert parsed.message_id == "<abc.123@mail.example.com>"


def test_dates_mail_parser_refuses_still_read_and_junk_dates_are_empty():
    def date_of(value: bytes) -> str:
        return parse(b"Date: " + value + b"\r\nFrom: a@example.com\r\n\r\nhi\r\n").date

    assert date_of(b"Tue, 1 Dec 2026 18:00:00 +0100") == "2026-12-01T17:00:00+00:00"
    assert date_of(b"1 Dec 2026 17:00:00") == "2026-12-01T17:00:00+00:00"
    assert date_of(b"yesterday-ish") == ""


def test_a_byte_order_mark_or_leading_blank_lines_do_not_hide_the_headers():
    for prefix in (b"\xef\xbb\xbf", b"\r\n\r\n", b"\n"):
        parsed = parse(prefix + b"From: ada@example.com\r\nSubject: hi\r\n\r\n- Shipped X\r\n")
        assert (parsed.error, parsed.from_addr, parsed.items) == ("", "ada@example.com",
                                                                   ["Shipped X"])


def test_an_mbox_from_line_is_not_a_header():
    parsed = parse(b"From ada@example.com Tue Dec  1 10:00:00 2026\nFrom: ada@example.com\n"
                   b"Subject: hi\n\n- Shipped X\n")
    assert parsed.from_addr == "ada@example.com" and parsed.items == ["Shipped X"]
