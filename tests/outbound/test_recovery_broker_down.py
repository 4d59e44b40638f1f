"""A broker that is down when batches are published delays mail but loses
none: the rows wait in `queued`, and once the broker is back the sweep
publishes them and a real worker sends every one, once."""

import contextlib
import socket
from datetime import timedelta

from celery.contrib.testing.worker import start_worker
from django.db import transaction
from django.utils import timezone

from apps.outbound.models import OutboundMessage, State
from apps.outbound.publishing import batches_publish
from apps.outbound.recovery import outbound_sweep

from .received import received_ids
from .sending_fixtures import mail_sink, make_queued, wait_for  # noqa: F401


def closed_port() -> int:
    """A loopback port nobody listens on (bound, then released)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def broker_down(app):
    """Publish to a closed port: the app's write connections go there until
    the block ends, then back to the real broker (and its pools) untouched."""
    saved = (app.conf.broker_write_url, app._pool, app.amqp._producer_pool)
    app.conf.broker_write_url = f"amqp://guest:guest@127.0.0.1:{closed_port()}//"
    app._pool = app.amqp._producer_pool = None
    try:
        yield
    finally:
        if app._pool is not None:
            app._pool.force_close_all()
        app.conf.broker_write_url, app._pool, app.amqp._producer_pool = saved


def test_mail_published_while_the_broker_is_down_is_sent_once_it_is_back(
    transactional_db, celery_app, mail_sink, make_queued, settings, caplog,
):
    rows = make_queued(4)
    ids = [r.pk for r in rows]

    with broker_down(celery_app), caplog.at_level("WARNING", logger="apps.outbound.publishing"):
        with transaction.atomic():  # as dispatch does: publish after commit
            batches_publish([ids[:2], ids[2:]])
    assert "could not publish 2 batches" in caplog.text

    assert set(OutboundMessage.objects.filter(id__in=ids).values_list("state", flat=True)) == {
        State.QUEUED,
    }
    later = timezone.now() + timedelta(seconds=settings.SWEEP_REPUBLISH_AFTER_SECONDS + 1)
    with start_worker(
        celery_app, pool="threads", concurrency=1, perform_ping_check=False, loglevel="WARNING",
    ):
        assert outbound_sweep(now=later)["republished"] == 4
        wait_for(
            lambda: OutboundMessage.objects.filter(id__in=ids, state=State.SENT).count() == 4,
        )
    assert sorted(received_ids(mail_sink)) == sorted(r.message_id for r in rows)
