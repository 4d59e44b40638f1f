import kombu.pools
import pytest
import requests

from tests.conftest import free_port

from .sendgrid_posts import content_type, form_body, raw_fields

USER, PASSWORD = "sendgrid", "correct-horse-battery"


class Webhook:
    """Posts to the live server exactly as SendGrid does: Basic auth from the URL."""

    def __init__(self, base_url: str):
        self.base_url = base_url

    def post(self, body: bytes, ctype: str | None = None, *, auth=(USER, PASSWORD),
             path: str = "/hooks/sendgrid/inbound/", headers: dict | None = None):
        return requests.post(
            self.base_url + path, data=body, auth=auth, allow_redirects=False, timeout=120,
            headers={"Content-Type": ctype or content_type(), "User-Agent": "Sendlib/1.0",
                     **(headers or {})},
        )

    def post_raw(self, message: bytes, **fields):
        return self.post(form_body(raw_fields(message, **fields)))


@pytest.fixture
def webhook(live_server, settings, celery_app):
    settings.INBOUND_WEBHOOK_SECRET = ["previous:rotated-out", f"{USER}:{PASSWORD}"]
    yield Webhook(live_server.url)
    # The parse tasks these posts published name rows that are gone after the
    # test: leave none for a later test's worker.
    celery_app.control.purge()


class BrokerSwitch:
    """Make the broker really unreachable for this process (a closed port), and back.

    Celery reads CELERY_BROKER_URL from the environment before its config,
    and keeps connection pools: both are switched, nothing is mocked.
    """

    def __init__(self, app, monkeypatch):
        self.app, self.monkeypatch = app, monkeypatch
        self.url = app.conf.broker_url

    def _use(self, url: str) -> None:
        self.monkeypatch.setenv("CELERY_BROKER_URL", url)
        self.app.conf.broker_url = url
        self.app.pool.force_close_all()
        self.app._pool = None
        self.app.amqp._producer_pool = None
        kombu.pools.reset()

    def down(self) -> None:
        self._use(f"amqp://guest:guest@127.0.0.1:{free_port()}//")

    def up(self) -> None:
        self._use(self.url)


@pytest.fixture
def broker(celery_app, monkeypatch):
    switch = BrokerSwitch(celery_app, monkeypatch)
    yield switch
    switch.up()


@pytest.fixture
def reply_to(member):
    """The reply address of `member`, as the reminder's Reply-To carries it."""
    from django.conf import settings

    return f"reply+{member.reply_token}@{settings.INBOUND_DOMAIN}"


@pytest.fixture
def reminder(member):
    """The reminder `member` got for 30 November (their local date), already sent."""
    import datetime as dt

    from apps.outbound.models import Kind, OutboundMessage, State

    sent = dt.datetime(2026, 11, 30, 17, 0, tzinfo=dt.UTC)
    return OutboundMessage.objects.create(
        member=member, kind=Kind.REMINDER, local_date=dt.date(2026, 11, 30),
        scheduled_for=sent, state=State.SENT, sent_at=sent,
    )


@pytest.fixture
def worker(celery_app, request):
    """A real worker on a queue emptied first: tasks earlier tests published
    name rows those tests rolled back, and on SQLite the ids come round again."""
    celery_app.control.purge()
    return request.getfixturevalue("celery_worker")
