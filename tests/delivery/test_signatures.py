import time

import pytest

from apps.delivery.signatures import SignatureError, verify
from tests.delivery.conftest import Signer

BODY = b'[{"email":"ada@example.com","event":"delivered","sg_event_id":"x1"}]\r\n'


def check(signer, body=BODY, headers=None, keys=None, tolerance=600):
    headers = headers or signer.headers(BODY)
    verify(
        body=body,
        signature=headers["X-Twilio-Email-Event-Webhook-Signature"],
        timestamp=headers["X-Twilio-Email-Event-Webhook-Timestamp"],
        public_keys=keys or [signer.public_key], tolerance=tolerance,
    )


def test_a_valid_signature_over_the_exact_bytes_passes(signer):
    check(signer)


def test_a_tampered_body_fails(signer):
    with pytest.raises(SignatureError, match="no configured key"):
        check(signer, body=BODY.replace(b"delivered", b"bounce"))


def test_a_signature_by_another_key_fails(signer):
    with pytest.raises(SignatureError):
        check(Signer(), headers=signer.headers(BODY), keys=[Signer().public_key])


def test_an_old_timestamp_fails_even_with_a_valid_signature(signer):
    old = int(time.time()) - 3600
    with pytest.raises(SignatureError, match="tolerance"):
        check(signer, headers=signer.headers(BODY, timestamp=old))


def test_any_of_several_keys_verifies_during_rotation(signer):
    check(signer, keys=[Signer().public_key, signer.public_key])


def test_a_key_in_pem_armour_is_accepted(signer):
    pem = f"-----BEGIN PUBLIC KEY-----\n{signer.public_key}\n-----END PUBLIC KEY-----"
    check(signer, keys=[pem])


@pytest.mark.parametrize("signature, timestamp", [(None, "1"), ("abc", None), ("%%%", "1")])
def test_missing_or_garbled_headers_fail(signer, signature, timestamp):
    with pytest.raises(SignatureError):
        verify(body=BODY, signature=signature, timestamp=timestamp,
               public_keys=[signer.public_key], tolerance=10**10)
