def test_team_list_and_change_pages_render(staff_client, member):
    response = staff_client.get("/admin/teams/team/")
    assert response.status_code == 200
    assert b"Platform" in response.content
    response = staff_client.get(f"/admin/teams/team/{member.team_id}/change/")
    assert response.status_code == 200
    assert b"ada@example.com" in response.content


def test_member_list_shows_schedule_columns_and_searches_by_email(staff_client, member):
    response = staff_client.get("/admin/teams/member/", {"q": "ada@"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "Ada Lovelace" in body and "Europe/London" in body and "mon,tue,wed,thu,fri" in body
    response = staff_client.get("/admin/teams/member/", {"q": "nobody@"})
    assert "Ada Lovelace" not in response.content.decode()


def test_member_change_page_renders_and_saves_weekdays(staff_client, member):
    url = f"/admin/teams/member/{member.pk}/change/"
    assert staff_client.get(url).status_code == 200
    response = staff_client.post(url, {
        "team": member.team_id, "name": member.name, "email": member.email,
        "time_zone": "Asia/Kathmandu", "reminder_hour": 9, "digest_hour": 8,
        "weekdays": ["5", "6"], "is_active": "on",
    })
    assert response.status_code == 302, response.content.decode()[:2000]
    member.refresh_from_db()
    assert (member.time_zone, member.weekdays_display) == ("Asia/Kathmandu", "sat,sun")


def test_member_change_form_reports_bad_zone_and_hour(staff_client, member):
    response = staff_client.post(f"/admin/teams/member/{member.pk}/change/", {
        "team": member.team_id, "name": member.name, "email": member.email,
        "time_zone": "Mars/Base", "reminder_hour": 25, "digest_hour": 8, "weekdays": ["0"],
    })
    assert response.status_code == 200
    body = response.content.decode()
    assert "Mars/Base is not an IANA time zone" in body
    assert "Ensure this value is less than or equal to 23" in body or "use 0 to 23" in body
