"""Loading the reply corpora and scoring the parser on them (used by tests and bench/).

Two corpora:
- tests/corpus/public/: other projects' fixtures. Their expectations are the source
  projects' behaviour; where Donemail's policy differs (we strip signatures and sign-offs,
  and keep only the unquoted lines of an inline reply), `PUBLIC_OVERRIDES` gives our
  expectation and says why, as the corpus README asks.
- tests/inbound/replies/: our own replies as .eml files with `manifest.json`.

A result is `exact` when it equals the expectation under the case's comparison, a
`leak` when it holds a line the expectation does not (quoted text or a signature got
through), and a `drop` when it misses a line the expectation has.
"""

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PUBLIC = ROOT / "tests/corpus/public"
OWN = ROOT / "tests/inbound/replies"

_HTML_REPLY = "Hi. I am fine."
_EMAIL_1_2 = (
    "Hi,\n\nYou can list the keys for the bucket and call delete for each. Or if you\n"
    "put the keys (and kept track of them in your test) you can delete them\none at a time"
    " (without incurring the cost of calling list first.)\n\nSomething like:\n\n"
    '        String bucket = "my_bucket";\n'
    "        BucketResponse bucketResponse = riakClient.listBucket(bucket);\n"
    "        RiakBucketInfo bucketInfo = bucketResponse.getBucketInfo();\n\n"
    "        for(String key : bucketInfo.getKeys()) {\n"
    "            riakClient.delete(bucket, key);\n        }\n\n\nwould do it.\n\n"
    "See also\n\nhttp://wiki.basho.com/REST-API.html#Bucket-operations\n\nwhich says\n\n"
    '"At the moment there is no straightforward way to delete an entire\nBucket. There is,'
    " however, an open ticket for the feature. To delete all\nthe keys in a bucket, you’ll"
    ' need to delete them all individually."'
)
# file -> (our expectation, why it differs from the source project's)
PUBLIC_OVERRIDES = {
    "talon/standard_replies/iphone.eml": ("Hello", "we strip 'Sent from my iPhone'"),
    "talon/standard_replies/sparrow.eml": ("Hello", "we strip the '-- ' signature"),
    "talon/reply-quotations-share-block.eml": (
        "Hi Katharine.  Sounds great.  Are there and dietry restrictions or things your "
        "husband does/doesn't like to eat?  Would you like to do a few hors d oeuvres and then"
        " a 3 or 4 course dinner?  Let me know what you think will work best and I will start"
        " working on a menu and proposal.  Thanks so much and look forward to hearing from you"
        " soon.",
        "unasserted upstream; the new text is the paragraph, and 'Joe XXX' is its sign-off",
    ),
    "github_email_reply_parser/email_1_2.txt": (_EMAIL_1_2, "inline reply: unquoted lines"),
    "zapier_email_reply_parser/email_1_2.txt": (_EMAIL_1_2, "inline reply: unquoted lines"),
    "github_email_reply_parser/email_1_8.txt": (
        "I will reply under this one\n\nand under this.", "inline reply: unquoted lines"
    ),
    "zapier_email_reply_parser/email_1_8.txt": (
        "I will reply under this one\n\nand under this.", "inline reply: unquoted lines"
    ),
    "talon/reply-separated-by-hr.html": (
        "Hi\nthere\n\nBob",
        "'Bob' is above the rule, in the new text; talon drops it only because it shares a"
        " <div> with the <hr>",
    ),
    "github_email_reply_parser/pathological.txt": (
        "I think you're onto something. I will try to fix the problem as soon as I\n"
        "get back to a computer.",
        "unasserted upstream; the note's reading",
    ),
    "zapier_email_reply_parser/pathological.txt": (
        "I think you're onto something. I will try to fix the problem as soon as I\n"
        "get back to a computer.",
        "unasserted upstream; the note's reading",
    ),
}
for _name in ("gmail", "hotmail", "mail_ru", "ms_outlook_2003", "ms_outlook_2007",
              "ms_outlook_2010", "thunderbird", "windows_mail", "yandex_ru"):
    PUBLIC_OVERRIDES[f"talon/html_replies/{_name}.html"] = (
        _HTML_REPLY, "we strip the sign-off 'Thanks,\\nAlex'"
    )


@dataclass
class Case:
    name: str
    raw: bytes
    expected: str | None
    compare: str = "strip"
    expected_items: list[str] | None = None
    auto_reply: bool = False
    bounce: bool = False
    tags: list[str] = field(default_factory=list)


def _wrap_body(body: bytes, *, html: bool, sender: str | None) -> bytes:
    """A text-only fixture becomes the single-part message it was the body of."""
    head = (
        f"From: {sender or 'Member'} <member@example.com>\r\n"
        "To: reply+token@in.localhost\r\nSubject: Re: What did you get done today?\r\n"
        "Message-ID: <fixture@example.com>\r\nMIME-Version: 1.0\r\n"
        f"Content-Type: text/{'html' if html else 'plain'}; charset=utf-8\r\n"
        "Content-Transfer-Encoding: 8bit\r\n\r\n"
    )
    return head.encode() + body


def public_cases() -> list[Case]:
    manifest = json.loads((PUBLIC / "MANIFEST.json").read_text())
    cases = []
    for entry in manifest:
        if entry["format"] == "sendgrid-form-json":
            payload = json.loads((PUBLIC / entry["file"]).read_text())
            email = payload.get("fields", {}).get("email")
            if not email:
                continue
            raw = email.encode("utf-8")
        else:
            raw = (PUBLIC / entry["file"]).read_bytes()
            if entry["format"] in ("text-body", "html-body"):
                raw = _wrap_body(raw, html=entry["format"] == "html-body",
                                 sender=entry.get("sender"))
        expected = entry.get("expected_reply")
        compare = entry.get("compare") or "strip"
        if entry["file"] in PUBLIC_OVERRIDES:
            expected = PUBLIC_OVERRIDES[entry["file"]][0]
            compare = "ignore_all_whitespace" if entry["format"] == "html-body" else (
                "whitespace_normalised" if entry.get("compare") != "strip" else "strip"
            )
        cases.append(Case(name=entry["file"], raw=raw, expected=expected, compare=compare,
                          tags=[entry["kind"], entry["format"]]))
    return cases


def own_cases() -> list[Case]:
    manifest_path = OWN / "manifest.json"
    if not manifest_path.exists():
        return []
    cases = []
    for entry in json.loads(manifest_path.read_text()):
        cases.append(Case(
            name=entry["file"], raw=(OWN / entry["file"]).read_bytes(),
            expected=entry["reply_text"], compare="strip",
            expected_items=entry.get("items"), auto_reply=entry.get("auto_reply", False),
            bounce=entry.get("bounce", False), tags=entry.get("tags", []),
        ))
    return cases


def _normalise(text: str, compare: str) -> str:
    if compare == "ignore_all_whitespace":
        return re.sub(r"\s+", "", text)
    if compare == "whitespace_normalised":
        return re.sub(r"\s+", " ", text).strip()
    return text.strip()


def _line_set(text: str) -> set[str]:
    return {re.sub(r"\s+", " ", line).strip() for line in text.split("\n") if line.strip()}


def score(case: Case, got: str) -> str:
    """'exact', 'leak' (extra lines), 'drop' (missing lines) or 'wrong' (both)."""
    if _normalise(got, case.compare) == _normalise(case.expected, case.compare):
        return "exact"
    if case.compare == "ignore_all_whitespace":
        want, have = _normalise(case.expected, case.compare), _normalise(got, case.compare)
        return "leak" if want in have else "drop" if have in want else "wrong"
    extra = _line_set(got) - _line_set(case.expected)
    missing = _line_set(case.expected) - _line_set(got)
    if extra and missing:
        return "wrong"
    return "leak" if extra else "drop" if missing else "whitespace"
