"""batch_send against a real SMTP server on loopback: what each row records
and what the server received."""

from datetime import timedelta

import pytest
from django.utils import timezone

from apps.outbound.models import MessageEvent, OutboundMessage, State
from apps.outbound.sending import batch_send
from apps.preferences.services import messages_cancel_for_member

from .received import parsed, received_ids
from .sending_fixtures import mail_sink, make_queued  # noqa: F401


def states(rows) -> dict[int, str]:
    found = OutboundMessage.objects.filter(id__in=[r.pk for r in rows])
    return dict(found.values_list("id", "state"))


def test_a_batch_is_sent_and_each_row_keeps_the_server_reply(mail_sink, make_queued):
    rows = make_queued(3)

    report = batch_send(ids=[r.pk for r in rows])

    assert report["claimed"] == 3 and report["sent"] == 3
    for row in rows:
        row.refresh_from_db()
        assert row.state == State.SENT
        assert row.sent_at is not None and row.lease_until is None
        assert row.attempts == 1
        assert row.provider_id.startswith("sink-")  # the queue id the server gave
        assert list(row.events.values_list("from_state", "to_state")) == [
            (State.QUEUED, State.SENDING), (State.SENDING, State.SENT),
        ]
        reply = row.events.last().detail
        assert reply == f"250 2.0.0 Ok: queued as {row.provider_id}"
    assert sorted(received_ids(mail_sink)) == sorted(r.message_id for r in rows)


def test_the_bytes_on_the_wire_carry_the_stable_headers(mail_sink, make_queued, settings):
    [row] = make_queued()
    member = row.member

    batch_send(ids=[row.pk])

    [received] = mail_sink.received
    mail = parsed(received)
    assert mail["Message-ID"] == row.message_id
    assert mail["Reply-To"] == f"reply+{member.reply_token}@{settings.INBOUND_DOMAIN}"
    assert mail["Date"].datetime is not None
    assert abs(mail["Date"].datetime - timezone.now()) < timedelta(minutes=1)
    assert "<https://" in mail["List-Unsubscribe"] or "<http://" in mail["List-Unsubscribe"]
    assert "mailto:unsubscribe+" in mail["List-Unsubscribe"]
    assert mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert received.rcpt_tos == [member.email]
    assert received.mail_from.startswith(f"bounce+{row.pk}.")


def test_one_refused_recipient_fails_only_its_own_row(mail_sink, make_queued):
    good, bad, other = make_queued(3)
    mail_sink.refuse_recipient(bad.member.email, "550 5.1.1 No such user")

    report = batch_send(ids=[good.pk, bad.pk, other.pk])

    assert states([good, bad, other]) == {
        good.pk: State.SENT, bad.pk: State.FAILED, other.pk: State.SENT,
    }
    bad.refresh_from_db()
    assert "550" in bad.last_error and "No such user" in bad.last_error
    assert bad.next_attempt_at is None
    assert report["sent"] == 2 and report["failed"] == 1
    assert sorted(received_ids(mail_sink)) == sorted([good.message_id, other.message_id])


def test_a_temporary_refusal_defers_within_the_backoff_window(mail_sink, make_queued, settings):
    [row] = make_queued()
    mail_sink.refuse_recipient(row.member.email, "451 4.7.1 Greylisted, come back later", times=1)
    before = timezone.now()

    report = batch_send(ids=[row.pk])

    row.refresh_from_db()
    assert report["deferred"] == 1
    assert row.state == State.DEFERRED and row.attempts == 1
    assert "451" in row.last_error
    # After the first attempt the window is [0, SEND_RETRY_BASE_SECONDS].
    assert before <= row.next_attempt_at
    window = timedelta(seconds=settings.SEND_RETRY_BASE_SECONDS)
    assert row.next_attempt_at <= timezone.now() + window
    assert mail_sink.received == []


@pytest.mark.parametrize("misbehave", ["refuse_data_451", "drop_during_data", "refuse_connection"])
def test_server_trouble_is_temporary(mail_sink, make_queued, misbehave):
    [row] = make_queued()
    if misbehave == "refuse_data_451":
        mail_sink.refuse_data("451 4.3.0 Local problem, try later")
    elif misbehave == "drop_during_data":
        mail_sink.drop_during_data()
    else:
        mail_sink.refuse_connections("421 4.3.2 Too busy", times=5)

    batch_send(ids=[row.pk])

    row.refresh_from_db()
    assert row.state == State.DEFERRED
    assert row.last_error and row.next_attempt_at is not None


def test_attempts_exhausted_fail_the_message(mail_sink, make_queued, settings):
    settings.SEND_MAX_ATTEMPTS = 8
    [row] = make_queued(attempts=7)
    mail_sink.refuse_recipient(row.member.email, "451 4.7.1 Still greylisted")

    batch_send(ids=[row.pk])

    row.refresh_from_db()
    assert row.state == State.FAILED and row.attempts == 8
    assert row.last_error.startswith("gave up after 8 attempts: ")
    assert "451 4.7.1 Still greylisted" in row.last_error
    assert row.next_attempt_at is None


def test_an_empty_digest_of_a_team_that_sends_none_is_cancelled(mail_sink, make_queued, team):
    assert team.send_empty_digest is False
    [row] = make_queued(kind="digest")

    report = batch_send(ids=[row.pk])

    row.refresh_from_db()
    assert row.state == State.CANCELLED and report["cancelled"] == 1
    assert "empty digest" in row.events.last().detail
    assert mail_sink.received == []


def test_a_message_cancelled_after_dispatch_claimed_it_is_not_sent(mail_sink, make_queued):
    keep, paused = make_queued(2)
    # The member pauses between dispatch (which queued the batch) and the send.
    messages_cancel_for_member(member_id=paused.member_id, kinds=["reminder"], reason="paused")

    report = batch_send(ids=[keep.pk, paused.pk])

    assert report["claimed"] == 1
    assert states([keep, paused]) == {keep.pk: State.SENT, paused.pk: State.CANCELLED}
    assert received_ids(mail_sink) == [keep.message_id]


def test_a_batch_run_twice_sends_nothing_twice(mail_sink, make_queued):
    rows = make_queued(2)
    ids = [r.pk for r in rows]

    batch_send(ids=ids)
    again = batch_send(ids=ids)

    assert again["claimed"] == 0
    assert len(mail_sink.received) == 2


def test_a_message_that_cannot_be_rendered_fails_loudly_and_the_rest_go(
    mail_sink, make_queued, caplog,
):
    first, broken, last = make_queued(3)
    # Data no form would accept (a zone that does not exist), put there behind our back.
    type(broken.member).objects.filter(pk=broken.member_id).update(time_zone="Mars/Olympus_Mons")

    with caplog.at_level("ERROR", logger="apps.outbound.sending"):
        report = batch_send(ids=[first.pk, broken.pk, last.pk])

    assert states([first, broken, last]) == {
        first.pk: State.SENT, broken.pk: State.FAILED, last.pk: State.SENT,
    }
    broken.refresh_from_db()
    assert broken.last_error.startswith("render failed: ZoneInfoNotFoundError")
    assert " (at " in broken.last_error
    assert report["failed"] == 1
    assert any(r.levelname == "ERROR" and str(broken.pk) in r.getMessage() for r in caplog.records)


def test_ids_that_do_not_exist_or_are_not_queued_are_skipped(mail_sink, make_queued):
    [sent] = make_queued(state=State.SENT)

    report = batch_send(ids=[sent.pk, 987654321])

    assert report["claimed"] == 0 and mail_sink.received == []
    assert not MessageEvent.objects.filter(message=sent).exists()


def test_a_worker_whose_lease_runs_short_hands_the_rest_back_unsent(
    mail_sink, make_queued, settings,
):
    settings.SEND_LEASE_SECONDS = 2  # stop taking new messages 1.6 s into the batch
    mail_sink.slow(0.5)
    rows = make_queued(6)

    report = batch_send(ids=[r.pk for r in rows])

    found = states(rows)
    sent = [pk for pk, state in found.items() if state == State.SENT]
    back = [pk for pk, state in found.items() if state == State.QUEUED]
    assert len(sent) + len(back) == 6 and sent and back
    assert report["handed_back"] == len(back)
    # The attempt that never happened is not counted, and nothing went out twice.
    attempts = OutboundMessage.objects.filter(id__in=back).values_list("attempts", flat=True)
    assert set(attempts) == {0}
    assert len(mail_sink.received) == len(set(received_ids(mail_sink))) == len(sent)


def test_an_outcome_is_not_written_to_a_row_held_under_another_lease(make_queued):
    from apps.outbound.recording import outcome_record

    [row] = make_queued(state=State.SENDING)
    theirs = timezone.now() + timedelta(seconds=300)
    OutboundMessage.objects.filter(pk=row.pk).update(lease_until=theirs)

    ours = theirs - timedelta(seconds=1)
    assert not outcome_record(pk=row.pk, lease_until=ours, to=State.SENT, detail="250 late")

    row.refresh_from_db()
    assert row.state == State.SENDING and row.lease_until == theirs
    assert not row.events.exists()
    assert outcome_record(pk=row.pk, lease_until=theirs, to=State.SENT, detail="250 ok")


def test_each_outcome_costs_one_statement_and_rendering_no_query(
    mail_sink, make_queued, monkeypatch,
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from apps.outbound import sending

    # The once-a-second re-read of a slow batch's rows is not per message.
    monkeypatch.setattr(sending, "RECHECK_SECONDS", 3600)

    def statements(count: int) -> int:
        rows = make_queued(count)
        with CaptureQueriesContext(connection) as captured:
            batch_send(ids=[r.pk for r in rows])
        # Savepoints are the test's own transaction showing through.
        return sum(1 for q in captured if "SAVEPOINT" not in q["sql"])

    per_message = (statements(7) - statements(2)) / 5
    # One data-modifying statement on PostgreSQL; UPDATE + INSERT on SQLite.
    assert per_message == (1 if connection.vendor == "postgresql" else 2)


def test_a_server_that_refuses_everything_defers_the_rest_of_the_batch_untried(
    mail_sink, make_queued,
):
    rows = make_queued(7)
    mail_sink.refuse_connections("421 4.3.2 Service not available", times=-1)

    report = batch_send(ids=[r.pk for r in rows])

    assert report["deferred"] == 7
    details = [r.events.last().detail for r in rows]
    assert sum("not tried" in d for d in details) == 4  # after three refusals in a row
    assert all("421" in d for d in details)
    times = {r.next_attempt_at for r in OutboundMessage.objects.filter(id__in=[r.pk for r in rows])}
    assert len(times) == 7  # each its own jittered time: they do not come back as a herd


@pytest.mark.parametrize("ids", [["1"], "12", [1.0], [None], [True]])
def test_ids_that_are_not_message_ids_are_refused_and_nothing_moves(mail_sink, make_queued, ids):
    [row] = make_queued()

    with pytest.raises(TypeError, match="list of message ids"):
        batch_send(ids=ids)

    assert state_of_row(row) == State.QUEUED and mail_sink.received == []


def state_of_row(row) -> str:
    row.refresh_from_db()
    return row.state
