"""A real worker keeps its database session from one batch to the next, as
Django keeps one between requests: Celery's own fixup would close it around
every task, a new PostgreSQL backend (and the outcome statement prepared
again) for every hundred messages."""

from django.db import connection, transaction

from apps.outbound.models import OutboundMessage, State
from apps.outbound.publishing import batches_publish

from .sending_fixtures import mail_sink, make_queued, spawn_worker, wait_for  # noqa: F401


def _other_sessions() -> set[int]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database()"
            " AND pid <> pg_backend_pid() AND backend_type = 'client backend'"
        )
        return {pid for (pid,) in cursor.fetchall()}


def _send(ids) -> None:
    with transaction.atomic():
        batches_publish([ids])
    wait_for(lambda: OutboundMessage.objects.filter(id__in=ids, state=State.SENT).count()
             == len(ids), timeout=45)


def test_a_worker_keeps_its_database_session_across_batches(
    postgres_only, transactional_db, mail_sink, make_queued, spawn_worker,
):
    before = _other_sessions()
    worker = spawn_worker(CONN_MAX_AGE=60)  # production's default; the tests' is 0
    first, second = make_queued(2), make_queued(2)

    _send([r.pk for r in first])
    after_first = _other_sessions() - before
    _send([r.pk for r in second])
    after_second = _other_sessions() - before

    assert after_first, f"the worker closed its session after the batch\n{worker.log()}"
    assert after_second == after_first  # the same backend served the second batch
    worker.kill()
