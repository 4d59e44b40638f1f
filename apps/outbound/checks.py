"""System checks for sending: settings that would quietly break the promise."""

from django.conf import settings
from django.core.checks import Warning, register


@register()
def lease_covers_a_send_check(app_configs, **kwargs):
    """The last message a batch starts must be off the wire before its lease
    ends, or the sweep may hand it to a second worker while it is sent."""
    from .sending import LEASE_MARGIN

    margin = settings.SEND_LEASE_SECONDS * LEASE_MARGIN
    timeout = getattr(settings, "EMAIL_TIMEOUT", 0)
    if margin < timeout:
        return [Warning(
            f"SEND_LEASE_SECONDS={settings.SEND_LEASE_SECONDS} leaves {margin:g}s after a "
            f"batch's last send begins, less than EMAIL_TIMEOUT={timeout:g}s: a slow send "
            "could outlive its lease and go out twice",
            hint=f"Set SEND_LEASE_SECONDS to at least {timeout / LEASE_MARGIN:g}.",
            id="sending.W001",
        )]
    return []
