"""Whatever a member or an operator typed shows as text: escaped in the HTML
part, unchanged in the text part and the subject."""

from html.parser import HTMLParser

import pytest

from tests.emails import MONDAY, TUESDAY, digest_row, parts, person, reminder_row, render, wrote

HOSTILE = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(2)>",
    '"><b>bold</b>',
    "Fish & chips; 1 < 2 > 0 'quoted'",
]
# Every element the email templates use; anything else came from user text.
OUR_TAGS = {
    "html", "head", "meta", "title", "body", "div", "table", "tbody", "tr", "td", "h1", "h2",
    "p", "span", "a", "br",
}


class _Tags(HTMLParser):
    """The elements, attribute names and text a browser would see."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags, self.attributes, self.text = set(), set(), []

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        self.attributes.update(name for name, _ in attrs)

    def handle_data(self, data):
        self.text.append(data)


def tags_of(html: str) -> _Tags:
    parser = _Tags()
    parser.feed(html)
    return parser


@pytest.fixture
def hostile_world(team):
    team.name = 'R&D <Ops> "team"'
    team.save()
    eve = person(team, 'Eve <script>x</script> "Mallory"')
    ada = person(team, "Ada Lovelace")
    wrote(eve, MONDAY, *HOSTILE)
    wrote(ada, MONDAY, "line one\nline <two>")
    return ada, eve


def test_what_members_wrote_is_text_in_the_html_part(hostile_world):
    ada, _ = hostile_world
    _, html = parts(render(digest_row(ada, MONDAY)))
    found = tags_of(html)
    assert found.tags <= OUR_TAGS, found.tags - OUR_TAGS
    assert "onerror" not in found.attributes
    shown = "".join(found.text)
    for item in HOSTILE:
        assert f"\u2022\u00a0{item}" in shown  # the bullet, then the item as text
    assert 'Eve <script>x</script> "Mallory"' in shown
    assert 'R&D <Ops> "team"' in shown
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    # A member's line break becomes <br>, and that is the only markup they get.
    assert "line one<br>line &lt;two&gt;" in html


def test_what_members_wrote_is_unchanged_in_the_text_part_and_subject(hostile_world):
    ada, _ = hostile_world
    email = render(digest_row(ada, MONDAY))
    text, _ = parts(email)
    for item in HOSTILE:
        assert f"  - {item}\n" in text
    assert 'Eve <script>x</script> "Mallory"\n' in text
    assert "&lt;" not in text and "&amp;" not in text and "&#x27;" not in text
    assert email.subject == 'R&D <Ops> "team" — what got done on Mon 30 Nov: 5 items'


def test_a_hostile_name_is_text_in_the_reminder_too(hostile_world):
    _, eve = hostile_world
    email = render(reminder_row(eve, TUESDAY))
    text, html = parts(email)
    found = tags_of(html)
    assert found.tags <= OUR_TAGS
    assert 'Hi Eve <script>x</script> "Mallory",' in "".join(found.text)
    assert 'Hi Eve <script>x</script> "Mallory",' in text
