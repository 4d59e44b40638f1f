"""Fixtures for the transport tests: SMTP sinks with and without TLS and
AUTH, a self-signed certificate made here with `cryptography`, and messages
shaped as rendering makes them (VERP envelope_from, donemail_id)."""

import datetime
import ipaddress
import ssl

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from django.core.mail import EmailMultiAlternatives

from apps.outbound.transports.email_url import IMPLICIT_TLS, PLAIN, STARTTLS
from apps.outbound.transports.sendgrid import SendGridTransport
from apps.outbound.transports.smtp import SmtpTransport
from tests.smtp_sink import SmtpSink

from .sendgrid_fake import FakeSendGrid

USER, PASSWORD = "donemail", "s3cret:p@ss/word"


@pytest.fixture(scope="session")
def certificate(tmp_path_factory):
    """A self-signed certificate for 127.0.0.1: (certfile, keyfile)."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "donemail test sink")])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name).issuer_name(name).public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName(
            [x509.IPAddress(ipaddress.ip_address("127.0.0.1")), x509.DNSName("localhost")]
        ), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    folder = tmp_path_factory.mktemp("tls")
    certfile, keyfile = folder / "sink.pem", folder / "sink.key"
    certfile.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    keyfile.write_bytes(key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ))
    return str(certfile), str(keyfile)


@pytest.fixture
def server_tls(certificate):
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(*certificate)
    return context


@pytest.fixture
def client_tls(certificate):
    """A client context that trusts only the test certificate (and checks
    the host name), as production trusts only the system's CAs."""
    return ssl.create_default_context(cafile=certificate[0])


def _running(sink):
    sink.start()
    return sink


@pytest.fixture
def starttls_sink(server_tls):
    sink = _running(SmtpSink(credentials=(USER, PASSWORD), tls_context=server_tls))
    yield sink
    sink.stop()


@pytest.fixture
def implicit_tls_sink(server_tls):
    sink = _running(SmtpSink(
        credentials=(USER, PASSWORD), tls_context=server_tls, implicit_tls=True))
    yield sink
    sink.stop()


def smtp_transport_for(sink, *, client_tls=None, **options) -> SmtpTransport:
    """An SmtpTransport pointed at `sink`, speaking whatever the sink speaks."""
    if sink.tls_context is None:
        security = PLAIN
    else:
        security = IMPLICIT_TLS if sink.implicit_tls else STARTTLS
    user, password = sink.credentials or ("", "")
    options.setdefault("timeout", 5.0)
    return SmtpTransport(
        host=sink.host, port=sink.port, security=security, username=user, password=password,
        ssl_context=client_tls, **options,
    )


@pytest.fixture
def smtp_transport(smtp_sink):
    transport = smtp_transport_for(smtp_sink)
    yield transport
    transport.close()


@pytest.fixture
def sendgrid_fake():
    """SendGrid's API faked at the HTTP layer (it cannot be reached from
    here); see sendgrid_fake.py."""
    fake = FakeSendGrid().start()
    yield fake
    fake.stop()


@pytest.fixture
def sendgrid_transport(sendgrid_fake):
    return SendGridTransport(api_key=sendgrid_fake.api_key, host=sendgrid_fake.host, timeout=5.0)


def make_message(number: int = 1, *, to: str | None = None, pk: int | None = None):
    """A message as message_render builds one: text and HTML, a stable
    Message-ID, a VERP envelope sender and the row's pk."""
    pk = pk or 1000 + number
    email = EmailMultiAlternatives(
        subject=f"What did you get done today? ({number})",
        body=f"Reply to this email.\n.A line starting with a dot\nNumber {number}\n",
        from_email="Donemail <donemail@example.org>",
        to=[to or f"Member {number} <member{number}@example.com>"],
        reply_to=[f"reply+token{number}@in.example.org"],
        headers={
            "Message-ID": f"<msg-{pk}@in.example.org>",
            "Auto-Submitted": "auto-generated",
            "List-Unsubscribe": f"<https://donemail.example.org/unsubscribe/{pk}/>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
    email.attach_alternative(f"<p>Reply to this email. Number {number}</p>", "text/html")
    email.envelope_from = f"bounce+{pk}.abcdef012345@in.example.org"
    email.donemail_id = pk
    return email


def make_messages(count: int, start: int = 1) -> list:
    return [make_message(number) for number in range(start, start + count)]


def built_bytes(message):
    """Record the MIME message a transport builds from `message` (each
    message() call makes a new MIME boundary), so a test can compare the
    sink's bytes with exactly what was built: returns a function giving them."""
    built = []
    build = message.message

    def recording():
        mime = build()
        built.append(mime)
        return mime

    message.message = recording
    return lambda: built[-1].as_bytes(linesep="\r\n")


def delivered_to(sink) -> list[str]:
    """The first recipient of each message the sink accepted, in order."""
    return [received.rcpt_tos[0] for received in sink.received]
