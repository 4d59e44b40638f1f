"""Filters for the plain-text part of emails: readable at 72 columns.

Lines are wrapped at word boundaries only: a long URL stays whole (a mail
client can still follow it) and nothing a member wrote is changed, only
re-flowed.
"""

import textwrap

from django import template

register = template.Library()

WIDTH = 72


def _wrap(text: str, *, first: str, rest: str) -> str:
    lines = []
    for number, paragraph in enumerate(str(text).splitlines() or [""]):
        indent = first if number == 0 else rest
        lines.extend(textwrap.wrap(
            paragraph, width=WIDTH, initial_indent=indent, subsequent_indent=rest,
            break_long_words=False, break_on_hyphens=False,
        ) or [indent.rstrip()])
    return "\n".join(lines)


@register.filter
def bullet(text) -> str:
    """`  - text`, continuation lines indented under the text."""
    return _wrap(text, first="  - ", rest="    ")


@register.filter
def wrap72(text) -> str:
    """A paragraph wrapped at 72 columns."""
    return _wrap(text, first="", rest="")
