"""The test SMTP server itself: each misbehaviour does what the transport tests rely on."""

import smtplib
import pytest

def test_sink_receives_bytes_and_misbehaves_on_cue(smtp_sink):
    msg = b"From: a@x\r\nTo: b@y\r\nSubject: hi\r\n\r\nbody\r\n"
    with smtplib.SMTP(smtp_sink.host, smtp_sink.port) as s:
        s.sendmail("a@x", ["b@y"], msg)
    assert smtp_sink.received[0].data == msg
    smtp_sink.refuse_recipient("bad@y", "550 5.1.1 nope")
    with smtplib.SMTP(smtp_sink.host, smtp_sink.port) as s:
        refused = s.sendmail("a@x", ["b@y", "bad@y"], msg)
    assert refused == {"bad@y": (550, b"5.1.1 nope")}
    smtp_sink.refuse_connections()
    with pytest.raises(smtplib.SMTPConnectError):
        smtplib.SMTP(smtp_sink.host, smtp_sink.port)
    smtp_sink.refuse_data("451 4.3.0 later")
    with smtplib.SMTP(smtp_sink.host, smtp_sink.port) as s:
        with pytest.raises(smtplib.SMTPDataError):
            s.sendmail("a@x", ["b@y"], msg)
        s.sendmail("a@x", ["b@y"], msg)
    smtp_sink.drop_during_data()
    s = smtplib.SMTP(smtp_sink.host, smtp_sink.port)
    with pytest.raises(smtplib.SMTPServerDisconnected):
        s.sendmail("a@x", ["b@y"], msg)
    assert len(smtp_sink.received) == 3
    assert smtp_sink.connections == 5
