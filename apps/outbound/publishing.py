"""Hand claimed batches to the workers.

Services must not import tasks/ (DESIGN.md), so batches are published by task
name. Publishing waits for the surrounding transaction to commit: a worker
must never receive ids whose `queued` state it cannot see yet. A publish that
fails (the broker is down) is logged and left to the sweep, which re-publishes
`queued` rows whose task never arrived; the rows are safe in the database.
"""

import logging

from django.db import transaction

SEND_BATCH = "outbound.send_batch"

log = logging.getLogger(__name__)


def _publish(batches: list[list[int]]) -> int:
    from project.celery import app

    published = 0
    for ids in batches:
        try:
            app.send_task(SEND_BATCH, args=[ids])
        except Exception as exc:  # kombu raises many kinds; all mean "not now"
            log.warning("could not publish %d batches (%s); the sweep will", len(batches) - published, exc)
            break
        published += 1
    return published


def batches_publish(batches: list[list[int]]) -> None:
    """Publish one `send_batch(ids)` task per batch once the transaction commits."""
    batches = [list(ids) for ids in batches if ids]
    if batches:
        transaction.on_commit(lambda: _publish(batches))
