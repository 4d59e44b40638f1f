"""The `outbound.dispatch_due` task, on a real worker and broker, and beat's entry for it."""

import subprocess
import sys

import pytest
from django.conf import settings
from django.utils import timezone

from apps.outbound.models import Kind, OutboundMessage, State
from tasks.outbound import dispatch_due


def test_the_task_creates_the_rows_due_now_on_a_real_worker(celery_worker, make_member):
    now = timezone.now()
    member = make_member(time_zone="UTC", reminder_hour=now.hour, digest_hour=now.hour)

    result = dispatch_due.delay().get(timeout=60)

    assert result["created"] == {Kind.REMINDER: 1, Kind.DIGEST: 1}
    assert result["queued"] == 2
    rows = OutboundMessage.objects.filter(member=member)
    assert sorted(rows.values_list("kind", flat=True)) == [Kind.DIGEST, Kind.REMINDER]
    assert not rows.filter(state=State.SCHEDULED).exists()


def test_beat_runs_dispatch_every_interval(celery_app):
    entry = celery_app.conf.beat_schedule["dispatch-due"]
    assert entry["task"] == "outbound.dispatch_due" == dispatch_due.name
    assert entry["schedule"] == settings.DISPATCH_INTERVAL_SECONDS == 300
    assert entry["options"]["expires"] == 300  # a run stuck behind the next one is dropped


@pytest.mark.parametrize("name, value", [
    ("DISPATCH_CATCH_UP_HOURS", "0"),
    ("DISPATCH_CATCH_UP_HOURS", "24"),
    ("DISPATCH_BATCH_SIZE", "0"),
    ("DISPATCH_INTERVAL_SECONDS", "5"),
])
def test_a_bad_dispatch_setting_stops_the_process_at_start(name, value, tmp_path):
    env = {"PATH": "/usr/bin:/bin", "DONEMAIL_VAR_DIR": str(tmp_path), name: value}
    done = subprocess.run(
        [sys.executable, "-c", "import project.settings"], env=env, capture_output=True,
        text=True, timeout=60, cwd=settings.BASE_DIR,
    )
    assert done.returncode != 0
    assert "ImproperlyConfigured" in done.stderr and name in done.stderr
