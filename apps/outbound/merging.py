"""Mail merge for a batch: render a group of reminders once, fill in each member.

A reminder costs some 670 µs to render, about 410 µs of it in its three
template renders: more than its SMTP transaction. The reminders of a batch are
mostly of one team, one local date, one zone and one scheduled instant, and
then their templates render alike but for the member's name and three signed
links. BatchRenderer renders such a group once, with tokens standing in for
those four values (the skeleton), and fills each member's values in: raw in
the subject and the text, conditional_escape()d in the HTML as Django's
autoescape does. Then each part is finished as message_render finishes it (one
subject line, the text's newlines, the CSS inlined).

Inlining is a third of what a merged reminder costs, so the HTML skeleton is
inlined once a group too, then filled with each member's raw values escaped
as html5ever (css_inline's parser and writer) writes them where each token
stands: text or an attribute value. Filling with Django's escapes would not
do: html5ever decodes entities and writes them its own way. This is exact
only where the member's characters are read as characters; apps/outbound/
inlining.py says where and for which values, and its checks refuse the rest.
Each group's inlined skeleton is then proved on probe values holding every
character class a value may hold, against inlining their Django-escaped fill
as message_render does: on any difference, or a value that does not fit
(inlining.value_fits: a control character, a leading space...), that group's
or that member's HTML is inlined per message, as before.

message_render stays the reference and the fallback. A group is merged only
while nothing else could tell its members apart:

- its key holds everything else the templates can see: the kind, the team
  (pk and values), the local date, the member's zone, the scheduled instant
  and the language;
- the templates see stand-ins for the member and the message that answer an
  allowlist of attributes, each in the key or a token; asking for any other (a
  future `{{ member.email }}`) sends the whole group to message_render, so no
  member's data can reach another member's email;
- every occurrence of the tokens' prefix in the skeleton, in any case, must
  begin a whole token: a filter that changed or cut one (|upper,
  |truncatechars) sends the group to message_render.

What a skeleton cannot show is a filter that leaves a token's letters and
digits alone but would change a member's value (|urlencode, |linebreaksbr,
wrap72 over a name, a test of its length), one that cuts a token shorter than
its prefix, or a part escaped otherwise than its kind's (HTML autoescaped,
text not): in a mergeable kind, member values go in plain `{{ }}`, or the
kind leaves MERGEABLE. Digests are not mergeable: a digest lists its reader
first and marks them "you".
"""

import logging
import re
import secrets
from collections import Counter

from django.core.mail import EmailMultiAlternatives

from .inlining import (
    Unsure, attribute_selectors, contexts_cut, django_fill, inlined_fill, probe,
    reference_open, value_fits,
)
from .models import Kind, OutboundMessage
from .rendering import (
    context_build, email_build, html_inline, language, member_links, message_render,
    parts_finish, parts_render, texts_finish,
)

log = logging.getLogger(__name__)

MERGEABLE = frozenset({Kind.REMINDER})

# A token is letters and digits, so that autoescape, translation and the
# inliner leave it alone; of both cases, so that a filter changing case shows;
# random per process, so that no template text or team name holds one; longer
# than any name (200) or link, so that a filter cutting a value to a length
# cuts the token too. The check looks for PREFIX, its first six characters,
# so that a token cut short shows unless it was cut shorter than that.
PREFIX = f"dm{secrets.token_hex(2)}"
_HEAD = f"{PREFIX}{secrets.token_hex(6)}Q"
_LENGTH = 256
LINKS = ("preferences_url", "team_url", "unsubscribe_url")
TOKENS = {
    field: f"{_HEAD}{number}".ljust(_LENGTH, "x") for number, field in enumerate(("name", *LINKS))
}
_FIELD_OF = {token: field for field, token in TOKENS.items()}
_CUT = re.compile("(" + "|".join(TOKENS.values()) + ")")
_PREFIX_ANY_CASE = re.compile(re.escape(PREFIX), re.IGNORECASE)


class _Refused(Exception):
    """A group's template asked a stand-in for what it does not answer."""


class _StandIn:
    """A member or a message as a group's templates see it: the allowlisted
    attributes only. Anything else is noted in `refusals` before it raises,
    since a template tag may swallow the exception ({% if %} does)."""

    __slots__ = ("_label", "_answers", "_refusals")

    def __init__(self, label: str, answers: dict, refusals: list[str]):
        self._label = label
        self._answers = answers
        self._refusals = refusals

    def __getattr__(self, name):
        if name.startswith("_"):  # templates cannot ask these; Python's own probes do
            raise AttributeError(name)
        if name in self._answers:
            return self._answers[name]
        return self._refuse(f"{self._label}.{name}")

    def __str__(self):
        return self._refuse(self._label)

    def __repr__(self):
        return f"<stand-in {self._label}>"

    def _refuse(self, what: str):
        self._refusals.append(what)
        raise _Refused(what)


def _stand_ins(message: OutboundMessage, refusals: list[str]) -> tuple[_StandIn, _StandIn]:
    """(message, member) for the templates of `message`'s group: what group_key
    holds, and the member's name as a token."""
    member = message.member
    member_in = _StandIn("member", {
        "name": TOKENS["name"], "time_zone": member.time_zone, "team": member.team,
    }, refusals)
    message_in = _StandIn("message", {
        "kind": message.kind, "local_date": message.local_date,
        "scheduled_for": message.scheduled_for, "member": member_in,
    }, refusals)
    return message_in, member_in


def group_key(message: OutboundMessage) -> tuple:
    """Everything the templates can see of `message` but its member's own values."""
    member = message.member
    team = member.team
    team_values = tuple(getattr(team, field.attname) for field in team._meta.concrete_fields)
    return (
        message.kind, team_values, message.local_date, member.time_zone,
        message.scheduled_for, language(),
    )


def _join(pieces: list[str], values: dict[str, str]) -> str:
    filled = pieces[:]
    filled[1::2] = [values[field] for field in pieces[1::2]]
    return "".join(filled)


class _Skeleton:
    """A group's three parts as rendered, cut at the tokens once: literal text
    at even indices, a token's field at odd ones. Filling joins the pieces, so
    a member's value is never scanned for tokens, whatever it holds. With the
    HTML inlined once (`inlined`, contexts_cut's pieces) when that is exact."""

    __slots__ = ("_parts", "_inlined")

    def __init__(self, parts: list[list[str]], inlined: list | None = None):
        self._parts = parts
        self._inlined = inlined

    def fill(self, values: dict[str, str]) -> tuple[str, str, str]:
        subject, text, html = self._parts
        return _join(subject, values), _join(text, values), django_fill(html, values)

    def finish(self, values: dict[str, str]) -> tuple[str, str, str]:
        """What parts_finish makes of fill(values): from the inlined HTML
        when the group has it and every value fits it, else inlined here."""
        if self._inlined is None or not all(map(value_fits, values.values())):
            return parts_finish(*self.fill(values))
        subject, text, _ = self._parts
        return (*texts_finish(_join(subject, values), _join(text, values)),
                inlined_fill(self._inlined, values))


def _cut(part: str) -> list[str] | None:
    """`part` cut at its tokens, or None if a token was changed or cut short:
    the prefix, in any case, stands outside a whole token."""
    pieces = _CUT.split(part)
    if any(_PREFIX_ANY_CASE.search(piece) for piece in pieces[::2]):
        return None
    pieces[1::2] = [_FIELD_OF[token] for token in pieces[1::2]]
    return pieces


def _parts_with_stand_ins(message: OutboundMessage, refusals: list[str]):
    """The group's three parts, or None when its context says skip (then
    message_render decides, message by message)."""
    message_in, member_in = _stand_ins(message, refusals)
    context = context_build(message_in, member_in, {field: TOKENS[field] for field in LINKS})
    if context.get("skip_reason"):
        return None
    return parts_render(message.kind, message.member.time_zone, context)


def _unmerged(message: OutboundMessage, why: str) -> None:
    log.info("%s for team %s on %s rendered one by one: %s",
             message.kind, message.member.team_id, message.local_date, why)


def _inlined_checked(html: list[str]) -> list:
    """The HTML pieces' skeleton inlined once and cut by contexts_cut, or
    Unsure: the reasons inlining.py gives, then the probe."""
    if any(reference_open(piece) for piece in html[:-1:2]):
        raise Unsure("an & in the template runs up to a token")
    source = _join(html, TOKENS)
    if attribute_selectors(source):
        raise Unsure("a style sheet selects on attributes")
    inlined = contexts_cut(html_inline(source), _CUT, _FIELD_OF)
    if Counter(field for field, _ in inlined[1::2]) != Counter(html[1::2]):
        raise Unsure("the inliner dropped a token or moved it out of the text")
    if any(_PREFIX_ANY_CASE.search(piece) for piece in inlined[::2]):
        raise Unsure("the inliner changed a token")
    probes = {field: probe(field) for field in TOKENS}
    if inlined_fill(inlined, probes) != html_inline(django_fill(html, probes)):
        raise Unsure("the probe's HTML inlined once differs from inlined filled")
    return inlined


def _inlined(message: OutboundMessage, html: list[str]) -> list | None:
    """The group's HTML inlined once, or None: each member's is inlined. An
    error inlining the skeleton or the probe is no member's: theirs may inline."""
    try:
        return _inlined_checked(html)
    except Exception as exc:
        log.info("%s for team %s on %s has its HTML inlined one by one: %s",
                 message.kind, message.member.team_id, message.local_date,
                 exc if isinstance(exc, Unsure) else repr(exc))
        return None


def skeleton_make(message: OutboundMessage) -> _Skeleton | None:
    """The skeleton of `message`'s group, or None when it must not be merged."""
    refusals: list[str] = []
    try:
        parts = _parts_with_stand_ins(message, refusals)
    except Exception as exc:  # whatever it was, message_render meets it message by message
        if not refusals:
            return _unmerged(message, f"rendering it raised {exc!r}")
    if refusals:
        return _unmerged(message, "its templates ask for " + ", ".join(refusals))
    if parts is None:
        return _unmerged(message, "its context says skip")
    pieces = [_cut(part) for part in parts]
    if None in pieces:
        return _unmerged(message, "a filter changed or cut a token")
    return _Skeleton(pieces, _inlined(message, pieces[2]))


class BatchRenderer:
    """`render(message)` returns what `message_render(message)` returns,
    rendering a mergeable kind's templates once a group.

    Meant to live for one batch, while the templates, catalogs and settings it
    renders with stay put; should it live longer, it keeps the MAX_GROUPS
    latest groups.
    """

    MAX_GROUPS = 256

    def __init__(self):
        self._skeletons: dict[tuple, _Skeleton | None] = {}

    def render(self, message: OutboundMessage) -> EmailMultiAlternatives:
        if message.kind not in MERGEABLE:
            return message_render(message)
        skeleton = self._skeleton(message)
        if skeleton is None:
            return message_render(message)
        values = {"name": message.member.name, **member_links(message)}
        subject, text, html = skeleton.finish(values)
        return email_build(
            message, subject=subject, text=text, html=html,
            unsubscribe_url=values["unsubscribe_url"],
        )

    def _skeleton(self, message: OutboundMessage) -> _Skeleton | None:
        key = group_key(message)
        if key not in self._skeletons:
            if len(self._skeletons) >= self.MAX_GROUPS:
                del self._skeletons[next(iter(self._skeletons))]
            self._skeletons[key] = skeleton_make(message)
        return self._skeletons[key]
