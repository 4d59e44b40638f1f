import datetime as dt

import pytest
import time_machine
from django.test import Client

from apps.outbound.models import MessageEvent, OutboundMessage
from apps.preferences import links
from apps.preferences.services import messages_cancel_for_member
from apps.teams.models import Member, SubscriptionEvent

from .conftest import path_of

PENDING = ("scheduled", "queued", "deferred")
UNTOUCHABLE = ("sending", "sent", "delivered", "failed", "bounced")


@pytest.fixture
def csrf_client():
    """Like a mail provider: no cookie, no CSRF token, CSRF checks on."""
    return Client(enforce_csrf_checks=True)


def unsubscribe_path(member, scope):
    return path_of(links.unsubscribe_url(member, scope=scope))


def states(member):
    return dict(OutboundMessage.objects.filter(member=member).values_list("id", "state"))


def test_a_get_shows_a_button_and_changes_nothing(member, make_message, csrf_client):
    message = make_message("scheduled")
    response = csrf_client.get(unsubscribe_path(member, "reminders"))
    assert response.status_code == 200
    body = response.content.decode()
    assert '<form method="post"' in body and "Unsubscribe</button>" in body
    assert "the daily reminder" in body
    member.refresh_from_db()
    assert member.unsubscribed_reminders_at is None
    assert states(member) == {message.pk: "scheduled"}
    assert not MessageEvent.objects.exists() and not SubscriptionEvent.objects.exists()


def test_a_head_changes_nothing_either(member, csrf_client):
    csrf_client.head(unsubscribe_path(member, "all"))
    member.refresh_from_db()
    assert member.unsubscribed_reminders_at is None and member.unsubscribed_digests_at is None


def test_one_click_post_unsubscribes_and_cancels_pending_mail_of_that_kind(
    member, make_message, csrf_client,
):
    pending = [make_message(state, day=i) for i, state in enumerate(PENDING)]
    untouched = [make_message(state, day=10 + i) for i, state in enumerate(UNTOUCHABLE)]
    digest = make_message("scheduled", kind="digest")
    response = csrf_client.post(
        unsubscribe_path(member, "reminders"), "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    assert "You are unsubscribed" in response.content.decode()

    member.refresh_from_db()
    assert member.unsubscribed_reminders_at is not None
    assert member.unsubscribed_digests_at is None
    event = SubscriptionEvent.objects.get()
    assert (event.stream, event.change, event.source) == ("reminders", "unsubscribed", "one_click")

    now = states(member)
    assert all(now[m.pk] == "cancelled" for m in pending)
    assert [now[m.pk] for m in untouched] == list(UNTOUCHABLE)
    assert now[digest.pk] == "scheduled"
    events = MessageEvent.objects.order_by("message_id")
    assert [(e.message_id, e.from_state, e.to_state) for e in events] == [
        (m.pk, m.state, "cancelled") for m in pending
    ]
    assert all("unsubscribed" in e.detail for e in events)


def test_a_second_post_records_nothing_new(member, make_message, csrf_client):
    make_message("queued")
    path = unsubscribe_path(member, "reminders")
    csrf_client.post(path)
    member.refresh_from_db()
    first = member.unsubscribed_reminders_at
    assert csrf_client.post(path).status_code == 200
    member.refresh_from_db()
    assert member.unsubscribed_reminders_at == first
    assert SubscriptionEvent.objects.count() == 1
    assert MessageEvent.objects.count() == 1


def test_unsubscribing_from_all_stops_both_lists(member, make_message, csrf_client):
    reminder, digest = make_message("scheduled"), make_message("deferred", kind="digest")
    assert csrf_client.post(unsubscribe_path(member, "all")).status_code == 200
    member.refresh_from_db()
    assert member.unsubscribed_reminders_at and member.unsubscribed_digests_at
    assert set(states(member).values()) == {"cancelled"}
    assert {e.stream for e in SubscriptionEvent.objects.all()} == {"reminders", "digests"}
    cancelled = set(MessageEvent.objects.values_list("message_id", flat=True))
    assert cancelled == {reminder.pk, digest.pk}


def test_cancelling_leaves_other_members_alone(member, make_message, team):
    other = Member.objects.create(team=team, name="Grace", email="grace@example.com")
    mine, theirs = make_message("scheduled"), make_message("scheduled", who=other)
    assert messages_cancel_for_member(member_id=member.pk, kinds=["reminder"], reason="test") == 1
    assert OutboundMessage.objects.get(pk=theirs.pk).state == "scheduled"
    assert OutboundMessage.objects.get(pk=mine.pk).state == "cancelled"


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_tampered_unsubscribe_link_gets_a_clear_page_and_changes_nothing(
    member, make_message, csrf_client, method,
):
    make_message("scheduled")
    path = unsubscribe_path(member, "all")
    response = getattr(csrf_client, method)(path[:-6] + "XXXXX/")
    assert response.status_code == 400
    body = response.content.decode()
    assert "This link is not valid" in body and "What to do" in body
    assert set(states(member).values()) == {"scheduled"}


def test_an_expired_unsubscribe_link_gets_a_clear_page(member, csrf_client, settings):
    with time_machine.travel(dt.datetime(2026, 1, 1, tzinfo=dt.UTC), tick=False):
        path = unsubscribe_path(member, "all")
    with time_machine.travel(
        dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
        + dt.timedelta(days=settings.UNSUBSCRIBE_LINK_MAX_AGE_DAYS + 1), tick=False,
    ):
        response = csrf_client.post(path)
    assert response.status_code == 410
    assert "This link has expired" in response.content.decode()
    member.refresh_from_db()
    assert member.unsubscribed_reminders_at is None


def test_a_link_for_a_member_who_left_says_so(member, csrf_client):
    path = unsubscribe_path(member, "all")
    Member.objects.filter(pk=member.pk).update(is_active=False)
    response = csrf_client.get(path)
    assert response.status_code == 410
    assert "no longer works" in response.content.decode()


def test_the_admin_action_records_its_source(admin_client, member, make_message):
    make_message("scheduled", kind="digest")
    response = admin_client.post("/admin/teams/member/", {
        "action": "unsubscribe_all", "_selected_action": [member.pk],
    })
    assert response.status_code == 302
    assert {e.source for e in SubscriptionEvent.objects.all()} == {"admin"}
    assert set(states(member).values()) == {"cancelled"}
    admin_client.post("/admin/teams/member/", {
        "action": "resubscribe_all", "_selected_action": [member.pk],
    })
    member.refresh_from_db()
    assert member.unsubscribed_reminders_at is None and member.unsubscribed_digests_at is None
    assert admin_client.get(f"/admin/teams/member/{member.pk}/change/").status_code == 200


def test_the_member_admin_page_shows_the_subscription_history(admin_client, member):
    from apps.preferences.services import member_unsubscribe

    member_unsubscribe(member=member, scope="digests", source="mailto")
    body = admin_client.get(f"/admin/teams/member/{member.pk}/change/").content.decode()
    assert "Unsubscribed digests (Unsubscribe email)" in body


def test_mail_to_the_unsubscribe_address_unsubscribes_with_source_mailto(
    member, make_message, public_url,
):
    from apps.preferences.services import member_unsubscribe_by_address

    reminder = make_message("scheduled")
    address = links.unsubscribe_address(member, scope="reminders")
    assert member_unsubscribe_by_address(address=address.upper()) == ["reminders"]
    assert SubscriptionEvent.objects.get().source == "mailto"
    assert OutboundMessage.objects.get(pk=reminder.pk).state == "cancelled"
    assert member_unsubscribe_by_address(address=address) == []  # already off
    forged = address.replace("+reminders-", "+digests-")
    assert member_unsubscribe_by_address(address=forged) is None
    member.refresh_from_db()
    assert member.unsubscribed_digests_at is None


def test_pausing_in_the_admin_cancels_pending_mail(admin_client, member, make_message):
    pending, sent = make_message("scheduled"), make_message("sent", kind="digest")
    response = admin_client.post("/admin/teams/member/", {
        "action": "pause", "_selected_action": [member.pk],
    }, follow=True)
    assert "cancelled 1 pending messages" in response.content.decode()
    member.refresh_from_db()
    assert member.paused
    assert states(member) == {pending.pk: "cancelled", sent.pk: "sent"}
