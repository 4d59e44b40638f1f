from django.db.models import Exists, OuterRef
from django.db.models.functions import Lower

from .models import DeliveryEvent, Suppression


def active_suppressions():
    return Suppression.objects.filter(removed_at__isnull=True)


def address_is_suppressed(address: str) -> bool:
    return active_suppressions().filter(address=address.strip().lower()).exists()


def suppressed_email_exists(email_ref="email"):
    """An Exists() for querysets of members: true when the member's address is
    suppressed. Dispatch filters on ~this, in the same SQL statement."""
    return Exists(
        active_suppressions().annotate(_lower=Lower("address")).filter(
            _lower=Lower(OuterRef(email_ref))
        )
    )


def soft_bounces_in_a_row(address: str) -> int:
    """Soft bounces for an address since its last delivery (newest first)."""
    count = 0
    events = DeliveryEvent.objects.filter(email__iexact=address).exclude(event="processed")
    for event, severity in events.order_by("-occurred_at", "-id").values_list("event", "severity")[:100]:
        if event == "delivered":
            break
        if severity == DeliveryEvent.Severity.SOFT:
            count += 1
        elif severity == DeliveryEvent.Severity.HARD:
            break
    return count
