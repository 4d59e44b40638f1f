"""The retry schedule: exponential windows with full jitter, a server's hint
as a floor, and settings that refuse values that make no sense."""

import os
import random
import subprocess
import sys

import pytest
from django.conf import settings

from apps.outbound.backoff import retry_ceiling, retry_delay, retry_schedule


def test_the_default_schedule_spreads_eight_attempts_over_about_a_day():
    assert settings.SEND_MAX_ATTEMPTS == 8
    windows = retry_schedule()
    assert windows == [300, 900, 2700, 8100, 24300, 28800, 28800]
    assert 24 * 3600 <= sum(windows) <= 27 * 3600  # the last attempt at most ~26 h in


def test_each_delay_falls_within_its_window_and_they_spread():
    rng = random.Random(7)
    for attempts in range(1, 8):
        ceiling = retry_ceiling(attempts=attempts)
        delays = [retry_delay(attempts=attempts, rng=rng).total_seconds() for _ in range(200)]
        assert all(0 <= d <= ceiling for d in delays)
        # Full jitter: a batch refused together does not come back together.
        assert max(delays) - min(delays) > ceiling / 2


def test_a_server_hint_is_a_floor_for_the_delay():
    for _ in range(50):
        assert retry_delay(attempts=1, retry_after=3600).total_seconds() >= 3600
    # A hint shorter than the drawn delay changes nothing.
    assert retry_delay(attempts=1, retry_after=0, rng=random.Random(1)).total_seconds() > 0


def test_the_window_stops_growing_at_the_cap(settings):
    settings.SEND_RETRY_BASE_SECONDS = 60
    settings.SEND_RETRY_MAX_SECONDS = 600
    assert [retry_ceiling(attempts=n) for n in (1, 2, 3, 4, 1000)] == [60, 180, 540, 600, 600]


@pytest.mark.parametrize("name, value, message", [
    ("SEND_MAX_ATTEMPTS", "0", "SEND_MAX_ATTEMPTS must be at least 1"),
    ("SEND_LEASE_SECONDS", "-5", "SEND_LEASE_SECONDS must be at least 1"),
    ("SWEEP_INTERVAL_SECONDS", "soon", "SWEEP_INTERVAL_SECONDS must be a whole number"),
    ("SEND_RETRY_MAX_SECONDS", "10", "SEND_RETRY_MAX_SECONDS must be at least"),
])
def test_a_bad_sending_setting_stops_the_process_at_start(tmp_path, name, value, message):
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "project.settings",
           "DONEMAIL_VAR_DIR": str(tmp_path), name: value}
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=settings.BASE_DIR, env=env, capture_output=True, text=True, timeout=60,
    )
    assert result.returncode != 0
    assert message in result.stderr


def test_a_lease_too_short_for_the_transport_timeout_is_flagged(settings):
    from apps.outbound.checks import lease_covers_a_send_check

    settings.EMAIL_TIMEOUT = 30
    settings.SEND_LEASE_SECONDS = 300
    assert lease_covers_a_send_check(None) == []
    settings.SEND_LEASE_SECONDS = 60
    [warning] = lease_covers_a_send_check(None)
    assert warning.id == "sending.W001" and "at least 150" in warning.hint
