"""The inbound webhook in SendGrid's default (parsed) mode, over real HTTP.

SendGrid takes the message apart into form fields, each text field in the
mail's own charset (named in `charsets`); the webhook must put one MIME
message back together without losing a header, a character or an attachment.
"""

import json
from email import policy
from email.parser import BytesParser

from apps.inbound.models import InboundEmail

from .sendgrid_posts import form_body, payload_post


def stored_message():
    email = InboundEmail.objects.get()
    assert email.mode == InboundEmail.Mode.PARSED
    return email, BytesParser(policy=policy.default).parsebytes(bytes(email.raw))


def text_of(message, subtype="plain") -> str:
    """The body as text, with the wire's CRLF line ends read as newlines."""
    return message.get_body(preferencelist=(subtype,)).get_content().replace("\r\n", "\n")


def test_parsed_mode_keeps_the_original_headers_and_both_bodies(webhook):
    response = webhook.post(*payload_post("sendgrid_inbound_parsed_basics"))

    assert response.status_code == 200
    email, message = stored_message()
    assert message["Message-ID"] == "<CAEPk3R+4Zr@mail.example.org>"
    assert message["Subject"] == "Test subject"
    assert message["Cc"] == "cc@example.com"
    assert len(message.get_all("Received")) == 3
    assert message["DKIM-Signature"].startswith("v=1; a=rsa-sha256")
    assert text_of(message).strip() == "Test body plain"
    assert text_of(message, "html").strip() == "<div>Test body html</div>"
    assert message.get_content_type() == "multipart/alternative"  # not the posted multipart/mixed
    assert email.envelope == {"to": ["test@inbound.example.com"],
                              "from": "envelope-from@example.org"}
    assert (email.spf, email.dkim, email.spam_score) == ("pass", "{@example.org : pass}", 1.7)
    assert email.from_addr == "from+test@example.org"
    assert email.message_id == "<CAEPk3R+4Zr@mail.example.org>"


def test_text_and_html_are_decoded_with_the_posted_charsets(webhook):
    """The captured post is not valid UTF-8: text is windows-1252, html iso-8859-1."""
    response = webhook.post(*payload_post("sendgrid_inbound_charsets"))

    assert response.status_code == 200
    _, message = stored_message()
    assert text_of(message).strip() == "Test the ESP\u2019s inbound charset handling\u2026"
    assert text_of(message, "html").strip() == "<p>\u00bfEsto se ve como esperabas?</p>"
    assert message["Subject"] == "Como usted pidi\u00f3"  # RFC 2047 in cp850, from `headers`
    assert message["From"].addresses[0].display_name == "Op\u00e9rateur de test"


def test_iso_2022_jp_and_latin1_fields_survive_the_rebuild(webhook):
    japanese = "今日はデプロイを終えました\n- レビュー完了"
    headers = ("From: Taro <taro@example.jp>\nTo: reply+abc@in.localhost\n"
               "Subject: =?ISO-2022-JP?B?GyRCJDMkcyRLJEEkTxsoQg==?=\n"
               "Message-ID: <jp-1@example.jp>\nMIME-Version: 1.0\n"
               "Content-Type: text/plain; charset=ISO-2022-JP\n")
    fields = {
        "headers": headers,
        "text": japanese.encode("iso-2022-jp"),
        "html": "<p>Caf\u00e9 cr\u00e8me fini</p>".encode("iso-8859-1"),
        "from": "Taro <taro@example.jp>",
        "to": "reply+abc@in.localhost",
        "subject": "\u3053\u3093\u306b\u3061\u306f".encode("iso-2022-jp"),
        "charsets": json.dumps({"text": "iso-2022-jp", "html": "iso-8859-1",
                                "subject": "iso-2022-jp", "from": "UTF-8", "to": "UTF-8"}),
        "envelope": json.dumps({"to": ["reply+abc@in.localhost"], "from": "taro@example.jp"}),
        "SPF": "pass", "dkim": "{@example.jp : pass}", "spam_score": "0.0",
    }

    response = webhook.post(form_body(fields))

    assert response.status_code == 200
    _, message = stored_message()
    assert text_of(message).rstrip("\n") == japanese
    assert text_of(message, "html").strip() == "<p>Caf\u00e9 cr\u00e8me fini</p>"
    assert message["Subject"] == "\u3053\u3093\u306b\u3061\u306f"


def test_windows_1252_text_without_headers_gets_headers_from_the_plain_fields(webhook):
    fields = {
        "text": "\u201cShipped\u201d the caf\u00e9 menu \u2013 done".encode("windows-1252"),
        "from": "Ada <ada@example.com>",
        "to": "reply+abc@in.localhost",
        "subject": "Re: What did you get done?",
        "charsets": json.dumps({"text": "windows-1252", "from": "UTF-8", "to": "UTF-8",
                                "subject": "UTF-8"}),
        "envelope": json.dumps({"to": ["reply+abc@in.localhost"], "from": "ada@example.com"}),
    }

    response = webhook.post(form_body(fields))

    assert response.status_code == 200
    email, message = stored_message()
    assert text_of(message).strip() == "\u201cShipped\u201d the caf\u00e9 menu \u2013 done"
    assert message["From"].addresses[0].addr_spec == "ada@example.com"
    assert (email.from_addr, email.subject) == ("ada@example.com", "Re: What did you get done?")


def test_attachments_are_rebuilt_with_their_names_and_bytes(webhook):
    response = webhook.post(*payload_post("sendgrid_inbound_attachments"))

    assert response.status_code == 200
    _, message = stored_message()
    attachments = {part.get_filename(): part for part in message.iter_attachments()}
    assert attachments["test.txt"].get_content() == "test attachment"
    assert "forwarded.msg" in attachments  # the Windows path is dropped from the name
    assert attachments["forwarded.msg"].get_content().startswith(b"Received: by luna.mailgun.net")
    inline = next(p for p in message.walk() if p["Content-ID"] == "<abc123>")
    assert inline.get_content_type() == "image/png"
    assert inline.get_content().startswith(b"\x89PNG")


def test_odd_attachment_filenames_are_kept_not_dropped(webhook):
    response = webhook.post(*payload_post("sendgrid_inbound_filtered_filenames"))

    assert response.status_code == 200
    _, message = stored_message()
    contents = [part.get_content() for part in message.iter_attachments()]
    assert len(contents) == 8
    assert {bytes(c) if isinstance(c, bytes) else c.encode() for c in contents} == {b"content"}


def test_a_parsed_mode_post_over_the_limit_keeps_only_its_headers(webhook, settings):
    settings.INBOUND_MAX_BYTES = 1024 * 1024
    headers = "From: Ada <ada@example.com>\nSubject: Big attachment\nMessage-ID: <big-p@x>\n"
    fields = {"headers": headers, "text": "see attached", "attachments": "1",
              "attachment-info": json.dumps({"attachment1": {"filename": "big.bin",
                                                             "type": "application/pdf"}})}
    body = form_body(fields, {"attachment1": ("big.bin", "application/pdf", b"%" * 2_000_000)})

    response = webhook.post(body)

    assert response.status_code == 200
    email = InboundEmail.objects.get()
    assert (email.state, email.mode, email.size) == ("rejected", "parsed", len(body))
    assert bytes(email.raw) == headers.replace("\n", "\r\n").encode()
    assert (email.from_addr, email.subject) == ("ada@example.com", "Big attachment")


def test_unreadable_envelope_and_spam_score_are_kept_as_given_not_refused(webhook):
    fields = {"headers": "From: ada@example.com\nSubject: hi\n", "text": "done",
              "envelope": "{not json", "spam_score": "n/a", "SPF": "pass"}

    response = webhook.post(form_body(fields))

    assert response.status_code == 200
    email = InboundEmail.objects.get()
    assert email.state == InboundEmail.State.RECEIVED
    assert email.envelope == {"unreadable": "{not json"}
    assert email.spam_score is None
