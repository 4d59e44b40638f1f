"""Every message of both kinds, as it arrives at a real SMTP server, carries
well-formed headers: parsed back from the bytes with the standard library."""

import re
from email.utils import getaddresses, parsedate_to_datetime

import pytest

from apps.preferences import links

from tests.emails import (
    MONDAY, TUESDAY, digest_row, person, reminder_row, render, send_through, wrote,
)

ONE_HEADER = (
    "Message-ID", "Date", "From", "To", "Reply-To", "Subject", "Auto-Submitted",
    "List-Unsubscribe", "List-Unsubscribe-Post", "MIME-Version",
)
ALL_HEADERS = {*ONE_HEADER, "Content-Type", "X-Donemail-Kind"}


def value(mail, name: str) -> str:
    """A header's unfolded value. Python folds a long value right after the
    colon (legal folding white space), which leaves a leading space here."""
    return str(mail[name]).strip()


@pytest.fixture
def delivered(settings, team, smtp_sink):
    """A reminder and a digest for two members, one of them with a team name
    and a member name that try to start headers of their own."""
    settings.PUBLIC_URL = "https://donemail.example.com"
    settings.INBOUND_DOMAIN = "in.donemail.example.com"
    team.name = "Platform\r\nBcc: team-spy@example.com"
    team.save()
    ada = person(team, "Ada Lovelace")
    eve = person(team, "Eve\nBcc: spy@example.com\r\nX-Evil: 1")
    zoe = person(team, "Zoë Ångström-Çelik, PhD")
    wrote(ada, MONDAY, "did a thing")
    rows = [
        reminder_row(ada, TUESDAY), digest_row(ada, MONDAY),
        reminder_row(eve, TUESDAY), digest_row(eve, MONDAY),
        reminder_row(zoe, TUESDAY), digest_row(zoe, MONDAY),
    ]
    received = send_through(smtp_sink, [render(row) for row in rows])
    assert len(received) == len(rows)
    return list(zip(rows, received))


def test_every_message_has_each_header_once(delivered):
    for row, mail in delivered:
        for name in ONE_HEADER:
            assert len(mail.get_all(name) or []) == 1, (row.kind, name)
        assert mail["Message-ID"] == row.message_id
        assert re.fullmatch(r"<[0-9a-f]{32}@in\.donemail\.example\.com>", mail["Message-ID"])
        assert parsedate_to_datetime(mail["Date"]).tzinfo is not None
        assert mail["Auto-Submitted"] == "auto-generated"
        assert mail["X-Donemail-Kind"] == row.kind
        assert mail.get_content_type() == "multipart/alternative"
        assert [p.get_content_type() for p in mail.iter_parts()] == ["text/plain", "text/html"]


def test_addresses_name_the_member_and_their_reply_token(delivered):
    for row, mail in delivered:
        member = row.member
        (to_name, to_address), = getaddresses([str(mail["To"])])
        assert to_address == member.email
        assert to_name == " ".join(member.name.split())
        assert str(mail["Reply-To"]) == f"reply+{member.reply_token}@in.donemail.example.com"
        assert mail.envelope_from.startswith("bounce+")
        assert getaddresses([str(mail["From"])])[0][1] == "donemail@localhost"


def test_list_unsubscribe_has_an_https_url_and_a_mailto_and_one_click(delivered):
    for row, mail in delivered:
        header = value(mail, "List-Unsubscribe")
        url, mailto = re.fullmatch(r"<([^>]+)>, <([^>]+)>", header).groups()
        assert url.startswith("https://donemail.example.com/unsubscribe/")
        token = url.rstrip("/").rsplit("/", 1)[1]
        data = links.token_read(token=token, purpose=links.UNSUBSCRIBE)
        assert data.member_id == row.member_id
        assert data.scope == links.KIND_SCOPE[row.kind]
        assert mailto.startswith("mailto:unsubscribe+")
        assert mailto.endswith("@in.donemail.example.com")
        assert mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_names_with_newlines_start_no_header_of_their_own(delivered):
    for _, mail in delivered:
        assert set(mail.keys()) == ALL_HEADERS  # no Bcc, no X-Evil, nothing else
        assert "\n" not in str(mail["Subject"]) and "\r" not in str(mail["Subject"])
    for row, mail in delivered:
        if row.kind == "digest":
            assert value(mail, "Subject") == (
                "Platform Bcc: team-spy@example.com — what got done on Mon 30 Nov: 1 item"
            )


def test_the_bytes_use_crlf_only_and_no_line_is_longer_than_998(delivered):
    for _, mail in delivered:
        raw = mail.raw
        assert b"\r\n\r\n" in raw
        assert not re.search(rb"(?<!\r)\n", raw), "bare LF"
        assert not re.search(rb"\r(?!\n)", raw), "bare CR"
        for line in raw.split(b"\r\n"):
            assert len(line) <= 998
        head = raw.split(b"\r\n\r\n", 1)[0]
        assert head.isascii()  # non-ASCII names travel as encoded words


def test_a_non_ascii_name_survives_the_round_trip(delivered):
    to_zoe = [mail for row, mail in delivered if row.member.name.startswith("Zoë")]
    assert len(to_zoe) == 2
    for mail in to_zoe:
        assert getaddresses([str(mail["To"])])[0][0] == "Zoë Ångström-Çelik, PhD"


def test_long_names_are_folded_within_the_line_limits(settings, team, smtp_sink):
    team.name = "The Platform, Infrastructure and Developer Experience Group " * 3
    team.save()
    long_name = "Ada Augusta King, Countess of Lovelace, née Byron " * 4
    ada = person(team, long_name)
    wrote(ada, MONDAY, "did a thing")
    mail, = send_through(smtp_sink, [render(digest_row(ada, MONDAY))])
    for line in mail.raw.split(b"\r\n\r\n", 1)[0].split(b"\r\n"):
        assert len(line) <= 78 or b" " not in line.strip(), line  # RFC 5322's SHOULD
    assert value(mail, "Subject").startswith(" ".join(team.name.split()) + " — what got done")
    assert getaddresses([str(mail["To"])])[0][0] == " ".join(long_name.split())
