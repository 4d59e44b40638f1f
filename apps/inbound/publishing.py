"""Hand stored inbound email to the parser workers, by task name.

Services must not import tasks/ (DESIGN.md). A publish that fails (the
broker is down) is logged and left to `inbound.sweep`, which re-publishes
rows still `received`: the row is safe in the database either way.
"""

import logging

from django.db import transaction

PARSE = "inbound.parse"

log = logging.getLogger(__name__)


def parse_publish_now(ids: list[int]) -> int:
    """Publish one `inbound.parse(id)` per id; the count that went out."""
    from project.celery import app

    published = 0
    for inbound_id in ids:
        try:
            app.send_task(PARSE, args=[inbound_id])
        except Exception as exc:  # kombu raises many kinds; all mean "not now"
            log.warning("could not publish %s for %d emails (%s); the sweep will",
                        PARSE, len(ids) - published, exc)
            break
        published += 1
    return published


def parse_publish(ids: list[int]) -> None:
    """Publish `inbound.parse` for `ids` once the surrounding transaction commits,
    so a worker never gets an id whose row it cannot see yet."""
    ids = list(ids)
    if ids:
        transaction.on_commit(lambda: parse_publish_now(ids))
