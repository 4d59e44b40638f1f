import datetime as dt
from types import SimpleNamespace

from django.core.paginator import Paginator
from django.template.loader import render_to_string

from apps.preferences import links

from .conftest import path_of


def test_the_team_page_opens_from_a_members_link(client, member):
    response = client.get(path_of(links.team_url(member)))
    assert response.status_code == 200
    body = response.content.decode()
    assert "<h1>Platform</h1>" in body and "Nothing here yet" in body
    assert "/preferences/" in body


def test_a_preferences_token_does_not_open_the_team_page(client, member):
    token = links.token_make(member_id=member.pk, purpose=links.PREFERENCES)
    assert client.get(f"/team/{token}/").status_code == 400


def test_the_template_groups_entries_by_day_newest_first_and_escapes_them():
    def entry(name, text, day):
        return SimpleNamespace(member=SimpleNamespace(name=name), text=text,
                               local_date=dt.date(2026, 11, day))

    entries = [
        entry("Ada", "Shipped <script>alert(1)</script>", 23),
        entry("Grace", '<img src="x" onerror="alert(2)">', 23),
        entry("Ada", "Wrote the parser", 22),
    ]
    page = Paginator(entries, 2).get_page(1)
    html = render_to_string("pages/team.html", {
        "team": SimpleNamespace(name="Platform"), "page": page, "preferences_url": "/p/",
    })
    assert "<script>" not in html and "<img" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert html.index("Monday, 23 November 2026") < html.index("Ada")
    assert "Wrote the parser" not in html  # on page 2
    assert "Page 1 of 2" in html and "?page=2" in html
