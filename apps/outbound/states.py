"""The outbound state machine: one table of allowed moves, one way to move.

Every move is a guarded write: the rows are read and locked with the state
they are in, only those in an allowed state are updated, and an event is
logged for each row that really moved. Two workers racing for the same row
therefore cannot both move it: the second finds it no longer in an allowed
state and moves nothing. On SQLite the IMMEDIATE transaction mode takes the
write lock at BEGIN, which gives the same guarantee.
"""

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from .models import MessageEvent, OutboundMessage, State

# to-state -> the states a message may come from.
ALLOWED: dict[str, frozenset[str]] = {
    # `failed` only for an operator's "retry now" in the admin.
    State.QUEUED: frozenset({State.SCHEDULED, State.DEFERRED, State.SENDING, State.FAILED}),
    State.SENDING: frozenset({State.QUEUED}),
    State.SENT: frozenset({State.SENDING}),
    State.DEFERRED: frozenset({State.SENDING}),
    State.FAILED: frozenset({State.SENDING, State.DEFERRED, State.QUEUED}),
    # `sending` only for the sender itself (an empty digest, found at render time).
    State.CANCELLED: frozenset({State.SCHEDULED, State.QUEUED, State.DEFERRED, State.SENDING}),
    State.DELIVERED: frozenset({State.SENT}),
    State.BOUNCED: frozenset({State.SENT, State.DELIVERED}),
}

# Rows a member's or operator's cancellation may still stop: `sending` is
# already on the wire.
PENDING = frozenset({State.SCHEDULED, State.QUEUED, State.DEFERRED})


class IllegalTransition(Exception):
    """A move the table does not allow was asked for; nothing changed."""


def allowed_from(to: str) -> frozenset[str]:
    try:
        return ALLOWED[to]
    except KeyError:
        raise IllegalTransition(f"no message may move to {to!r}") from None


def transition(
    ids: Iterable[int], to: str, *, detail: str = "", from_states: Iterable[str] | None = None,
    **fields,
) -> list[int]:
    """Move the messages in `ids` to `to`, set `fields` on them, and log one
    MessageEvent per row that moved; return the ids that moved.

    Rows in a state the table does not allow for `to` are left alone (another
    worker won, or the member cancelled): that is the normal outcome of a race,
    not an error. Asking for a move the table never allows — `from_states`
    naming a state that may not reach `to`, or an unknown `to` — raises
    IllegalTransition before anything is written.
    """
    sources = allowed_from(to)
    if from_states is not None:
        wanted = frozenset(from_states)
        if not wanted <= sources:
            raise IllegalTransition(
                f"{', '.join(sorted(wanted - sources))} may not move to {to}"
            )
        sources = wanted
    ids = list(ids)
    if not ids:
        return []
    now = timezone.now()
    with transaction.atomic():
        rows = list(
            OutboundMessage.objects.select_for_update()
            .filter(id__in=ids, state__in=sources)
            .values_list("id", "state")
        )
        if not rows:
            return []
        moved = [pk for pk, _ in rows]
        OutboundMessage.objects.filter(id__in=moved, state__in=sources).update(
            state=to, updated_at=now, **fields,
        )
        MessageEvent.objects.bulk_create(
            MessageEvent(message_id=pk, from_state=state, to_state=to, at=now, detail=detail[:4000])
            for pk, state in rows
        )
    return moved


def note(ids: Iterable[int], *, detail: str) -> None:
    """Log something about messages without moving them (a provider's
    'deferred' event, say): from and to are the current state."""
    now = timezone.now()
    MessageEvent.objects.bulk_create(
        MessageEvent(message_id=pk, from_state=state, to_state=state, at=now, detail=detail[:4000])
        for pk, state in OutboundMessage.objects.filter(id__in=list(ids)).values_list("id", "state")
    )
