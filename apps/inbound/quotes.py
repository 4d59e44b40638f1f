"""Finding where the quoted history starts in a plain-text reply, in many clients and languages.

Two kinds of marks, handled differently:

- A *hard* mark ends the new text: everything after it is history. Outlook's
  "-----Original Message-----" and its "From:/Sent:/To:/Subject:" header block (in any
  language), the underscore rule above it, forwarded-message banners, and an
  "On … wrote:" attribution that is not followed by ">"-quoted lines (Gmail's
  HTML-to-text, Yahoo, Outlook web: the history follows unmarked).
- A *soft* mark removes only itself: an attribution followed by ">"-quoted lines, and
  the quoted lines. Text after the quote is kept, since bottom-posters and inline
  repliers write there.

Rules describe families of formats (a label set per language, a verb set for
attributions) rather than individual clients, so an unseen client in a known
language is still recognised.
"""

import re

QUOTED = re.compile(r"^[ \t]*>")

# Outlook-style header labels, per language. FROM starts a block; the others confirm it.
_FROM_LABELS = (
    "from", "von", "de", "van", "da", "от", "差出人", "送信者", "发件人", "發件人", "寄件者",
    "寄件人", "från", "fra", "od", "kimden", "lähettäjä", "feladó", "от кого", "보낸 사람",
    "afzender", "expéditeur", "remitente", "από", "מאת", "من", "المرسل",
)
_OTHER_LABELS = (
    "sent", "date", "to", "cc", "bcc", "subject", "reply-to",
    "gesendet", "datum", "an", "kopie", "betreff", "cc",
    "envoyé", "envoyé le", "date", "à", "a", "objet", "cc",
    "enviado", "enviada", "enviado el", "fecha", "para", "asunto", "assunto", "data",
    "verzonden", "aan", "onderwerp", "inviato", "oggetto",
    "отправлено", "дата", "кому", "копия", "тема",
    "送信日時", "送信日", "日付", "宛先", "件名", "cc", "寄件日期", "傳送時間",
    "发送时间", "发送日期", "時間", "日期", "收件人", "收件者", "抄送", "副本", "主题", "主旨", "主題",
    "skickat", "till", "ämne", "sendt", "til", "emne", "wysłano", "do", "temat",
    "gönderildi", "tarih", "kime", "konu", "받는 사람", "보낸 날짜", "제목",
    "odesláno", "komu", "předmět", "elküldve", "címzett", "tárgy", "dátum", "lähetetty",
    "vastaanottaja", "aihe", "päivämäärä", "dato", "wysłane", "dw", "στάλθηκε", "προς",
    "θέμα", "נשלח", "אל", "נושא", "تاريخ", "إلى", "الموضوع",
)


def _label_re(labels) -> re.Pattern:
    alternatives = "|".join(sorted({re.escape(label) for label in labels}, key=len, reverse=True))
    # Bold markers from HTML-to-text (*From:*), and French typography's space before ":".
    return re.compile(rf"^[ \t]*[*_]{{0,2}}(?:{alternatives})[*_]{{0,2}}[ \t]*[:：]", re.I)


FROM_LINE = _label_re(_FROM_LABELS)
HEADER_LINE = _label_re(_FROM_LABELS + _OTHER_LABELS)

_BANNERS = (
    "original message", "original", "ursprüngliche nachricht", "originalnachricht",
    "nachricht im original", "message d'origine", "message d’origine", "message original",
    "mensaje original", "mensagem original", "mensaje reenviado", "mensagem encaminhada",
    "mensagem reencaminhada", "oorspronkelijk bericht", "origineel bericht",
    "doorgestuurd bericht", "messaggio originale", "messaggio inoltrato",
    "исходное сообщение", "пересылаемое сообщение", "переслано", "元のメッセージ",
    "転送メッセージ", "転送されたメッセージ", "原始邮件", "原始郵件", "原始邮件信息",
    "转发邮件", "转发的邮件", "轉寄郵件", "forwarded message", "forwarded", "forward",
    "weitergeleitete nachricht", "message transféré", "message réexpédié",
    "ursprungligt meddelande", "opprinnelig melding", "oprindelig meddelelse",
    "wiadomość oryginalna", "oryginalna wiadomość", "reply message", "original mail",
)
_BANNER_WORDS = "|".join(re.escape(b) for b in sorted(_BANNERS, key=len, reverse=True))
BANNER = re.compile(
    rf"^[ \t>]*[-=_*]{{2,}}[ \t]*(?:{_BANNER_WORDS})[ \t]*[-=_*]{{2,}}[ \t]*$", re.I
)
FORWARD_INTRO = re.compile(
    r"^[ \t]*(?:begin forwarded message|forwarded message|anfang der weitergeleiteten nachricht"
    r"|weitergeleitete nachricht|début du message réexpédié|début du message transféré"
    r"|message transféré|inicio del mensaje reenviado|mensaje reenviado"
    r"|início da mensagem reencaminhada|inicio da mensagem reencaminhada|mensagem encaminhada"
    r"|begin doorgestuurd bericht|doorgestuurd bericht|inizio messaggio inoltrato"
    r"|messaggio inoltrato|начало переадресованного сообщения|пересылаемое сообщение"
    r"|転送されたメッセージ|转发的邮件|以下是转发的邮件|以下為轉寄的郵件|轉寄的郵件"
    r"|vidarebefordrat meddelande|videresendt meddelelse|videresendt melding)[ \t]*[:：]?[ \t]*$",
    re.I,
)
# Lotus Notes and others: "----- Forwarded by Ada/Acme on 01/12/2026 05:00 PM -----".
FORWARDED_BY = re.compile(
    r"^[ \t>]*-{3,}[ \t]*(?:forwarded by|weitergeleitet von|transféré par|reenviado por"
    r"|encaminhado por|doorgestuurd door|inoltrato da)\b.*-{3,}[ \t]*$",
    re.I,
)
UNDERSCORES = re.compile(r"^[ \t]*_{10,}[ \t]*$")

# "On … wrote:" in many languages: a reporting verb (or Gmail's bare "<address>:") at
# the end of a line that ends with a colon.
_VERBS = (
    r"wrote|writes|said|schrieb|geschrieben|a écrit|a ecrit|écrit|escribió|escribio|escreveu"
    r"|schreef|geschreven|ha scritto|scrisse|написал|написала|написал\(а\)|написали|пишет"
    r"|skrev|napisał|napisała|napisał\(a\)|pisze|yazdı|kirjoitti|írta|napsal|a scris"
    r"|έγραψε|כתב|كتب"
)
# The verb may be followed by a date ("schrieb am Di., 1. Dez. 2026, 17:00:"), so the
# tail before the final colon can hold colons of its own.
_ATTRIBUTION_VERB = re.compile(
    rf"(?:(?<![^\W\d_])(?:{_VERBS})(?![^\W\d_])|写道|寫道|のメール|のメッセージ|書きました"
    rf"|님이 작성|님이 씀)(?P<tail>.{{0,80}})[:：][ \t]*$",
    re.I,
)
_EMAIL = r"[\w.+'&-]+@[\w-]+(?:\.[\w-]+)+"
# Gmail in some languages has no verb: "вт, 1 дек. 2026 г. в 17:00, Name <address>:".
_ATTRIBUTION_ADDRESS = re.compile(
    rf"\d.*(?:<\s*{_EMAIL}\s*>|{_EMAIL}|\[mailto:{_EMAIL}\])[ \t]*[:：][ \t]*$"
)
_ATTRIBUTION_START = re.compile(
    r"^[ \t]*(?:-{2,}[ \t]*)?(?:on|am|le|el|em|op|il|il giorno|den|dne|w dniu|в|el día|"
    r"在|於|于)(?![^\W\d_])|^[ \t]*\d|^[ \t]*[^\W\d_]{2,4}\.?,[ \t]",
    re.I,
)
_LONGEST_ATTRIBUTION = 400


# Horde, SquirrelMail and friends: "Quoting Donemail <address>:", "Zitat von …:".
_QUOTING = re.compile(
    r"^(?:quoting|zitat von|citation de|citando a?|cita de|citazione di|цитата)\b.{1,200}[:：]$",
    re.I,
)


# A calendar date: a year, a numeric day/month/year, or a CJK year.
_DATE = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)|\b\d{1,2}[./-]\d{1,2}[./-]\d{2,4}\b|\d{2,4}年")


def _is_attribution(text: str, *, before_quote: bool = False) -> bool:
    """An "On … wrote:" line. Right above ">" lines, a bare "Donemail wrote:" is one too."""
    text = text.strip()
    if not text or len(text) > _LONGEST_ATTRIBUTION or text.startswith(("-", "*", "•")) and not (
        text.startswith("--")
    ):
        return False
    if re.match(r"\d{1,3}[.)]\s", text) and not re.search(r"\b(?:19|20)\d\d\b", text):
        return False  # "1. Reviewed what Sam wrote:" is a numbered item, not a date
    if _QUOTING.match(text):
        return True
    verb = _ATTRIBUTION_VERB.search(text)
    if verb:
        # After the verb comes at most a name ("schrieb Donemail:") or a date ("schrieb am
        # Di., 1. Dez. 2026, 17:00:"). And unless a quote follows, the line must carry a
        # date or an address: "Shipped what Sam wrote #812:" is the member's own.
        tail = verb.group("tail")
        if len(tail.split()) <= 6 or _DATE.search(tail) or re.search(_EMAIL, tail):
            if before_quote or re.search(_EMAIL, text) or _DATE.search(text):
                return True
    if _ATTRIBUTION_ADDRESS.search(text):
        return True
    # Right above a quote, a line ending in a colon that names an address or a time of
    # day is an attribution in whatever language ("… ezt írta (időpont: 2024. jan. 8.,
    # H 10:12):").
    return before_quote and text.endswith((":", "：")) and bool(
        re.search(_EMAIL, text) or re.search(r"\b\d{1,2}[:.]\d{2}\b", text)
    )


def _joined(chunk: list[str]) -> str:
    text = chunk[0].strip()
    for line in chunk[1:]:
        # Gmail wraps inside the address: "Name <" / "address> wrote:".
        text += ("" if text.endswith("<") else " ") + line.strip()
    return text


def attribution_at(lines: list[str], index: int) -> int:
    """How many lines (1–3) an attribution starting at `index` spans, or 0."""
    first = lines[index]
    if not first.strip() or QUOTED.match(first):
        return 0
    for span in (1, 2, 3):
        chunk = lines[index : index + span]
        if len(chunk) < span or any(not line.strip() or QUOTED.match(line) for line in chunk[1:]):
            return 0
        if span > 1 and not _ATTRIBUTION_START.match(first):
            # A wrapped attribution begins like one; a reply sentence above it does not.
            if not (index == 0 or not lines[index - 1].strip()):
                return 0
            if any(_ATTRIBUTION_START.match(line) for line in chunk[1:]):
                return 0
        after = _next_text(lines, index + span)
        before_quote = after < len(lines) and bool(QUOTED.match(lines[after]))
        if _is_attribution(_joined(chunk), before_quote=before_quote):
            if not re.search(r"\d|@", first) and any(
                _is_attribution(_joined(chunk[start:]), before_quote=before_quote)
                for start in range(1, span)
            ):
                # "Am heutigen Tage" / "Am So., 1. Jan. 2023 … schrieb X:": the attribution
                # starts on the next line; this one, with no date or address, is the member's.
                return 0
            return span
    return 0


def _next_text(lines: list[str], index: int) -> int:
    while index < len(lines) and not lines[index].strip():
        index += 1
    return index


def _header_block_at(lines: list[str], index: int) -> bool:
    """An Outlook-style header block starts here.

    Outlook and most clients start with From and add Sent/To/Subject: two labels are
    enough. GMX and Web.de start with "Gesendet:" and give "Von:" later, so a block that
    starts with another label needs three, one of them a From label.
    """
    if len(lines[index]) > 300 or not HEADER_LINE.match(lines[index]):
        return False
    labels = [line for line in lines[index : index + 8] if HEADER_LINE.match(line)]
    if FROM_LINE.match(lines[index]):
        return len(labels) >= 2
    return len(labels) >= 3 and any(FROM_LINE.match(line) for line in labels)


# Lines of our own reminder (templates/emails/reminder.txt). Whatever a client did to
# the quote, these are never the member's words: the last safety net against a leak.
OWN_REMINDER_LINES = (
    "what did you get done today? just reply to this email",
    "your team's page:",
    "stop these reminders:",
)
_OWN_GREETING = re.compile(r"^[ \t]*hi [^,]{1,60},[ \t]*$", re.I)


def _is_own_reminder(line: str) -> bool:
    text = re.sub(r"\s+", " ", line.strip().lstrip(">").strip()).lower()
    return text.startswith(OWN_REMINDER_LINES)


def _drop_own_greeting(kept: list[str]) -> list[str]:
    """The reminder's "Hi Ada," sits just above its first line; it is quoted too."""
    while kept and not kept[-1].strip():
        kept.pop()
    if kept and _OWN_GREETING.match(kept[-1]):
        kept.pop()
    return kept


def history_strip(text: str) -> str:
    """The lines of `text` that are not quoted history (see the module docstring)."""
    lines = text.split("\n")
    kept: list[str] = []
    index = 0
    while index < len(lines):
        line = lines[index]
        if QUOTED.match(line):
            kept.append(_CUT)
            index += 1
            continue
        if (BANNER.match(line) or FORWARD_INTRO.match(line) or UNDERSCORES.match(line)
                or FORWARDED_BY.match(line)):
            break
        if _header_block_at(lines, index):
            break
        if _is_own_reminder(line):
            kept = _drop_own_greeting(kept)
            break
        span = attribution_at(lines, index)
        if span:
            after = _next_text(lines, index + span)
            if after < len(lines) and QUOTED.match(lines[after]):
                kept.append(_CUT)
                index += span  # soft: drop the attribution, the quote goes line by line
                continue
            break
        kept.append(line)
        index += 1
    return "\n".join(_close_gaps(kept))


_CUT = "\x00"


def _close_gaps(lines: list[str]) -> list[str]:
    """Where quoted lines were cut out between answers, leave one blank line, not a hole."""
    out: list[str] = []
    index = 0
    while index < len(lines):
        if lines[index] == _CUT or not lines[index].strip():
            end = index
            while end < len(lines) and (lines[end] == _CUT or not lines[end].strip()):
                end += 1
            gap = lines[index:end]
            if _CUT in gap:
                out.append("")
            else:
                out.extend(gap)
            index = end
            continue
        out.append(lines[index])
        index += 1
    return out
