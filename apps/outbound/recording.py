"""Write one send's outcome: the hot path of the sender, one round trip.

Every message a worker sends ends in exactly one of these writes, so its
cost is paid a hundred thousand times a morning. It is the per-row twin of
states.transition, for the one case where the from-state is known
(`sending`): a guarded UPDATE — still `sending`, still under the lease this
batch set — and the MessageEvent for it, together or not at all.

Through the ORM that is BEGIN, UPDATE, INSERT and COMMIT (about 1.6 ms a
message on PostgreSQL, bench/outbound.py); as one data-modifying CTE it is
a single statement, atomic on its own (about 0.7 ms), and prepared once per
session it skips the planning that was a third of that. SQLite has no
data-modifying CTE, but it runs in our process, so there the two statements
share one transaction instead.
"""

import functools
import hashlib
import logging
import queue
import threading
import weakref
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction
from django.utils import timezone

from .models import MessageEvent, OutboundMessage, State
from .states import IllegalTransition, allowed_from

log = logging.getLogger(__name__)

_MESSAGE = OutboundMessage._meta
_EVENT = MessageEvent._meta


def _column(name: str) -> str:
    return connection.ops.quote_name(_MESSAGE.get_field(name).column)


@dataclass(frozen=True)
class _Shape:
    """Everything about the write for one set of fields that is not a value:
    a handful of shapes (one per outcome), built once per process, because
    the per-message Python around one statement was costing more CPU than
    the database driver's own."""

    fields: tuple  # the message's Field objects for the values set, in order
    lease_field: object
    at_field: object
    update: str  # UPDATE … WHERE guarded (SQLite)
    insert: str  # INSERT event … (SQLite, with VALUES)
    cte: str  # the update and the insert as one statement (PostgreSQL)
    name: str  # its prepared statement's name
    prepare: str
    execute: str


@functools.lru_cache(maxsize=16)
def _shape(names: tuple[str, ...]) -> _Shape:
    q = connection.ops.quote_name
    set_values = (
        f"UPDATE {q(_MESSAGE.db_table)} SET {', '.join(f'{_column(n)} = %s' for n in names)}"
        f" WHERE {_column('id')} = %s"
    )
    update = f"{set_values} AND {_column('state')} = %s AND {_column('lease_until')} = %s"
    # On PostgreSQL the guard is IS NOT DISTINCT FROM (the same, as neither
    # side is NULL), which no index serves: prepared, the statement runs on a
    # generic plan, and that plan found the row through (state, lease_until),
    # walking every row of the batch, dead versions included, for each write.
    # Only the primary key can serve it now.
    guarded_by_pk = (
        f"{set_values} AND {_column('state')} IS NOT DISTINCT FROM %s"
        f" AND {_column('lease_until')} IS NOT DISTINCT FROM %s"
    )
    event_columns = ", ".join(
        q(_EVENT.get_field(n).column) for n in ("message", "from_state", "to_state", "at", "detail")
    )
    insert = f"INSERT INTO {q(_EVENT.db_table)} ({event_columns})"
    cte = (
        f"WITH moved AS ({guarded_by_pk} RETURNING {_column('id')}) "
        f"{insert} SELECT {_column('id')}, %s, %s, %s::timestamptz, %s FROM moved"
    )
    count = cte.count("%s")
    name = "donemail_" + hashlib.sha1(cte.encode()).hexdigest()[:16]
    return _Shape(
        fields=tuple(_MESSAGE.get_field(n) for n in names),
        lease_field=_MESSAGE.get_field("lease_until"), at_field=_EVENT.get_field("at"),
        update=update, insert=f"{insert} VALUES (%s, %s, %s, %s, %s)", cte=cte, name=name,
        prepare=f"PREPARE {name} AS {cte % tuple(f'${n}' for n in range(1, count + 1))}",
        execute=f"EXECUTE {name} ({', '.join(['%s'] * count)})",
    )


# The statements PREPAREd on each PostgreSQL session, by its DB-API connection.
_prepared: "weakref.WeakKeyDictionary[object, set[str]]" = weakref.WeakKeyDictionary()


def _may_prepare() -> bool:
    """Not behind a transaction pooler (PgBouncer's transaction mode), where
    the next statement may run on a session that never prepared it. Django's
    DISABLE_SERVER_SIDE_CURSORS is how such a setup says so
    (DATABASE_URL=...?disable_server_side_cursors=true)."""
    flag = connection.settings_dict.get("DISABLE_SERVER_SIDE_CURSORS", False)
    return not (flag is True or str(flag).strip().lower() in ("1", "true", "yes", "on"))


def _execute_prepared(cursor, shape: _Shape, params: list) -> None:
    """Run the shape's statement, prepared once per session.

    Planning the update-and-insert costs more than running it (the row and
    its indexes are found by primary key), and it is the same statement a
    hundred thousand times a morning."""
    if not _may_prepare():
        cursor.execute(shape.cte, params)
        return
    prepared = _prepared.setdefault(connection.connection, set())
    if shape.name not in prepared:
        cursor.execute(shape.prepare)
        prepared.add(shape.name)
    cursor.execute(shape.execute, params)


def outcome_record(
    *, pk: int, lease_until: datetime, to: str, detail: str, **fields,
) -> bool:
    """Move the `sending` row `pk`, held under `lease_until`, to `to`, setting
    `fields`, and log the move; False (nothing written) if it is no longer ours."""
    if State.SENDING not in allowed_from(to):
        raise IllegalTransition(f"sending may not move to {to}")
    now = timezone.now()
    values = {"state": to, "updated_at": now, "lease_until": None, **fields}
    shape = _shape(tuple(values))
    params = [field.get_db_prep_save(value, connection)
              for field, value in zip(shape.fields, values.values())]
    params += [pk, State.SENDING, shape.lease_field.get_db_prep_save(lease_until, connection)]
    event = [State.SENDING, to, shape.at_field.get_db_prep_save(now, connection), detail[:4000]]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            _execute_prepared(cursor, shape, params + event)
            moved = cursor.rowcount
        else:
            with transaction.atomic():
                cursor.execute(shape.update, params)
                moved = cursor.rowcount
                if moved:
                    cursor.execute(shape.insert, [pk, *event])
    if not moved:
        log.warning(
            "message %s was taken back (its lease passed) before its outcome %s was recorded",
            pk, to,
        )
    return bool(moved)


class OutcomeWriter:
    """Records outcomes on a thread of its own, so a commit's round trip
    overlaps the next message's SMTP envelope instead of following it.

    The thread writes on the caller's own database connection (shared the
    way Django's LiveServerThread shares it), so it sees what the caller's
    transaction sees, tests' included, and costs no second connection. Two
    rules make the sharing safe and keep the duplicate promise; the sender
    keeps both: it calls `wait()` before it uses the database itself, and
    it passes `wait` as the transport's `before_handoff`, so no message can
    be accepted while the previous one's outcome is still unwritten. At most
    one write is pending at a time.
    """

    def __init__(self):
        self._connection = connections[DEFAULT_DB_ALIAS]
        self._thread: threading.Thread | None = None
        # A plain queue and a lock, not an executor and futures: this runs once
        # a message, and the executor's bookkeeping cost more CPU than it hid.
        self._work: queue.SimpleQueue = queue.SimpleQueue()
        self._finished = threading.Lock()
        self._finished.acquire()
        self._result: tuple[bool, BaseException | None] = (False, None)
        self._done: Callable[[bool], None] | None = None

    def submit(self, done: Callable[[bool], None], **record) -> None:
        """Start `outcome_record(**record)`; `done(moved)` runs in the
        caller's thread when a later wait() collects it."""
        self.wait()
        if self._thread is None:
            self._connection.inc_thread_sharing()
            self._thread = threading.Thread(target=self._run, name="outcome-writer", daemon=True)
            self._thread.start()
        self._done = done
        self._work.put(record)

    def wait(self) -> None:
        """Until the pending write is committed; re-raises what it raised."""
        if self._done is None:
            return
        self._finished.acquire()
        done, self._done = self._done, None
        moved, error = self._result
        if error is not None:
            raise error
        done(moved)

    def close(self) -> None:
        """Wait for the last write, then stop the thread and unshare the connection."""
        try:
            self.wait()
        finally:
            if self._thread is not None:
                self._work.put(None)
                self._thread.join()
                self._thread = None
                self._connection.dec_thread_sharing()

    def _run(self) -> None:
        connections[DEFAULT_DB_ALIAS] = self._connection
        while (record := self._work.get()) is not None:
            try:
                self._result = (outcome_record(**record), None)
            except BaseException as exc:  # handed to the caller's thread by wait()
                self._result = (False, exc)
            self._finished.release()
