"""Dispatch creates each member's messages once, at their local hour, on their days."""

import datetime as dt

import pytest
from django.utils import timezone

from apps.delivery.models import Suppression
from apps.delivery.services import suppression_add
from apps.outbound.dispatch import dispatch_due
from apps.outbound.models import DispatchRun, Kind, MessageEvent, OutboundMessage, State
from apps.teams import weekdays

from .conftest import utc

# January: London is on GMT, so its hours are UTC hours.
MONDAY = dt.date(2026, 1, 12)
TUESDAY, FRIDAY, SATURDAY, SUNDAY = (MONDAY + dt.timedelta(days=n) for n in (1, 4, 5, 6))


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return utc(day.year, day.month, day.day, hour, minute)


def events_of(message) -> list[tuple[str, str, str]]:
    return list(message.events.values_list("from_state", "to_state", "detail"))


@pytest.fixture
def ada(make_member):
    return make_member(time_zone="Europe/London", reminder_hour=17, digest_hour=8,
                       weekdays=weekdays.WORKWEEK)


def test_the_reminder_waits_for_the_members_hour(ada, messages_of):
    dispatch_due(now=at(MONDAY, 16, 59))
    assert messages_of(ada, Kind.REMINDER) == []


def test_at_the_members_hour_the_reminder_is_created_and_claimed(ada, messages_of):
    report = dispatch_due(now=at(MONDAY, 17, 0))

    assert messages_of(ada, Kind.REMINDER) == [
        (Kind.REMINDER, MONDAY, State.QUEUED, at(MONDAY, 17)),
    ]
    assert report.created[Kind.REMINDER] == 1
    assert (report.queued, report.batches) == (1, 1)
    message = OutboundMessage.objects.get(member=ada, kind=Kind.REMINDER)
    assert events_of(message) == [(State.SCHEDULED, State.QUEUED, "claimed by dispatch")]
    assert message.message_id.startswith("<") and message.message_id.endswith(">")


def test_repeated_dispatches_create_and_claim_nothing_twice(ada, messages_of):
    reports = [dispatch_due(now=at(MONDAY, 17, minute)) for minute in (0, 0, 5, 30, 55)]

    assert len(messages_of(ada, Kind.REMINDER)) == 1
    assert [r.created[Kind.REMINDER] for r in reports] == [1, 0, 0, 0, 0]
    assert [r.queued for r in reports] == [1, 0, 0, 0, 0]
    assert MessageEvent.objects.filter(to_state=State.QUEUED).count() == 1


def test_the_next_day_brings_the_next_reminder(ada, messages_of):
    dispatch_due(now=at(MONDAY, 17))
    dispatch_due(now=at(TUESDAY, 17))
    assert [row[1] for row in messages_of(ada, Kind.REMINDER)] == [MONDAY, TUESDAY]


def test_no_reminder_on_a_day_that_is_not_one_of_the_members_weekdays(ada, messages_of):
    dispatch_due(now=at(SATURDAY, 17))
    dispatch_due(now=at(SUNDAY, 17))
    assert messages_of(ada, Kind.REMINDER) == []
    dispatch_due(now=at(FRIDAY, 17))
    assert [row[1] for row in messages_of(ada, Kind.REMINDER)] == [FRIDAY]


@pytest.mark.parametrize("fields", [
    {"paused": True},
    {"paused_until": MONDAY},
    {"unsubscribed_reminders_at": utc(2025, 6, 1)},
    {"is_active": False},
], ids=["paused", "paused_through_today", "unsubscribed", "inactive"])
def test_members_who_should_not_get_reminders_get_none(make_member, messages_of, fields):
    member = make_member(time_zone="UTC", reminder_hour=17, **fields)
    report = dispatch_due(now=at(MONDAY, 17))
    assert messages_of(member, Kind.REMINDER) == []
    assert report.created[Kind.REMINDER] == 0


def test_a_pause_that_ended_yesterday_lets_the_reminder_through(make_member, messages_of):
    member = make_member(time_zone="UTC", reminder_hour=17, paused_until=MONDAY - dt.timedelta(1))
    dispatch_due(now=at(MONDAY, 17))
    assert len(messages_of(member, Kind.REMINDER)) == 1


def test_unsubscribing_from_digests_keeps_the_reminders(make_member, messages_of):
    member = make_member(time_zone="UTC", reminder_hour=8, digest_hour=8,
                         unsubscribed_digests_at=utc(2025, 6, 1))
    dispatch_due(now=at(TUESDAY, 8))
    assert [row[0] for row in messages_of(member)] == [Kind.REMINDER]


# --- suppressed addresses -------------------------------------------------------

def test_no_message_is_created_for_a_suppressed_address(make_member, messages_of):
    member = make_member(time_zone="UTC", reminder_hour=17, email="Grace@Example.com")
    Suppression.objects.create(address="grace@example.com", reason="hard_bounce", source="test")

    report = dispatch_due(now=at(MONDAY, 17))

    assert messages_of(member) == []  # not even a missed digest row
    assert report.created[Kind.REMINDER] == 0


def test_a_lifted_suppression_lets_mail_through_again(make_member, messages_of):
    member = make_member(time_zone="UTC", reminder_hour=17)
    Suppression.objects.create(address=member.email, reason="manual", source="test",
                               removed_at=timezone.now(), removed_by="op")
    dispatch_due(now=at(MONDAY, 17))
    assert len(messages_of(member, Kind.REMINDER)) == 1


def test_a_row_made_before_its_address_was_suppressed_is_cancelled_not_queued(
    make_member, messages_of,
):
    """The race: a dispatch read the member before the suppression committed."""
    member = make_member(time_zone="UTC", reminder_hour=17)
    row = OutboundMessage.objects.create(
        member=member, kind=Kind.REMINDER, local_date=MONDAY, scheduled_for=at(MONDAY, 17),
    )
    Suppression.objects.create(address=member.email, reason="spam_report", source="test")

    report = dispatch_due(now=at(MONDAY, 17, 5))

    row.refresh_from_db()
    assert row.state == State.CANCELLED
    assert events_of(row) == [(State.SCHEDULED, State.CANCELLED, "address suppressed; not sent")]
    assert report.queued == 0


def test_suppressing_an_address_cancels_what_dispatch_already_created(ada, messages_of):
    """Dispatch relies on delivery's suppression_add for rows already made."""
    row = OutboundMessage.objects.create(
        member=ada, kind=Kind.REMINDER, local_date=TUESDAY, scheduled_for=at(TUESDAY, 17),
    )
    suppression_add(address=ada.email, reason=Suppression.Reason.HARD_BOUNCE, source="test")
    dispatch_due(now=at(TUESDAY, 17, 5))
    row.refresh_from_db()
    assert row.state == State.CANCELLED


# --- the catch-up window ---------------------------------------------------------

def test_after_downtime_what_fell_due_within_the_window_is_still_sent(ada, messages_of):
    report = dispatch_due(now=at(TUESDAY, 20, 0))  # 17:00 was exactly 3 hours ago
    assert messages_of(ada, Kind.REMINDER) == [
        (Kind.REMINDER, TUESDAY, State.QUEUED, at(TUESDAY, 17)),
    ]
    assert report.missed == 1  # the digest of 08:00 (about Monday), twelve hours ago


def test_what_is_older_than_the_window_is_recorded_missed_and_never_created_again(
    ada, messages_of,
):
    report = dispatch_due(now=at(TUESDAY, 20, 1))

    assert messages_of(ada, Kind.REMINDER) == [
        (Kind.REMINDER, TUESDAY, State.CANCELLED, at(TUESDAY, 17)),
    ]
    assert report.missed == 2  # the reminder of 17:00 and the digest of 08:00
    assert report.queued == 0
    row = OutboundMessage.objects.get(member=ada, kind=Kind.REMINDER)
    [(from_state, to_state, detail)] = events_of(row)
    assert (from_state, to_state) == ("", State.CANCELLED)
    assert detail.startswith("missed: fell due 2026-01-13 17:00 UTC, more than 3 h")

    again = dispatch_due(now=at(TUESDAY, 20, 6))
    assert (again.missed, again.queued, sum(again.created.values())) == (0, 0, 0)
    assert OutboundMessage.objects.filter(member=ada).count() == 2
    assert MessageEvent.objects.filter(message__member=ada).count() == 2


def test_the_window_is_a_setting(ada, messages_of, settings):
    settings.DISPATCH_CATCH_UP_HOURS = 1
    dispatch_due(now=at(MONDAY, 18, 1))
    assert messages_of(ada, Kind.REMINDER)[0][2] == State.CANCELLED


def test_a_member_who_joined_after_their_hour_has_nothing_missed(make_member, messages_of):
    member = make_member(time_zone="UTC", reminder_hour=9)
    type(member).objects.filter(pk=member.pk).update(updated_at=at(MONDAY, 10))
    dispatch_due(now=at(MONDAY, 13))
    assert messages_of(member, Kind.REMINDER) == []


def test_a_row_left_scheduled_past_the_window_is_cancelled_as_missed(ada, messages_of):
    """A run created it, then died before claiming, then the service was down."""
    row = OutboundMessage.objects.create(
        member=ada, kind=Kind.REMINDER, local_date=MONDAY, scheduled_for=at(MONDAY, 17),
    )
    report = dispatch_due(now=at(MONDAY, 21))

    row.refresh_from_db()
    assert row.state == State.CANCELLED
    [(_, _, detail)] = events_of(row)
    assert detail.startswith("missed: fell due more than 3 h before dispatch ran")
    assert report.missed >= 1 and report.queued == 0


# --- digests ----------------------------------------------------------------------

def test_the_digest_reports_the_day_before(ada, messages_of):
    report = dispatch_due(now=at(TUESDAY, 8))
    assert messages_of(ada, Kind.DIGEST) == [(Kind.DIGEST, MONDAY, State.QUEUED, at(TUESDAY, 8))]
    assert report.created[Kind.DIGEST] == 1


def test_no_digest_reports_a_day_that_is_not_one_of_the_members_weekdays(ada, messages_of):
    for day in (MONDAY, SATURDAY, SUNDAY, SUNDAY + dt.timedelta(days=1)):
        dispatch_due(now=at(day, 8))
    # Monday's digest would report Sunday, the next Monday's Sunday again: neither is sent.
    # Saturday's reports Friday, a weekday.
    assert [row[1] for row in messages_of(ada, Kind.DIGEST)] == [FRIDAY]


def test_a_digest_is_created_once_however_often_dispatch_runs(ada, messages_of):
    for minute in (0, 5, 10):
        dispatch_due(now=at(TUESDAY, 8, minute))
    assert len(messages_of(ada, Kind.DIGEST)) == 1


def test_batches_follow_the_batch_size(make_member, settings):
    settings.DISPATCH_BATCH_SIZE = 2
    for _ in range(5):
        make_member(time_zone="UTC", reminder_hour=17, digest_hour=17)
    report = dispatch_due(now=at(TUESDAY, 17))
    assert report.created == {Kind.REMINDER: 5, Kind.DIGEST: 5}
    assert (report.queued, report.batches) == (10, 5)


def test_dispatch_refuses_a_naive_time():
    with pytest.raises(ValueError, match="aware"):
        dispatch_due(now=dt.datetime(2026, 1, 12, 17))


def test_members_with_an_unknown_zone_do_not_stop_the_others(make_member, messages_of, caplog):
    good = make_member(time_zone="UTC", reminder_hour=17)
    bad = make_member(time_zone="UTC", reminder_hour=17)
    type(bad).objects.filter(pk=bad.pk).update(time_zone="Mars/Olympus_Mons")

    dispatch_due(now=at(MONDAY, 17))

    assert len(messages_of(good, Kind.REMINDER)) == 1
    assert messages_of(bad) == []
    assert "Mars/Olympus_Mons" in caplog.text


# --- the record of each run -------------------------------------------------------

def test_each_run_is_recorded_with_what_it_did(ada):
    dispatch_due(now=at(TUESDAY, 17))
    run = DispatchRun.objects.get()
    assert run.now == at(TUESDAY, 17) and run.finished_at is not None
    assert run.created == {Kind.REMINDER: 1, Kind.DIGEST: 0}
    assert (run.missed, run.queued, run.batches) == (1, 1, 1)  # the 08:00 digest, 9 h ago


def test_runs_older_than_a_month_are_forgotten(make_member):
    old = DispatchRun.objects.create(now=timezone.now() - dt.timedelta(days=31))
    recent = DispatchRun.objects.create(now=timezone.now() - dt.timedelta(days=29))
    dispatch_due(now=timezone.now())
    assert not DispatchRun.objects.filter(pk=old.pk).exists()
    assert DispatchRun.objects.filter(pk=recent.pk).exists()


def test_after_downtime_the_misses_since_the_last_run_are_recorded(ada, messages_of):
    dispatch_due(now=at(TUESDAY, 9))  # the service then goes down until 23:00
    report = dispatch_due(now=at(TUESDAY, 23))
    assert report.missed == 1
    assert messages_of(ada, Kind.REMINDER)[-1] == (
        Kind.REMINDER, TUESDAY, State.CANCELLED, at(TUESDAY, 17),
    )


def test_a_slot_that_passed_before_the_last_run_is_not_recorded_later(make_member, messages_of):
    """Paused at 09:00, resumed at noon: 09:00 was not missed by dispatch, so
    neither sent nor recorded; the next day's comes as usual."""
    member = make_member(time_zone="UTC", reminder_hour=9, paused=True)
    dispatch_due(now=at(TUESDAY, 9, 5))
    type(member).objects.filter(pk=member.pk).update(paused=False)  # like the admin's resume
    dispatch_due(now=at(TUESDAY, 12, 10))
    dispatch_due(now=at(TUESDAY, 12, 15))
    assert messages_of(member, Kind.REMINDER) == []
    dispatch_due(now=at(TUESDAY + dt.timedelta(days=1), 9))
    assert len(messages_of(member, Kind.REMINDER)) == 1


@pytest.mark.postgres
def test_a_big_run_refreshes_the_statistics_the_claim_is_planned_with(
    postgres_only, make_member, monkeypatch,
):
    """Stale statistics once turned a claim of seconds into a quarter of an hour."""
    from django.db import connection

    from apps.outbound import dispatch

    monkeypatch.setattr(dispatch, "ANALYZE_AFTER", 3)
    for _ in range(3):
        make_member(time_zone="UTC", reminder_hour=17, unsubscribed_digests_at=utc(2025, 1, 1))

    def estimated_rows() -> float:
        with connection.cursor() as cursor:
            cursor.execute("SELECT reltuples FROM pg_class WHERE relname = %s",
                           [OutboundMessage._meta.db_table])
            return cursor.fetchone()[0]

    before = estimated_rows()
    dispatch_due(now=at(TUESDAY, 17))
    assert before < 3 <= estimated_rows()
