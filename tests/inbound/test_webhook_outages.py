"""What SendGrid sees when our database or broker is down.

Nothing is mocked: the database connection really points at a closed port,
and the broker URL really names one.
"""

from django.db import connection
from django.utils import timezone

from apps.inbound.models import InboundEmail
from apps.inbound.services import inbound_sweep
from tests.conftest import free_port

from .test_webhook_raw import LATIN1_REPLY


def _drop_other_connections():
    """Close the live server's connection from the database side, so its next
    request has to connect again (to wherever the settings now point)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )


def test_database_down_answers_503_so_sendgrid_retries(webhook, postgres_only, monkeypatch):
    _drop_other_connections()
    monkeypatch.setitem(connection.settings_dict, "PORT", str(free_port()))

    response = webhook.post_raw(LATIN1_REPLY)

    assert response.status_code == 503
    monkeypatch.undo()
    assert not InboundEmail.objects.exists()
    retried = webhook.post_raw(LATIN1_REPLY)  # SendGrid's retry, once we are back
    assert retried.status_code == 200
    assert InboundEmail.objects.get().state == InboundEmail.State.RECEIVED


def test_broker_down_still_stores_and_answers_200_and_the_sweep_publishes_later(
    webhook, broker,
):
    broker.down()
    response = webhook.post_raw(LATIN1_REPLY)

    assert response.status_code == 200
    email = InboundEmail.objects.get()
    assert email.state == InboundEmail.State.RECEIVED

    later = timezone.now() + timezone.timedelta(minutes=2)
    broker.up()
    assert inbound_sweep(now=later) == 1
