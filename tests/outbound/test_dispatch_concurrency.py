"""Two beats at once: each message is still created once and queued once.

Real threads, each with its own PostgreSQL connection, started together.
"""

import pytest

from apps.outbound.dispatch import dispatch_due
from apps.outbound.models import Kind, MessageEvent, OutboundMessage, State

from .conftest import at_once, utc

NOW = utc(2026, 1, 13, 17, 0)  # a Tuesday: reminders of Tuesday, digests of Monday
RUNS = 4


def run_together(nows) -> list:
    return at_once(*(lambda now=now: dispatch_due(now=now) for now in nows))


@pytest.mark.postgres
def test_concurrent_dispatches_create_and_queue_each_message_once(
    postgres_only, transactional_db, make_member,
):
    members = [make_member(time_zone="UTC", reminder_hour=17, digest_hour=17) for _ in range(60)]

    reports = run_together([NOW] * RUNS)

    for kind in Kind.values:
        per_member = OutboundMessage.objects.filter(kind=kind).values_list("member_id", flat=True)
        assert sorted(per_member) == sorted(m.pk for m in members)
        assert sum(r.created[kind] for r in reports) == len(members)
    assert set(OutboundMessage.objects.values_list("state", flat=True)) == {State.QUEUED}
    assert sum(r.queued for r in reports) == 2 * len(members)
    queued_events = MessageEvent.objects.filter(to_state=State.QUEUED)
    assert queued_events.count() == 2 * len(members)
    assert queued_events.values("message_id").distinct().count() == 2 * len(members)


@pytest.mark.postgres
def test_beats_a_moment_apart_also_create_each_message_once(
    postgres_only, transactional_db, make_member,
):
    members = [make_member(time_zone="Asia/Kathmandu", reminder_hour=22, digest_hour=22)
               for _ in range(30)]  # 22:00 in Kathmandu is 16:15 UTC

    run_together([utc(2026, 1, 13, 16, 15, s) for s in (0, 1, 2)])

    assert OutboundMessage.objects.count() == 2 * len(members)
    assert MessageEvent.objects.filter(to_state=State.QUEUED).count() == 2 * len(members)
