"""Reads about members that other apps share."""

import datetime as dt

from django.db.models import Q

# OutboundMessage.kind -> the Member stamp that stops it.
UNSUBSCRIBE_STAMP = {"reminder": "unsubscribed_reminders_at", "digest": "unsubscribed_digests_at"}


def members_receiving_q(*, kind: str, local_date: dt.date) -> Q:
    """Members who get mail of `kind` on their `local_date`: active, not paused,
    not pausing through that date, not unsubscribed from that list.

    A Q rather than a queryset so set-based dispatch can AND it into the one
    query it builds per zone (where each member's local date is known).
    """
    return Q(
        Q(paused_until__isnull=True) | Q(paused_until__lt=local_date),
        is_active=True, paused=False, **{f"{UNSUBSCRIBE_STAMP[kind]}__isnull": True},
    )
