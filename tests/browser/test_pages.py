import datetime as dt
import struct

import pytest
from django.utils import timezone

from apps.outbound.models import OutboundMessage
from apps.preferences import links

from tests.preferences.standins import entry, team_page_html

from .conftest import DESKTOP, PHONE, screenshot

pytestmark = pytest.mark.browser


def png_size(path) -> tuple[int, int]:
    width, height = struct.unpack(">II", path.read_bytes()[16:24])
    return width, height


def test_changing_the_reminder_hour_in_the_browser_stores_it(browser_page, member):
    page = browser_page
    page.goto(links.preferences_url(member))
    assert page.locator("h1").inner_text() == "Your email settings"
    page.select_option("#id_reminder_hour", "9")
    page.fill("#id_time_zone", "Asia/Tokyo")
    page.uncheck("#id_weekdays_4")  # Friday off
    page.click("button[type=submit]")
    page.wait_for_selector("text=Saved.")
    member.refresh_from_db()
    assert (member.reminder_hour, member.time_zone, member.weekdays_display) == (
        9, "Asia/Tokyo", "mon,tue,wed,thu",
    )
    assert page.input_value("#id_reminder_hour") == "9"


def test_a_bad_zone_is_shown_next_to_the_field_and_nothing_is_saved(browser_page, member):
    page = browser_page
    page.goto(links.preferences_url(member))
    page.fill("#id_time_zone", "Mars/Olympus_Mons")
    page.select_option("#id_digest_hour", "6")
    page.click("button[type=submit]")
    error = page.locator("#id_time_zone_errors")
    assert "is not an IANA time zone" in error.inner_text()
    assert page.locator("[role=alert]").is_visible()
    screenshot(page, "preferences-error", PHONE)
    member.refresh_from_db()
    assert (member.time_zone, member.digest_hour) == ("Europe/London", 8)


def test_the_one_click_page_button_unsubscribes_and_cancels_pending_mail(browser_page, member):
    message = OutboundMessage.objects.create(
        member=member, kind="digest", local_date=dt.date(2026, 11, 24),
        scheduled_for=timezone.now(),
    )
    page = browser_page
    page.goto(links.unsubscribe_url(member, scope="digests"))
    assert "Unsubscribe from the morning digest?" in page.locator("h1").inner_text()
    screenshot(page, "unsubscribe", PHONE)
    member.refresh_from_db()
    assert member.unsubscribed_digests_at is None  # opening the page changed nothing

    page.click("button:has-text('Unsubscribe')")
    page.wait_for_selector("text=You are unsubscribed")
    member.refresh_from_db()
    assert member.unsubscribed_digests_at is not None
    assert member.unsubscribed_reminders_at is None
    message.refresh_from_db()
    assert message.state == "cancelled"


def test_preferences_page_screenshots_at_phone_and_desktop_width(browser_page, member):
    page = browser_page
    page.goto(links.preferences_url(member))
    for viewport in (PHONE, DESKTOP):
        path = screenshot(page, "preferences", viewport)
        width, _ = png_size(path)
        assert width == viewport["width"] * 2  # device_scale_factor 2
        # Nothing wider than the screen: no sideways scrolling on a phone.
        assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]


def test_team_and_bad_link_pages_fit_a_phone(browser_page, member):
    page = browser_page
    page.goto(links.team_url(member))
    assert page.locator("h1").inner_text() == "Platform"
    screenshot(page, "team", PHONE)
    response = page.goto(links.preferences_url(member)[:-4] + "zzz/")
    assert response.status == 400
    assert "This link is not valid" in page.content()
    screenshot(page, "link-invalid", PHONE)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_the_team_page_layout_with_entries_fits_a_phone(browser_page):
    """Entry arrives with the inbound issue; until then the template is
    rendered with stand-ins shaped like it."""
    html = team_page_html([
        entry("Ada Lovelace", "Shipped the parser for Outlook's quoted replies", 23),
        entry("Ada Lovelace", "Reviewed <b>two</b> pull requests", 23),
        entry("Grace Hopper", "https://example.com/a/very/long/link/that/must/wrap/on/a/phone", 23),
        entry("Alan Turing", "Wrote the digest template", 22),
    ], per_page=3)
    page = browser_page
    page.set_content(html)
    assert page.locator(".entry").count() == 3
    assert page.locator("text=Reviewed <b>two</b> pull requests").count() == 1
    screenshot(page, "team-entries", PHONE)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
