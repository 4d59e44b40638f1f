from django.utils import timezone

from apps.delivery.models import DeliveryEvent
from apps.delivery.services import events_apply

from .base import idempotent


@idempotent(name="delivery.apply_events")
def apply_events(ids: list[int]) -> int:
    return events_apply(ids=ids)


@idempotent(name="delivery.sweep_events")
def sweep_events() -> int:
    """Apply events whose task never ran (broker down when they were stored)."""
    stale = timezone.now() - timezone.timedelta(minutes=2)
    ids = list(
        DeliveryEvent.objects.filter(processed_at__isnull=True, received_at__lt=stale)
        .values_list("id", flat=True)[:1000]
    )
    return events_apply(ids=ids)
