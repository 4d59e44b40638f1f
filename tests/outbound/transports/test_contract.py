"""The contract every transport keeps, run against each of them: plain SMTP,
STARTTLS and implicit TLS (with AUTH, a self-signed certificate made in the
test) against a real aiosmtpd sink, and SendGrid's API faked at the HTTP
layer by a local server (SendGrid cannot be reached from here)."""

from dataclasses import dataclass
from typing import Callable

import pytest

from apps.outbound.transports import PERMANENT, SENT, Transport

from .conftest import delivered_to, make_message, make_messages, smtp_transport_for


@dataclass
class Backend:
    """A transport and a view of the far side: who got mail, and how to make
    the far side refuse a recipient for good."""

    transport: Transport
    delivered: Callable[[], list[str]]
    refuse: Callable[[str], None]


def _smtp_backend(sink, client_tls=None) -> Backend:
    return Backend(
        transport=smtp_transport_for(sink, client_tls=client_tls),
        delivered=lambda: delivered_to(sink),
        refuse=lambda address: sink.refuse_recipient(address, "550 5.1.1 No such user"),
    )


@pytest.fixture(params=["smtp", "smtp-starttls", "smtp-implicit-tls", "sendgrid"])
def backend(request, client_tls):
    if request.param == "smtp":
        chosen = _smtp_backend(request.getfixturevalue("smtp_sink"))
    elif request.param == "smtp-starttls":
        chosen = _smtp_backend(request.getfixturevalue("starttls_sink"), client_tls)
    elif request.param == "smtp-implicit-tls":
        chosen = _smtp_backend(request.getfixturevalue("implicit_tls_sink"), client_tls)
    else:
        fake = request.getfixturevalue("sendgrid_fake")
        chosen = Backend(
            transport=request.getfixturevalue("sendgrid_transport"),
            delivered=lambda: [r.body["personalizations"][0]["to"][0]["email"]
                               for r in fake.accepted],
            refuse=fake.refuse_recipient,
        )
    yield chosen
    chosen.transport.close()


def test_a_batch_gets_one_outcome_per_message_in_order(backend):
    outcomes = backend.transport.send(make_messages(5))
    assert [o.status for o in outcomes] == [SENT] * 5
    assert all(o.detail or o.provider_id for o in outcomes)
    assert backend.delivered() == [f"member{n}@example.com" for n in range(1, 6)]


def test_an_empty_batch_sends_nothing(backend):
    assert backend.transport.send([]) == []
    assert backend.delivered() == []


def test_one_refused_recipient_fails_only_its_own_message(backend):
    backend.refuse("member2@example.com")
    outcomes = backend.transport.send(make_messages(3))
    assert [o.status for o in outcomes] == [SENT, PERMANENT, SENT]
    assert outcomes[1].detail  # what the far side said, for the operator
    assert backend.delivered() == ["member1@example.com", "member3@example.com"]


def test_a_header_injection_is_permanent_and_never_sent(backend):
    bad = make_message(2, to="victim@example.com\nBcc: everyone@example.com")
    outcomes = backend.transport.send([make_message(1), bad, make_message(3)])
    assert [o.status for o in outcomes] == [SENT, PERMANENT, SENT]
    assert backend.delivered() == ["member1@example.com", "member3@example.com"]


def test_the_transport_serves_batch_after_batch_and_after_close(backend):
    for start in (1, 3):
        assert [o.status for o in backend.transport.send(make_messages(2, start))] == [SENT] * 2
    backend.transport.close()
    assert [o.status for o in backend.transport.send([make_message(5)])] == [SENT]
    assert len(backend.delivered()) == 5
