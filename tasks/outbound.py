from django.utils import timezone

from apps.outbound.dispatch import dispatch_due as dispatch

from .base import idempotent


@idempotent(name="outbound.dispatch_due")
def dispatch_due() -> dict:
    """Beat's entry point: create what is due now, claim it, publish the batches.
    Safe to run twice or at once on two workers (see apps/outbound/dispatch.py)."""
    return dispatch(now=timezone.now()).as_dict()
