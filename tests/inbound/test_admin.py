"""The inbound admin: an operator reads everything and can only parse again."""

import pytest
from django.urls import reverse

from apps.entries.models import Entry
from apps.inbound.models import InboundEmail
from apps.inbound.services import inbound_parse, inbound_store
from apps.teams.models import Member

from .sendgrid_posts import reply_message

State = InboundEmail.State
CHANGELIST = reverse("admin:inbound_inboundemail_changelist")


def change_url(email):
    return reverse("admin:inbound_inboundemail_change", args=[email.pk])


def stored(raw: bytes, to: str = "") -> InboundEmail:
    return inbound_store(raw=raw, mode="raw", envelope={"to": [to] if to else []})


@pytest.fixture
def parsed_reply(member, reply_to):
    email = stored(reply_message(to=reply_to), reply_to)
    inbound_parse(inbound_id=email.pk)
    return email


def test_the_list_shows_state_sender_member_and_subject(staff_client, parsed_reply, member):
    response = staff_client.get(CHANGELIST)

    assert response.status_code == 200
    page = response.content.decode()
    assert "ada@example.com" in page and "Re: What did you get done today?" in page
    assert str(member) in page.replace("&lt;", "<").replace("&gt;", ">")


@pytest.mark.parametrize("query, found", [
    ("?state__exact=parsed", True), ("?state__exact=failed", False),
    ("?mode__exact=raw", True), ("?q=reply-1@mail.example.com", True),
    ("?q=ada@example.com", True), ("?q=nobody-here", False),
])
def test_the_list_filters_by_state_and_mode_and_searches(staff_client, parsed_reply, query, found):
    response = staff_client.get(CHANGELIST + query)

    assert response.status_code == 200
    assert (f"/{parsed_reply.pk}/change/" in response.content.decode()) is found


def test_the_detail_shows_the_raw_message_escaped_the_reply_and_the_entries(
    staff_client, member, reply_to,
):
    raw = reply_message(to=reply_to, body="- Fixed <script>alert(1)</script> in the page\n")
    raw = raw.replace(b"Subject: Re:", b"X-Latin: caf\xe9\r\nSubject: Re:")  # not UTF-8
    email = stored(raw, reply_to)
    inbound_parse(inbound_id=email.pk)

    response = staff_client.get(change_url(email))

    assert response.status_code == 200
    page = response.content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "caf\ufffd" in page  # shown safely; the stored bytes are untouched
    assert bytes(InboundEmail.objects.get(pk=email.pk).raw) == raw
    assert "entries written from this email" in page.lower()
    assert Entry.objects.get(source=email).text in page.replace("&lt;", "<").replace("&gt;", ">")


def test_the_raw_download_is_the_exact_bytes_as_an_attachment(staff_client, parsed_reply):
    response = staff_client.get(reverse("admin:inbound_inboundemail_raw", args=[parsed_reply.pk]))

    assert response.status_code == 200
    assert response.content == bytes(parsed_reply.raw)
    assert response["Content-Disposition"].startswith("attachment;")


def test_nothing_can_be_added_edited_or_deleted_by_hand(staff_client, parsed_reply):
    add = staff_client.get(reverse("admin:inbound_inboundemail_add"))
    edit = staff_client.post(change_url(parsed_reply), {"state": "failed", "raw": "x"})
    delete = staff_client.post(
        reverse("admin:inbound_inboundemail_delete", args=[parsed_reply.pk]), {"post": "yes"})

    assert add.status_code == 403
    assert edit.status_code == 403
    assert delete.status_code == 403
    email = InboundEmail.objects.get(pk=parsed_reply.pk)
    assert email.state == State.PARSED and bytes(email.raw) == bytes(parsed_reply.raw)


def test_parse_again_picks_up_a_member_added_after_the_mail_came(staff_client, team):
    email = stored(reply_message(to="reply+notyet@in.localhost", sender="new@example.com"))
    inbound_parse(inbound_id=email.pk)
    assert InboundEmail.objects.get(pk=email.pk).state == State.UNMATCHED
    Member.objects.create(team=team, name="New", email="new@example.com", reply_token="notyet")

    for _ in range(2):  # twice: the second run changes nothing
        response = staff_client.post(CHANGELIST, {
            "action": "parse_again_action", "_selected_action": [email.pk], "index": 0,
        }, follow=True)
        assert "Parsed again: 1 parsed" in response.content.decode()

    assert InboundEmail.objects.get(pk=email.pk).state == State.PARSED
    assert Entry.objects.filter(source=email).count() == 2


def test_the_detail_page_button_parses_one_email_again(staff_client, parsed_reply):
    url = reverse("admin:inbound_inboundemail_parse_again", args=[parsed_reply.pk])
    page = staff_client.get(change_url(parsed_reply)).content.decode()
    assert url in page

    response = staff_client.post(url)

    assert response.status_code == 302
    email = InboundEmail.objects.get(pk=parsed_reply.pk)
    assert (email.state, email.attempts) == (State.PARSED, 2)
    assert Entry.objects.filter(source=email).count() == 2


def test_parse_again_needs_more_than_view_permission(client, django_user_model, parsed_reply):
    from django.contrib.auth.models import Permission

    viewer = django_user_model.objects.create_user("viewer", password="pw", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_inboundemail"))
    client.force_login(viewer)

    assert client.get(change_url(parsed_reply)).status_code == 200
    url = reverse("admin:inbound_inboundemail_parse_again", args=[parsed_reply.pk])
    assert client.post(url).status_code == 403
    assert InboundEmail.objects.get(pk=parsed_reply.pk).attempts == 1
