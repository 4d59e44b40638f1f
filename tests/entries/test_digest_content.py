"""What a member's digest lists: whose entries, in which order, and who is
named at the end as quiet, off, or still in their day."""

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.entries.digests import digest_context
from apps.teams import weekdays

from tests.emails import MONDAY, TUESDAY, digest_row, person, render, wrote

SUNDAY = MONDAY - dt.timedelta(days=1)
# Wednesday morning in London: every zone under test has finished Monday.
LATER = dt.datetime(2026, 12, 2, 12, tzinfo=dt.UTC)


def names(context) -> list[str]:
    return [p.name for p in context["people"]]


def texts(context) -> dict[str, list[str]]:
    return {p.name: [e.text for e in p.entries] for p in context["people"]}


def test_the_reader_comes_first_then_teammates_by_name(team):
    zoe, ada, mia = (person(team, n) for n in ("Zoë Quinn", "Ada Lovelace", "Mia Wong"))
    for who in (zoe, ada, mia):
        wrote(who, MONDAY, f"{who.name} did a thing")
    assert names(digest_context(member=mia, local_date=MONDAY, now=LATER)) == [
        "Mia Wong", "Ada Lovelace", "Zoë Quinn",
    ]
    context = digest_context(member=ada, local_date=MONDAY, now=LATER)
    assert names(context) == ["Ada Lovelace", "Mia Wong", "Zoë Quinn"]
    assert [p.is_you for p in context["people"]] == [True, False, False]


def test_items_keep_the_order_of_the_reply_they_came_from(team):
    ada = person(team, "Ada Lovelace")
    from apps.entries.models import Entry

    for position, text in [(2, "third"), (0, "first"), (1, "second")]:
        Entry.objects.create(member=ada, local_date=MONDAY, text=text, position=position)
    assert texts(digest_context(member=ada, local_date=MONDAY, now=LATER)) == {
        "Ada Lovelace": ["first", "second", "third"],
    }


def test_only_entries_of_the_reported_date_are_listed(team):
    ada = person(team, "Ada Lovelace")
    wrote(ada, SUNDAY, "sunday")
    wrote(ada, MONDAY, "monday")
    wrote(ada, TUESDAY, "tuesday")
    context = digest_context(member=ada, local_date=MONDAY, now=LATER)
    assert texts(context) == {"Ada Lovelace": ["monday"]}
    assert context["item_count"] == 1 and context["people_count"] == 1


def test_people_who_were_off_are_not_named_as_quiet(team):
    """Off = not asked that day: not one of their weekdays, paused, pausing
    through that date, unsubscribed from reminders, or joined after it.
    Quiet = asked and wrote nothing. Leaving digests does not make one off:
    the reminder was still sent."""
    reader = person(team, "Ada Lovelace")
    wrote(reader, MONDAY, "something")
    person(team, "Quiet Quentin")
    person(team, "Digestless Dana", unsubscribed_digests_at=LATER)
    person(team, "Weekend Wes", weekdays=weekdays.parse("sat,sun"))
    person(team, "Paused Pat", paused=True)
    person(team, "Holiday Hal", paused_until=MONDAY)
    person(team, "Back Bea", paused_until=SUNDAY)  # back on Monday: asked
    person(team, "Unsubscribed Uma", unsubscribed_reminders_at=LATER)
    newcomer = person(team, "Newcomer Nia")
    type(newcomer).objects.filter(pk=newcomer.pk).update(created_at=LATER)
    person(team, "Gone Gus", is_active=False)

    context = digest_context(member=reader, local_date=MONDAY, now=LATER)
    assert context["quiet"] == ["Back Bea", "Digestless Dana", "Quiet Quentin"]
    assert context["off"] == [
        "Holiday Hal", "Newcomer Nia", "Paused Pat", "Unsubscribed Uma", "Weekend Wes",
    ]
    assert context["later"] == []
    assert "Gone Gus" not in context["quiet"] + context["off"]


def test_someone_off_who_wrote_anyway_is_listed_with_their_items(team):
    reader = person(team, "Ada Lovelace")
    wes = person(team, "Weekend Wes", weekdays=weekdays.parse("sat,sun"))
    wrote(wes, MONDAY, "answered an old reminder")
    context = digest_context(member=reader, local_date=MONDAY, now=LATER)
    assert texts(context) == {"Weekend Wes": ["answered an old reminder"]}
    assert context["quiet"] == ["Ada Lovelace"] and context["off"] == []


def test_someone_who_left_the_team_is_listed_only_with_what_they_wrote(team):
    reader = person(team, "Ada Lovelace")
    gus = person(team, "Gone Gus")
    wrote(gus, MONDAY, "handed over the pager")
    type(gus).objects.filter(pk=gus.pk).update(is_active=False)
    context = digest_context(member=reader, local_date=MONDAY, now=LATER)
    assert texts(context) == {"Gone Gus": ["handed over the pager"]}


def test_whose_yesterday_each_reader_gets_the_entries_dated_their_own_previous_day(team):
    """Whose "yesterday"? The reader's. Mere (Auckland, UTC+13) and Lou (Los
    Angeles, UTC-8) both get the digest of *Monday 30 November* on their own
    Tuesday at 08:00: Mere at Mon 19:00 UTC, Lou at Tue 16:00 UTC. Each lists
    the entries whose local_date is Monday 30 November — each writer's own
    Monday — and nothing dated Sunday or Tuesday, even what was written before
    the digest went out.

    When Mere's digest goes out, Lou's Monday is still at 11:00: Lou is named
    as "day not over yet", never as quiet, and Lou's Monday items reach Mere
    on the team page, not in a digest already sent."""
    mere = person(team, "Mere Ngata", zone="Pacific/Auckland")
    lou = person(team, "Lou Reyes", zone="America/Los_Angeles")
    with time_machine.travel(dt.datetime(2026, 11, 30, 4, 30, tzinfo=dt.UTC), tick=False):
        wrote(mere, MONDAY, "Mere: Monday, 17:30 in Auckland")
    with time_machine.travel(dt.datetime(2026, 11, 30, 1, 30, tzinfo=dt.UTC), tick=False):
        wrote(lou, SUNDAY, "Lou: Sunday, 17:30 in Los Angeles")

    mere_digest, lou_digest = digest_row(mere, MONDAY), digest_row(lou, MONDAY)
    assert mere_digest.scheduled_for == dt.datetime(2026, 11, 30, 19, tzinfo=dt.UTC)
    assert lou_digest.scheduled_for == dt.datetime(2026, 12, 1, 16, tzinfo=dt.UTC)

    with time_machine.travel(mere_digest.scheduled_for, tick=False):
        context = digest_context(member=mere, local_date=MONDAY)
    assert texts(context) == {"Mere Ngata": ["Mere: Monday, 17:30 in Auckland"]}
    assert context["later"] == ["Lou Reyes"] and context["quiet"] == []

    with time_machine.travel(dt.datetime(2026, 12, 1, 1, 30, tzinfo=dt.UTC), tick=False):
        wrote(lou, MONDAY, "Lou: Monday, 17:30 in Los Angeles")
    with time_machine.travel(dt.datetime(2026, 12, 1, 4, 30, tzinfo=dt.UTC), tick=False):
        wrote(mere, TUESDAY, "Mere: Tuesday, 17:30 in Auckland (before Lou's digest)")

    with time_machine.travel(lou_digest.scheduled_for, tick=False):
        context = digest_context(member=lou, local_date=MONDAY)
    assert texts(context) == {
        "Lou Reyes": ["Lou: Monday, 17:30 in Los Angeles"],
        "Mere Ngata": ["Mere: Monday, 17:30 in Auckland"],
    }
    assert context["later"] == context["quiet"] == context["off"] == []


def test_an_empty_day_is_skipped_unless_the_team_sends_empty_digests(team):
    ada = person(team, "Ada Lovelace")
    context = digest_context(member=ada, local_date=MONDAY, now=LATER)
    assert context["skip_reason"] == (
        "empty digest: nobody wrote anything on 2026-11-30 and the team does not send "
        "empty digests"
    )
    team.send_empty_digest = True
    team.save()
    ada.refresh_from_db()
    context = digest_context(member=ada, local_date=MONDAY, now=LATER)
    assert "skip_reason" not in context
    assert context["item_count"] == 0 and context["quiet"] == ["Ada Lovelace"]


def _team_of(team, size: int):
    members = [person(team, f"Member {n:03}") for n in range(size)]
    for member in members[: size - 1]:  # one quiet
        wrote(member, MONDAY, "one thing", "another thing")
    return members[0]


def _queries_to_render(reader) -> int:
    message = digest_row(reader, MONDAY)
    with CaptureQueriesContext(connection) as queries:
        render(message)
    return len(queries)


@pytest.mark.parametrize("size", [3, 60])
def test_rendering_a_digest_takes_a_bounded_number_of_queries(team, size,
                                                             django_assert_max_num_queries):
    reader = _team_of(team, size)
    message = digest_row(reader, MONDAY)
    # The row (with its member), the team, the members, the entries.
    with django_assert_max_num_queries(4):
        render(message)


def test_the_number_of_queries_does_not_grow_with_the_team(team):
    from apps.teams.models import Team

    small = _queries_to_render(_team_of(team, 3))
    big_team = Team.objects.create(name="Big", slug="big")
    assert _queries_to_render(_team_of(big_team, 80)) == small


def test_someone_who_joined_after_their_reminder_hour_that_day_is_off_not_quiet(team):
    """Joined on Monday, but after Monday's 17:00 reminder (London): not asked."""
    reader = person(team, "Ada Lovelace")
    wrote(reader, MONDAY, "something")
    late = person(team, "Late Lee", reminder_hour=17)
    early = person(team, "Early Eve", reminder_hour=17)
    joined = {late: dt.datetime(2026, 11, 30, 17, 30, tzinfo=dt.UTC),
              early: dt.datetime(2026, 11, 30, 16, 59, tzinfo=dt.UTC)}
    for who, at in joined.items():
        type(who).objects.filter(pk=who.pk).update(created_at=at)

    context = digest_context(member=reader, local_date=MONDAY, now=LATER)
    assert context["off"] == ["Late Lee"]
    assert context["quiet"] == ["Early Eve"]
