"""Cutting the signature off the end of the new text.

Signatures are recognised by their usual shapes: the "-- " delimiter (and the bare "--"
that many clients send after trimming), the one-line footers of mobile clients in many
languages, a sign-off ("Thanks," / "Viele Grüße") followed by nothing but a name and
title, and a trailing block that starts with the sender's own name. We only cut at the
end of the text, and only short, name-shaped tails, so a sentence that merely starts
with "Sent from" or "Thanks" stays.
"""

import re

SIG_DELIMITER = re.compile(r"^[ \t]*--[ \t]*$")

# A device or app name: a few words of anything but sentence punctuation ("BlackBerry®").
_DEVICE = r"[^\s,;:?]+(?:[ \t]+[^\s,;:?]+){0,5}"
_FOOTERS = (
    # "Sent from my …" or a product name; "Sent from a magnificent torch" is a joke, kept.
    "sent (?:from|with|via|using) (?:my [^\\s,;:?]+|(?-i:[A-Z])[^\\s,;:?]*)"
    "(?:[ \\t]+[^\\s,;:?]+){{0,5}}",
    # Carriers put commas in theirs: "Sent from my Verizon, Samsung Galaxy smartphone".
    "sent from my [^\\s,;:?]+(?:,?[ \\t]+[^\\s,;:?]+){{0,6}}",
    "get outlook for (?:ios|android|mac|windows)",
    "(?:envoyé|envoye|expédié) (?:de|depuis|à partir de|avec) (?:mon |ma |l'|un )?{d}",
    "(?:von|gesendet von|gesendet mit|gesendet vom) (?:meinem |meiner |mein )?{d}",
    "enviado (?:desde|de|do|a partir do|via|com) (?:mi |meu |minha |o |el )?{d}",
    "(?:verzonden|verstuurd) (?:vanaf|met|van) (?:mijn )?{d}",
    "inviato (?:da|dal|dalla|con) (?:il mio |la mia |mio |un )?{d}",
    "отправлено (?:с|из|со) (?:моего )?{d}",
    "skickat från (?:min |mitt )?{d}",
    "sendt fra (?:min |mit )?{d}",
    "wysłane z (?:mojego )?{d}",
    "{d}から送信",
    "(?:发自|來自|来自|從)(?:我的)?[ \t]*{d}(?:[ \t]*傳送)?",
)
MOBILE_FOOTER = re.compile(
    r"^[ \t]*(?:" + "|".join(f.format(d=_DEVICE) for f in _FOOTERS) + r")[ \t.!。]*$", re.I
)
# Outlook mobile's "Get Outlook for iOS" in any language: a short line naming the app
# and a mobile platform ("Outlook für iOS beziehen", "iOS 版 Outlook を入手").
OUTLOOK_FOOTER = re.compile(
    r"^(?=.{0,60}$)(?=.*\bOutlook\b)(?=.*\b(?:iOS|Android)\b)[^.,;:?]*$"
)
_LINK = re.compile(r"<(?:https?|mailto):[^>\s]*>")


# What mobile clients add after their footer ("… with K-9 Mail. Please excuse my brevity.").
_EXCUSE = re.compile(
    r"[.!]?\s*(?:please )?(?:excuse|forgive|pardon) (?:my |the |any )?(?:brevity|typos?|"
    r"spelling|autocorrect|mistakes)[^.]*[.!]?$",
    re.I,
)


def is_mobile_footer(line: str) -> bool:
    text = _EXCUSE.sub("", _LINK.sub("", line)).strip()
    if not text or len(text) > 80:
        return False
    marks = _SENTENCE_MARKS.search(text)
    if marks and not (marks.group() == "," and re.match(r"sent from my \S+,", text, re.I)):
        return False
    return bool(MOBILE_FOOTER.match(text) or OUTLOOK_FOOTER.match(text))
# A mobile footer must not be a sentence: "Sent from my desk, which is easier" stays.
_SENTENCE_MARKS = re.compile(r"[,;:?]|\.\s+\S")

SIGN_OFF = re.compile(
    r"^[ \t]*(?:thanks|thank you|thanks again|many thanks|thanks so much|thx|ty|cheers"
    r"|best|best wishes|best regards|kind regards|warm regards|warmly|regards|all the best"
    r"|sincerely|yours|yours truly|talk soon|take care|br|brgds|rgds|ciao|later|peace"
    r"|have a (?:good|great|nice|lovely) (?:evening|weekend|day|night|one)|see you(?: tomorrow)?"
    r"|talk tomorrow|ciao ciao|tschüss|tschüs|tschau|bis morgen|bis bald|schönen abend"
    r"|schönen feierabend|schönes wochenende|mit besten grüßen|herzliche grüße|beste grüsse"
    r"|viele grüsse|liebe grüsse|freundliche grüsse|mit freundlichen grüssen|herzliche grüsse"
    r"|cordialmente|distinti saluti|un caro saluto|buona serata|a domani|un abbraccio|a dopo"
    r"|hasta mañana|hasta luego|nos vemos|abrazos|até amanhã|até logo|bom fim de semana"
    r"|tot morgen|tot ziens|fijne avond|fijn weekend|à demain|bonne fin de journée|bon week-end"
    r"|до завтра|до встречи|хорошего вечера|хороших выходных|всем спасибо|辛苦了|辛苦大家了"
    r"|danke|vielen dank|danke schön|danke und gruß|viele grüße|beste grüße|liebe grüße"
    r"|schöne grüße|gruß|grüße|lg|vg|mfg|mit freundlichen grüßen|freundliche grüße|servus"
    r"|merci|merci beaucoup|cordialement|bien cordialement|bien à vous|bonne journée|cdt"
    r"|à bientôt|a bientot|amitiés|bises|salutations|bonne soirée"
    r"|gracias|muchas gracias|saludos|un saludo|saludos cordiales|atentamente|un abrazo"
    r"|obrigado|obrigada|abraços|abraço|um abraço|abs|atenciosamente|cumprimentos|beijos|att"
    r"|groeten|groetjes|groet|met vriendelijke groet(?:en)?|vriendelijke groet(?:en)?"
    r"|hartelijke groet(?:en)?|bedankt"
    r"|dank je|dank u|mvg|gr"
    r"|grazie|grazie mille|saluti|cordiali saluti|un saluto|a presto|buona giornata"
    r"|спасибо|с уважением|всего доброго|всего хорошего|удачи|пока|с наилучшими пожеланиями"
    r"|(?:以上[、,]?[ \t]*)?(?:引き続き|今日も|明日も|本日も)?(?:よろしくお願いします|よろしくお願いいたします|宜しくお願いします"
    r"|宜しくお願い致します)|以上です|以上"
    r"|谢谢|謝謝|此致|敬礼|祝好|顺祝商祺|多谢"
    r"|üdvözlettel|udvozlettel|üdv|köszönöm|koszonom|pozdrawiam|z poważaniem|z powazaniem"
    r"|dzięki|s pozdravem|děkuji|med vänlig hälsning|vänliga hälsningar|hälsningar|mvh|tack"
    r"|med venlig hilsen|venlig hilsen|hilsen|kh|takk|terveisin|ystävällisin terveisin"
    r"|kiitos|saygılarımla|teşekkürler|iyi çalışmalar)"
    r"(?:[ \t]*[,.!…~—–。！，、-]+)?"
    r"(?P<name>[ \t]*[^\W\d_][\w.'’-]*(?:[ \t]+[^\W\d_][\w.'’-]*){0,2})?"
    r"[ \t]*[,.!…。！，、]*[ \t]*[^\w\s]{0,3}[ \t]*$",  # "Cheers 🍻"
    re.I,
)
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")


def is_sign_off(line: str) -> bool:
    """ "Thanks,", "Cheers, Ada", "Viele Grüße" — but not "以上，看到后告诉我是否需要调整。":
    CJK has no spaces, so a whole sentence would pass for the name after the word."""
    found = SIGN_OFF.match(line)
    if not found:
        return False
    name = (found.group("name") or "").strip()
    return not (_CJK.search(name) and len(name) > 4)


_BULLET = re.compile(r"^[ \t]*(?:[-*•–·◦▪・]|\d{1,3}[.)])[ \t]|^[ \t]*\d{1,3}、")
_CONTACT = re.compile(
    r"@|https?://|www\.|\+?\d[\d ().-]{6,}\d|\b(?:tel|phone|mobile|fax|t|m|f)\b\s*[.:]", re.I
)


def _name_like(line: str) -> bool:
    """A line that could be a name, a title or a company: short, no sentence, no bullet."""
    text = line.strip()
    if not text or _BULLET.match(line) or len(text) > 60:
        return False
    initials_out = re.sub(r"\b[^\W\d_]\.", "", text)  # "J. Müller" is a name, not two sentences
    if text.endswith(("?", ":")) or re.search(r"[.!]\s+\S", initials_out):
        return False
    return len(text.split()) <= 7


# Legal footers that companies append under the signature, in several languages.
_DISCLAIMER = re.compile(
    r"confidential|intended (?:only )?for|intended recipient|privileged|disclaimer"
    r"|vertraulich|empfänger|confidentiel|destinataire|confidencial|destinatario"
    r"|riservat|vertrouwelijk|geadresseerde|конфиденциальн|機密|保密",
    re.I,
)


# What a company signature carries under the name: legal forms, register and tax lines,
# labelled contact fields ("Mobil:", "E-Mail:", "Registered office").
_CORPORATE = re.compile(
    r"\b(?:GmbH|AG|KG|Ltd|Inc|LLC|LLP|PLC|S\.?A\.?S?|B\.?V\.?|N\.?V\.?|S\.?r\.?l|S\.?p\.?A|SAS|SARL"
    r"|Oy|AB|ApS|ООО|АО)\b\.?"
    r"|amtsgericht|registergericht|handelsregister|\bHR[AB]\b|geschäftsführ|sitz der gesellschaft"
    r"|ust-?id|steuer-?nr|registered (?:office|in)|company (?:no|number|registration)|\bVAT\b"
    r"|partita iva|p\.? ?iva|registro (?:delle )?imprese|\bKvK\b|\bSIRET\b|\bRCS\b|\bCNPJ\b"
    r"|\bИНН\b|\bОГРН\b|\b(?:mobil|mob|handy|cell|telefon|téléphone|telefono|teléfono|e-?mail"
    r"|web|internet|p|e|w)\b\s*[.:]",
    re.I,
)


def _signature_like(line: str) -> bool:
    if len(line) > 300:  # no signature line is this long (and the patterns stay linear)
        return False
    return (_name_like(line) or bool(_CONTACT.search(line)) or bool(_DISCLAIMER.search(line))
            or bool(_CORPORATE.search(line)))


def _trim_end(lines: list[str]) -> list[str]:
    while lines and (not lines[-1].strip() or re.match(r"^[ \t]*[-=_*~—–]{2,}[ \t]*$", lines[-1])):
        lines.pop()
    return lines


# "—" is "--" after a phone's autocorrect; alone it only counts above a short signature.
_DASH_DELIMITER = re.compile(r"^[ \t]*[—–][ \t]*$")


def _cut_delimiter(lines: list[str]) -> list[str]:
    for index, line in enumerate(lines):
        if SIG_DELIMITER.match(line):
            return lines[:index]
        if _DASH_DELIMITER.match(line) and index:
            rest = [other for other in lines[index + 1 :] if other.strip()]
            if 0 < len(rest) <= 6 and all(_signature_like(other) for other in rest):
                return lines[:index]
    return lines


def _cut_mobile_footer(lines: list[str]) -> list[str]:
    for index, line in enumerate(lines):
        if is_mobile_footer(line):
            rest = [other for other in lines[index + 1 :] if other.strip()]
            if len(rest) <= 6 and all(_signature_like(other) for other in rest):
                return lines[:index]
    return lines


def _continues(lines: list[str], index: int) -> bool:
    """An indented line, or a lower-case one under a wrapped line, goes on the text above."""
    line = lines[index]
    above = lines[index - 1] if index else ""
    return line[:1] in (" ", "\t") or (
        bool(above.strip()) and len(above) >= 60 and line.strip()[:1].islower()
    )


def _cut_sign_off(lines: list[str], sender_name: str) -> list[str]:
    """Cut "Thanks,\nAda\n<title, phone, disclaimer>" at the end.

    The sign-off must not open the text ("Thanks!" then the items is an opener), and
    the line under it must read as the sender's name: one of its words, or a short line.
    """
    texts = [index for index, line in enumerate(lines) if line.strip()]
    tokens = _name_tokens(sender_name)
    start = max(1, len(texts) - 24)  # a company signature runs to a dozen lines and more
    for position in range(start, len(texts)):
        index = texts[position]
        if not is_sign_off(lines[index]) or _continues(lines, index):
            continue
        tail = [lines[other] for other in texts[position + 1 :]]
        if len(tail) > 22 or not all(_signature_like(line) for line in tail):
            continue
        if tail and not _CONTACT.search(tail[0]):
            first = {token.lower() for token in re.findall(r"[^\W\d_]{2,}", tail[0])}
            if not (first & tokens or len(tail[0].split()) <= 3):
                continue
        return lines[:index]
    return lines


def _name_tokens(sender_name: str) -> set[str]:
    """Words of the sender's name; parse() adds those of the address ("ada.lovelace@…")."""
    return {token.lower() for token in re.findall(r"[^\W\d_]{2,}", sender_name or "")}


def _capitalised_words(text: str) -> bool:
    words = text.split()
    return 1 <= len(words) <= 4 and all(word[:1].isupper() for word in words)


def _cut_name_block(lines: list[str], sender_name: str) -> list[str]:
    """A trailing paragraph that begins with the sender's name, or "-Name" alone."""
    tokens = _name_tokens(sender_name)
    end = len(lines)
    start = end
    while start > 0 and lines[start - 1].strip():
        start -= 1
    if start == 0:
        return lines
    block = lines[start:end]
    if len(block) > 8 or any(_BULLET.match(line) for line in block):
        return lines
    first = block[0].strip()
    first_tokens = {token.lower() for token in re.findall(r"[^\W\d_]{2,}", first)}
    leading = [word.lower() for word in re.findall(r"[^\W\d_]{2,}", first)[:2]]
    names_sender = bool(tokens) and bool(first_tokens) and (
        first_tokens <= tokens | {"me"}
        # "Ada Lovelace | Staff Engineer": the full name first, then a title
        or len(leading) == 2 and set(leading) <= tokens
        # "Joe XXX" under a paragraph from Joe Doe: a sign-off name, alone on its line
        or len(block) == 1 and bool(first_tokens & tokens) and _capitalised_words(first)
    )
    dash_name = re.fullmatch(r"[-–—~]\s?[A-Z][\w.'’-]*(?:\s[A-Z][\w.'’-]*){0,3}", first)
    if (names_sender or dash_name) and all(_signature_like(line) for line in block):
        return lines[:start]
    return lines


def _cut_ruled_contact_block(lines: list[str], sender_name: str) -> list[str]:
    """A rule line near the end followed by contact details (phone, URL, address, name)."""
    tokens = _name_tokens(sender_name)
    for index in range(len(lines) - 1, -1, -1):
        if not re.match(r"^[ \t]*[-=_*~—–]{4,}[ \t]*$", lines[index]):
            continue
        if index == 0 or lines[index - 1].strip():
            continue
        tail = [line for line in lines[index + 1 :] if line.strip()]
        if not tail or len(tail) > 20 or any(_BULLET.match(line) for line in tail):
            continue
        if any(len(line.strip()) > 80 for line in tail):
            continue
        named = any(tokens and tokens & set(re.findall(r"\w+", line.lower())) for line in tail)
        if named or any(_CONTACT.search(line) for line in tail):
            return lines[:index]
    return lines


def signature_strip(text: str, *, sender_name: str = "") -> str:
    """`text` without its trailing signature, sign-off and mobile footer."""
    lines = _trim_end(text.split("\n"))
    lines = _trim_end(_cut_delimiter(lines))
    lines = _trim_end(_cut_mobile_footer(lines))
    lines = _trim_end(_cut_ruled_contact_block(lines, sender_name))
    lines = _trim_end(_cut_sign_off(lines, sender_name))
    lines = _trim_end(_cut_name_block(lines, sender_name))
    lines = _trim_end(_cut_mobile_footer(lines))
    return "\n".join(lines)
