"""Write one send's outcome: the hot path of the sender, one round trip.

Every message a worker sends ends in exactly one of these writes, so its
cost is paid a hundred thousand times a morning. It is the per-row twin of
states.transition, for the one case where the from-state is known
(`sending`): a guarded UPDATE — still `sending`, still under the lease this
batch set — and the MessageEvent for it, together or not at all.

Through the ORM that is BEGIN, UPDATE, INSERT and COMMIT (about 1.6 ms a
message on PostgreSQL, bench/outbound.py); as one data-modifying CTE it is
a single statement, atomic on its own (about 0.7 ms). SQLite has no
data-modifying CTE, but it runs in our process, so there the two statements
share one transaction instead.
"""

import logging
from datetime import datetime

from django.db import connection, transaction
from django.utils import timezone

from .models import MessageEvent, OutboundMessage, State
from .states import IllegalTransition, allowed_from

log = logging.getLogger(__name__)

_MESSAGE = OutboundMessage._meta
_EVENT = MessageEvent._meta


def _column(name: str) -> str:
    return connection.ops.quote_name(_MESSAGE.get_field(name).column)


def _prep(meta, name: str, value):
    return meta.get_field(name).get_db_prep_save(value, connection)


def _statements(names: tuple[str, ...]) -> tuple[str, str]:
    """(UPDATE … WHERE guarded, INSERT event) for setting the fields `names`."""
    q = connection.ops.quote_name
    update = (
        f"UPDATE {q(_MESSAGE.db_table)} SET {', '.join(f'{_column(n)} = %s' for n in names)}"
        f" WHERE {_column('id')} = %s AND {_column('state')} = %s"
        f" AND {_column('lease_until')} = %s"
    )
    event_columns = ", ".join(
        q(_EVENT.get_field(n).column) for n in ("message", "from_state", "to_state", "at", "detail")
    )
    insert = f"INSERT INTO {q(_EVENT.db_table)} ({event_columns})"
    return update, insert


def outcome_record(
    *, pk: int, lease_until: datetime, to: str, detail: str, **fields,
) -> bool:
    """Move the `sending` row `pk`, held under `lease_until`, to `to`, setting
    `fields`, and log the move; False (nothing written) if it is no longer ours."""
    if State.SENDING not in allowed_from(to):
        raise IllegalTransition(f"sending may not move to {to}")
    now = timezone.now()
    values = {"state": to, "updated_at": now, "lease_until": None, **fields}
    update, insert = _statements(tuple(values))
    params = [_prep(_MESSAGE, name, value) for name, value in values.items()]
    params += [pk, State.SENDING, _prep(_MESSAGE, "lease_until", lease_until)]
    event = [State.SENDING, to, _prep(_EVENT, "at", now), detail[:4000]]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                f"WITH moved AS ({update} RETURNING {_column('id')}) "
                f"{insert} SELECT {_column('id')}, %s, %s, %s, %s FROM moved",
                params + event,
            )
            moved = cursor.rowcount
        else:
            with transaction.atomic():
                cursor.execute(update, params)
                moved = cursor.rowcount
                if moved:
                    cursor.execute(f"{insert} VALUES (%s, %s, %s, %s, %s)", [pk, *event])
    if not moved:
        log.warning(
            "message %s was taken back (its lease passed) before its outcome %s was recorded",
            pk, to,
        )
    return bool(moved)
