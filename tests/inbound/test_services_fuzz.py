"""Broken mail and broken form data end in a state, never in a crash.

Property-based (hypothesis): whatever bytes arrive, the form reader either
reads them or says they are malformed, and the parse task ends with a verdict
on the row (never `failed`, which would mean a bug of ours).
"""

import io

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from apps.inbound.formdata import FormData, MalformedForm, form_read
from apps.inbound.models import InboundEmail
from apps.inbound.services import inbound_parse, inbound_store

FUZZ = settings(max_examples=60, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture])

_LINES = st.sampled_from([
    b"From: Ada <ada@example.com>", b"From: =?utf-8?b?broken", b"To: reply+abc@in.localhost",
    b"Subject: =?iso-2022-jp?B?GyRCJDMkcyRLJEEkTxsoQg==?=", b"Message-ID: <a@b>",
    b"In-Reply-To: <<<>>>", b"MIME-Version: 1.0",
    b'Content-Type: multipart/mixed; boundary="zz"', b"Content-Type: multipart/alternative",
    b"Content-Type: text/plain; charset=x-unknown", b"Content-Transfer-Encoding: base64",
    b"Content-Transfer-Encoding: quoted-printable", b"Auto-Submitted: auto-replied",
    b"--zz", b"--zz--", b"", b"- shipped it", b"=E9=\xff", b"\xe9t\xe9 caf\xe9", b"\x00\x01",
    b"begin 644 x.txt", b"SGVsbG8gd29ybGQ=", b"> quoted", b"On Mon, Ada wrote:",
])
broken_mail = st.lists(st.one_of(_LINES, st.binary(max_size=40)), max_size=30).map(
    lambda lines: b"\r\n".join(lines))


@FUZZ
@given(raw=broken_mail)
def test_any_bytes_end_in_a_verdict_not_a_failure(db, member, raw):
    email = inbound_store(raw=raw, mode="raw", envelope={"to": ["reply+abc@in.localhost"]})

    state = inbound_parse(inbound_id=email.pk)

    assert state in {InboundEmail.State.PARSED, InboundEmail.State.IGNORED,
                     InboundEmail.State.UNMATCHED, InboundEmail.State.REJECTED}
    assert InboundEmail.objects.get(pk=email.pk).state == state


_PARTS = st.sampled_from([
    b"--xYzZY\r\n", b"--xYzZY--\r\n", b'Content-Disposition: form-data; name="email"\r\n',
    b'Content-Disposition: form-data; name="a"; filename=""\r\n', b"Content-Disposition: x\r\n",
    b"\r\n", b"\xff\xfe header\r\n", b"value\r\n", b"--xYz", b"\r",
])


@FUZZ
@given(body=st.lists(st.one_of(_PARTS, st.binary(max_size=30)), max_size=25).map(b"".join))
def test_any_body_is_read_or_called_malformed(body):
    try:
        form = form_read(stream=io.BytesIO(body), length=len(body),
                         content_type="multipart/form-data; boundary=xYzZY")
    except MalformedForm:
        return
    assert isinstance(form, FormData)
    form.close()


_FIELD_VALUES = st.one_of(
    st.binary(max_size=60),
    st.sampled_from([b"{}", b"[]", b"{not json", b'{"text": "no-such-charset"}',
                     b'{"text": "utf-16", "html": "iso-2022-jp"}',
                     b'{"attachment1": {"filename": "..", "type": "text/"}}',
                     b'{"attachment1": {"type": "multipart/mixed", "content-id": "x"}}',
                     b'{"attachment2": "not a dict"}', b'{"attachment1": {"filename": 7}}',
                     b'{"attachment1": {"filename": "a\\nb", "content-id": "x\\r\\ny", '
                     b'"type": "text/pl ain"}}', b"From: a@b\nSubject: \xff\n",
                     b"\xff\xfe\x00", b"Content-Type: text/html\n"]),
)


@FUZZ
@given(fields=st.dictionaries(
    st.sampled_from(["headers", "text", "html", "from", "to", "cc", "subject", "charsets",
                     "envelope", "attachment-info", "attachment1", "attachment2", "SPF", "dkim",
                     "spam_score"]),
    _FIELD_VALUES, max_size=10))
def test_any_parsed_mode_fields_rebuild_into_a_message(fields):
    from email import message_from_bytes, policy

    from apps.inbound.sendgrid import delivery_read
    from tests.inbound.sendgrid_posts import form_body

    body = form_body(fields)
    form = form_read(stream=io.BytesIO(body), content_type="multipart/form-data; boundary=xYzZY",
                     length=len(body))
    with form:
        delivery = delivery_read(form)
    assert delivery.mode == "parsed"
    assert message_from_bytes(delivery.raw, policy=policy.default) is not None
