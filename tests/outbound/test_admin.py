"""The outbound admin: operators see every message and its log, and move states
only through the state machine."""

import datetime as dt

import pytest
from django.utils import timezone

from apps.outbound.models import DispatchRun, Kind, MessageEvent, OutboundMessage, State
from apps.outbound.states import transition
from apps.teams.models import Team

from .conftest import drain

LIST = "/admin/outbound/outboundmessage/"
DAY = dt.date(2026, 1, 12)


@pytest.fixture
def make_message(make_member):
    def make(state, *, kind=Kind.REMINDER, day=0, member=None, **fields):
        return OutboundMessage.objects.create(
            member=member or make_member(), kind=kind, state=state,
            local_date=DAY + dt.timedelta(days=day), scheduled_for=timezone.now(), **fields,
        )

    return make


def act(client, action, messages):
    return client.post(LIST, {"action": action, "_selected_action": [m.pk for m in messages]},
                       follow=True)


def state_of(message):
    message.refresh_from_db()
    return message.state


def test_the_list_shows_what_an_operator_needs(staff_client, make_message):
    message = make_message(State.FAILED, attempts=8, last_error="550 5.1.1 mailbox unknown")
    response = staff_client.get(LIST)
    body = response.content.decode()
    assert response.status_code == 200
    for text in (message.member.email, "Platform", "Failed", "Reminder", "Jan. 12, 2026",
                 "550 5.1.1 mailbox unknown", ">8<"):
        assert text in body


@pytest.mark.parametrize("query, shown", [
    ("state__exact=failed", {"failed"}),
    ("kind__exact=digest", {"digest"}),
    ("q=member2%40example", {"digest"}),
    ("local_date__gte=2026-01-13&local_date__lt=2026-01-14", {"digest"}),
])
def test_filters_and_search_narrow_the_list(staff_client, make_message, query, shown):
    make_message(State.FAILED, last_error="failed")  # member1, Jan 12
    make_message(State.SENT, kind=Kind.DIGEST, day=1, last_error="digest")  # member2, Jan 13
    body = staff_client.get(f"{LIST}?{query}").content.decode()
    assert {word for word in ("failed", "digest") if f"<td class=\"field-error\">{word}" in body
            } == shown


def test_the_team_filter_lists_only_that_teams_messages(staff_client, make_message, make_member):
    other = Team.objects.create(name="Research", slug="research")
    ours = make_message(State.SENT)
    theirs = make_message(State.SENT, member=make_member(team=other))
    body = staff_client.get(f"{LIST}?member__team__id__exact={other.pk}").content.decode()
    assert theirs.member.email in body and ours.member.email not in body


def test_the_message_page_shows_its_log_and_edits_nothing(staff_client, make_message):
    message = make_message(State.QUEUED)
    transition([message.pk], State.SENDING, detail="claimed by worker 7")
    url = f"{LIST}{message.pk}/change/"

    response = staff_client.get(url)

    body = response.content.decode()
    assert response.status_code == 200
    assert "claimed by worker 7" in body
    assert 'name="state"' not in body and 'name="_save"' not in body
    assert staff_client.post(url, {"state": State.SENT}).status_code == 403
    assert state_of(message) == State.SENDING


def test_messages_are_neither_added_nor_deleted_by_hand(staff_client, make_message):
    message = make_message(State.SENT)
    assert staff_client.get(f"{LIST}add/").status_code == 403
    assert staff_client.post(f"{LIST}{message.pk}/delete/", {"post": "yes"}).status_code == 403
    assert OutboundMessage.objects.filter(pk=message.pk).exists()


def test_retry_now_queues_failed_and_deferred_messages_and_publishes_them(
    staff_client, make_message, empty_queue, django_capture_on_commit_callbacks,
):
    failed, deferred = make_message(State.FAILED), make_message(State.DEFERRED)
    deferred.next_attempt_at = timezone.now() + dt.timedelta(hours=1)
    deferred.save()
    sent = make_message(State.SENT)

    with django_capture_on_commit_callbacks(execute=True):
        response = act(staff_client, "retry_now", [failed, deferred, sent])

    body = response.content.decode()
    assert "Queued 2 of 3 selected messages." in body
    assert "1 were not failed or deferred and were left as they are." in body
    assert (state_of(failed), state_of(deferred), state_of(sent)) == (
        State.QUEUED, State.QUEUED, State.SENT,
    )
    assert OutboundMessage.objects.get(pk=deferred.pk).next_attempt_at is None
    assert list(MessageEvent.objects.filter(to_state=State.QUEUED).values_list(
        "message_id", "from_state", "detail",
    ).order_by("message_id")) == [
        (failed.pk, State.FAILED, "retry requested in the admin by op"),
        (deferred.pk, State.DEFERRED, "retry requested in the admin by op"),
    ]
    [(task, [ids])] = drain(empty_queue)
    assert (task, sorted(ids)) == ("outbound.send_batch", [failed.pk, deferred.pk])


def test_cancel_stops_what_is_waiting_and_leaves_the_rest(staff_client, make_message):
    waiting = [make_message(s) for s in (State.SCHEDULED, State.QUEUED, State.DEFERRED)]
    on_the_wire, sent = make_message(State.SENDING), make_message(State.SENT)

    response = act(staff_client, "cancel", [*waiting, on_the_wire, sent])

    assert "Cancelled 3 of 5 selected messages." in response.content.decode()
    assert [state_of(m) for m in waiting] == [State.CANCELLED] * 3
    assert (state_of(on_the_wire), state_of(sent)) == (State.SENDING, State.SENT)
    assert set(MessageEvent.objects.filter(to_state=State.CANCELLED).values_list(
        "message_id", "detail",
    )) == {(m.pk, "cancelled in the admin by op") for m in waiting}


def test_an_action_on_nothing_eligible_says_so(staff_client, make_message):
    sent = make_message(State.SENT)
    body = act(staff_client, "cancel", [sent]).content.decode()
    assert "Cancelled 0 of 1 selected messages." in body
    assert not MessageEvent.objects.exists()


def test_the_dispatch_runs_page_lists_runs_and_edits_nothing(staff_client, make_member):
    from apps.outbound.dispatch import dispatch_due

    from .conftest import utc

    make_member(time_zone="UTC", reminder_hour=17)
    dispatch_due(now=utc(2026, 1, 13, 17, 0))
    run = DispatchRun.objects.get()
    response = staff_client.get("/admin/outbound/dispatchrun/")
    assert response.status_code == 200
    assert "Jan. 13, 2026" in response.content.decode()
    assert staff_client.get("/admin/outbound/dispatchrun/add/").status_code == 403
    page = staff_client.get(f"/admin/outbound/dispatchrun/{run.pk}/change/").content.decode()
    assert 'name="_save"' not in page
