"""The digest as the sender renders it: subject, content read at send time,
empty digests, dates in the member's zone, and the text part at 72 columns."""

import datetime as dt

import pytest
import time_machine

from apps.outbound import states
from apps.outbound.models import OutboundMessage, State
from apps.outbound.rendering import Skip

from tests.emails import MONDAY, TUESDAY, digest_row, parts, person, reminder_row, render, wrote


@pytest.fixture
def ada(team):
    return person(team, "Ada Lovelace")


def test_the_subject_names_the_team_and_the_date_and_counts_the_items(team, ada):
    grace = person(team, "Grace Hopper")
    wrote(ada, MONDAY, "one", "two", "three")
    wrote(grace, MONDAY, "four", "five", "six", "seven")
    assert render(digest_row(ada, MONDAY)).subject == (
        "Platform — what got done on Mon 30 Nov: 7 items"
    )


def test_one_item_is_singular(ada):
    wrote(ada, TUESDAY, "the only thing")
    assert render(digest_row(ada, TUESDAY)).subject == (
        "Platform — what got done on Tue 1 Dec: 1 item"
    )


def test_an_empty_digest_is_not_rendered_and_its_row_is_cancelled_with_the_reason(ada):
    """The sender's part, done here as it will do it: Skip's message becomes
    the cancellation's detail, which the admin shows."""
    message = digest_row(ada, MONDAY)
    with pytest.raises(Skip) as skipped:
        render(message)
    assert "nobody wrote anything on 2026-11-30" in str(skipped.value)
    states.transition([message.pk], State.CANCELLED, detail=str(skipped.value))
    message.refresh_from_db()
    assert message.state == State.CANCELLED
    assert message.events.get().detail == str(skipped.value)


def test_a_team_that_wants_empty_digests_gets_one_that_says_nobody_wrote(team, ada):
    team.send_empty_digest = True
    team.save()
    email = render(digest_row(ada, MONDAY))
    text, html = parts(email)
    assert email.subject == "Platform — what got done on Mon 30 Nov: nothing written"
    assert "Nobody wrote anything on Monday, 30 November." in text
    assert "Nobody wrote anything on Monday, 30 November." in html
    assert "Nothing written: Ada Lovelace" in text


def test_a_reply_that_arrives_after_the_row_was_created_is_in_the_digest(team, ada):
    grace = person(team, "Grace Hopper", zone="America/New_York")
    wrote(ada, MONDAY, "written before dispatch")
    with time_machine.travel(dt.datetime(2026, 12, 1, 7, 55, tzinfo=dt.UTC), tick=False):
        message = digest_row(ada, MONDAY)  # dispatch, a few minutes early
    with time_machine.travel(dt.datetime(2026, 12, 1, 7, 58, tzinfo=dt.UTC), tick=False):
        wrote(grace, MONDAY, "a late reply from New York, 02:58 local")
    with time_machine.travel(message.scheduled_for, tick=False):
        email = render(message)
    text, html = parts(email)
    assert "a late reply from New York, 02:58 local" in text
    assert "a late reply from New York, 02:58 local" in html
    assert email.subject.endswith(": 2 items")


def test_times_show_in_the_members_zone(team):
    kenji = person(team, "Kenji Sato", zone="Asia/Tokyo", reminder_hour=18, digest_hour=7)
    wrote(kenji, MONDAY, "x")
    reminder = reminder_row(kenji, TUESDAY)
    assert reminder.scheduled_for.hour == 9  # UTC
    text, html = parts(render(reminder))
    assert "You get this reminder at 18:00 (Asia/Tokyo time)." in text
    assert "You get this reminder at 18:00 (Asia/Tokyo time)." in html
    assert "Tuesday, 1 December" in text
    text, _ = parts(render(digest_row(kenji, MONDAY)))
    assert "You get this digest at 07:00 (Asia/Tokyo time)." in text


def test_the_text_part_reads_at_72_columns(team, ada):
    grace = person(team, "Grace Hopper")
    long_item = (
        "Rewrote the bounce classifier so that soft bounces from the big providers are "
        "retried with backoff instead of suppressing the address after one failure"
    )
    wrote(ada, MONDAY, long_item, "https://example.com/" + "a-very-long-path/" * 6)
    wrote(grace, MONDAY, "short")
    for message in (digest_row(ada, MONDAY), reminder_row(ada, TUESDAY)):
        text, _ = parts(render(message))
        for line in text.splitlines():
            # Only a single word (a URL) may run past 72: breaking it would break the link.
            assert len(line) <= 72 or len(line.removeprefix("  - ").split()) == 1, line
    text, _ = parts(render(OutboundMessage.objects.get(kind="digest")))
    assert "  - Rewrote the bounce classifier so that soft bounces from the big\n    providers" in (
        text
    )
    # Re-flowed, not changed: the words of the item are all there, in order.
    block = text.split("Ada Lovelace (you)\n", 1)[1].split("\n  - https", 1)[0]
    assert " ".join(block.replace("  - ", "").split()) == long_item


def test_the_end_of_the_digest_names_who_was_quiet_still_in_their_day_or_off(team):
    mere = person(team, "Mere Ngata", zone="Pacific/Auckland")
    wrote(mere, MONDAY, "shipped")
    person(team, "Quinn Quiet", zone="Pacific/Auckland")
    person(team, "Lou Reyes", zone="America/Los_Angeles")
    person(team, "Wes Weekend", weekdays=0b1100000)
    message = digest_row(mere, MONDAY)
    with time_machine.travel(message.scheduled_for, tick=False):
        text, html = parts(render(message))
    for part in (text, html):
        assert "Nothing written: Quinn Quiet" in part
        assert "Their day is not over yet: Lou Reyes" in part
        assert "Off that day: Wes Weekend" in part
    assert text.index("shipped") < text.index("Nothing written") < text.index("Off that day")
