"""inbound_parse: a stored email becomes a member's entries, or a state with a reason."""

import datetime as dt

import pytest
import time_machine

from apps.entries.models import Entry
from apps.inbound.models import InboundEmail
from apps.inbound.services import inbound_parse, inbound_store
from apps.teams.models import Member

from .sendgrid_posts import reply_message

State = InboundEmail.State


def stored(raw: bytes, *, to: str = "", spf: str = "none", dkim: str = "",
           envelope_from: str = "ada@example.com") -> InboundEmail:
    return inbound_store(raw=raw, mode="raw", spf=spf, dkim=dkim,
                         envelope={"to": [to] if to else [], "from": envelope_from})


def parsed(email: InboundEmail, *, again: bool = False) -> InboundEmail:
    inbound_parse(inbound_id=email.pk, again=again)
    email.refresh_from_db()
    return email


def entries_of(email: InboundEmail) -> list[str]:
    rows = Entry.objects.filter(source=email).order_by("position")
    return list(rows.values_list("text", flat=True))


@time_machine.travel(dt.datetime(2026, 11, 30, 18, 5, tzinfo=dt.UTC), tick=False)
def test_a_reply_to_the_reply_address_writes_one_entry_per_item_in_order(member, reply_to):
    email = parsed(stored(reply_message(to=reply_to), to=reply_to))

    assert email.state == State.PARSED
    assert email.member == member
    assert email.local_date == dt.date(2026, 11, 30)
    assert entries_of(email) == ["Shipped the importer", "Reviewed #42"]
    assert Entry.objects.filter(member=member, local_date=dt.date(2026, 11, 30)).count() == 2
    assert email.reply_text == "- Shipped the importer\n- Reviewed #42"
    assert email.attempts == 1 and email.parsed_at is not None


def test_the_reply_address_in_to_is_enough_without_the_envelope(member, reply_to):
    email = parsed(stored(reply_message(to=f"Donemail <{reply_to}>")))

    assert (email.state, email.member) == (State.PARSED, member)


def test_parsing_again_replaces_the_entries_instead_of_doubling_them(member, reply_to):
    email = parsed(stored(reply_message(to=reply_to), to=reply_to))
    first = set(Entry.objects.filter(source=email).values_list("pk", flat=True))

    email = parsed(email, again=True)

    assert email.state == State.PARSED
    assert entries_of(email) == ["Shipped the importer", "Reviewed #42"]
    assert Entry.objects.count() == 2
    assert not first & set(Entry.objects.values_list("pk", flat=True))
    assert email.attempts == 2


def test_a_new_verdict_on_parsing_again_takes_the_old_entries_away(member, reply_to):
    email = parsed(stored(reply_message(to=reply_to), to=reply_to))
    Member.objects.filter(pk=member.pk).update(is_active=False)

    email = parsed(email, again=True)

    assert email.state == State.UNMATCHED
    assert not Entry.objects.exists()
    assert InboundEmail.objects.filter(pk=email.pk).exists()  # the mail itself stays


def test_the_same_bytes_twice_write_entries_once(member, reply_to):
    raw = reply_message(to=reply_to)
    first = parsed(stored(raw, to=reply_to))
    second = parsed(stored(raw, to=reply_to))

    assert first.state == State.PARSED
    assert (second.state, second.state_reason) == (State.IGNORED, f"duplicate of #{first.pk}")
    assert Entry.objects.count() == 2 and not entries_of(second)


def test_the_same_message_id_and_sender_with_other_bytes_is_a_duplicate(member, reply_to):
    first = parsed(stored(reply_message(to=reply_to), to=reply_to))
    again = reply_message(to=reply_to, headers="Received: from relay2.example.com by mx")
    second = parsed(stored(again, to=reply_to))

    assert (second.state, second.state_reason) == (State.IGNORED, f"duplicate of #{first.pk}")
    assert Entry.objects.count() == 2


def test_a_second_copy_parsed_first_still_leaves_the_entries_to_one_copy(member, reply_to):
    raw = reply_message(to=reply_to)
    first, second = stored(raw, to=reply_to), stored(raw, to=reply_to)

    assert parsed(second).state == State.IGNORED  # the earlier copy owns the entries
    assert parsed(first).state == State.PARSED
    assert Entry.objects.count() == 2


def test_the_same_message_id_from_another_sender_is_not_a_duplicate(member, team, reply_to):
    other = Member.objects.create(team=team, name="Grace", email="grace@example.com")
    other_to = f"reply+{other.reply_token}@in.localhost"
    parsed(stored(reply_message(to=reply_to), to=reply_to))
    second = parsed(stored(reply_message(to=other_to, sender="grace@example.com"), to=other_to))

    assert (second.state, second.member) == (State.PARSED, other)


def test_a_forged_from_without_spf_or_dkim_is_rejected(member):
    email = parsed(stored(reply_message(to="team@example.com"), spf="softfail",
                          dkim="{@example.com : fail}"))

    assert email.state == State.REJECTED
    assert "unverified sender" in email.state_reason
    assert not Entry.objects.exists()


def test_a_from_with_a_passing_aligned_dkim_signature_is_accepted(member):
    email = parsed(stored(reply_message(to="team@example.com"), spf="none",
                          dkim="{@example.com : pass}"))

    assert (email.state, email.member) == (State.PARSED, member)


def test_a_dkim_pass_for_another_domain_does_not_vouch_for_the_from(member):
    email = parsed(stored(reply_message(to="team@example.com"),
                          dkim="{@attacker.example : pass, @example.com : fail}"))

    assert email.state == State.REJECTED


def test_spf_counts_only_when_the_envelope_sender_matches_the_from_domain(member):
    aligned = parsed(stored(reply_message(to="team@example.com"), spf="pass",
                            envelope_from="bounces@mail.example.com"))
    foreign = parsed(stored(reply_message(to="team@example.com", message_id="<x2@a>"),
                            spf="pass", envelope_from="anyone@attacker.example"))

    assert aligned.state == State.PARSED
    assert foreign.state == State.REJECTED


def test_an_unknown_sender_is_unmatched(db):
    email = parsed(stored(reply_message(to="team@example.com", sender="who@nowhere.example"),
                          dkim="{@nowhere.example : pass}"))

    assert email.state == State.UNMATCHED
    assert "who@nowhere.example" in email.state_reason


def test_an_unknown_reply_token_is_unmatched(db):
    email = parsed(stored(reply_message(to="reply+0000feed@in.localhost",
                                        sender="who@nowhere.example")))

    assert email.state == State.UNMATCHED


def test_a_reply_to_a_reminder_lands_on_its_day_even_after_midnight(member, reply_to, reminder):
    # 01:30 on 1 December in London: the member answers last night's reminder.
    with time_machine.travel(dt.datetime(2026, 12, 1, 1, 30, tzinfo=dt.UTC), tick=False):
        email = parsed(stored(reply_message(to=reply_to, in_reply_to=reminder.message_id),
                              to=reply_to))

    assert email.local_date == dt.date(2026, 11, 30)
    assert set(Entry.objects.values_list("local_date", flat=True)) == {dt.date(2026, 11, 30)}


def test_without_a_reminder_the_day_is_today_in_the_members_zone(member, reply_to):
    Member.objects.filter(pk=member.pk).update(time_zone="Asia/Tokyo")
    # 16:30 UTC on 30 November is 01:30 on 1 December in Tokyo.
    with time_machine.travel(dt.datetime(2026, 11, 30, 16, 30, tzinfo=dt.UTC), tick=False):
        email = parsed(stored(reply_message(to=reply_to, in_reply_to="<not-ours@x>"),
                              to=reply_to))

    assert email.local_date == dt.date(2026, 12, 1)


def test_an_auto_reply_is_ignored_and_keeps_its_text(member, reply_to):
    raw = reply_message(to=reply_to, body="I am out of office until Monday.\n",
                        headers="Auto-Submitted: auto-replied")
    email = parsed(stored(raw, to=reply_to))

    assert (email.state, email.state_reason) == (State.IGNORED, "auto-reply")
    assert email.member == member
    assert not Entry.objects.exists()
    assert b"out of office" in bytes(email.raw)


def test_a_reply_with_nothing_new_is_ignored_as_empty(member, reply_to):
    email = parsed(stored(reply_message(to=reply_to, body=""), to=reply_to))

    assert (email.state, email.state_reason) == (State.IGNORED, "empty reply")


def test_mail_to_the_unsubscribe_address_unsubscribes_the_member(member):
    from apps.preferences.links import unsubscribe_address

    address = unsubscribe_address(member, scope="all")
    email = parsed(stored(reply_message(to=address, body="unsubscribe\n"), to=address))

    assert email.state == State.IGNORED
    assert "unsubscribe" in email.state_reason
    member.refresh_from_db()
    assert member.unsubscribed_reminders_at and member.unsubscribed_digests_at
    assert not Entry.objects.exists()


def test_a_forged_unsubscribe_address_unsubscribes_nobody(member):
    address = f"unsubscribe+all-{member.pk}-{'0' * 20}@in.localhost"
    email = parsed(stored(reply_message(to=address), to=address))

    assert email.state == State.UNMATCHED
    member.refresh_from_db()
    assert member.unsubscribed_reminders_at is None


def test_bytes_that_are_not_an_email_are_rejected_with_the_reason(db):
    email = parsed(stored(b"\x00\xff\xfe not mail at all"))

    assert email.state == State.REJECTED
    assert email.state_reason.startswith("unreadable mail")


def test_a_post_kept_only_as_headers_is_left_rejected(db):
    email = inbound_store(raw=b"From: a@example.com\r\n\r\n", mode="raw", envelope={},
                          size=40_000_000, rejected_reason="too large")

    assert inbound_parse(inbound_id=email.pk) == State.REJECTED
    email.refresh_from_db()
    assert (email.state_reason, email.attempts) == ("too large", 0)


def test_our_bug_marks_the_email_failed_with_the_exception_and_raises(member, reply_to):
    # A zone that slipped past validation (written straight to the table):
    # the date arithmetic fails, which is our problem, not the sender's.
    Member.objects.filter(pk=member.pk).update(time_zone="Mars/Olympus_Mons")
    email = stored(reply_message(to=reply_to), to=reply_to)

    with pytest.raises(Exception, match="Mars/Olympus_Mons"):
        inbound_parse(inbound_id=email.pk)

    email.refresh_from_db()
    assert email.state == State.FAILED
    assert "Mars/Olympus_Mons" in email.state_reason
    assert email.attempts == 1
    assert not Entry.objects.exists()


def test_another_domains_unsubscribe_address_in_cc_does_not_hide_the_reply(member, reply_to):
    raw = reply_message(to=reply_to, headers="Cc: unsubscribe+weekly@lists.example.org")
    email = parsed(stored(raw, to=reply_to))

    assert email.state == State.PARSED


def test_a_task_delivered_twice_parses_once(member, reply_to):
    email = parsed(stored(reply_message(to=reply_to), to=reply_to))

    assert inbound_parse(inbound_id=email.pk) == State.PARSED  # the redelivered task
    email.refresh_from_db()
    assert email.attempts == 1
    assert Entry.objects.count() == 2


def test_an_out_of_office_from_a_stranger_is_ignored_not_unmatched(db):
    raw = reply_message(to="team@example.com", sender="who@nowhere.example",
                        body="Out of office until Monday.\n", headers="X-Autoreply: yes")
    email = parsed(stored(raw))

    assert (email.state, email.member) == (State.IGNORED, None)
