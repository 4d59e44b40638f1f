"""A message cancelled while its batch is on the wire is not sent, if it has
not gone yet: the batch re-reads which rows are still its own."""

import threading

from django.db import connections

from apps.outbound.models import OutboundMessage, State
from apps.outbound.sending import batch_send
from apps.outbound.states import transition

from .received import received_ids
from .sending_fixtures import mail_sink, make_queued, wait_for  # noqa: F401


def test_a_message_cancelled_after_its_batch_was_claimed_is_not_sent(
    transactional_db, mail_sink, make_queued,
):
    rows = make_queued(4)
    last = rows[-1]
    mail_sink.slow(0.6)  # the batch takes over two seconds: it re-reads its rows meanwhile
    reports = []

    def send():
        try:
            reports.append(batch_send(ids=[r.pk for r in rows]))
        finally:
            connections.close_all()  # this thread's own connection

    sender = threading.Thread(target=send)

    sender.start()
    wait_for(lambda: OutboundMessage.objects.filter(pk=last.pk, state=State.SENDING).exists())
    # The one move the table allows out of `sending` besides an outcome.
    assert transition([last.pk], State.CANCELLED, from_states=[State.SENDING],
                      detail="cancelled by an operator")
    sender.join(timeout=30)

    [report] = reports
    assert report["withdrawn"] == 1 and report["sent"] == 3
    last.refresh_from_db()
    assert last.state == State.CANCELLED
    assert last.message_id not in received_ids(mail_sink)
    assert len(mail_sink.received) == 3
