"""Property: whatever a member writes, in whichever client's shape, we get exactly it back.

Hypothesis writes the member's text (greeting, items in any list style, sign-off) from a
vocabulary that includes words our rules look for ("On", "wrote", "From:", "Thanks",
"Sent", "--"); tests/inbound/replies/build.py puts it into a real client's shape. The
reply text must be exactly what was written (no leak, no drop) and the items exactly
the items.
"""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from apps.inbound.parsing import parse
from tests.inbound.replies import build
from tests.inbound.replies import content as C

# "Sent with Safari" alone is a mobile footer to anyone, so "Sent" never leads an item here.
VERBS = ["Shipped", "Fixed", "Reviewed", "Wrote", "Paired on", "Drafted", "Migrated",
         "Replied to", "Sent out", "Closed", "Deployed", "Debugged", "Tested", "Merged"]
WORDS = ["the", "export", "login", "test", "on", "from", "wrote", "thanks", "to", "Safari",
         "queue", "PR", "#812", "v2.4", "invoices", "docs", "with", "Sam", "team", "--",
         "On", "Monday", "regards", "sent", "cheers", "Postgres", "12:30", "a@b.example",
         "(draft)", "and", "for", "date", "subject:", "best", "hi"]

ITEM = st.builds(
    # An item ending in a colon after "wrote" and an address is an attribution to anyone.
    lambda verb, words: " ".join([verb, *words]).rstrip(":"),
    st.sampled_from(VERBS), st.lists(st.sampled_from(WORDS), min_size=1, max_size=9),
)
CLIENTS = {
    "gmail": build.gmail, "outlook": build.outlook_desktop, "outlook-web": build.outlook_web,
    "apple-mail": build.apple_mail, "thunderbird": build.thunderbird, "yahoo": build.yahoo,
    "android-gmail": build.android_gmail, "samsung": build.samsung,
    "iphone": lambda body, seq: build.apple_mail(body, seq, iphone=True),
    "outlook-mobile": lambda body, seq: build.outlook_web(body, seq, mobile=True),
    "mutt": lambda body, seq: build.mutt_inline(body, seq, split=False),
    "gmail-signature": lambda body, seq: build.gmail(
        body, seq, signature=build.SIGNATURES[body.lang], wrap_attribution="address"),
    "thunderbird-signature": lambda body, seq: build.thunderbird(
        body, seq, signature=build.SIGNATURES[body.lang]),
    "outlook-signature": lambda body, seq: build.outlook_desktop(
        body, seq, signature=build.SIGNATURES[body.lang], original=True),
    "gmail-html-only": build.gmail_html_only,
    "outlook-web-html-only": lambda body, seq: build.outlook_web(body, seq, html_only=True),
    "outlook-html-only": lambda body, seq: build.outlook_desktop(body, seq, html_only=True),
    "yahoo-html-only": lambda body, seq: build.yahoo(body, seq, html_only=True),
    "forward": build.forwarded,
    "forward-apple": lambda body, seq: build.forwarded(body, seq, apple=True),
}


@st.composite
def replies(draw):
    lang = draw(st.sampled_from(C.LANGS))
    body = build.Body(
        lang=lang,
        items=draw(st.lists(ITEM, min_size=1, max_size=5, unique=True)),
        style=draw(st.sampled_from(["-", "*", "1.", "1)", "lines", "•"])),
    )
    if draw(st.booleans()):
        body.greeting = draw(st.sampled_from(C.GREETINGS[lang]))
    if draw(st.booleans()):
        body.sign_off = draw(st.sampled_from(C.SIGN_OFFS[lang]))
        body.name = C.NAMES[lang][1]
    client = draw(st.sampled_from(sorted(CLIENTS)))
    if client == "mutt":
        body.greeting = ""  # an inline answer under the quote has no greeting
    return client, body, draw(st.sampled_from(QUOTED_SENDERS))


# Who the quoted mail was from, as the attribution or header block names them.
QUOTED_SENDERS = [
    "Donemail <reply+k7Qd2xVb@in.donemail.io>",
    '"Lovelace, Ada (Platform)" <ada.lovelace@example.com>',
    "Dr. Sam O'Neil <sam.oneil@example.co.uk>",
    "李娜 <lina@example.cn>",
    "José María Núñez-García <jm@example.es>",
    "reply+k7Qd2xVb@in.donemail.io",
]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(reply=replies())
def test_what_the_member_wrote_comes_back_exactly(reply):
    client, body, sender = reply
    original = C.R
    C.R = sender  # the builders read it when they write the attribution or header block
    try:
        raw, expected = CLIENTS[client](body, 1)
    finally:
        C.R = original

    parsed = parse(raw)

    assert parsed.reply_text == expected
    assert parsed.items == body.items
