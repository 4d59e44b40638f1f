from apps.preferences import links

from .conftest import path_of
from .standins import entry, team_page_html


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
    html = team_page_html([
        entry("Ada", "Shipped <script>alert(1)</script>", 23),
        entry("Grace", '<img src="x" onerror="alert(2)">', 23),
        entry("Ada", "Wrote the parser", 22),
    ], per_page=2)
    assert "<script>" not in html and "<img" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert html.index("Monday, 23 November 2026") < html.index("Ada")
    assert "Wrote the parser" not in html  # on page 2
    assert "Page 1 of 2" in html and "?page=2" in html


def test_a_persons_items_on_one_day_sit_under_one_name():
    html = team_page_html([
        entry("Ada", "One", 23), entry("Ada", "Two", 23), entry("Ada", "Three", 22),
    ], per_page=10)
    assert html.count(">Ada<") == 2  # once per day


def test_the_team_page_lists_the_teams_entries_newest_day_first(client, member, team):
    import datetime as dt

    from apps.entries.models import Entry
    from apps.teams.models import Member, Team

    grace = Member.objects.create(team=team, name="Grace Hopper", email="grace@example.com")
    outsider = Member.objects.create(
        team=Team.objects.create(name="Other", slug="other"), name="Out", email="o@example.com",
    )
    for who, day, position, text in [
        (member, 23, 1, "Ada second"), (member, 23, 0, "Ada first"),
        (grace, 24, 0, "Grace on the 24th"), (outsider, 24, 0, "not our team"),
    ]:
        Entry.objects.create(
            member=who, local_date=dt.date(2026, 11, day), position=position, text=text,
        )
    body = client.get(path_of(links.team_url(member))).content.decode()
    assert "not our team" not in body
    positions = [body.index(t) for t in ("Grace on the 24th", "Ada first", "Ada second")]
    assert positions == sorted(positions)
