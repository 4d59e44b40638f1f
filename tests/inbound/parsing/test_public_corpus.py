"""Every message of tests/corpus/public/ through parse().

Replies must give the expected reply text (the source project's, or ours where
tests/inbound/corpus.py says why we differ); malformed mail must parse without raising
and give what a reader of it sees.
"""

import pytest

from apps.inbound.parsing import parse
from tests.inbound.corpus import PUBLIC, public_cases

CASES = public_cases()
REPLIES = [case for case in CASES if case.expected is not None]


@pytest.mark.parametrize("case", REPLIES, ids=[case.name for case in REPLIES])
def test_public_reply_gives_the_expected_text(case, record_score):
    from tests.inbound.corpus import score

    parsed = parse(case.raw)
    verdict = score(case, parsed.reply_text)
    record_score("public corpus", verdict)

    assert parsed.error == ""
    assert verdict == "exact", f"{verdict}: {parsed.reply_text!r} != {case.expected!r}"


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_every_public_message_parses_without_raising(case):
    parsed = parse(case.raw)

    assert parsed.error == ""
    assert parsed.message is not None
    assert isinstance(parsed.items, list)


def _spamscope(name: str):
    return parse((PUBLIC / "spamscope_mail_parser" / f"{name}.eml").read_bytes())


def test_a_delivery_status_report_is_a_bounce_with_no_reply():
    parsed = _spamscope("mail_malformed_2")

    assert parsed.bounce is True
    assert parsed.reply_text == "" and parsed.items == []
    assert "delivery problems" in parsed.body_text


def test_precedence_junk_is_not_a_reply():
    parsed = _spamscope("mail_test_16")

    assert parsed.auto_reply is True and parsed.reply_text == ""


def test_an_8bit_gb2312_body_and_its_encoded_subject_decode():
    parsed = _spamscope("mail_test_12")

    assert parsed.subject == "代开各地增值税发票"
    assert parsed.body_text.startswith("你好！我公司可代开各类增值税发票")


def test_a_utf8_body_with_a_stray_bad_byte_stays_cyrillic():
    parsed = _spamscope("mail_test_6")

    assert parsed.subject == "Быстрее вкладывайте в золото!"
    assert "Профессионалы.ru" in parsed.body_text


def test_an_rfc2047_display_name_with_a_comma_is_one_sender():
    parsed = _spamscope("mail_test_18")

    assert parsed.from_name == "LastßlName, FirstName"
    assert parsed.from_addr == "comma.name@example.com"


def test_an_html_only_message_becomes_text_without_markup():
    parsed = _spamscope("mail_test_4")

    assert parsed.body_text and "<" not in parsed.body_text[:200]


def test_a_multipart_whose_body_uses_another_boundary_still_gives_its_text():
    parsed = _spamscope("mail_malformed_3")

    assert parsed.body_text.startswith("Problemas para visualizar")
