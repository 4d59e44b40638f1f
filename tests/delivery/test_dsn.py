from email import message_from_bytes
from email.policy import default
from pathlib import Path

import pytest

from apps.delivery.dsn import parse_dsn

HERE = Path(__file__).parent / "dsn"


def load(name: str, **values) -> bytes:
    """A fixture with its placeholders ({PK}, {MAC}, {MESSAGE_ID}) filled in."""
    raw = (HERE / name).read_bytes()
    fill = {"PK": "1", "MAC": "0" * 12, "MESSAGE_ID": "<orig@in.localhost>", **values}
    for key, value in fill.items():
        raw = raw.replace(("{" + key + "}").encode(), value.encode())
    return raw


@pytest.mark.parametrize("name, address, action, status, severity", [
    ("postfix_hard.eml", "gone@example.org", "failed", "5.1.1", "hard"),
    ("exchange_hard.eml", "nobody@contoso.example", "failed", "5.1.10", "hard"),
    ("gmail_soft.eml", "full@gmail.example", "delayed", "4.2.2", "soft"),
])
def test_dsns_of_the_main_mtas_are_read(name, address, action, status, severity):
    dsn = parse_dsn(message_from_bytes(load(name), policy=default))
    assert dsn is not None
    assert [(r.address, r.action, r.status, r.severity) for r in dsn.recipients] == [
        (address, action, status, severity)
    ]
    assert dsn.original_message_id == "<orig@in.localhost>"
    assert dsn.reporting_mta


def test_an_ordinary_reply_is_not_a_dsn():
    msg = message_from_bytes(b"From: a@example.com\r\nSubject: re\r\n\r\nDone: shipped\r\n",
                             policy=default)
    assert parse_dsn(msg) is None


def test_a_report_without_a_status_part_is_not_a_dsn():
    raw = (b"Content-Type: multipart/report; report-type=delivery-status; boundary=b\r\n\r\n"
           b"--b\r\nContent-Type: text/plain\r\n\r\nhello\r\n--b--\r\n")
    assert parse_dsn(message_from_bytes(raw, policy=default)) is None
