"""Splitting the new text of a reply into done items.

A bullet (-, *, •, –, "1.", "1)") starts an item and its wrapped lines join it; without
bullets every line is an item. Greetings ("Hi team,") and sign-offs ("Thanks!") are
not work, so they are dropped — but only when they are the whole line: "Hi-fi
speakers fixed" and "- Thanks page shipped" are items.
"""

import re

from apps.inbound.signatures import is_sign_off

BULLET = re.compile(
    r"^[ \t]*(?:[-*•–—·◦▪►✓✔+・‣○●■□→➢➤]|\d{1,3}[.)]|[a-zA-Z][.)](?=[ \t])"
    r"|(?:\d{1,3}|[一二三四五六七八九十]{1,3})、|[（(]\d{1,3}[)）])"  # "1、" "一、" "（1）"
    r"[ \t]*(?<=[ \t・•、)）])(?=\S)"
)
_GREETING_WORDS = (
    r"hi|hey|hello|hiya|howdy|dear|good (?:morning|afternoon|evening)|morning|yo|greetings"
    r"|hallo|hi zusammen|hallo zusammen|liebes team|liebe kollegen|guten morgen|guten tag|moin"
    r"|servus|bonjour|salut|coucou|bonsoir|hola|buenos días|buenas|buenas tardes|olá|ola|oi"
    r"|bom dia|boa tarde|hoi|hallo allemaal|goedemorgen|beste|ciao|buongiorno|salve"
    r"|good night|guten abend|buonasera|buona sera|buenas noches|boa noite|goedenavond"
    r"|привет|здравствуйте|добрый день|доброе утро|добрый вечер|коллеги|всем привет"
    r"|お疲れ様です|お疲れさまです|こんにちは|こんばんは|おはようございます|皆さん|皆様|各位"
    r"|你好|您好|大家好|各位好|早上好|下午好|晚上好|大家早上好|大家晚上好|各位同事好|同事们好"
    r"|szia|sziasztok|jó napot|cześć|czesc|dzień dobry|ahoj|dobrý den|hej|hei|hallå|moi"
    r"|merhaba|selam"
)
_GROUP_WORDS = (
    r"team|all|everyone|everybody|folks|guys|there|y'all|gang|people|crew|friends|you"
    r"|zusammen|allerseits|leute|alle|à tous|à toutes|tout le monde|l'équipe|équipe|equipe"
    r"|a todos|a todas|equipo|chicos|pessoal|gente|time|galera|allemaal|iedereen|a tutti"
    r"|ragazzi|всем|коллеги|команда|привет|друзья|お疲れ様です|お疲れさまです|大家好|各位"
    r"|and|und|et|y|e|en|и|&"
    # "Коллеги, добрый день!": a second greeting word; "お疲れ様です。山田です。": who writes
    rf"|{_GREETING_WORDS}|[\u30a0-\u30ff\u4e00-\u9fff]{{1,5}}です"
)
# A greeting word, then only who is greeted ("Hi team", "Hallo zusammen", "Hi Sam and
# Priya", "Коллеги, привет!"), nothing else on the line: "Hi team, shipped X" is an item.
GREETING = re.compile(
    rf"^[ \t]*(?:{_GREETING_WORDS})(?![^\W\d_])"
    rf"(?:[ \t,，、。]+(?:{_GROUP_WORDS}|(?-i:[A-ZÀ-ÖØ-ÞА-Я])[\w'’.-]*)(?![^\W\d_])){{0,4}}"
    r"[ \t]*[,!.:;—–，。！、：-]*[ \t]*$",
    re.I,
)
# A hard-wrapped line goes on below when it was long and the next one starts lower-case.
_WRAP_WIDTH = 60


def is_greeting(line: str) -> bool:
    return not BULLET.match(line) and bool(GREETING.match(line))


_RULE_LINE = re.compile(r"^[\W_]+$")  # "----", "***", "~~~": layout, not work
_SENTENCE_END = (".", "!", "?", ":", "。", "！", "？")


def _is_addressing(line: str) -> bool:
    """The first line naming whom the mail is for: "Sam,", "田中様", "安安：", "Team:"."""
    if re.search(r"(?:様|さん|殿|様へ|先生)[ \t]*[,，、：:]?$", line) and len(line) <= 12:
        return True
    return len(line) <= 12 and line.endswith((",", "，", ":", "：")) and not re.search(r"\d", line)


def _is_heading(lines: list[str], index: int) -> bool:
    """ "Today:" / "Done:" / "Mostly meetings today, but I did get to:" above a list heads
    it: a line ending in a colon right above bullets is a lead-in, not a done item."""
    line = lines[index].strip()
    if not line.endswith((":", "：")) or len(line.split()) > 25:
        return False
    for other in range(index + 1, len(lines)):
        if lines[other].strip():
            return bool(BULLET.match(lines[other]))
    return False


def items_split(text: str) -> list[str]:
    """Done items from the new text of a reply, in order."""
    lines = text.split("\n")
    items: list[str] = []
    in_bullet = False
    previous = ""  # the line the last item ended on, while a wrapped line may continue it
    for index, raw in enumerate(lines):
        line = raw.strip()
        if not line:
            in_bullet, previous = False, ""
            continue
        bullet = BULLET.match(raw)
        if bullet:
            items.append(raw[bullet.end() :].strip())
            in_bullet, previous = True, raw
            continue
        if in_bullet and (
            raw[:1] in (" ", "\t") or line[:1].islower() or len(previous) >= _WRAP_WIDTH
        ):
            # Indented, lower-case, or under a line as long as a client wraps: the
            # bullet's text goes on.
            items[-1] = f"{items[-1]} {line}"
            previous = raw
            continue
        if (not in_bullet and previous and len(previous) >= _WRAP_WIDTH
                and not previous.rstrip().endswith(_SENTENCE_END) and line[:1].islower()):
            items[-1] = f"{items[-1]} {line}"  # a hard-wrapped prose line
            previous = raw
            continue
        in_bullet, previous = False, ""
        if (is_greeting(raw) or is_sign_off(raw) or _RULE_LINE.match(line)
                or _is_heading(lines, index) or not items and _is_addressing(line)):
            continue
        items.append(line)
        previous = raw
    return [item for item in items if item]
