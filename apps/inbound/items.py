"""Splitting the new text of a reply into done items.

A bullet (-, *, •, –, "1.", "1)") starts an item and its wrapped lines join it; without
bullets every line is an item. Greetings ("Hi team,") and sign-offs ("Thanks!") are
not work, so they are dropped — but only when they are the whole line: "Hi-fi
speakers fixed" and "- Thanks page shipped" are items.
"""

import re

from apps.inbound.signatures import SIGN_OFF

BULLET = re.compile(r"^[ \t]*(?:[-*•–—·◦▪►✓✔+]|\d{1,3}[.)]|[a-zA-Z][.)](?=[ \t]))[ \t]+(?=\S)")
GREETING = re.compile(
    r"^[ \t]*(?:hi|hey|hello|hiya|howdy|dear|good (?:morning|afternoon|evening)|morning|yo"
    r"|greetings|hallo|hi zusammen|hallo zusammen|liebes team|liebe kollegen|guten morgen"
    r"|guten tag|moin|servus|bonjour|salut|coucou|bonsoir|hola|buenos días|buenas|buenas tardes"
    r"|olá|ola|oi|bom dia|boa tarde|hoi|hallo allemaal|goedemorgen|beste|ciao|buongiorno|salve"
    r"|привет|здравствуйте|добрый день|доброе утро|коллеги|お疲れ様です|お疲れさまです"
    r"|こんにちは|おはようございます|你好|您好|大家好|各位好)"
    r"(?:[ \t]+[^\W\d_][\w'’.-]*){0,3}[ \t]*[,!.:;—–-]*[ \t]*$",
    re.I,
)


def is_greeting(line: str) -> bool:
    return not BULLET.match(line) and bool(GREETING.match(line))


def items_split(text: str) -> list[str]:
    """Done items from the new text of a reply, in order."""
    items: list[str] = []
    in_bullet = False
    for raw in text.split("\n"):
        line = raw.strip()
        if not line:
            in_bullet = False
            continue
        bullet = BULLET.match(raw)
        if bullet:
            items.append(raw[bullet.end() :].strip())
            in_bullet = True
            continue
        if in_bullet and raw[:1] in (" ", "\t") or in_bullet and line[:1].islower():
            items[-1] = f"{items[-1]} {line}"
            continue
        in_bullet = False
        if is_greeting(raw) or SIGN_OFF.match(raw):
            continue
        items.append(line)
    return [item for item in items if item]
