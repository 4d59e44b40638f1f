from django.utils import timezone

from apps.inbound.services import inbound_parse, inbound_sweep

from .base import idempotent


@idempotent(name="inbound.parse")
def parse(inbound_id: int) -> str:
    """Parse one stored email; our bugs re-raise here so Flower shows them."""
    return inbound_parse(inbound_id=inbound_id)


@idempotent(name="inbound.sweep")
def sweep() -> int:
    """Re-publish emails still `received` (the broker was down when they came)."""
    return inbound_sweep(now=timezone.now())
