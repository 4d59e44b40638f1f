"""BatchRenderer (apps/outbound/merging.py) gives each message exactly what
message_render gives it, rendering a group of reminders' templates once.

Byte for byte over hostile names, several teams, zones, dates and instants;
once a group, counted by the signal Django sends for every template render in
tests; message by message wherever a template asks for more than the
allowlist or a filter changed a token; digests and Skip as message_render.
The HTML inlined once a group, counted at the inliner, for values and
templates where that is exact, and per message, with the same bytes, where
it is not (a value that does not fit, a token in <script>, an inliner that
writes otherwise).
"""

import datetime as dt
import html
import logging
import re
import unicodedata

import pytest
import time_machine
from django.conf import settings as django_settings
from django.test.signals import template_rendered

from apps.outbound import inlining, merging, rendering
from apps.outbound.merging import BatchRenderer
from apps.outbound.mime import message_bytes
from apps.outbound.models import OutboundMessage
from apps.outbound.rendering import Skip, member_links, message_render
from apps.teams.models import Team

from tests.emails import MONDAY, TUESDAY, digest_row, person, reminder_row, wrote

NOW = dt.datetime(2026, 12, 1, 16, 0, 30, tzinfo=dt.UTC)
_BOUNDARY = re.compile(rb"={15}\d{19}==")
_DATE = re.compile(rb"\r\nDate: [^\r]*")

NASTY_NAMES = [
    'Eve "the" O\'Brien',
    "Fish & Chips <script>alert(1)</script>",
    '"><img src=x onerror=alert(2)>',
    "&amp; &lt;already&gt; &#x27;escaped&#x27;",
    "Line one\nline two\r\nand\ttabs\t",
    "\u202eRTL override עברית العربية",
    "Emoji 😀 👩‍💻 🏳️‍🌈",
    "Combining e\u0301 a\u0308 n\u0303",
    "Zoë Ångström-Çelik, PhD",
    "%(name)s %s {{ member.email }} {% if x %}",
    "Long " + "name " * 39,
    f"Ms {merging.PREFIX} Jones",
    f"Mr {merging.PREFIX.upper()}",
    " ",
    "",
    "\u200b",
]
# Longer than a name column holds: given to members as they are read.
READ_NAMES = [
    "A name of three hundred characters " * 8 + "x" * 20,
    merging.TOKENS["name"],
    f"{merging.TOKENS['unsubscribe_url']}&{merging.TOKENS['name']}<{merging.TOKENS['team_url']}>",
]
ZONES = ["Europe/London", "Asia/Kathmandu", "Pacific/Chatham", "America/St_Johns", "UTC"]


def as_sent(rows) -> list[OutboundMessage]:
    """The rows as batch_send reads them."""
    return list(
        OutboundMessage.objects.filter(pk__in=[row.pk for row in rows])
        .select_related("member__team").order_by("id")
    )


def wire(email) -> bytes:
    return _DATE.sub(b"", _BOUNDARY.sub(b"BOUNDARY", message_bytes(email)))


def undated(email) -> dict:
    return {name: value for name, value in email.extra_headers.items() if name != "Date"}


def assert_same(ours, reference) -> None:
    assert ours.subject == reference.subject
    assert ours.body == reference.body
    assert ours.alternatives == reference.alternatives
    assert (ours.from_email, ours.to, ours.reply_to) == (
        reference.from_email, reference.to, reference.reply_to,
    )
    assert undated(ours) == undated(reference)
    assert ours.envelope_from == reference.envelope_from
    assert ours.donemail_id == reference.donemail_id
    assert wire(ours) == wire(reference)


def both(messages) -> list[tuple]:
    """(BatchRenderer's email, message_render's) for each message, at one
    frozen instant: the links carry their signing time."""
    with time_machine.travel(NOW, tick=False):
        renderer = BatchRenderer()
        ours = [renderer.render(message) for message in messages]
        return list(zip(ours, [message_render(message) for message in messages]))


def one_by_one(messages, renders, suffix: str) -> list[tuple]:
    """both(messages), each pair the same, and the group not merged: its
    reminder template rendered for the skeleton, then for every message."""
    pairs = both(messages)
    for ours, reference in pairs:
        assert_same(ours, reference)
    assert renders.of(f"emails/reminder{suffix}") == 1 + 2 * len(messages)
    return pairs


class Renders:
    """How often each template was rendered while counting."""

    def __init__(self):
        self.names = []

    def __call__(self, sender, template, context, **kwargs):
        self.names.append(template.name)

    def of(self, name: str) -> int:
        return self.names.count(name)


@pytest.fixture
def renders():
    counted = Renders()
    template_rendered.connect(counted)
    yield counted
    template_rendered.disconnect(counted)


@pytest.fixture
def teams(team):
    hostile = Team.objects.create(name='R&D <Ops> "team"\r\nBcc: x@example.com', slug="rnd")
    plain = Team.objects.create(name="Ünïcode Ltd 😀", slug="unicode")
    return [team, hostile, plain]


@pytest.fixture
def crowd(teams, make_member):
    """Every nasty name in every team, in turn through the zones and two
    reminder hours, each with reminders for two days."""
    rows = []
    for t, team in enumerate(teams):
        for n, name in enumerate(NASTY_NAMES):
            member = make_member(
                team=team, name=name, time_zone=ZONES[(n + t) % len(ZONES)],
                reminder_hour=17 + n % 2,
            )
            rows += [reminder_row(member, MONDAY), reminder_row(member, TUESDAY)]
    messages = as_sent(rows)
    for message, name in zip(messages[::7], READ_NAMES * len(teams)):
        message.member.name = name
    return messages


def test_every_reminder_is_byte_for_byte_message_renders(crowd):
    assert {len(message.member.name) for message in crowd} >= {300, 256}
    for ours, reference in both(crowd):
        assert_same(ours, reference)


def test_each_member_is_greeted_by_their_own_name(crowd):
    for (ours, _), message in zip(both(crowd), crowd):
        name = message.member.name
        assert f"Hi {name},\n" in ours.body
        shown = html.unescape(ours.alternatives[0].content)  # as a browser reads it
        assert f"Hi {name},</h1>".replace("\r\n", "\n") in shown


def test_the_crowd_is_merged_into_one_render_a_group(crowd, renders):
    groups = {merging.group_key(message) for message in crowd}
    assert len(groups) < len(crowd)
    both(crowd)
    for name in ("emails/reminder.subject.txt", "emails/reminder.txt", "emails/_links.txt",
                 "emails/reminder.html", "emails/base.html"):
        assert renders.of(name) == len(groups) + len(crowd), name


@pytest.mark.parametrize("count", [1, 30])
def test_a_group_renders_its_templates_once_for_any_number_of_messages(team, renders, count):
    rows = [reminder_row(person(team, f"Member {n}"), TUESDAY) for n in range(count)]
    messages = as_sent(rows)
    renderer = BatchRenderer()
    emails = [renderer.render(message) for message in messages]
    assert {name: renders.of(name) for name in set(renders.names)} == {
        "emails/reminder.subject.txt": 1, "emails/reminder.txt": 1, "emails/_links.txt": 1,
        "emails/reminder.html": 1, "emails/base.html": 1,
    }
    assert [email.to[0] for email in emails] == [f"Member {n} <member{n}@example.com>"
                                                 for n in range(count)]


def test_what_the_templates_see_but_the_member_splits_groups(teams):
    a = person(teams[0], "A", zone="Asia/Kathmandu")
    b = person(teams[0], "B", zone="Asia/Kathmandu")
    c = person(teams[0], "C", zone="Pacific/Chatham")
    d = person(teams[1], "D", zone="Asia/Kathmandu")
    e = person(teams[0], "E", zone="Asia/Kathmandu", reminder_hour=9)
    messages = as_sent([reminder_row(m, TUESDAY) for m in (a, b, c, d, e)]
                       + [reminder_row(a, MONDAY)])
    keys = [merging.group_key(message) for message in messages]
    assert keys[0] == keys[1]
    assert len(set(keys)) == 5


def test_a_team_renamed_between_two_rows_is_another_group(team):
    first, second = (person(team, name) for name in ("Ann", "Bob"))
    [one] = as_sent([reminder_row(first, TUESDAY)])
    team.name = "Platform, renamed"
    team.save()
    [two] = as_sent([reminder_row(second, TUESDAY)])
    assert merging.group_key(one) != merging.group_key(two)
    renderer = BatchRenderer()
    assert "Platform, renamed" not in renderer.render(one).alternatives[0].content
    assert "Platform, renamed" in renderer.render(two).alternatives[0].content


def test_the_language_is_part_of_the_group(team, settings):
    [message] = as_sent([reminder_row(person(team, "Ann"), TUESDAY)])
    english = merging.group_key(message)
    settings.LANGUAGES = [("en", "English"), ("de", "Deutsch")]
    settings.LANGUAGE_CODE = "de"
    assert merging.group_key(message) != english
    for ours, reference in both([message]):
        assert_same(ours, reference)
        assert '<html lang="de">' in ours.alternatives[0].content


def test_the_links_the_skeleton_stands_in_for_are_the_members_links(member):
    [message] = as_sent([reminder_row(member, TUESDAY)])
    assert set(member_links(message)) == set(merging.LINKS)


def test_a_team_name_holding_the_prefix_is_rendered_one_by_one(team, renders):
    team.name = f"Team {merging.PREFIX}"
    team.save()
    messages = as_sent([reminder_row(person(team, f"M{n}"), TUESDAY) for n in range(3)])
    one_by_one(messages, renders, ".txt")


# Templates of our own in front of the real ones: the reminder, changed.
@pytest.fixture
def reminder_templates(settings, tmp_path):
    (tmp_path / "emails").mkdir()
    settings.TEMPLATES = [{
        **django_settings.TEMPLATES[0], "DIRS": [tmp_path, *django_settings.TEMPLATES[0]["DIRS"]],
    }]

    def write(suffix: str, source: str) -> None:
        (tmp_path / "emails" / f"reminder{suffix}").write_text(source)

    return write


TXT = '{% load i18n emailtext %}{% autoescape off %}Hi {{ member.name }},\n{{ extra }}\n' \
      '{% include "emails/_links.txt" with unsubscribe_label="Stop" %}{% endautoescape %}'
HTML = '{% extends "emails/base.html" %}{% block content %}<h1>Hi {{ member.name }}</h1>' \
       '{{ extra }}{% endblock %}'


@pytest.mark.parametrize("suffix,source,own", [
    (".txt", TXT.replace("{{ extra }}", "Your address: {{ member.email }}"),
     lambda m: m.member.email),
    (".html", HTML.replace("{{ extra }}", "<p>{{ message.message_id }}</p>"),
     lambda m: m.message_id.strip("<>")),
    (".html", HTML.replace("{{ extra }}", "<p>{{ message.member.email }}</p>"),
     lambda m: m.member.email),
    (".txt", TXT.replace("{{ extra }}", "{{ member }}"), lambda m: str(m.member)),
    (".txt", TXT.replace("{{ extra }}", "{{ member.reply_token }}"),
     lambda m: m.member.reply_token),
    # {% if %} swallows what its operands raise: the refusal is noted anyway.
    (".html", HTML.replace("{{ extra }}", '{% if member.email == "x" %}x{% endif %}'), None),
    (".subject.txt", "{{ member.pk }} {{ member.email }}",
     lambda m: f"{m.member.pk} {m.member.email}"),
])
def test_a_template_asking_for_more_than_the_allowlist_is_rendered_one_by_one(
    make_member, reminder_templates, renders, suffix, source, own,
):
    reminder_templates(suffix, source)
    messages = as_sent([reminder_row(make_member(), TUESDAY) for _ in range(3)])
    pairs = one_by_one(messages, renders, suffix)
    if own is None:
        return
    for (ours, _), message in zip(pairs, messages):
        everything = ours.subject + ours.body + ours.alternatives[0].content
        assert own(message) in everything
        assert [own(other) in everything for other in messages].count(True) == 1


@pytest.mark.parametrize("suffix,source", [
    (".txt", TXT.replace("{{ extra }}", "{{ member.name|upper }}")),
    (".txt", TXT.replace("{{ extra }}", "{{ member.name|lower }}")),
    (".txt", TXT.replace("{{ extra }}", "{{ member.name|title }}")),
    (".txt", TXT.replace("{{ extra }}", "{{ member.name|capfirst }}")),
    (".html", HTML.replace("{{ extra }}", "<p>{{ member.name|truncatechars:10 }}</p>")),
    (".html", HTML.replace("{{ extra }}", "<p>{{ unsubscribe_url|truncatechars:30 }}</p>")),
    (".subject.txt", "{{ member.name|slice:':12' }}"),
])
def test_a_filter_that_changes_a_token_sends_the_group_one_by_one(
    team, reminder_templates, renders, suffix, source,
):
    reminder_templates(suffix, source)
    members = [person(team, name) for name in ("ann smith", "Bob Jones", "Cy de la Cruz-Ortega")]
    one_by_one(as_sent([reminder_row(m, TUESDAY) for m in members]), renders, suffix)


def test_a_template_using_only_the_allowlist_is_still_merged(team, reminder_templates, renders):
    reminder_templates(".txt", TXT.replace(
        "{{ extra }}", "{{ member.time_zone }} {{ member.team.name }} {{ message.kind }} "
        "{{ message.local_date }} {{ message.scheduled_for|time:'H:i' }} {{ team_url }}",
    ))
    messages = as_sent([reminder_row(person(team, f"M{n}", zone="Asia/Kathmandu"), TUESDAY)
                        for n in range(4)])
    for ours, reference in both(messages):
        assert_same(ours, reference)
    assert renders.of("emails/reminder.txt") == 1 + len(messages)


def test_digests_are_rendered_by_message_render(team, renders):
    ada, grace = person(team, "Ada Lovelace"), person(team, "Grace Hopper")
    wrote(ada, MONDAY, "one thing", "<b>another</b>")
    messages = as_sent([digest_row(ada, MONDAY), digest_row(grace, MONDAY)])
    with time_machine.travel(NOW, tick=False):
        ours = [BatchRenderer().render(message) for message in messages]
    assert renders.of("emails/digest.html") == len(messages)
    for email, reference in zip(ours, both(messages)):
        assert_same(email, reference[1])
    assert "Ada Lovelace (you)" in ours[0].body
    assert "Ada Lovelace (you)" not in ours[1].body


def test_an_empty_digest_is_skipped_as_message_render_skips_it(team):
    ada = person(team, "Ada Lovelace")
    [message] = as_sent([digest_row(ada, MONDAY)])
    with pytest.raises(Skip) as reference:
        message_render(message)
    with pytest.raises(Skip) as ours:
        BatchRenderer().render(message)
    assert str(ours.value) == str(reference.value)


def test_a_bad_zone_fails_as_message_render_fails(team):
    [message] = as_sent([reminder_row(person(team, "Ann"), TUESDAY)])
    message.member.time_zone = "Mars/Olympus_Mons"
    with pytest.raises(Exception) as reference:
        message_render(message)
    with pytest.raises(Exception) as ours:
        BatchRenderer().render(message)
    assert type(ours.value) is type(reference.value)


def test_list_unsubscribe_names_the_bodys_link(team):
    [message] = as_sent([reminder_row(person(team, "Ann"), TUESDAY)])
    email = BatchRenderer().render(message)
    url = re.search(r"<(https?://[^>]+)>", email.extra_headers["List-Unsubscribe"]).group(1)
    assert f"  {url}\n" in email.body
    assert f'href="{url}"' in email.alternatives[0].content


def test_a_long_lived_renderer_keeps_only_its_latest_groups(team, monkeypatch, renders):
    monkeypatch.setattr(BatchRenderer, "MAX_GROUPS", 2)
    rows = [reminder_row(person(team, f"M{n}", reminder_hour=n), TUESDAY) for n in range(4)]
    renderer = BatchRenderer()
    messages = as_sent(rows)
    for message in messages:
        renderer.render(message)
    assert renders.of("emails/reminder.txt") == 4
    renderer.render(messages[3])
    assert renders.of("emails/reminder.txt") == 4
    renderer.render(messages[0])
    assert renders.of("emails/reminder.txt") == 5


# The HTML inlined once a group: counted at the inliner, bytes compared with
# message_render's.

class CountingInliner:
    """css_inline's inliner, counted, and its output changed by `alter`."""

    def __init__(self, inliner, alter=lambda html: html):
        self.calls = 0
        self._inliner = inliner
        self._alter = alter

    def inline(self, html: str) -> str:
        self.calls += 1
        return self._alter(self._inliner.inline(html))


@pytest.fixture
def inliner(monkeypatch):
    counting = CountingInliner(rendering._inliner)
    monkeypatch.setattr(rendering, "_inliner", counting)
    return counting


def named(team, names) -> list[OutboundMessage]:
    """One group's reminders, their members named `names` as read (a name
    column holds neither NUL nor 300 characters)."""
    messages = as_sent([reminder_row(person(team, f"M{n}"), TUESDAY) for n in range(len(names))])
    for message, name in zip(messages, names):
        message.member.name = name
    return messages


def batch_inlines(messages, inliner) -> int:
    """How often BatchRenderer inlined for `messages`, each of its emails
    asserted the same as message_render's."""
    with time_machine.travel(NOW, tick=False):
        before = inliner.calls
        renderer = BatchRenderer()
        ours = [renderer.render(message) for message in messages]
        calls = inliner.calls - before
        for email, message in zip(ours, messages):
            assert_same(email, message_render(message))
    return calls


ONCE = 2  # the skeleton, then the probe
FITTING_NAMES = [
    "Fish & Chips <script>alert(1)</script>",
    'Eve "the" O\'Brien `x`=y',
    "&amp; &lt;already&gt; &#x27;escaped&#x27; &nbsp; &copy &co",
    "No\xa0break\xa0spaces\xa0",
    "Emoji 😀 👩\u200d💻 🏳️\u200d🌈",
    "\u202eRTL override עברית\u200f العربية\u200e",
    "Combining e\u0301 a\u0308, and NFC é",
    "Zero\u200bwidth \u2028 \u2029 \ufdd0 \U0010ffff",
    "Very long " + "name & <more> " * 40,
    f"Ms {merging.PREFIX} Jones {merging.PREFIX.upper()}",
    merging.TOKENS["name"],
    f"{merging.TOKENS['unsubscribe_url']}&{merging.TOKENS['name']}<{merging.TOKENS['team_url']}>",
    "Trailing space ",
    "\u200b",
    "py",
    "1",
]
UNFITTING_NAMES = [
    "CR\rhere", "CRLF\r\nhere", "NUL\x00here", "tab\there", "new\nline", "form\x0cfeed",
    "C1\x85next line", "del\x7f", "\ufeffBOM", " leading space", " ", "",
]


def test_the_probe_fits_and_holds_what_html5ever_escapes():
    for field in merging.TOKENS:
        value = inlining.probe(field)
        assert inlining.value_fits(value)
        assert set("&<>\"'\xa0 ") <= set(value)
        assert value.endswith(" ")


def test_what_fits_and_what_does_not():
    assert all(inlining.value_fits(name) for name in FITTING_NAMES)
    assert not any(inlining.value_fits(name) for name in UNFITTING_NAMES)
    assert not inlining.value_fits("\ud800 surrogate")


def test_html5ever_escapes_as_the_fill_does_for_every_fitting_character():
    """Every code point value_fits lets through, in text and in an attribute:
    inlined once and filled equals inlined filled (Django's escapes)."""
    characters = [chr(c) for c in range(0x20, 0x110000, 7)] + [chr(c) for c in range(0x20, 0x800)]
    characters = [c for c in characters if inlining.value_fits("x" + c)]
    source = '<p><a href="{0}" title="t{0}">x{0}y</a></p>'
    for at in range(0, len(characters), 5000):
        value = "x" + "".join(characters[at:at + 5000])
        inlined = rendering.html_inline(source.format(merging.TOKENS["name"]))
        pieces = inlining.contexts_cut(inlined, merging._CUT, merging._FIELD_OF)
        assert [escape for _, escape in pieces[1::2]] == [
            inlining.attribute_escape, inlining.attribute_escape, inlining.text_escape]
        ours = inlining.inlined_fill(pieces, {"name": value})
        assert ours == rendering.html_inline(source.format(html.escape(value)))


def test_a_group_inlines_its_html_once_for_names_that_fit(team, inliner):
    messages = named(team, FITTING_NAMES * 2)
    assert batch_inlines(messages, inliner) == ONCE


def test_a_name_that_does_not_fit_is_inlined_with_its_message(team, inliner):
    messages = named(team, [val for pair in zip(UNFITTING_NAMES, FITTING_NAMES) for val in pair])
    assert batch_inlines(messages, inliner) == ONCE + len(UNFITTING_NAMES)


def test_the_hostile_crowd_is_the_same_inlined_once(crowd, inliner):
    groups = {merging.group_key(message) for message in crowd}
    unfit = [m for m in crowd if not inlining.value_fits(m.member.name)]
    assert 0 < len(unfit) < len(crowd)
    assert batch_inlines(crowd, inliner) == len(groups) * ONCE + len(unfit)


# Reminder HTML of our own: its tokens where the real one has none.
def html_of(content: str, head: str = "") -> str:
    return ('{% extends "emails/base.html" %}{% block title %}' + head + '{% endblock %}'
            '{% block content %}' + content + '{% endblock %}')


NAME = "{{ member.name }}"
INLINED_ONCE = [
    f'<h1 title="{NAME}">Hi {NAME}</h1><img alt="{NAME}" src="x.png">'
    f'<p><a href="{{{{ team_url }}}}" title="Team of {NAME}">{{{{ team_url }}}}</a></p>',
    f"<pre>{NAME}</pre><textarea>{NAME}</textarea>",
    f"<table>{NAME}<tr><td>{NAME}</td></tr></table>",
    f"<p>{NAME}{{{{ unsubscribe_url }}}}{NAME}</p><p>&amp;{NAME};&gt;</p>",
    f"<svg><text>{NAME}</text><a href='{{{{ team_url }}}}'>x</a></svg>",
    f"<p>body text</p><frameset>{NAME}</frameset>",
]
NAMES = ["Ann", "Bob & <Co>", 'Eve "E" O\'Brien', "Zoë\xa0😀", "py"]


@pytest.mark.parametrize("content", INLINED_ONCE)
def test_tokens_in_text_and_attributes_are_inlined_once(
    team, reminder_templates, inliner, content,
):
    reminder_templates(".html", html_of(content, head=f"Hi {NAME}"))
    assert batch_inlines(named(team, NAMES), inliner) == ONCE


INLINED_ONE_BY_ONE = [
    f'<script>var name = "{NAME}";</script>',
    f"<style>/* {NAME} */ p {{ color: red; }}</style>",
    f"<!-- {NAME} -->",
    f"<noscript>{NAME}</noscript>",
    f'<p class="{NAME}">class</p>',
    f'<style>#card {{ color: blue; }}</style><p style="color: red" id="{NAME}">id</p>',
    f"<p title={NAME}>unquoted: a space in the probe ends it</p>",
    f"<p>&co{NAME}</p>",
    f"<p>&#x{NAME}</p>",
    f'<style>a[title="Ann"] {{ color: red; }}</style><a title="{NAME}" href="#">x</a>',
    f'<link rel="stylesheet" href="x.css"><a title="{NAME}" href="#">x</a>',
    f"<x{NAME}>a tag of the name</x{NAME}>",
    f"<p>an end tag of the name</{NAME}></p>",
]


@pytest.mark.parametrize("content", INLINED_ONE_BY_ONE)
def test_tokens_where_values_may_not_read_as_characters_are_inlined_one_by_one(
    team, reminder_templates, inliner, caplog, content,
):
    reminder_templates(".html", html_of(content))
    messages = named(team, NAMES + ["1x", "Ann Lee", "card", "color: red"])
    with caplog.at_level(logging.INFO, logger="apps.outbound.merging"):
        calls = batch_inlines(messages, inliner)
    assert len(messages) <= calls <= len(messages) + ONCE
    assert "has its HTML inlined one by one" in caplog.text


def test_a_probe_the_inliner_refuses_leaves_the_group_one_by_one(
    team, reminder_templates, inliner, caplog,
):
    """A style attribute of the name: the probe is no CSS (css_inline raises),
    a member's may be."""
    reminder_templates(".html", html_of(f'<p style="{NAME}">style</p>'))
    messages = named(team, ["color: red", "font-weight: 700;", "a:b"])
    with caplog.at_level(logging.INFO, logger="apps.outbound.merging"):
        assert len(messages) <= batch_inlines(messages, inliner) <= len(messages) + ONCE
    assert "has its HTML inlined one by one" in caplog.text


@pytest.mark.parametrize("alter", [
    lambda html: html.replace("&quot;", "&#34;"),
    lambda html: html.replace("&nbsp;", "\xa0"),
    lambda html: unicodedata.normalize("NFC", html),
    lambda html: html.replace("\u202e", ""),
    lambda html: html.replace("  ", " "),
], ids=["quot", "nbsp", "nfc", "rtl", "spaces"])
def test_an_inliner_that_writes_otherwise_is_caught_by_the_probe(
    team, monkeypatch, caplog, alter,
):
    counting = CountingInliner(rendering._inliner, alter)
    monkeypatch.setattr(rendering, "_inliner", counting)
    messages = named(team, NAMES + ['Long  "spaced"\xa0\u202e e\u0301'])
    with caplog.at_level(logging.INFO, logger="apps.outbound.merging"):
        assert batch_inlines(messages, counting) == ONCE + len(messages)
    assert "the probe's HTML inlined once differs" in caplog.text
