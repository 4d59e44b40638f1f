"""The inbound webhook in SendGrid's raw mode ("Send Raw"), over real HTTP.

Every request goes to the live server through a socket, shaped like
SendGrid's multipart POST; assertions are on status codes and stored rows.
"""

import hashlib

import pytest

from apps.inbound.models import InboundEmail

from .conftest import PASSWORD, USER
from .sendgrid_posts import big_message, form_body, payload, payload_post, raw_fields

MiB = 1024 * 1024

LATIN1_REPLY = (
    b"From: Ada Lovelace <ada@example.com>\r\n"
    b"To: reply+abc@in.localhost\r\n"
    b"Subject: =?iso-8859-1?q?R=E9ponse?=\r\n"
    b"Message-ID: <latin1-1@example.com>\r\n"
    b"MIME-Version: 1.0\r\n"
    b"Content-Type: text/plain; charset=iso-8859-1\r\n"
    b"Content-Transfer-Encoding: 8bit\r\n"
    b"\r\n"
    b"- R\xe9vis\xe9 le caf\xe9\r\n- Fini la fa\xe7ade\r\n"
)


def test_raw_mode_post_is_stored_byte_for_byte(webhook):
    body, ctype = payload_post("sendgrid_inbound_raw_mime")
    response = webhook.post(body, ctype)

    assert response.status_code == 200
    email = InboundEmail.objects.get()
    sent = payload("sendgrid_inbound_raw_mime")["fields"]
    assert bytes(email.raw) == sent["email"].encode()
    assert email.mode == InboundEmail.Mode.RAW
    assert email.state == InboundEmail.State.RECEIVED
    assert email.envelope == {"to": ["test@inbound.example.com"],
                              "from": "envelope-from@example.org"}
    assert (email.spf, email.dkim, email.spam_score) == ("pass", "{@example.org : pass}", 1.7)
    assert email.sha256 == hashlib.sha256(sent["email"].encode()).hexdigest()
    assert email.size == len(sent["email"].encode())
    assert (email.from_addr, email.subject) == ("test@example.org", "Raw MIME test")
    assert email.message_id == "<CAEPk3RKEx@mail.example.org>"


def test_raw_email_field_is_read_as_bytes_never_through_utf8(webhook):
    response = webhook.post_raw(LATIN1_REPLY)

    assert response.status_code == 200
    assert bytes(InboundEmail.objects.get().raw) == LATIN1_REPLY


@pytest.mark.parametrize("path", ["/hooks/sendgrid/inbound/", "/hooks/sendgrid/inbound"])
def test_both_urls_answer_200_never_a_redirect(webhook, path):
    response = webhook.post(form_body(raw_fields(LATIN1_REPLY)), path=path)

    assert response.status_code == 200
    assert InboundEmail.objects.count() == 1


@pytest.mark.parametrize("auth", [None, (USER, "wrong"), ("nobody", PASSWORD), ("", "")],
                         ids=["missing", "wrong-password", "wrong-user", "empty"])
def test_wrong_or_missing_credentials_get_401_and_store_nothing(webhook, auth):
    response = webhook.post(form_body(raw_fields(LATIN1_REPLY)), auth=auth)

    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith("Basic")
    assert not InboundEmail.objects.exists()


def test_garbage_authorization_header_gets_401(webhook):
    response = webhook.post(form_body(raw_fields(LATIN1_REPLY)), auth=None,
                            headers={"Authorization": "Basic %%%not-base64"})

    assert response.status_code == 401
    assert not InboundEmail.objects.exists()


def test_a_rotated_secret_is_still_accepted(webhook):
    response = webhook.post(form_body(raw_fields(LATIN1_REPLY)), auth=("previous", "rotated-out"))

    assert response.status_code == 200
    assert InboundEmail.objects.count() == 1


def test_no_configured_secret_refuses_everything(webhook, settings):
    settings.INBOUND_WEBHOOK_SECRET = []

    response = webhook.post(form_body(raw_fields(LATIN1_REPLY)))

    assert response.status_code == 401
    assert not InboundEmail.objects.exists()


def test_29_mib_message_is_accepted_and_stored_byte_for_byte(webhook):
    message = big_message(29 * MiB)

    response = webhook.post_raw(message)

    assert response.status_code == 200
    email = InboundEmail.objects.get()
    assert email.state == InboundEmail.State.RECEIVED
    assert email.size == 29 * MiB
    assert email.sha256 == hashlib.sha256(message).hexdigest()
    assert bytes(email.raw) == message


def test_31_mib_message_is_recorded_rejected_with_its_headers_and_answered_200(webhook):
    message = big_message(31 * MiB)
    body = form_body(raw_fields(message))

    response = webhook.post(body)

    assert response.status_code == 200
    email = InboundEmail.objects.get()
    assert email.state == InboundEmail.State.REJECTED
    assert email.truncated
    assert "too large" in email.state_reason
    assert email.size == len(body)
    assert bytes(email.raw) == message[: message.index(b"\r\n\r\n") + 4]  # headers, no body
    assert (email.from_addr, email.subject) == ("ada@example.com", "A big one")
    assert email.envelope["from"] == "ada@example.com"


def test_the_limit_follows_the_setting(webhook, settings):
    settings.INBOUND_MAX_BYTES = 2 * MiB

    small = webhook.post_raw(big_message(MiB))
    large = webhook.post_raw(big_message(3 * MiB))

    assert (small.status_code, large.status_code) == (200, 200)
    states = list(InboundEmail.objects.order_by("pk").values_list("state", flat=True))
    assert states == [InboundEmail.State.RECEIVED, InboundEmail.State.REJECTED]


def test_a_body_that_is_not_form_data_is_recorded_rejected_and_answered_200(webhook):
    response = webhook.post(b'{"email": "hello"}', "application/json")

    assert response.status_code == 200
    email = InboundEmail.objects.get()
    assert email.state == InboundEmail.State.REJECTED
    assert "multipart/form-data" in email.state_reason


def test_a_truncated_form_is_recorded_rejected_not_lost_silently(webhook):
    body = form_body(raw_fields(LATIN1_REPLY))
    response = webhook.post(body[: len(body) // 2])

    assert response.status_code == 200
    assert InboundEmail.objects.get().state == InboundEmail.State.REJECTED


def test_get_is_not_allowed(webhook):
    import requests

    response = requests.get(webhook.base_url + "/hooks/sendgrid/inbound/", timeout=10,
                            auth=(USER, PASSWORD))

    assert response.status_code == 405


def headers_only(webhook, *, user: str, password: str, length: int) -> bytes:
    """Send a POST's headers announcing `length` bytes and no body; the first
    bytes of the answer (a server waiting for the body would time out)."""
    import base64
    import socket
    from urllib.parse import urlsplit

    url = urlsplit(webhook.base_url)
    auth = base64.b64encode(f"{user}:{password}".encode()).decode()
    head = (f"POST /hooks/sendgrid/inbound/ HTTP/1.1\r\nHost: {url.hostname}\r\n"
            f"Authorization: Basic {auth}\r\nContent-Type: multipart/form-data; boundary=xYzZY\r\n"
            f"User-Agent: Sendlib/1.0\r\nContent-Length: {length}\r\n\r\n")
    with socket.create_connection((url.hostname, url.port), timeout=10) as sock:
        sock.sendall(head.encode())
        return sock.recv(200)


def test_credentials_are_refused_before_a_byte_of_the_body_is_read(webhook):
    answer = headers_only(webhook, user=USER, password="nope", length=31 * MiB)

    assert answer.startswith(b"HTTP/1.1 401")
    assert not InboundEmail.objects.exists()


def test_a_post_announcing_far_more_than_the_limit_is_recorded_unread(webhook, settings):
    settings.INBOUND_MAX_BYTES = 2 * MiB

    answer = headers_only(webhook, user=USER, password=PASSWORD, length=200 * MiB)

    assert answer.startswith(b"HTTP/1.1 200")
    email = InboundEmail.objects.get()
    assert (email.state, email.size, bytes(email.raw)) == ("rejected", 200 * MiB, b"")
    assert "too large to read" in email.state_reason and "Sendlib/1.0" in email.state_reason
