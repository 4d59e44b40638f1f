"""SendGridTransport against SendGrid's API faked at the HTTP layer: a local
HTTP server on 127.0.0.1 answering as SendGrid's v3 mail/send does (SendGrid
cannot be reached from here). The real `sendgrid` package makes the requests."""

import json
import logging
import time
from email.utils import formataddr

import pytest

from apps.outbound.transports import PERMANENT, SENT, TEMPORARY, get_transport, reset_transport
from apps.outbound.transports.sendgrid import SendGridTransport

from .conftest import make_message, make_messages
from .sendgrid_fake import error_body


def test_the_request_is_what_sendgrid_expects(sendgrid_fake, sendgrid_transport):
    [outcome] = sendgrid_transport.send([make_message(1, pk=42)])
    assert outcome.status == SENT
    [request] = sendgrid_fake.requests
    assert request.path == "/v3/mail/send"
    assert request.headers["authorization"] == "Bearer SG.test-key"
    assert request.headers["content-type"] == "application/json"
    body = request.body
    assert body["from"] == {"email": "donemail@example.org", "name": "Donemail"}
    assert body["personalizations"] == [
        {"to": [{"email": "member1@example.com", "name": "Member 1"}]}]
    assert body["subject"] == "What did you get done today? (1)"
    assert [c["type"] for c in body["content"]] == ["text/plain", "text/html"]
    assert body["content"][0]["value"].startswith("Reply to this email.")
    assert body["reply_to"] == {"email": "reply+token1@in.example.org"}
    assert body["custom_args"] == {"donemail_id": "42"}
    assert body["headers"] == {
        "Message-ID": "<msg-42@in.example.org>",
        "Auto-Submitted": "auto-generated",
        "List-Unsubscribe": "<https://donemail.example.org/unsubscribe/42/>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }


def test_reserved_headers_never_go_in_headers(sendgrid_fake, sendgrid_transport):
    message = make_message()
    message.extra_headers.update({"Reply-To": "x@example.org", "Content-Type": "text/plain"})
    [outcome] = sendgrid_transport.send([message])
    assert outcome.status == SENT
    assert {"Reply-To", "Content-Type"}.isdisjoint(sendgrid_fake.requests[0].body["headers"])


def test_accepted_is_sent_with_the_x_message_id(sendgrid_fake, sendgrid_transport):
    sendgrid_fake.answer(202, headers={"X-Message-Id": "W1yXTbzSQ-aPfkZ2-7pxtQ"})
    [outcome] = sendgrid_transport.send([make_message()])
    assert (outcome.status, outcome.provider_id) == (SENT, "W1yXTbzSQ-aPfkZ2-7pxtQ")


def test_429_is_temporary_until_the_rate_limit_resets(sendgrid_fake, sendgrid_transport):
    reset = int(time.time()) + 40
    sendgrid_fake.answer(429, error_body("too many requests"), {
        "X-RateLimit-Limit": "600", "X-RateLimit-Remaining": "0",
        "X-RateLimit-Reset": str(reset),
    })
    outcomes = sendgrid_transport.send(make_messages(2))
    assert [o.status for o in outcomes] == [TEMPORARY, SENT]
    assert "429" in outcomes[0].detail and "too many requests" in outcomes[0].detail
    assert 35 <= outcomes[0].retry_after <= 40


@pytest.mark.parametrize("status", [500, 502, 503])
def test_server_errors_are_temporary(sendgrid_fake, sendgrid_transport, status):
    sendgrid_fake.answer(status, error_body("internal error"))
    [outcome] = sendgrid_transport.send([make_message()])
    assert outcome.status == TEMPORARY
    assert str(status) in outcome.detail


@pytest.mark.parametrize("status, message", [
    (400, "The from address does not match a verified Sender Identity."),
    (403, "You are not authorized to send from that email address."),
    (413, "The JSON payload you have included in your request is too large."),
])
def test_client_errors_are_permanent_with_sendgrids_message(
    sendgrid_fake, sendgrid_transport, status, message,
):
    sendgrid_fake.answer(status, error_body(message, "from.email"))
    outcomes = sendgrid_transport.send(make_messages(2))
    assert [o.status for o in outcomes] == [PERMANENT, SENT]
    assert outcomes[0].detail.startswith(f"SendGrid {status}")
    assert message in outcomes[0].detail and "(from.email)" in outcomes[0].detail


def test_a_wrong_api_key_is_permanent_and_logged(sendgrid_fake, caplog):
    transport = SendGridTransport(api_key="SG.wrong", host=sendgrid_fake.host, timeout=5)
    with caplog.at_level(logging.ERROR, logger="donemail.transports.sendgrid"):
        [outcome] = transport.send([make_message()])
    assert outcome.status == PERMANENT
    assert "401" in outcome.detail and "authorization grant is invalid" in outcome.detail
    assert any("API key" in r.getMessage() for r in caplog.records)


def test_a_slow_api_times_out_as_temporary(sendgrid_fake):
    transport = SendGridTransport(api_key=sendgrid_fake.api_key, host=sendgrid_fake.host,
                                  timeout=0.3)
    sendgrid_fake.stall(1.0)
    started = time.monotonic()
    [outcome] = transport.send([make_message()])
    assert outcome.status == TEMPORARY
    assert "timed out" in outcome.detail
    assert time.monotonic() - started < 0.9  # our timeout, not the server's pace


def test_an_unreachable_api_is_temporary(sendgrid_fake):
    transport = SendGridTransport(api_key="k", host=sendgrid_fake.host, timeout=2)
    sendgrid_fake.stop()
    [outcome] = transport.send([make_message()])
    assert outcome.status == TEMPORARY
    assert "unreachable" in outcome.detail


def test_a_message_without_donemail_id_has_no_custom_args(sendgrid_fake, sendgrid_transport):
    message = make_message()
    del message.donemail_id
    sendgrid_transport.send([message])
    assert "custom_args" not in sendgrid_fake.requests[0].body


def test_email_url_reaches_the_fake_end_to_end(settings, sendgrid_fake):
    settings.EMAIL_URL = f"sendgrid://{sendgrid_fake.host.split('//')[1]}?api_key=SG.test-key" \
                         "&http=true&timeout=4"
    reset_transport()
    try:
        [outcome] = get_transport().send([make_message()])
    finally:
        reset_transport()
    assert outcome.status == SENT
    assert json.dumps(sendgrid_fake.requests[0].body)


def test_a_non_ascii_name_reaches_sendgrid_as_text_not_rfc2047(
    sendgrid_fake, sendgrid_transport,
):
    """Rendering uses formataddr, which encodes 'Zoë Ångström' as an encoded
    word; SendGrid's JSON wants the name itself."""
    to = formataddr(("Zoë Ångström", "zoe@example.com"))
    assert to.startswith("=?utf-8?")
    message = make_message(to=to)
    message.from_email = formataddr(("Dönemail", "donemail@example.org"))
    [outcome] = sendgrid_transport.send([message])
    assert outcome.status == SENT
    body = sendgrid_fake.requests[0].body
    assert body["personalizations"] == [
        {"to": [{"email": "zoe@example.com", "name": "Zoë Ångström"}]}]
    assert body["from"] == {"email": "donemail@example.org", "name": "Dönemail"}


def test_an_encoded_name_hiding_a_newline_is_refused(sendgrid_fake, sendgrid_transport):
    to = "=?utf-8?q?Zo=C3=AB=0D=0ABcc=3A_x=40evil.example?= <zoe@example.com>"
    [outcome] = sendgrid_transport.send([make_message(to=to)])
    assert outcome.status == PERMANENT and "newline" in outcome.detail
    assert sendgrid_fake.requests == []
