import datetime as dt

import pytest
from django.utils import timezone

from apps.teams.models import Member
from apps.teams.selectors import members_receiving_q

DAY = dt.date(2026, 11, 23)


def receiving(kind, day=DAY):
    return set(Member.objects.filter(members_receiving_q(kind=kind, local_date=day))
               .values_list("name", flat=True))


@pytest.fixture
def crowd(team):
    def make(name, **fields):
        Member.objects.create(team=team, name=name, email=f"{name}@example.com", **fields)

    make("plain")
    make("paused", paused=True)
    make("left", is_active=False)
    make("holiday", paused_until=DAY)
    make("back", paused_until=DAY - dt.timedelta(days=1))
    make("no_reminders", unsubscribed_reminders_at=timezone.now())
    make("no_digests", unsubscribed_digests_at=timezone.now())


def test_only_members_who_want_that_list_that_day_receive_it(crowd):
    assert receiving("reminder") == {"plain", "back", "no_digests"}
    # A digest dated DAY is sent the day after: "holiday" (paused through DAY) gets it.
    assert receiving("digest") == {"plain", "back", "holiday", "no_reminders"}


def test_a_pause_ends_the_day_after_its_date(crowd):
    assert "holiday" in receiving("reminder", DAY + dt.timedelta(days=1))


def test_a_pause_stops_the_digest_sent_on_its_last_day(crowd):
    """The digest dated the day before the pause ends goes out on that last day."""
    assert "holiday" not in receiving("digest", DAY - dt.timedelta(days=1))
    assert "holiday" in receiving("digest", DAY)
