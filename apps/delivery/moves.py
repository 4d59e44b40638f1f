"""The message moves that delivery events cause, through the outbound state machine."""

from django.db.models.functions import Lower

from apps.outbound.models import MessageEvent, OutboundMessage, State

# Provisional until apps/outbound/states.py lands: same semantics, guarded UPDATE.
_ALLOWED = {
    State.DELIVERED: {State.SENT},
    State.BOUNCED: {State.SENT, State.DELIVERED},
    State.CANCELLED: {State.SCHEDULED, State.QUEUED, State.DEFERRED},
}


def messages_move(*, ids: list[int], to: str, detail: str) -> list[int]:
    moved = []
    for message in OutboundMessage.objects.filter(pk__in=ids, state__in=_ALLOWED[to]):
        if OutboundMessage.objects.filter(pk=message.pk, state=message.state).update(state=to):
            MessageEvent.objects.create(message=message, from_state=message.state, to_state=to,
                                        detail=detail)
            moved.append(message.pk)
    return moved


def messages_note(*, ids: list[int], detail: str) -> None:
    for message in OutboundMessage.objects.filter(pk__in=ids):
        MessageEvent.objects.create(message=message, from_state=message.state,
                                    to_state=message.state, detail=detail)


def messages_cancel_for_addresses(*, addresses: list[str], reason: str) -> list[int]:
    ids = list(
        OutboundMessage.objects.annotate(_email=Lower("member__email"))
        .filter(_email__in=[a.lower() for a in addresses],
                state__in=_ALLOWED[State.CANCELLED])
        .values_list("id", flat=True)
    )
    return messages_move(ids=ids, to=State.CANCELLED, detail=reason)
