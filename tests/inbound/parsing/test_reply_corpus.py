"""Our own corpus (tests/inbound/replies/, built by its build.py): every client × language.

Each reply must give exactly the text the member wrote (no quoted history, no signature,
no sign-off) and exactly their done items; auto-replies and bounces must be recognised
and give neither.
"""

import json

import pytest

from apps.inbound.parsing import parse
from tests.inbound.corpus import OWN, own_cases, score

CASES = own_cases()


def test_the_corpus_covers_every_client_and_language():
    manifest = json.loads((OWN / "manifest.json").read_text())
    clients = {entry["client"] for entry in manifest}
    langs = {entry["lang"] for entry in manifest}

    assert len(manifest) >= 150
    assert {"gmail", "outlook", "outlook-web", "outlook-mobile", "apple-mail", "iphone",
            "thunderbird", "yahoo", "android-gmail", "samsung", "forward", "mutt",
            "auto-reply", "bounce", "charset", "rfc2047"} <= clients
    assert {"en", "de", "fr", "es", "pt", "nl", "it", "ru", "ja", "zh"} <= langs


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_reply_gives_what_the_member_wrote(case, record_score):
    parsed = parse(case.raw)
    verdict = score(case, parsed.reply_text)
    record_score("own corpus", verdict)

    assert parsed.error == ""
    assert (parsed.auto_reply, parsed.bounce) == (case.auto_reply, case.bounce)
    assert verdict == "exact", f"{verdict}: {parsed.reply_text!r} != {case.expected!r}"
    assert parsed.items == case.expected_items


SUBJECTS = [entry for entry in json.loads((OWN / "manifest.json").read_text())
            if "subject" in entry]


@pytest.mark.parametrize("entry", SUBJECTS, ids=[entry["file"] for entry in SUBJECTS])
def test_encoded_headers_decode(entry):
    parsed = parse((OWN / entry["file"]).read_bytes())

    assert parsed.subject == entry["subject"]
    if "from_name" in entry:
        assert parsed.from_name == entry["from_name"]
