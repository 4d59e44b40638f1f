"""A merged group's HTML inlined once, and filled the way html5ever writes it.

css_inline parses the HTML with html5ever and writes the tree back out, so
what a member's HTML becomes is not what went in: entities are decoded and
written again html5ever's way. Filling an inlined skeleton with Django's
escapes would not give those bytes; filling it with what html5ever would
write for the member's value does, wherever that value stands where its
characters are read as characters, one by one:

- in text, html5ever writes & as &amp;, U+00A0 as &nbsp;, < and > as &lt; and
  &gt;; in an attribute value, & and U+00A0 the same and " as &quot;; every
  other character as it is (checked against css-inline 0.24 for every code
  point but controls and surrogates). Django's escapes (&amp; &lt; &gt;
  &quot; &#x27;) decode, in both, to the member's own characters;
- contexts_cut tells the two apart in the inlined skeleton, which html5ever
  wrote and so is regular (text escapes < and >; attribute values are
  double-quoted and escape "). A token anywhere else (a comment, a tag or
  attribute name, the raw text of <style> or <script>) is refused, and so is
  one in an attribute the inliner reads (class, id, style: only href, title
  and alt are taken) or under a style sheet with attribute selectors (or a
  <link>ed one);
- a member's value may hold no control character (CR and NUL are rewritten
  by the parser, newlines after <pre> dropped), no surrogate, no U+FEFF; it
  may not be empty or begin with a space: the tree builder treats a run of
  spaces otherwise than other characters (before <body>, in a table), and the
  token it stands for begins with a letter. A value that fits none of this is
  inlined with its message, as before;
- no & in the skeleton may run up to a token: `&co` + "py" would read as ©.

What this reasoning might miss (a version of css-inline escaping otherwise, a
context it did not foresee) the probe catches per group: merging.py fills
the inlined skeleton with probe values holding every character class a
member's value may hold, and compares it with inlining the probe's Django
escaped fill; any difference keeps the group's HTML inlined per message.
"""

import re

from django.utils.html import conditional_escape


def text_escape(value: str) -> str:
    """`value` as html5ever writes it in a text node."""
    return (value.replace("&", "&amp;").replace("\xa0", "&nbsp;")
            .replace("<", "&lt;").replace(">", "&gt;"))


def attribute_escape(value: str) -> str:
    """`value` as html5ever writes it in a (double-quoted) attribute value."""
    return value.replace("&", "&amp;").replace("\xa0", "&nbsp;").replace('"', "&quot;")


_UNFIT = re.compile(r"\A(?:\Z| )|[\x00-\x1f\x7f-\x9f\ud800-\udfff\ufeff]")


def value_fits(value: str) -> bool:
    """Whether `value` may fill an inlined skeleton: non-empty, not beginning
    with a space, without controls, surrogates or U+FEFF."""
    return _UNFIT.search(value) is None


def probe(field: str) -> str:
    """A value of each character class value_fits lets through: Django's five
    escapes, U+00A0 and other characters html5ever writes as they are (ASCII
    punctuation, two-, three- and four-octet UTF-8, combining and
    right-to-left marks, noncharacters), spaces inside, doubled and at the
    end."""
    return (f"&{field}<b>\"x\"='y'`z`</b>;&amp;  &#39;\xa0\xa0é Ångström ж "
            "\u202eעברית\u200f العربية\u202c e\u0301 😀👩\u200d💻 \ufdd0\U0010ffff\u200b ")


_CHARACTER_REFERENCE_OPEN = re.compile(r"&[#0-9A-Za-z]*\Z")


def reference_open(piece: str) -> bool:
    """Whether `piece`, standing before a token, ends in an & the token's
    letters could continue into a character reference."""
    return _CHARACTER_REFERENCE_OPEN.search(piece) is not None


_STYLE_SHEET = re.compile(r"<style\b[^>]*>(.*?)</style", re.IGNORECASE | re.DOTALL)
_LINK = re.compile(r"<link\b", re.IGNORECASE)


def attribute_selectors(html: str) -> bool:
    """Whether a style sheet of `html` may select on attribute values (a
    member's link could then decide which rules its element gets). A linked
    sheet, which this cannot read, counts as one."""
    return _LINK.search(html) is not None or any(
        "[" in sheet for sheet in _STYLE_SHEET.findall(html))


class Unsure(Exception):
    """A token stands where a member's value might not be read as characters."""


# What html5ever writes: comments and doctypes, end tags, start tags with
# double-quoted attribute values (" written as &quot;), text (< written &lt;).
_SEGMENT = re.compile(r"""
    (?P<aside><!--.*?-->|<![^>]*>|<\?[^>]*>)
  | (?P<end></[^>]*>)
  | <(?P<tag>[^\s"'/<>=]+)(?P<attributes>(?:\s+[^\s"'/<>=]+="[^"]*")*)\s*/?>
  | (?P<text>[^<]+)
""", re.VERBOSE | re.DOTALL)
_ATTRIBUTE = re.compile(r'(\s+([^\s"\'/<>=]+)=")([^"]*)(")')
# Elements html5ever writes the text of as it is.
_RAW_TEXT = frozenset({
    "style", "script", "xmp", "iframe", "noembed", "noframes", "plaintext", "noscript",
})
_FILLABLE_ATTRIBUTES = frozenset({"href", "title", "alt"})
_UNFILLABLE_TAGS = frozenset({"base", "link"})


class _Pieces:
    """Literal text at even indices, (field, escape) at odd ones."""

    def __init__(self, cut: re.Pattern, field_of: dict[str, str]):
        self._done: list = []
        self._literal: list[str] = []  # joined once a token ends it: no += on long strings
        self._cut = cut
        self._field_of = field_of

    def add(self, chunk: str, escape=None, where: str = "") -> None:
        """`chunk` as it is, but for its tokens: filled through `escape`, or
        refused where there is none."""
        split = self._cut.split(chunk)
        if escape is None and len(split) > 1:
            raise Unsure(f"a token stands in {where}")
        self._literal.append(split[0])
        for token, literal in zip(split[1::2], split[2::2]):
            self._done += ["".join(self._literal), (self._field_of[token], escape)]
            self._literal = [literal]

    @property
    def pieces(self) -> list:
        return [*self._done, "".join(self._literal)]


def _start_tag_add(pieces: _Pieces, match: re.Match) -> None:
    tag = match["tag"].lower()
    pieces.add(match.group()[:match.start("attributes") - match.start()], where="a tag name")
    for attribute in _ATTRIBUTE.finditer(match["attributes"]):
        name = attribute[2].lower()
        fillable = name in _FILLABLE_ATTRIBUTES and tag not in _UNFILLABLE_TAGS
        pieces.add(attribute[1], where="an attribute name")
        pieces.add(attribute[3], attribute_escape if fillable else None,
                   where=f"the {name} attribute of <{tag}>")
        pieces.add(attribute[4])
    pieces.add(match.group()[match.end("attributes") - match.start():])


def contexts_cut(inlined: str, cut: re.Pattern, field_of: dict[str, str]) -> list:
    """`inlined` (html5ever's writing of a skeleton) cut at its tokens, each
    with the escape of where it stands. Raises Unsure if one stands where a
    value might be read otherwise than as characters, or `inlined` is not
    what html5ever writes."""
    pieces = _Pieces(cut, field_of)
    at = 0
    while at < len(inlined):
        match = _SEGMENT.match(inlined, at)
        if match is None:
            raise Unsure(f"the inlined HTML does not read as html5ever's at {at}")
        at = match.end()
        if match["text"] is not None:
            pieces.add(match["text"], text_escape)
        elif match["tag"] is None:
            pieces.add(match.group(), where="a comment or an end tag")
        else:
            _start_tag_add(pieces, match)
            if match["tag"].lower() in _RAW_TEXT:
                end = inlined.lower().find(f"</{match['tag'].lower()}", at)
                end = len(inlined) if end < 0 else end
                pieces.add(inlined[at:end], where=f"the raw text of <{match['tag']}>")
                at = end
    return pieces.pieces


def django_fill(pieces: list[str], values: dict[str, str]) -> str:
    """A skeleton's HTML pieces (literal, field, literal...) filled as
    autoescape fills them: what the inliner reads for each member."""
    filled = pieces[:]
    filled[1::2] = [conditional_escape(values[field]) for field in pieces[1::2]]
    return "".join(filled)


def inlined_fill(pieces: list, values: dict[str, str]) -> str:
    """contexts_cut's pieces filled with values that fit (value_fits)."""
    filled = pieces[:]
    filled[1::2] = [escape(values[field]) for field, escape in pieces[1::2]]
    return "".join(filled)
