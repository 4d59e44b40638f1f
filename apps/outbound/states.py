"""The outbound state machine: one table of allowed moves, one way to move.

Every move is a guarded write: the rows are read and locked with the state
they are in, only those in an allowed state are updated, and an event is
logged for each row that really moved. Two workers racing for the same row
therefore cannot both move it: the second finds it no longer in an allowed
state and moves nothing. On SQLite the IMMEDIATE transaction mode takes the
write lock at BEGIN, which gives the same guarantee.
"""

from collections.abc import Iterable

from django.db import connection, transaction
from django.db.models import QuerySet
from django.db.models.sql import UpdateQuery
from django.utils import timezone

from .models import MessageEvent, OutboundMessage, State

# to-state -> the states a message may come from.
ALLOWED: dict[str, frozenset[str]] = {
    # `failed` only for an operator's "retry now" in the admin.
    State.QUEUED: frozenset({State.SCHEDULED, State.DEFERRED, State.SENDING, State.FAILED}),
    State.SENDING: frozenset({State.QUEUED}),
    State.SENT: frozenset({State.SENDING}),
    State.DEFERRED: frozenset({State.SENDING}),
    State.FAILED: frozenset({State.SENDING, State.DEFERRED, State.QUEUED}),
    # `sending` only for the sender itself (an empty digest, found at render time).
    State.CANCELLED: frozenset({State.SCHEDULED, State.QUEUED, State.DEFERRED, State.SENDING}),
    State.DELIVERED: frozenset({State.SENT}),
    State.BOUNCED: frozenset({State.SENT, State.DELIVERED}),
}

# Rows a member's or operator's cancellation may still stop: `sending` is
# already on the wire.
PENDING = frozenset({State.SCHEDULED, State.QUEUED, State.DEFERRED})


class IllegalTransition(Exception):
    """A move the table does not allow was asked for; nothing changed."""


def allowed_from(to: str) -> frozenset[str]:
    try:
        return ALLOWED[to]
    except KeyError:
        raise IllegalTransition(f"no message may move to {to!r}") from None


def transition(
    ids: Iterable[int], to: str, *, detail: str = "", from_states: Iterable[str] | None = None,
    **fields,
) -> list[int]:
    """Move the messages in `ids` to `to`, set `fields` on them, and log one
    MessageEvent per row that moved; return the ids that moved.

    Rows in a state the table does not allow for `to` are left alone (another
    worker won, or the member cancelled): that is the normal outcome of a race,
    not an error. Asking for a move the table never allows — `from_states`
    naming a state that may not reach `to`, or an unknown `to` — raises
    IllegalTransition before anything is written.
    """
    sources = allowed_from(to)
    if from_states is not None:
        wanted = frozenset(from_states)
        if not wanted <= sources:
            raise IllegalTransition(
                f"{', '.join(sorted(wanted - sources))} may not move to {to}"
            )
        sources = wanted
    ids = list(ids)
    if not ids:
        return []
    now = timezone.now()
    if connection.vendor == "postgresql":
        return _transition_postgresql(ids, to, sources, now=now, detail=detail, fields=fields)
    with transaction.atomic():
        rows = list(
            OutboundMessage.objects.select_for_update()
            .filter(id__in=ids, state__in=sources)
            .values_list("id", "state")
        )
        if not rows:
            return []
        moved = [pk for pk, _ in rows]
        OutboundMessage.objects.filter(id__in=moved, state__in=sources).update(
            state=to, updated_at=now, **fields,
        )
        MessageEvent.objects.bulk_create(
            MessageEvent(message_id=pk, from_state=state, to_state=to, at=now, detail=detail[:4000])
            for pk, state in rows
        )
    return moved


def _transition_postgresql(ids, to, sources, *, now, detail, fields) -> list[int]:
    """transition() in one statement: lock the rows still in a source state
    (waiting for a row another transaction holds, then judging it as that
    left it), move them, log each with the state it came from. A sender
    claims every batch this way, so three round trips and a hundred event
    objects a batch are worth saving."""
    table = connection.ops.quote_name(OutboundMessage._meta.db_table)
    events = connection.ops.quote_name(MessageEvent._meta.db_table)
    assignments, params = _assignments({"state": to, "updated_at": now, **fields})
    # The state guard as array_position(...), which no index serves: the
    # rows are found by primary key. As "state" = ANY(...) the planner,
    # its statistics taken before dispatch queued the morning (when no row
    # was `queued`), went through the state index and read every queued
    # row, twice, for each batch's claim: 270 ms a claim with 20,000 queued.
    in_sources = 'array_position(%s::text[], {column}::text) IS NOT NULL'
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            WITH old AS (
                SELECT "id", "state" FROM {table}
                WHERE "id" = ANY(%s) AND {in_sources.format(column='"state"')}
                FOR UPDATE
            ), moved AS (
                UPDATE {table} SET {assignments}
                FROM old WHERE {table}."id" = old."id"
                    AND {in_sources.format(column=f'{table}."state"')}
                RETURNING {table}."id", old."state"
            ), logged AS (
                INSERT INTO {events} ("message_id", "from_state", "to_state", "at", "detail")
                SELECT "id", "state", %s, %s, %s FROM moved
            )
            SELECT "id" FROM moved
            """,
            [ids, list(sources), *params, list(sources), to, now, detail[:4000]],
        )
        return [pk for (pk,) in cursor.fetchall()]


def _assignments(values: dict) -> tuple[str, list]:
    """`"column" = <sql>, ...` and its params for an UPDATE of messages, with
    expressions (F("attempts") + 1) compiled as QuerySet.update() would."""
    query = UpdateQuery(OutboundMessage)
    compiler = query.get_compiler(connection=connection)
    parts, params = [], []
    for name, value in values.items():
        field = OutboundMessage._meta.get_field(name)
        if hasattr(value, "resolve_expression"):
            expression = value.resolve_expression(query, allow_joins=False, for_save=True)
            sql, expression_params = compiler.compile(expression)
        else:
            sql, expression_params = "%s", [field.get_db_prep_save(value, connection)]
        parts.append(f"{connection.ops.quote_name(field.column)} = {sql}")
        params.extend(expression_params)
    return ", ".join(parts), params


# Ids per transition() call in the portable path of transition_all: set-based,
# and within SQLite's limit on query parameters.
CHUNK = 5000


def transition_all(
    rows: QuerySet, to: str, *, from_state: str, detail: str = "", limit: int | None = None,
    **fields,
) -> list[int]:
    """Move every message of `rows` that is in `from_state` to `to`, like
    transition() but without carrying the ids through Python: for the
    hundred thousand rows a dispatch claims at once.

    The same guarantees: the move must be in the table (else IllegalTransition,
    nothing written); one guarded UPDATE ... WHERE state = from_state, so a
    row another worker moved first is left alone; one MessageEvent per row
    that moved. On PostgreSQL that is one statement (the update and the event
    insert in data-modifying CTEs), which skips rows another transaction has
    locked at that moment instead of waiting for them (it is moving them, or
    the next run will), so two runs never deadlock; elsewhere transition() in
    chunks. Returns the ids that moved, earliest `scheduled_for` first (the
    order to send in). With `limit`, only the earliest `limit` of them move.
    """
    if from_state not in allowed_from(to):
        raise IllegalTransition(f"{from_state} may not move to {to}")
    rows = rows.filter(state=from_state).order_by()
    if limit is not None:
        rows = rows.order_by("scheduled_for", "pk")[:limit]
    if connection.vendor != "postgresql":
        ordered = rows if limit is not None else rows.order_by("scheduled_for", "pk")
        ids = list(ordered.values_list("pk", flat=True))
        moved = []
        for start in range(0, len(ids), CHUNK):
            chunk = ids[start:start + CHUNK]
            done = set(transition(chunk, to, from_states=[from_state], detail=detail, **fields))
            moved.extend(pk for pk in chunk if pk in done)
        return moved
    return _transition_all_postgresql(rows, to, from_state=from_state, detail=detail, **fields)


def _transition_all_postgresql(rows, to, *, from_state, detail, **fields) -> list[int]:
    now = timezone.now()
    assignments, values = _assignments({"state": to, "updated_at": now, **fields})
    table = connection.ops.quote_name(OutboundMessage._meta.db_table)
    events = connection.ops.quote_name(MessageEvent._meta.db_table)
    with transaction.atomic(), connection.cursor() as cursor:
        without_jit()
        # Locks only the messages (OF self), however `rows` was filtered (joins).
        picked_sql, picked_params = (
            rows.select_for_update(skip_locked=True, of=("self",)).values("pk")
            .query.sql_with_params()
        )
        cursor.execute(
            f"""
            WITH picked AS ({picked_sql}),
            moved AS (
                UPDATE {table} SET {assignments}
                -- qualified: a bare "id" would mean the updated table's own, every row
                WHERE "id" IN (SELECT picked."pk" FROM picked) AND "state" = %s
                RETURNING "id", "scheduled_for"
            ), logged AS (
                INSERT INTO {events} ("message_id", "from_state", "to_state", "at", "detail")
                SELECT "id", %s, %s, %s, %s FROM moved
            )
            SELECT "id" FROM moved ORDER BY "scheduled_for", "id"
            """,
            [*picked_params, *values, from_state, from_state, to, now, detail[:4000]],
        )
        return [pk for (pk,) in cursor.fetchall()]


def without_jit() -> None:
    """Turn PostgreSQL's JIT off until the end of the current transaction.

    PostgreSQL compiles a query to machine code once its estimated cost passes
    jit_above_cost, which set-based queries over 100,000 members reach: we
    measured 0.7 s of compiling for a 30 ms query, once per zone, per beat.
    """
    if connection.vendor == "postgresql" and connection.in_atomic_block:
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL jit = off")


def note(ids: Iterable[int], *, detail: str) -> None:
    """Log something about messages without moving them (a provider's
    'deferred' event, say): from and to are the current state."""
    now = timezone.now()
    MessageEvent.objects.bulk_create(
        MessageEvent(message_id=pk, from_state=state, to_state=state, at=now, detail=detail[:4000])
        for pk, state in OutboundMessage.objects.filter(id__in=list(ids)).values_list("id", "state")
    )
