"""Delivery events and the suppression list: mail that cannot arrive stops.

Events are stored first (deduplicated on the provider's id, since SendGrid
repeats them), then applied: the message moves through the outbound state
machine, and addresses that bounced hard, complained or unsubscribed are
suppressed, which cancels what is still waiting to be sent to them.
"""

import hashlib
import json
import logging
from datetime import UTC, datetime

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from apps.outbound.models import OutboundMessage, State
from .moves import messages_cancel_for_addresses, messages_move, messages_note

from . import verp
from .dsn import Dsn
from .models import DeliveryEvent, Suppression
from .selectors import soft_bounces_in_a_row

logger = logging.getLogger(__name__)

# Custom argument the SendGrid transport puts on every message (see transports).
CUSTOM_ARG = "donemail_id"

_SUPPRESS_ON_DROP = {
    "bounced address": Suppression.Reason.HARD_BOUNCE,
    "spam reporting address": Suppression.Reason.SPAM_REPORT,
    "unsubscribed address": Suppression.Reason.UNSUBSCRIBE,
    "invalid": Suppression.Reason.DROPPED,
}


def _severity(status: str, fallback: str) -> str:
    if status[:1] == "5":
        return DeliveryEvent.Severity.HARD
    if status[:1] == "4":
        return DeliveryEvent.Severity.SOFT
    return fallback


# --- suppression list -----------------------------------------------------------

def suppression_add(*, address: str, reason: str, source: str, detail: str = "") -> Suppression:
    """Suppress an address (idempotent: the first active reason stays) and
    cancel every message still waiting to go to it."""
    address = address.strip().lower()
    try:
        with transaction.atomic():
            suppression, created = Suppression.objects.get_or_create(
                address=address, removed_at__isnull=True,
                defaults={"reason": reason, "source": source[:255], "detail": detail},
            )
    except IntegrityError:  # a concurrent add won; use its row
        suppression, created = Suppression.objects.get(address=address, removed_at__isnull=True), False
    if created:
        logger.info("suppressed %s (%s, %s)", address, reason, source)
    messages_cancel_for_addresses(
        addresses=[address], reason=f"address suppressed: {suppression.get_reason_display()}",
    )
    return suppression


def suppression_remove(*, suppression_id: int, by: str, note: str = "") -> bool:
    """Lift a suppression, keeping the row as a record of who and when."""
    return bool(
        Suppression.objects.filter(pk=suppression_id, removed_at__isnull=True).update(
            removed_at=timezone.now(), removed_by=by[:150], removal_note=note,
        )
    )


# --- storing events ------------------------------------------------------------

def _sendgrid_event_id(event: dict) -> str:
    if event.get("sg_event_id"):
        return str(event["sg_event_id"])[:128]
    # No id (very old or hand-made events): the content itself identifies a repeat.
    digest = hashlib.sha256(json.dumps(event, sort_keys=True).encode()).hexdigest()
    return f"sha256:{digest}"


def _message_for(event: dict) -> OutboundMessage | None:
    raw_id = event.get(CUSTOM_ARG)
    if raw_id is not None and str(raw_id).isdigit():
        found = OutboundMessage.objects.filter(pk=int(raw_id)).first()
        if found:
            return found
    smtp_id = str(event.get("smtp-id") or "").strip()
    if smtp_id:
        smtp_id = smtp_id if smtp_id.startswith("<") else f"<{smtp_id}>"
        return OutboundMessage.objects.filter(message_id=smtp_id).first()
    return None


def sendgrid_events_store(*, events: list) -> list[int]:
    """Store each event once; return the ids of the ones not seen before.

    Raises ValueError for a body that is not SendGrid's JSON array of
    objects, so the view can answer 400 only for garbage, never for a repeat.
    """
    if not isinstance(events, list) or not all(isinstance(e, dict) for e in events):
        raise ValueError("expected a JSON array of event objects")
    rows = []
    for event in events:
        timestamp = event.get("timestamp")
        try:
            occurred = datetime.fromtimestamp(int(timestamp), tz=UTC)
        except (TypeError, ValueError, OverflowError, OSError):
            occurred = timezone.now()
        status = str(event.get("status") or "")
        kind = str(event.get("event") or "unknown")[:32]
        if kind == "bounce" and event.get("type") == "blocked":
            kind = "blocked"
        fallback = {"bounce": DeliveryEvent.Severity.HARD, "blocked": DeliveryEvent.Severity.SOFT}
        message = _message_for(event)
        rows.append(DeliveryEvent(
            source=DeliveryEvent.Source.SENDGRID,
            provider_event_id=_sendgrid_event_id(event),
            event=kind,
            email=str(event.get("email") or "")[:254],
            message=message,
            matched=message is not None,
            severity=_severity(status, fallback.get(kind, "")) if kind in fallback else "",
            status=status[:32],
            reason=str(event.get("reason") or event.get("response") or ""),
            occurred_at=occurred,
            payload=event,
        ))
    keys = [row.provider_event_id for row in rows]
    with transaction.atomic():
        seen = set(
            DeliveryEvent.objects.filter(provider_event_id__in=keys)
            .values_list("provider_event_id", flat=True)
        )
        fresh = {row.provider_event_id: row for row in rows if row.provider_event_id not in seen}
        DeliveryEvent.objects.bulk_create(fresh.values(), ignore_conflicts=True)
    unknown = [row.provider_event_id for row in fresh.values() if not row.matched]
    if unknown:
        logger.warning("stored %d SendGrid events for no known message: %s", len(unknown), unknown[:5])
    return list(
        DeliveryEvent.objects.filter(provider_event_id__in=list(fresh), processed_at__isnull=True)
        .values_list("id", flat=True)
    )


def dsn_store(*, dsn: Dsn, envelope_to: list[str], inbound_id: int,
              occurred_at: datetime) -> list[int]:
    """Store one event per failed/delayed recipient of a DSN that came back."""
    pk = next((p for p in map(verp.message_pk_from, envelope_to) if p), None)
    message = OutboundMessage.objects.filter(pk=pk).first() if pk else None
    if message is None and dsn.original_message_id:
        message = OutboundMessage.objects.filter(message_id=dsn.original_message_id).first()
    rows = []
    for recipient in dsn.recipients:
        if not recipient.severity:
            continue
        rows.append(DeliveryEvent(
            source=DeliveryEvent.Source.DSN,
            provider_event_id=f"dsn:{inbound_id}:{recipient.address.lower()}"[:128],
            event="bounce" if recipient.action == "failed" else "deferred",
            email=recipient.address,
            message=message,
            matched=message is not None,
            severity=recipient.severity,
            status=recipient.status,
            reason=recipient.diagnostic,
            occurred_at=occurred_at,
            payload={
                "action": recipient.action, "status": recipient.status,
                "reporting_mta": dsn.reporting_mta, "inbound_id": inbound_id,
                "original_message_id": dsn.original_message_id,
            },
        ))
    DeliveryEvent.objects.bulk_create(rows, ignore_conflicts=True)
    keys = [row.provider_event_id for row in rows]
    return list(DeliveryEvent.objects.filter(provider_event_id__in=keys, processed_at__isnull=True)
                .values_list("id", flat=True))


# --- applying events -----------------------------------------------------------

def events_apply(*, ids: list[int]) -> int:
    """Apply stored events once each (the processed_at claim is the guard)."""
    applied = 0
    for event_id in ids:
        with transaction.atomic():
            claimed = DeliveryEvent.objects.filter(pk=event_id, processed_at__isnull=True).update(
                processed_at=timezone.now()
            )
            if not claimed:
                continue
            _apply(DeliveryEvent.objects.select_related("message").get(pk=event_id))
            applied += 1
    return applied


def _apply(event: DeliveryEvent) -> None:
    message = event.message
    label = f"{event.get_source_display()}: {event.event}"
    detail = " ".join(filter(None, [label, event.status, event.reason]))[:2000]
    source = f"{event.source} event {event.provider_event_id}"

    if event.event == "delivered" and message:
        messages_move(ids=[message.pk], to=State.DELIVERED, detail=detail)
    elif event.event in ("bounce", "blocked"):
        if message:
            messages_move(ids=[message.pk], to=State.BOUNCED, detail=detail)
        if event.severity == DeliveryEvent.Severity.HARD and event.email:
            suppression_add(address=event.email, reason=Suppression.Reason.HARD_BOUNCE,
                            source=source, detail=detail)
        elif event.email and soft_bounces_in_a_row(event.email) >= settings.SOFT_BOUNCE_LIMIT:
            suppression_add(address=event.email, reason=Suppression.Reason.SOFT_BOUNCES,
                            source=source, detail=f"{settings.SOFT_BOUNCE_LIMIT} soft bounces in a row")
    elif event.event == "deferred":
        if message:
            messages_note(ids=[message.pk], detail=detail)
        if (event.source == DeliveryEvent.Source.DSN and event.email
                and soft_bounces_in_a_row(event.email) >= settings.SOFT_BOUNCE_LIMIT):
            suppression_add(address=event.email, reason=Suppression.Reason.SOFT_BOUNCES,
                            source=source, detail=f"{settings.SOFT_BOUNCE_LIMIT} soft bounces in a row")
    elif event.event == "dropped":
        if message:
            messages_note(ids=[message.pk], detail=detail)
        reason_text = event.reason.lower()
        for needle, reason in _SUPPRESS_ON_DROP.items():
            if needle in reason_text and event.email:
                suppression_add(address=event.email, reason=reason, source=source, detail=detail)
                break
    elif event.event == "spamreport" and event.email:
        if message:
            messages_note(ids=[message.pk], detail=detail)
        suppression_add(address=event.email, reason=Suppression.Reason.SPAM_REPORT,
                        source=source, detail=detail)
    elif event.event in ("unsubscribe", "group_unsubscribe") and event.email:
        if message:
            messages_note(ids=[message.pk], detail=detail)
        suppression_add(address=event.email, reason=Suppression.Reason.UNSUBSCRIBE,
                        source=source, detail=detail)
