"""Sending and its recovery: each task one call into apps/outbound."""

from django.utils import timezone

from apps.outbound.recovery import outbound_sweep
from apps.outbound.sending import batch_send

from .base import idempotent


@idempotent(name="outbound.send_batch")
def send_batch(ids: list[int]) -> dict:
    """Redelivered after a worker died? The claim is guarded: nothing goes twice."""
    return batch_send(ids=ids)


@idempotent(name="outbound.sweep")
def sweep() -> dict:
    return outbound_sweep(now=timezone.now())
