import datetime as dt

import pytest
import time_machine
from django.test import Client

from apps.outbound.models import OutboundMessage
from apps.preferences import links
from apps.teams.models import SubscriptionEvent

from .conftest import path_of

TODAY = dt.datetime(2026, 11, 23, 12, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(TODAY, tick=False):
        yield


@pytest.fixture
def page(member):
    return path_of(links.preferences_url(member))


def valid(**changes):
    data = {
        "reminder_hour": "18", "digest_hour": "7", "time_zone": "America/New_York",
        "weekdays": ["0", "2", "4"], "paused_until": "", "reminders": "on", "digests": "on",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def test_the_page_shows_the_current_settings_and_a_searchable_zone_list(client, page):
    response = client.get(page)
    assert response.status_code == 200
    body = response.content.decode()
    assert 'value="17" selected' in body  # reminder hour
    assert 'value="Europe/London"' in body and 'list="time-zones"' in body
    assert '<option value="Asia/Kathmandu">' in body
    assert "csrfmiddlewaretoken" in body
    assert response["Cache-Control"].startswith("max-age=0")


def test_saving_stores_the_choices_and_says_so(client, page, member):
    response = client.post(page, valid())
    assert response.status_code == 302 and response["Location"] == page
    member.refresh_from_db()
    assert (member.reminder_hour, member.digest_hour, member.time_zone) == (
        18, 7, "America/New_York",
    )
    assert member.weekdays_display == "mon,wed,fri"
    assert "Saved." in client.get(page).content.decode()


@pytest.mark.parametrize("changes,field_message", [
    ({"reminder_hour": "25"}, "25 is not an hour of the day; use 0 to 23."),
    ({"digest_hour": "-1"}, "-1 is not an hour of the day; use 0 to 23."),
    ({"time_zone": "Mars/Olympus_Mons"}, "Mars/Olympus_Mons is not an IANA time zone"),
    ({"time_zone": "europe/london"}, "europe/london is not an IANA time zone"),
    ({"weekdays": None}, "Choose at least one weekday."),
    ({"paused_until": "2026-11-01"}, "2026-11-01 has passed"),
    ({"paused_until": "next week"}, "Enter a valid date."),
])
def test_a_bad_value_gets_a_clear_error_and_nothing_is_saved(
    client, page, member, changes, field_message,
):
    response = client.post(page, valid(**changes))
    assert response.status_code == 400
    body = response.content.decode()
    assert "Nothing was saved" in body
    assert field_message in body
    member.refresh_from_db()
    assert (member.reminder_hour, member.time_zone) == (17, "Europe/London")


def test_the_form_needs_its_csrf_token(page, member):
    response = Client(enforce_csrf_checks=True).post(page, valid())
    assert response.status_code == 403
    member.refresh_from_db()
    assert member.reminder_hour == 17


def test_unticking_a_list_unsubscribes_and_ticking_it_resubscribes(
    client, page, member, make_message,
):
    reminder = make_message("scheduled")
    client.post(page, valid(reminders=None))
    member.refresh_from_db()
    assert member.unsubscribed_reminders_at == TODAY and member.unsubscribed_digests_at is None
    assert OutboundMessage.objects.get(pk=reminder.pk).state == "cancelled"
    assert 'name="reminders" id="id_reminders"' in client.get(page).content.decode()
    assert 'name="reminders" id="id_reminders" checked' not in client.get(page).content.decode()

    client.post(page, valid())
    member.refresh_from_db()
    assert member.unsubscribed_reminders_at is None
    assert [(e.change, e.source) for e in SubscriptionEvent.objects.order_by("id")] == [
        ("unsubscribed", "preferences"), ("resubscribed", "preferences"),
    ]


def test_saving_again_with_a_list_off_records_no_second_unsubscribe(client, page):
    client.post(page, valid(digests=None))
    client.post(page, valid(digests=None, reminder_hour="9"))
    assert SubscriptionEvent.objects.count() == 1


def test_a_pause_cancels_the_mail_already_made_for_the_paused_days_only(
    client, page, member, make_message,
):
    inside = [make_message("scheduled", day=0), make_message("queued", kind="digest", day=0)]
    after = make_message("scheduled", day=2)
    assert client.post(page, valid(paused_until="2026-11-24")).status_code == 302
    member.refresh_from_db()
    assert member.paused_until == dt.date(2026, 11, 24)
    assert {OutboundMessage.objects.get(pk=m.pk).state for m in inside} == {"cancelled"}
    assert OutboundMessage.objects.get(pk=after.pk).state == "scheduled"
    # Ending the pause needs nothing but an empty field.
    client.post(page, valid(paused_until=""))
    member.refresh_from_db()
    assert member.paused_until is None


def test_a_pause_keeps_the_digest_sent_the_day_after_it_ends(client, page, make_message):
    """The digest dated the pause's last day (the 24th) is sent on the 25th."""
    sent_on_the_24th = make_message("scheduled", kind="digest", day=0)
    sent_on_the_25th = make_message("scheduled", kind="digest", day=1)
    assert client.post(page, valid(paused_until="2026-11-24")).status_code == 302
    assert OutboundMessage.objects.get(pk=sent_on_the_24th.pk).state == "cancelled"
    assert OutboundMessage.objects.get(pk=sent_on_the_25th.pk).state == "scheduled"


def test_a_pause_until_today_in_the_members_zone_is_accepted(client, page, member):
    # 12:00 UTC on the 23rd is already the 24th in Auckland.
    response = client.post(page, valid(time_zone="Pacific/Auckland", paused_until="2026-11-23"))
    assert "has passed" in response.content.decode()
    response = client.post(page, valid(time_zone="Pacific/Auckland", paused_until="2026-11-24"))
    assert response.status_code == 302


def test_a_tampered_preferences_link_gets_a_clear_400_page(client, page):
    response = client.get(page.replace(":", ":x", 1))
    assert response.status_code == 400
    assert "This link is not valid" in response.content.decode()


def test_an_expired_preferences_link_gets_a_clear_410_page(client, page, settings):
    later = TODAY + dt.timedelta(days=settings.SIGNED_LINK_MAX_AGE_DAYS, seconds=1)
    with time_machine.travel(later):
        response = client.post(page, valid())
    assert response.status_code == 410
    body = response.content.decode()
    assert "This link has expired" in body and "most recent Donemail email" in body


def test_an_unsubscribe_token_does_not_open_the_preferences_page(client, member):
    token = links.token_make(member_id=member.pk, purpose=links.UNSUBSCRIBE, scope="all")
    assert client.get(f"/preferences/{token}/").status_code == 400
