"""Writes behind the member pages: unsubscribe, resubscribe, save preferences.

Every path that stops a list (one-click, the preferences page, the mailto
address, the admin) goes through `member_unsubscribe`, so each records its
time and source the same way and cancels the mail not yet sent.
"""

import datetime as dt
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from apps.outbound.models import Kind, MessageEvent, OutboundMessage, State
from apps.teams.models import ChangeSource, Member, Stream, SubscriptionChange, SubscriptionEvent
from apps.teams.selectors import last_paused_local_date

from .links import ALL, unsubscribe_address_parse

# Rows a cancellation may still stop: `sending` is already on the wire.
PENDING_STATES = (State.SCHEDULED, State.QUEUED, State.DEFERRED)
STREAM_STAMP = {
    Stream.REMINDERS: "unsubscribed_reminders_at",
    Stream.DIGESTS: "unsubscribed_digests_at",
}
STREAM_KIND = {Stream.REMINDERS: Kind.REMINDER, Stream.DIGESTS: Kind.DIGEST}


def streams_of(scope: str) -> list[Stream]:
    """'all' -> both lists; 'reminders' or 'digests' -> that one."""
    return list(Stream) if scope == ALL else [Stream(scope)]


def messages_cancel_for_member(
    *, member_id: int, kinds: Iterable[str], reason: str,
    local_date_until: dt.date | None = None,
) -> int:
    """Move the member's pending messages of `kinds` to cancelled, one event each.

    The seam the outbound state machine replaces: with `states.transition()`
    merged this becomes one call with the same effect. Until then the rows are
    locked (PostgreSQL) or the write lock is held (SQLite IMMEDIATE), so a
    dispatcher cannot queue a row between our read and our update.
    """
    with transaction.atomic():
        pending = OutboundMessage.objects.select_for_update().filter(
            member_id=member_id, kind__in=list(kinds), state__in=PENDING_STATES,
        )
        if local_date_until is not None:
            pending = pending.filter(local_date__lte=local_date_until)
        rows = list(pending.values_list("id", "state"))
        if not rows:
            return 0
        OutboundMessage.objects.filter(id__in=[pk for pk, _ in rows]).update(
            state=State.CANCELLED, lease_until=None, next_attempt_at=None,
            updated_at=timezone.now(),
        )
        MessageEvent.objects.bulk_create(
            MessageEvent(message_id=pk, from_state=state, to_state=State.CANCELLED, detail=reason)
            for pk, state in rows
        )
    return len(rows)


def _stamps_move(*, member: Member, streams: list[Stream], change: str, source: str) -> list:
    """Set (unsubscribe) or clear (resubscribe) each stream's stamp with a guarded
    UPDATE, logging only the streams that really moved: a provider that POSTs the
    one-click URL twice records one change."""
    unsubscribing = change == SubscriptionChange.UNSUBSCRIBED
    now = timezone.now()
    changed = []
    for stream in streams:
        stamp = STREAM_STAMP[stream]
        moved = Member.objects.filter(
            pk=member.pk, **{f"{stamp}__isnull": unsubscribing},
        ).update(**{stamp: now if unsubscribing else None, "updated_at": now})
        if moved:
            changed.append(stream)
            SubscriptionEvent.objects.create(
                member=member, stream=stream, change=change, source=source, at=now,
            )
    return changed


def member_unsubscribe(*, member: Member, scope: str, source: str) -> list[Stream]:
    """Stop the lists in `scope`; returns the ones that were on until now.
    Pending mail of those lists is cancelled either way."""
    streams = streams_of(scope)
    with transaction.atomic():
        changed = _stamps_move(
            member=member, streams=streams, change=SubscriptionChange.UNSUBSCRIBED, source=source,
        )
        messages_cancel_for_member(
            member_id=member.pk, kinds=[STREAM_KIND[s] for s in streams],
            reason=f"member unsubscribed from {scope} ({source})",
        )
    member.refresh_from_db(fields=list(STREAM_STAMP.values()))
    return changed


def member_unsubscribe_by_address(*, address: str) -> list[Stream] | None:
    """Honour mail sent to an `unsubscribe+…@INBOUND_DOMAIN` address (the
    List-Unsubscribe mailto). None when the address is not a valid one of ours
    or names no active member; otherwise what `member_unsubscribe` returns."""
    data = unsubscribe_address_parse(address=address)
    if data is None:
        return None
    member = Member.objects.filter(pk=data.member_id, is_active=True).first()
    if member is None:
        return None
    return member_unsubscribe(member=member, scope=data.scope, source=ChangeSource.MAILTO)


def member_resubscribe(*, member: Member, scope: str, source: str) -> list[Stream]:
    """Turn the lists in `scope` back on; the next dispatch includes the member."""
    with transaction.atomic():
        changed = _stamps_move(
            member=member, streams=streams_of(scope), change=SubscriptionChange.RESUBSCRIBED,
            source=source,
        )
    member.refresh_from_db(fields=list(STREAM_STAMP.values()))
    return changed


def preferences_update(
    *, member: Member, reminder_hour: int, digest_hour: int, time_zone: str, weekdays: int,
    paused_until: dt.date | None, reminders: bool, digests: bool, source: str,
) -> None:
    """Save what the member chose on the preferences page.

    Nothing is rescheduled: dispatch reads these fields each run, so a new
    hour or zone applies from the next dispatch. A pause cancels the mail
    already created for the paused days; switching a list off cancels its
    pending mail; switching it on clears the unsubscribe stamp.
    """
    with transaction.atomic():
        Member.objects.filter(pk=member.pk).update(
            reminder_hour=reminder_hour, digest_hour=digest_hour, time_zone=time_zone,
            weekdays=weekdays, paused_until=paused_until, updated_at=timezone.now(),
        )
        for stream, wanted in ((Stream.REMINDERS, reminders), (Stream.DIGESTS, digests)):
            if wanted:
                member_resubscribe(member=member, scope=stream, source=source)
            else:
                member_unsubscribe(member=member, scope=stream, source=source)
        if paused_until is not None:
            # By the day each row is sent: a digest dated the pause's last day
            # goes out the day after it, so it stays.
            for kind in Kind:
                messages_cancel_for_member(
                    member_id=member.pk, kinds=[kind],
                    local_date_until=last_paused_local_date(kind=kind, paused_until=paused_until),
                    reason=f"member paused mail until {paused_until.isoformat()}",
                )
    member.refresh_from_db()
