import smtplib

import pytest
from aiosmtpd.controller import Controller

from apps.ops.mailsink import Maildir, MaildirHandler
from tests.conftest import free_port


@pytest.fixture
def sink(tmp_path):
    maildir = Maildir(tmp_path / "mail")
    controller = Controller(MaildirHandler(maildir), hostname="127.0.0.1", port=free_port())
    controller.start()
    yield controller, maildir
    controller.stop()


def test_sink_stores_each_message_byte_for_byte_in_the_maildir(sink, caplog):
    controller, maildir = sink
    raw = (
        b"From: Ada <ada@example.com>\r\n"
        b"To: team@example.com\r\n"
        b"Subject: =?utf-8?q?Caf=C3=A9?= done\r\n"
        b"Message-ID: <1@example.com>\r\n"
        b"Content-Type: text/plain; charset=utf-8\r\n"
        b"Content-Transfer-Encoding: 8bit\r\n"
        b"\r\n"
        b"Shipped the caf\xc3\xa9 menu.\r\n"
        b".leading dot survives dot-stuffing\r\n"
    )
    with caplog.at_level("INFO", logger="donemail.mailsink"):
        with smtplib.SMTP(controller.hostname, controller.port) as smtp:
            smtp.sendmail("ada@example.com", ["team@example.com"], raw)
    files = maildir.messages()
    assert len(files) == 1
    assert files[0].read_bytes() == raw
    assert not list((maildir.root / "tmp").iterdir())
    assert "from=ada@example.com to=team@example.com subject='Café done'" in caplog.text


def test_sink_keeps_every_message_of_a_session_separately(sink):
    controller, maildir = sink
    with smtplib.SMTP(controller.hostname, controller.port) as smtp:
        for n in range(3):
            smtp.sendmail("a@example.com", ["b@example.com"], f"Subject: {n}\r\n\r\nbody {n}\r\n")
    bodies = sorted(p.read_bytes() for p in maildir.messages())
    assert bodies == [f"Subject: {n}\r\n\r\nbody {n}\r\n".encode() for n in range(3)]
