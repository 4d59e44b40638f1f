import datetime as dt
import itertools

import pytest

# Members in these tests exist well before any instant they are dispatched at,
# so a slot older than the catch-up window counts as missed (not "before they joined").
LONG_AGO = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)


def utc(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=dt.UTC)


@pytest.fixture
def make_member(team):
    """A member of `team` (every weekday unless told), existing since LONG_AGO."""
    from apps.teams import weekdays
    from apps.teams.models import Member

    numbers = itertools.count(1)

    def make(**fields):
        n = next(numbers)
        fields.setdefault("weekdays", weekdays.ALL)
        fields.setdefault("name", f"Member {n}")
        fields.setdefault("email", f"member{n}@example.com")
        member = Member.objects.create(team=team, **fields)
        Member.objects.filter(pk=member.pk).update(created_at=LONG_AGO, updated_at=LONG_AGO)
        member.refresh_from_db()
        return member

    return make


@pytest.fixture
def messages_of():
    """(kind, local_date, state, scheduled_for) of a member's rows, oldest day first."""
    from apps.outbound.models import OutboundMessage

    def rows(member, kind=None):
        found = OutboundMessage.objects.filter(member=member).order_by("local_date", "kind")
        if kind:
            found = found.filter(kind=kind)
        return list(found.values_list("kind", "local_date", "state", "scheduled_for"))

    return rows
