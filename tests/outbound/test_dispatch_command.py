"""`manage.py dispatch_due [--now ISO8601]`: what beat runs, by hand."""

import io

import pytest
from django.core.management import CommandError, call_command

from apps.outbound.models import Kind, OutboundMessage

from .conftest import utc


@pytest.fixture
def grace(make_member):
    return make_member(time_zone="Asia/Kathmandu", reminder_hour=22, digest_hour=22)


def run(*args) -> str:
    out = io.StringIO()
    call_command("dispatch_due", *args, stdout=out)
    return out.getvalue()


@pytest.mark.parametrize("now", [
    "2026-01-13T16:15:00Z",
    "2026-01-13T16:15:00+00:00",
    "2026-01-13T22:00:00+05:45",  # Grace's own wall clock
    "2026-01-13T16:15",  # no offset: read as UTC
    "2026-01-13 16:15:00",
])
def test_the_command_dispatches_for_the_instant_given(grace, now):
    output = run("--now", now)

    assert "created 1 digest, 1 reminder" in output
    assert "queued 2 in 1 batches" in output
    reminder = OutboundMessage.objects.get(member=grace, kind=Kind.REMINDER)
    assert reminder.scheduled_for == utc(2026, 1, 13, 16, 15)


@pytest.mark.parametrize("now", [
    "yesterday", "2026-13-01T00:00Z", "2026-01-13T25:00", "", "16:15", "2026-01-13T16:15+99:00",
])
def test_a_bad_now_is_refused_with_a_clear_error_and_changes_nothing(grace, now):
    with pytest.raises(CommandError, match="is not an ISO 8601 date and time"):
        run("--now", now)
    assert not OutboundMessage.objects.exists()


def test_without_now_the_command_dispatches_for_the_current_time(grace):
    assert run().startswith("dispatch at ")
