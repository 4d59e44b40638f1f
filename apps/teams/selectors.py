"""Reads about members that other apps share."""

import datetime as dt

from django.db.models import Q

# OutboundMessage.kind -> the Member stamp that stops it.
UNSUBSCRIBE_STAMP = {"reminder": "unsubscribed_reminders_at", "digest": "unsubscribed_digests_at"}
# OutboundMessage.kind -> days from the row's local_date to the local day it is sent:
# a reminder asks about its own day, a digest reports the day before it goes out.
SEND_DAY_AFTER = {"reminder": 0, "digest": 1}


def send_date(*, kind: str, local_date: dt.date) -> dt.date:
    """The member's local day on which the `kind` row dated `local_date` is sent."""
    return local_date + dt.timedelta(days=SEND_DAY_AFTER[kind])


def last_paused_local_date(*, kind: str, paused_until: dt.date) -> dt.date:
    """The latest `local_date` of a `kind` row that a pause through
    `paused_until` stops: the inverse of `send_date`."""
    return paused_until - dt.timedelta(days=SEND_DAY_AFTER[kind])


def members_receiving_q(*, kind: str, local_date: dt.date) -> Q:
    """Members who get the mail of `kind` dated `local_date`: active, not paused,
    not pausing through the day it is sent, not unsubscribed from that list.

    `paused_until` means "no mail up to and including this local date", so it
    is compared with the day the mail goes out: for a digest that is the day
    after the day it reports (paused through Monday, Tuesday's digest about
    Monday is sent).

    A Q rather than a queryset so set-based dispatch can AND it into the one
    query it builds per zone (where each member's local date is known).
    """
    sent_on = send_date(kind=kind, local_date=local_date)
    return Q(
        Q(paused_until__isnull=True) | Q(paused_until__lt=sent_on),
        is_active=True, paused=False, **{f"{UNSUBSCRIBE_STAMP[kind]}__isnull": True},
    )
