import base64
import time

import pytest

from apps.delivery.models import DeliveryEvent, Suppression
from apps.outbound.models import State
from tests.delivery.conftest import Signer, body_of, sendgrid_event

URL = "/hooks/sendgrid/events/"


def post(client, body: bytes, headers: dict, url=URL):
    return client.generic("POST", url, body, content_type="application/json",
                          headers=headers)


@pytest.fixture
def run_on_commit(django_capture_on_commit_callbacks):
    """Run the after-commit enqueue for real (the task goes to the broker)."""
    return django_capture_on_commit_callbacks


def test_signed_events_are_stored_and_answered_200(client, signed_webhook, sent_message, run_on_commit):
    body = body_of(sendgrid_event(sent_message, sg_event_id="e1"))
    with run_on_commit(execute=False):
        response = post(client, body, signed_webhook.headers(body))
    assert response.status_code == 200
    assert response.json() == {"stored": 1, "received": 1}
    event = DeliveryEvent.objects.get(provider_event_id="e1")
    assert (event.event, event.message_id, event.matched) == ("delivered", sent_message.pk, True)


@pytest.mark.parametrize("mutate, reason", [
    (lambda body, h, s: (body.replace(b"delivered", b"bounce"), h), "tampered body"),
    (lambda body, h, s: (body, Signer().headers(body)), "signed by another key"),
    (lambda body, h, s: (body, s.headers(body, timestamp=int(time.time()) - 7200)), "old timestamp"),
    (lambda body, h, s: (body, {}), "no signature"),
])
def test_bad_signatures_get_401_and_store_nothing(client, signed_webhook, sent_message, mutate, reason):
    body = body_of(sendgrid_event(sent_message))
    body, headers = mutate(body, signed_webhook.headers(body), signed_webhook)
    response = post(client, body, headers)
    assert response.status_code == 401, reason
    assert not DeliveryEvent.objects.exists()


def test_basic_auth_alone_is_accepted_when_configured(client, settings, sent_message):
    settings.SENDGRID_EVENT_WEBHOOK_PUBLIC_KEYS = []
    settings.SENDGRID_EVENT_WEBHOOK_BASIC_AUTH = ["sendgrid:s3cret", "old:rotated"]
    body = body_of(sendgrid_event(sent_message))
    good = {"Authorization": "Basic " + base64.b64encode(b"old:rotated").decode()}
    bad = {"Authorization": "Basic " + base64.b64encode(b"sendgrid:wrong").decode()}
    assert post(client, body, bad).status_code == 401
    assert post(client, body, {}).status_code == 401
    assert post(client, body, good, url=URL.rstrip("/")).status_code == 200
    assert DeliveryEvent.objects.count() == 1


def test_an_unconfigured_webhook_refuses_everything(client, settings, sent_message):
    settings.SENDGRID_EVENT_WEBHOOK_PUBLIC_KEYS = []
    settings.SENDGRID_EVENT_WEBHOOK_BASIC_AUTH = []
    assert post(client, body_of(sendgrid_event(sent_message)), {}).status_code == 401


def test_repeated_events_are_stored_once(client, signed_webhook, sent_message, run_on_commit):
    event = sendgrid_event(sent_message, sg_event_id="dup-1")
    for _ in range(3):
        body = body_of(event, sendgrid_event(sent_message, sg_event_id="dup-2", event="open"))
        with run_on_commit(execute=False):
            assert post(client, body, signed_webhook.headers(body)).status_code == 200
    assert DeliveryEvent.objects.filter(provider_event_id__startswith="dup-").count() == 2


def test_events_for_unknown_messages_are_stored_and_flagged(client, signed_webhook, db, run_on_commit):
    body = body_of(sendgrid_event(None, sg_event_id="ghost", **{"smtp-id": "<nope@x>"}))
    with run_on_commit(execute=False):
        assert post(client, body, signed_webhook.headers(body)).status_code == 200
    ghost = DeliveryEvent.objects.get(provider_event_id="ghost")
    assert ghost.matched is False and ghost.message is None


def test_a_body_that_is_not_an_event_array_is_400(client, signed_webhook, db):
    for body in (b"not json", b'{"event": "delivered"}'):
        assert post(client, body, signed_webhook.headers(body)).status_code == 400
    assert not DeliveryEvent.objects.exists()


def test_the_database_down_answers_503_so_sendgrid_retries(client, signed_webhook, sent_message, monkeypatch):
    from django.db import OperationalError

    from apps.delivery import services

    def refuse(*args, **kwargs):
        raise OperationalError("could not write: disk full")

    monkeypatch.setattr(services.DeliveryEvent.objects, "bulk_create", refuse)
    body = body_of(sendgrid_event(sent_message))
    assert post(client, body, signed_webhook.headers(body)).status_code == 503


def test_stored_events_are_applied_by_the_real_worker(
    client, signed_webhook, celery_worker, member, live_server,
):
    """Store through the webhook, enqueue on commit, a real worker applies them."""
    import requests
    from django.utils import timezone

    from apps.outbound.models import Kind, OutboundMessage

    message = OutboundMessage.objects.create(
        member=member, kind=Kind.REMINDER, local_date=timezone.now().date(),
        scheduled_for=timezone.now(), state=State.SENT,
    )
    body = body_of(sendgrid_event(message, event="bounce", type="bounce", status="5.1.1",
                                  reason="550 5.1.1 user unknown", sg_event_id="b-1"))
    response = requests.post(live_server.url + URL, data=body, timeout=10,
                             headers={"Content-Type": "application/json", **signed_webhook.headers(body)})
    assert response.status_code == 200
    deadline = time.time() + 30
    while time.time() < deadline and not Suppression.objects.exists():
        time.sleep(0.2)
    message.refresh_from_db()
    assert message.state == State.BOUNCED
    assert Suppression.objects.get().address == "ada@example.com"
