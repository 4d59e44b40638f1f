"""SmtpTransport against a real aiosmtpd server on loopback (tests/smtp_sink.py)
that misbehaves on cue: what each failure becomes, and how the pool behaves."""

import logging
import threading
import time

import pytest

from apps.outbound.transports import PERMANENT, SENT, TEMPORARY

from .conftest import built_bytes, delivered_to, make_message, make_messages, smtp_transport_for


def test_bytes_at_the_sink_are_the_bytes_we_built(smtp_sink, smtp_transport):
    message = make_message()
    sent_bytes = built_bytes(message)
    [outcome] = smtp_transport.send([message])
    assert outcome.status == SENT
    assert smtp_sink.received[0].data == sent_bytes()
    assert b"\r\n..A line starting with a dot\r\n" not in sent_bytes()  # unstuffed at the sink


def test_mail_from_is_the_verp_return_path(smtp_sink, smtp_transport):
    message = make_message(pk=77)
    smtp_transport.send([message])
    received = smtp_sink.received[0]
    assert received.mail_from == "bounce+77.abcdef012345@in.example.org"
    assert received.rcpt_tos == ["member1@example.com"]


def test_mail_from_falls_back_to_from_email(smtp_sink, smtp_transport):
    message = make_message()
    del message.envelope_from
    smtp_transport.send([message])
    assert smtp_sink.received[0].mail_from == "donemail@example.org"


def test_sent_outcome_carries_the_servers_reply(smtp_sink, smtp_transport):
    [outcome] = smtp_transport.send([make_message()])
    assert outcome.detail == "250 2.0.0 Ok: queued as sink-1"
    assert outcome.provider_id == "sink-1"


def test_refused_recipients_fail_only_their_own_message(smtp_sink, smtp_transport):
    smtp_sink.refuse_recipient("member2@example.com", "451 4.2.1 Mailbox busy, try later")
    smtp_sink.refuse_recipient("member3@example.com", "550 5.1.1 No such user")
    outcomes = smtp_transport.send(make_messages(4))
    assert [o.status for o in outcomes] == [SENT, TEMPORARY, PERMANENT, SENT]
    assert "451 4.2.1 Mailbox busy" in outcomes[1].detail
    assert "550 5.1.1 No such user" in outcomes[2].detail
    assert [r.rcpt_tos for r in smtp_sink.received] == [
        ["member1@example.com"], ["member4@example.com"]]
    assert smtp_sink.connections == 1


def test_data_refused_with_4xx_is_temporary_and_5xx_permanent(smtp_sink, smtp_transport):
    smtp_sink.refuse_data("451 4.3.0 Try again later")
    smtp_sink.refuse_data("554 5.6.0 Message rejected")
    outcomes = smtp_transport.send(make_messages(3))
    assert [o.status for o in outcomes] == [TEMPORARY, PERMANENT, SENT]
    assert outcomes[0].detail == "451 4.3.0 Try again later"
    assert smtp_sink.connections == 1


def test_421_at_connect_is_retried_on_a_new_connection(smtp_sink, smtp_transport):
    smtp_sink.refuse_connections("421 4.3.2 Too busy", times=1)
    outcomes = smtp_transport.send(make_messages(3))
    assert [o.status for o in outcomes] == [SENT, SENT, SENT]
    assert len(smtp_sink.received) == 3
    assert smtp_sink.connections == 2


def test_a_server_that_keeps_refusing_defers_the_batch_without_hammering(
    smtp_sink, smtp_transport,
):
    smtp_sink.refuse_connections("421 4.3.2 Too busy", times=10)
    outcomes = smtp_transport.send(make_messages(5))
    assert [o.status for o in outcomes] == [TEMPORARY] * 5
    assert all("421 4.3.2 Too busy" in o.detail for o in outcomes)
    assert smtp_sink.connections == 2  # two tries for the whole batch, not per message
    smtp_sink.state.greeting.clear()
    assert [o.status for o in smtp_transport.send(make_messages(2))] == [SENT, SENT]


def test_connection_refused_is_temporary(smtp_sink):
    from tests.conftest import free_port

    transport = smtp_transport_for(smtp_sink)
    transport.port = free_port()  # nothing listens there
    [outcome] = transport.send([make_message()])
    assert outcome.status == TEMPORARY
    assert "cannot connect" in outcome.detail


def test_drop_during_data_is_temporary_and_the_next_goes_on_a_fresh_connection(
    smtp_sink, smtp_transport,
):
    smtp_sink.drop_during_data(times=1)
    outcomes = smtp_transport.send(make_messages(3))
    assert [o.status for o in outcomes] == [TEMPORARY, SENT, SENT]
    assert "after the end of DATA" in outcomes[0].detail
    assert delivered_to(smtp_sink) == ["member2@example.com", "member3@example.com"]
    assert smtp_sink.connections == 2


def test_slow_server_beyond_the_timeout_is_temporary(smtp_sink):
    transport = smtp_transport_for(smtp_sink, timeout=0.5)
    smtp_sink.slow(1.5)
    [outcome] = transport.send([make_message()])
    assert outcome.status == TEMPORARY
    assert "timed out" in outcome.detail
    smtp_sink.slow(0)
    [outcome] = transport.send([make_message(2)])
    assert outcome.status == SENT
    transport.close()


def test_one_connection_serves_many_batches(smtp_sink, smtp_transport):
    for start in (1, 4, 7):
        outcomes = smtp_transport.send(make_messages(3, start=start))
        assert [o.status for o in outcomes] == [SENT] * 3
    assert len(smtp_sink.received) == 9
    assert smtp_sink.connections == 1


def test_cap_on_messages_per_connection(smtp_sink):
    transport = smtp_transport_for(smtp_sink, max_messages_per_connection=3)
    outcomes = transport.send(make_messages(7))
    assert [o.status for o in outcomes] == [SENT] * 7
    assert smtp_sink.connections == 3  # 3 + 3 + 1
    transport.close()


def test_an_idle_connection_is_checked_with_noop_and_reused(smtp_sink):
    transport = smtp_transport_for(smtp_sink, noop_after=0.2)
    transport.send([make_message(1)])
    time.sleep(0.4)
    [outcome] = transport.send([make_message(2)])
    assert outcome.status == SENT
    assert smtp_sink.noops == 1
    assert smtp_sink.connections == 1
    transport.close()


def test_a_stale_idle_connection_is_replaced_before_the_message_meets_it(smtp_sink, caplog):
    """The server closed the idle connection: NOOP finds out, so the message
    goes straight onto a fresh connection (no failed MAIL FROM, no retry)."""
    transport = smtp_transport_for(smtp_sink, noop_after=0.2)
    transport.send([make_message(1)])
    smtp_sink.drop_connections()
    time.sleep(0.4)
    with caplog.at_level(logging.INFO, logger="donemail.transports.smtp"):
        [outcome] = transport.send([make_message(2)])
    assert outcome.status == SENT
    assert smtp_sink.connections == 2
    assert not [r for r in caplog.records if "retrying" in r.getMessage()]
    transport.close()


def test_a_connection_reused_soon_is_not_checked(smtp_sink, smtp_transport):
    smtp_transport.send([make_message(1)])
    smtp_transport.send([make_message(2)])
    assert smtp_sink.noops == 0


def test_a_connection_dropped_before_data_is_retried_once_on_a_fresh_one(
    smtp_sink, smtp_transport,
):
    """Without a NOOP (not idle long), the next MAIL FROM meets the dead
    connection; nothing can have been queued, so it is retried at once."""
    smtp_transport.send([make_message(1)])
    smtp_sink.drop_connections()
    time.sleep(0.1)
    [outcome] = smtp_transport.send([make_message(2)])
    assert outcome.status == SENT
    assert delivered_to(smtp_sink) == ["member1@example.com", "member2@example.com"]
    assert smtp_sink.connections == 2


def test_the_pool_never_opens_more_than_its_size(smtp_sink):
    transport = smtp_transport_for(smtp_sink, pool_size=2)
    smtp_sink.slow(0.2)
    results = []

    def one_batch(start):
        results.extend(transport.send(make_messages(2, start=start)))

    threads = [threading.Thread(target=one_batch, args=(n * 10,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [o.status for o in results] == [SENT] * 8
    assert smtp_sink.connections == 2
    transport.close()


def test_close_quits_and_the_next_send_reconnects(smtp_sink, smtp_transport):
    smtp_transport.send([make_message(1)])
    smtp_transport.close()
    time.sleep(0.1)
    assert smtp_sink.open_sessions == 0
    smtp_transport.send([make_message(2)])
    assert smtp_sink.connections == 2


def test_a_bad_address_is_permanent_and_the_rest_go_out(smtp_sink, smtp_transport):
    bad = make_message(2, to="victim@example.com\nBcc: everyone@example.com")
    outcomes = smtp_transport.send([make_message(1), bad, make_message(3)])
    assert [o.status for o in outcomes] == [SENT, PERMANENT, SENT]
    assert len(smtp_sink.received) == 2


def test_starttls_with_auth_sends(starttls_sink, client_tls):
    transport = smtp_transport_for(starttls_sink, client_tls=client_tls)
    assert [o.status for o in transport.send(make_messages(2))] == [SENT, SENT]
    assert starttls_sink.connections == 1
    transport.close()


def test_wrong_password_is_temporary_and_logged_loudly(starttls_sink, client_tls, caplog):
    transport = smtp_transport_for(starttls_sink, client_tls=client_tls)
    transport.password = "wrong"
    with caplog.at_level(logging.ERROR, logger="donemail.transports.smtp"):
        outcomes = transport.send(make_messages(3))
    assert [o.status for o in outcomes] == [TEMPORARY] * 3
    assert all("535" in o.detail for o in outcomes)
    # one login per batch (smtplib tries PLAIN, then LOGIN), not one per message
    assert starttls_sink.state.auth_failures == 2
    assert starttls_sink.connections == 1
    assert any("AUTH refused" in r.getMessage() for r in caplog.records)
    assert starttls_sink.received == []


def test_an_untrusted_certificate_is_temporary_and_never_sends(starttls_sink, caplog):
    transport = smtp_transport_for(starttls_sink)  # the system's CAs: the sink is untrusted
    transport.ssl_context = __import__("ssl").create_default_context()
    with caplog.at_level(logging.ERROR, logger="donemail.transports.smtp"):
        [outcome] = transport.send([make_message()])
    assert outcome.status == TEMPORARY
    assert "CERTIFICATE_VERIFY_FAILED" in outcome.detail
    assert starttls_sink.received == []


def test_implicit_tls_with_auth_sends(implicit_tls_sink, client_tls):
    transport = smtp_transport_for(implicit_tls_sink, client_tls=client_tls)
    message = make_message()
    sent_bytes = built_bytes(message)
    assert [o.status for o in transport.send([message])] == [SENT]
    assert implicit_tls_sink.received[0].data == sent_bytes()
    transport.close()


def test_addresses_on_the_envelope_are_bare_and_idn_domains_punycoded(smtp_sink, smtp_transport):
    messages = [make_message(1, to='"Lovelace, Ada" <ada@example.com>'),
                make_message(2, to="Zoë <zoe@bücher.example>")]
    assert [o.status for o in smtp_transport.send(messages)] == [SENT, SENT]
    assert delivered_to(smtp_sink) == ["ada@example.com", "zoe@xn--bcher-kva.example"]


def test_421_to_a_recipient_is_retried_once_on_a_fresh_connection(smtp_sink, smtp_transport):
    smtp_sink.refuse_recipient("member1@example.com", "421 4.4.2 Closing connection", times=1)
    [outcome] = smtp_transport.send([make_message(1)])
    assert outcome.status == SENT
    assert smtp_sink.connections == 2


def test_421_again_on_the_retry_is_temporary(smtp_sink, smtp_transport):
    smtp_sink.refuse_recipient("member1@example.com", "421 4.4.2 Closing connection")
    outcomes = smtp_transport.send(make_messages(2))
    assert [o.status for o in outcomes] == [TEMPORARY, SENT]
    assert "421 4.4.2" in outcomes[0].detail
    assert delivered_to(smtp_sink) == ["member2@example.com"]


def test_an_exception_mid_batch_never_returns_its_connection_to_the_pool(
    smtp_sink, smtp_transport,
):
    broken = make_message(2)
    broken.message = lambda: (_ for _ in ()).throw(RuntimeError("a bug of ours"))
    with pytest.raises(RuntimeError, match="a bug of ours"):  # a bug raises, never an outcome
        smtp_transport.send([make_message(1), broken])
    assert [o.status for o in smtp_transport.send([make_message(3)])] == [SENT]
    assert smtp_sink.connections == 2


def test_open_connects_now_and_send_uses_that_connection(smtp_sink, smtp_transport):
    smtp_transport.open()
    assert smtp_sink.connections == 1
    smtp_transport.send(make_messages(2))
    assert smtp_sink.connections == 1


def test_open_raises_when_the_server_cannot_be_reached(smtp_sink):
    from tests.conftest import free_port

    transport = smtp_transport_for(smtp_sink)
    transport.port = free_port()
    with pytest.raises(ConnectionRefusedError):
        transport.open()
    assert transport._pool.existing == 0  # the reserved slot was given back


def test_starttls_is_never_skipped_when_the_server_does_not_offer_it(smtp_sink, client_tls):
    """smtp+tls:// against a server without STARTTLS: nothing goes in clear."""
    from apps.outbound.transports.email_url import STARTTLS

    transport = smtp_transport_for(smtp_sink, client_tls=client_tls)
    transport.security = STARTTLS
    [outcome] = transport.send([make_message()])
    assert outcome.status == TEMPORARY
    assert "STARTTLS" in outcome.detail
    assert smtp_sink.received == []


def test_a_pool_that_stays_busy_defers_the_batch(smtp_sink):
    transport = smtp_transport_for(smtp_sink, pool_size=1, timeout=0.2)
    assert transport._pool.take(wait=0) is None  # another thread holds the only slot
    outcomes = transport.send(make_messages(2))
    assert [o.status for o in outcomes] == [TEMPORARY, TEMPORARY]
    assert "EMAIL_POOL_SIZE" in outcomes[0].detail
    assert smtp_sink.connections == 0


# --- MAIL FROM refused for who we are, RSET that fails ------------------------------

@pytest.mark.parametrize("reply", [
    "530 5.7.0 Authentication required",
    "553 5.1.8 Sender address rejected: domain not found",
    "550 5.7.1 Sender not authorized to relay",
])
def test_a_refused_sender_is_temporary_logged_and_not_retried_in_the_batch(
    smtp_sink, smtp_transport, caplog, reply,
):
    """Our configuration (credentials, sender domain), not the messages: they
    wait, and the server is not asked again for the rest of the batch."""
    smtp_sink.refuse_mail_from(reply, times=-1)
    with caplog.at_level(logging.ERROR, logger="donemail.transports.smtp"):
        outcomes = smtp_transport.send(make_messages(3))
    assert [o.status for o in outcomes] == [TEMPORARY] * 3
    assert all(reply in o.detail for o in outcomes)
    assert smtp_sink.connections == 1  # no reconnect, no retry per message
    errors = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert len(errors) == 1 and reply in errors[0].getMessage()
    assert smtp_sink.received == []


def test_the_batch_after_a_refused_sender_is_tried_again(smtp_sink, smtp_transport):
    smtp_sink.refuse_mail_from("530 5.7.0 Authentication required")
    assert [o.status for o in smtp_transport.send([make_message(1)])] == [TEMPORARY]
    assert [o.status for o in smtp_transport.send([make_message(2)])] == [SENT]
    assert delivered_to(smtp_sink) == ["member2@example.com"]


def test_other_5xx_at_mail_from_stays_permanent(smtp_sink, smtp_transport):
    smtp_sink.refuse_mail_from("552 5.3.4 Message size exceeds fixed limit")
    outcomes = smtp_transport.send(make_messages(2))
    assert [o.status for o in outcomes] == [PERMANENT, SENT]


@pytest.mark.parametrize("same_batch", [True, False], ids=["same_batch", "next_batch"])
def test_a_connection_whose_rset_failed_is_never_used_again(
    smtp_sink, smtp_transport, same_batch,
):
    """The next message goes on a fresh connection, so its own one retry is
    still there for a real 421 (here, once, to its recipient)."""
    smtp_sink.refuse_recipient("member1@example.com", "550 5.1.1 No such user")
    smtp_sink.drop_at_rset()
    smtp_sink.refuse_recipient("member2@example.com", "421 4.4.2 Closing connection", times=1)
    first, second = make_messages(2)
    if same_batch:
        outcomes = smtp_transport.send([first, second])
    else:
        outcomes = smtp_transport.send([first]) + smtp_transport.send([second])
    assert [o.status for o in outcomes] == [PERMANENT, SENT]
    assert delivered_to(smtp_sink) == ["member2@example.com"]
    assert smtp_sink.connections == 3  # the first, then two fresh ones for the second
