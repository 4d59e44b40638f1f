"""When to try a temporarily refused message again.

Exponential backoff with full jitter (the AWS Architecture Blog's "Full
Jitter"): after the n-th failed attempt the next one comes after a random
delay between 0 and min(cap, base * 3**(n-1)). The randomness matters more
than the curve: when a provider throttles a whole batch, spreading its
retries over the window keeps them from coming back as one thundering herd.
A server's own hint (Retry-After, SendGrid's rate-limit reset) is a floor:
we never come back sooner than it asked.

With the defaults (base 5 min, cap 8 h, 8 attempts) the window after each
attempt ends at 5 min, 15 min, 45 min, 2 h 15, 6 h 45, 8 h and 8 h, so the
last attempt comes at most about 26 h (on average about 13 h) after the first.
"""

import random
from datetime import timedelta

from django.conf import settings

FACTOR = 3


def retry_ceiling(*, attempts: int) -> float:
    """The end of the random window (seconds) after `attempts` failed attempts."""
    exponent = max(attempts, 1) - 1
    base = settings.SEND_RETRY_BASE_SECONDS
    cap = settings.SEND_RETRY_MAX_SECONDS
    # The exponent is bounded so a huge attempt count stays a small number.
    return float(min(cap, base * FACTOR ** min(exponent, 32)))


def retry_delay(
    *, attempts: int, retry_after: float | None = None, rng: random.Random | None = None,
) -> timedelta:
    """The delay before the next attempt, honouring the server's `retry_after`."""
    seconds = (rng or random).uniform(0, retry_ceiling(attempts=attempts))
    if retry_after is not None and retry_after > seconds:
        seconds = float(retry_after)
    return timedelta(seconds=seconds)


def retry_schedule() -> list[float]:
    """The window ceilings (seconds) between the configured attempts, for
    the README and for operators checking what their settings mean."""
    return [retry_ceiling(attempts=n) for n in range(1, settings.SEND_MAX_ATTEMPTS)]
