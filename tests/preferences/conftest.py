import datetime as dt

import pytest
from django.utils import timezone


@pytest.fixture
def public_url(settings):
    settings.PUBLIC_URL = "https://donemail.example.com"
    settings.INBOUND_DOMAIN = "in.donemail.example.com"
    return settings.PUBLIC_URL


@pytest.fixture
def make_message(member):
    """An OutboundMessage for `member` in a given state (default: today's reminder)."""
    from apps.outbound.models import OutboundMessage

    def make(state, kind="reminder", day=0, who=None):
        return OutboundMessage.objects.create(
            member=who or member, kind=kind, state=state,
            local_date=dt.date(2026, 11, 23) + dt.timedelta(days=day),
            scheduled_for=timezone.now(),
        )

    return make


def path_of(url: str) -> str:
    """The path of an absolute link, for the test client."""
    from urllib.parse import urlsplit

    return urlsplit(url).path
