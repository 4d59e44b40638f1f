"""The HTML part is one a mail client can show as sent: CSS inlined, no
external resource, a 600px fluid layout, the footer links, and a size under
Gmail's clipping limit for a normal team."""

import re

import pytest

from apps.preferences import links

from tests.emails import MONDAY, TUESDAY, digest_row, parts, person, reminder_row, render, wrote

GMAIL_CLIPS_AT = 102 * 1024


@pytest.fixture
def ada(team):
    ada = person(team, "Ada Lovelace")
    wrote(ada, MONDAY, "Shipped it")
    return ada


@pytest.fixture(params=["reminder", "digest"])
def html(request, ada):
    row = reminder_row(ada, TUESDAY) if request.param == "reminder" else digest_row(ada, MONDAY)
    return parts(render(row))[1]


def test_css_is_inlined_and_nothing_is_loaded_from_elsewhere(html):
    assert "<style" not in html and "<link" not in html and "<script" not in html
    assert "@import" not in html and "url(" not in html
    assert not re.search(r"\bsrc=", html)  # no images, remote or not
    assert 'style="margin: 0;padding: 0;background-color: #f5f6f9;"' in html  # the body
    # Every http(s) URL is a link the member follows, none is fetched on opening.
    assert all(
        re.search(rf'href="{re.escape(url)}"', html)
        for url in re.findall(r"https?://[^\s\"'<>]+", html)
    )


def test_the_layout_is_a_fluid_table_capped_at_600px(html):
    assert 'role="presentation"' in html
    assert "width: 100%;max-width: 600px;" in html
    assert '<!--[if mso]><table role="presentation" width="600"' in html  # Outlook's ghost table
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in html


def test_the_footer_links_are_the_members_signed_links(html, ada):
    hrefs = re.findall(r'href="([^"]+)"', html)
    if "What got done on" in html:  # the digest links the team page at the top as well
        assert hrefs.pop(0) == hrefs[0]
    assert len(hrefs) == 3
    purposes = [links.TEAM, links.PREFERENCES, links.UNSUBSCRIBE]
    for href, purpose in zip(hrefs, purposes):
        token = href.rstrip("/").rsplit("/", 1)[1]
        assert links.token_read(token=token, purpose=purpose).member_id == ada.pk


def test_a_fifty_person_digest_stays_under_gmails_clipping_limit(team, ada):
    """50 members, 49 of whom wrote three items of a realistic length."""
    for number in range(49):
        teammate = person(team, f"Teammate Number {number:02}")
        wrote(
            teammate, MONDAY,
            "Reviewed the pull request for the bounce classifier and left comments",
            "Paired with the support team on the Outlook quoting issue for an hour",
            "Wrote the migration plan for moving digests onto the new queue",
        )
    html = parts(render(digest_row(ada, MONDAY)))[1]
    size = len(html.encode())
    print(f"digest HTML for 50 members, 148 items: {size / 1024:.1f} KiB")
    assert size < GMAIL_CLIPS_AT
