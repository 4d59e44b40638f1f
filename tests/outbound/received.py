"""Reading what the SMTP sink received, as a mail client would."""

import email
import email.policy


def parsed(received) -> email.message.EmailMessage:
    return email.message_from_bytes(received.data, policy=email.policy.default)


def received_ids(sink) -> list[str]:
    """The Message-IDs the sink received, in order, repeats included."""
    return [parsed(r)["Message-ID"] for r in sink.received]
