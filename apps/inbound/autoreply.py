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


def _header(message: Message, name: str) -> str:
    try:
        return str(message.get(name, "") or "")
    except Exception:  # noqa: BLE001 - a broken header is not a signal either way
        return ""


def is_auto_reply(message: Message, *, subject: str) -> bool:
    if message.get_content_type() == "multipart/report":
        # A read receipt (disposition-notification) is a machine's answer, not a reply.
        if str(message.get_param("report-type") or "").lower() == "disposition-notification":
            return True
    auto_submitted = _header(message, "Auto-Submitted").strip().lower()
    if auto_submitted and not auto_submitted.startswith("no"):
        return True
    for name in ("X-Autoreply", "X-Autorespond", "X-Autorespond-Sender", "X-Autoresponder"):
        value = _header(message, name).strip().lower()
        if value and value not in ("no", "false", "0"):
            return True
    if _header(message, "Precedence").strip().lower() in ("auto_reply", "bulk", "junk"):
        return True
    if _header(message, "X-Precedence").strip().lower() in ("auto_reply", "bulk", "junk"):
        return True
    if _header(message, "X-Ms-Exchange-Generated-Message-Source") or _header(
        message, "X-MS-Exchange-Inbox-Rules-Loop"
    ):
        return True
    if _header(message, "X-Mailer").lower().startswith(("vacation", "autoresponder")):
        return True
    return bool(AUTO_SUBJECT.search(subject) or AUTO_SUBJECT_LABEL.match(subject))


def is_bounce(message: Message, *, from_addr: str, subject: str) -> bool:
    if message.get_content_type() == "multipart/report":
        report_type = str(message.get_param("report-type") or "").lower()
        if report_type in ("delivery-status", ""):
            return True
    if BOUNCE_SENDER.match(from_addr):
        return True
    if _header(message, "X-Failed-Recipients"):
        return True
    return bool(BOUNCE_SUBJECT.search(subject))
