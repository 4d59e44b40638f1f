"""Telling auto-responders and bounces from replies a person wrote.

Header signals come first (RFC 3834 Auto-Submitted, the X-Autoreply family, Precedence,
multipart/report), then the sender (MAILER-DAEMON, postmaster) and the subject lines
that vacation responders and bounce generators use, in several languages.

X-Auto-Response-Suppress is deliberately NOT a signal: Outlook sets it on ordinary mail
a person sends ("X-Auto-Response-Suppress: All" on meeting replies, "OOF" on many
messages), so trusting it would throw away real replies.
"""

import re
from email.message import Message

from apps.inbound.headers import content_type, first_value

# Phrases only responders put in a subject, wherever they appear in it.
AUTO_SUBJECT = re.compile(
    r"(?<!\w)(?:auto(?:matic|matische|matisch)?[ -]?(?:reply|response|answer|antwort|antwoord)"
    r"|autoreply|out of (?:the )?office|away from (?:the )?office|abwesenheitsnotiz"
    r"|außer haus|ausser haus|nicht im büro|réponse automatique|reponse automatique"
    r"|absence du bureau|absent du bureau|fuera de la oficina|respuesta automática"
    r"|respuesta automatica|resposta automática|resposta automatica|fora do escritório"
    r"|automatisch antwoord|buiten kantoor|risposta automatica|fuori ufficio"
    r"|автоматический ответ|автоответ|вне офиса|自動応答|自動返信|自动回复|自動回覆)(?!\w)",
    re.I,
)
# Words that mean "away" only when they lead the subject as a label ("Absent: …").
AUTO_SUBJECT_LABEL = re.compile(
    r"^\s*\[?(?:ooo|vacation|on vacation|abwesend|absent|absence|ausente|ausência|afwezig"
    r"|assente|в отпуске|отсутствую|不在|休假)\]?\s*[:：\]-]",
    re.I,
)
BOUNCE_SUBJECT = re.compile(
    r"undeliver(?:ed|able)|delivery (?:status notification|failure|has failed|failed)"
    r"|returned mail|mail delivery (?:failed|failure|system)|failure notice"
    r"|could not be delivered|non[- ]delivery|unzustellbar|nicht zustellbar"
    r"|non remis|non distribuable|échec de (?:la )?remise|no se puede entregar|no entregado"
    r"|não entregue|onbestelbaar|non recapitabile|не доставлено|недоставлен"
    r"|配信不能|配送失败|退信|系统退信",
    re.I,
)
BOUNCE_SENDER = re.compile(r"^(?:mailer-daemon|postmaster|mail-daemon|bounces?)@", re.I)


def is_auto_reply(message: Message, *, subject: str) -> bool:
    ctype, params = content_type(message)
    # A read receipt (disposition-notification) is a machine's answer, not a reply.
    if ctype == "multipart/report" and (
        params.get("report-type", "").lower() == "disposition-notification"
    ):
        return True
    auto_submitted = first_value(message, "Auto-Submitted").lower()
    if auto_submitted and not auto_submitted.startswith("no"):
        return True
    for name in ("X-Autoreply", "X-Autorespond", "X-Autorespond-Sender", "X-Autoresponder"):
        value = first_value(message, name).lower()
        if value and value not in ("no", "false", "0"):
            return True
    for name in ("Precedence", "X-Precedence"):
        if first_value(message, name).lower() in ("auto_reply", "bulk", "junk"):
            return True
    # Exchange stamps what its rules agent generated (out-of-office answers among them).
    source = first_value(message, "X-MS-Exchange-Generated-Message-Source").lower()
    if "rules agent" in source or "auto" in source:
        return True
    if first_value(message, "X-Mailer").lower().startswith(("vacation", "autoresponder")):
        return True
    return bool(AUTO_SUBJECT.search(subject) or AUTO_SUBJECT_LABEL.match(subject))


def is_bounce(message: Message, *, from_addr: str, subject: str) -> bool:
    ctype, params = content_type(message)
    if ctype == "multipart/report" and params.get("report-type", "delivery-status").lower() in (
        "delivery-status", ""
    ):
        return True
    if BOUNCE_SENDER.match(from_addr):
        return True
    if first_value(message, "X-Failed-Recipients"):
        return True
    return bool(BOUNCE_SUBJECT.search(subject))
