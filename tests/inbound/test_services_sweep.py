"""The sweep: rows left `received` (their task never reached the broker) are published again."""

from django.utils import timezone

from apps.inbound.models import InboundEmail
from apps.inbound.services import inbound_store, inbound_sweep

from .test_webhook_raw import LATIN1_REPLY


def _stored(minutes_ago: int, **fields) -> InboundEmail:
    email = inbound_store(raw=LATIN1_REPLY, mode="raw", envelope={}, **fields)
    InboundEmail.objects.filter(pk=email.pk).update(
        received_at=timezone.now() - timezone.timedelta(minutes=minutes_ago))
    return email


def test_sweep_publishes_only_rows_still_received_after_a_minute(db):
    _stored(5)
    _stored(0)  # its own task may still be on its way
    _stored(5, rejected_reason="too large")
    parsed = _stored(5)
    InboundEmail.objects.filter(pk=parsed.pk).update(state=InboundEmail.State.PARSED)

    assert inbound_sweep(now=timezone.now()) == 1


def test_sweep_publishes_nothing_while_the_broker_is_down(db, broker):
    _stored(5)
    broker.down()

    assert inbound_sweep(now=timezone.now()) == 0
    broker.up()
    assert inbound_sweep(now=timezone.now()) == 1


def test_a_row_the_sweep_published_waits_a_quarter_hour_before_the_next_copy(db):
    _stored(5)
    now = timezone.now()

    assert inbound_sweep(now=now) == 1
    assert inbound_sweep(now=now + timezone.timedelta(minutes=1)) == 0  # workers are behind
    assert inbound_sweep(now=now + timezone.timedelta(minutes=16)) == 1
