"""The digest and reminder HTML as a browser lays them out, at phone (375 px)
and desktop (1280 px) width; screenshots land in artifacts/screenshots/."""

import pytest

from apps.teams import weekdays

from tests.emails import MONDAY, TUESDAY, digest_row, parts, person, reminder_row, render, wrote

from .conftest import DESKTOP, screenshot

pytestmark = pytest.mark.browser

PHONE_375 = {"width": 375, "height": 812}
ITEMS = {
    "Ada Lovelace": [
        "Shipped the parser for Outlook's quoted replies",
        "Reviewed two pull requests for the bounce classifier",
    ],
    "Grace Hopper": [
        "Cut the digest render time in half by reading entries in one query",
        "https://example.com/a/very/long/link/to/a/dashboard/that/must/wrap/on/a/phone",
    ],
    "Alan Turing": ["Wrote the runbook for a stuck queue <and> tested it"],
    "Katherine Johnson": [
        "Checked the time zone maths for Auckland and Los Angeles",
        "Paired with support on two customer questions",
        "Fixed the flaky SMTP test",
    ],
}


@pytest.fixture
def six_person_team(team):
    """Four wrote, Linus was asked and wrote nothing, Margaret works Tue-Fri."""
    members = {name: person(team, name) for name in ITEMS}
    for name, items in ITEMS.items():
        wrote(members[name], MONDAY, *items)
    person(team, "Linus Torvalds")
    person(team, "Margaret Hamilton", weekdays=weekdays.parse("tue,wed,thu,fri"))
    return members["Ada Lovelace"]


def at_each_width(page, name: str):
    """Lay the page out at phone and desktop width, keep a screenshot of
    each, and check nothing scrolls sideways; yields to more assertions."""
    for viewport in (PHONE_375, DESKTOP):
        screenshot(page, name, viewport)
        assert page.evaluate("document.scrollingElement.scrollWidth") <= viewport["width"]
        yield viewport


def test_the_digest_reads_on_a_phone_and_on_a_desktop(browser_page, six_person_team):
    page = browser_page
    page.set_content(parts(render(digest_row(six_person_team, MONDAY)))[1])
    for _ in at_each_width(page, "email-digest"):
        assert page.get_by_role("heading", name="Ada Lovelace (you)").is_visible()
        for items in ITEMS.values():
            for item in items:
                assert page.get_by_text(item, exact=False).is_visible(), item
        assert page.get_by_text("Nothing written: Linus Torvalds").is_visible()
        assert page.get_by_text("Off that day: Margaret Hamilton").is_visible()
        card = page.locator("td.card").bounding_box()
        assert card["width"] <= 600
    # On a phone the card uses the screen, less the margins.
    page.set_viewport_size(PHONE_375)
    assert page.locator("td.card").bounding_box()["width"] >= 375 - 2 * 16


def test_the_digests_team_link_opens_the_team_page_with_the_items(browser_page,
                                                                   six_person_team):
    page = browser_page
    page.set_content(parts(render(digest_row(six_person_team, MONDAY)))[1])
    page.click("text=Team page")
    page.wait_for_selector("h1:has-text('Platform')")
    assert page.get_by_text("Fixed the flaky SMTP test").is_visible()
    assert page.get_by_text("Wrote the runbook for a stuck queue <and> tested it").is_visible()


def test_the_reminder_reads_on_a_phone_and_on_a_desktop(browser_page, six_person_team):
    page = browser_page
    page.set_content(parts(render(reminder_row(six_person_team, TUESDAY)))[1])
    for _ in at_each_width(page, "email-reminder"):
        assert page.get_by_role("heading", name="Hi Ada Lovelace,").is_visible()
        assert page.get_by_text("What did you get done today?").is_visible()
        assert page.get_by_role("link", name="Stop these reminders").is_visible()
