"""Writes the reply corpus: realistic .eml replies from many clients, in ten languages.

    .venv/bin/python -m tests.inbound.replies.build

Each reply is what a member wrote (content.py) put into the exact shape a client
gives it: its headers, MIME structure, charset, transfer encoding, line wrapping,
quote attribution or header block, HTML markup and signature. The expectation in
manifest.json is what the member wrote — greeting and done items, never the quote,
the signature or the sign-off — so it never depends on what the parser does. The
output is deterministic (seeded), so rebuilding gives the same files.
"""

import base64
import json
import quopri
import random
import textwrap
from dataclasses import dataclass, field
from email.header import Header
from html import escape
from pathlib import Path

from tests.inbound.replies import content as C

HERE = Path(__file__).resolve().parent
RNG = random.Random(20261201)


@dataclass
class Body:
    """What the member typed, and what the parser should give back for it."""

    lang: str
    greeting: str = ""
    items: list[str] = field(default_factory=list)
    style: str = "-"  # "-", "*", "•", "–", "1.", "1)", "lines"
    long_item: bool = False
    sign_off: str = ""
    name: str = ""

    def item_lines(self, *, width: int | None, flowed: bool) -> list[str]:
        lines = []
        for number, item in enumerate(self.items, start=1):
            marker = {"lines": "", "1.": f"{number}. ", "1)": f"{number}) "}.get(
                self.style, f"{self.style} "
            )
            text = marker + item
            if width and len(text) > width and not flowed:
                indent = " " * len(marker) if self.style != "lines" else ""
                lines += textwrap.wrap(text, width, subsequent_indent=indent,
                                       break_long_words=False)
            elif width and len(text) > width and flowed:
                wrapped = textwrap.wrap(text, width, break_long_words=False)
                lines += [part + " " for part in wrapped[:-1]] + [wrapped[-1]]
            else:
                lines.append(text)
        return lines

    def text_lines(self, *, width: int | None = None, flowed: bool = False) -> list[str]:
        lines = []
        if self.greeting:
            lines += [self.greeting, ""]
        lines += self.item_lines(width=width, flowed=flowed)
        return lines

    def expected(self, *, width: int | None = None, flowed: bool = False) -> str:
        lines = self.text_lines(width=None if flowed else width, flowed=False)
        return "\n".join(line.rstrip() for line in lines).strip()

    def expected_items(self) -> list[str]:
        return list(self.items)

    def closing_lines(self) -> list[str]:
        if not self.sign_off:
            return []
        return ["", self.sign_off] + ([self.name] if self.name else [])


def make_body(lang: str, *, count: int | None = None, style: str | None = None,
              greeting: bool | None = None, sign_off: bool | None = None,
              long_item: bool = False) -> Body:
    items = RNG.sample(C.ITEMS[lang], count or RNG.randint(1, 4))
    if long_item:
        items.insert(RNG.randint(0, len(items)), C.LONG_ITEMS[lang])
    marks = ["-", "-", "*", "•", "–", "1.", "1)", "lines", "lines"]
    if lang in ("ru", "ja", "zh"):  # marks their legacy charsets (koi8-r, JIS, GB) can encode
        marks = ["-", "-", "*", "1.", "1)", "lines", "lines"] + (["・"] if lang == "ja" else [])
    style = style or RNG.choice(marks)
    body = Body(lang=lang, items=items, style=style, long_item=long_item)
    if greeting if greeting is not None else RNG.random() < 0.6:
        body.greeting = RNG.choice(C.GREETINGS[lang])
    if sign_off if sign_off is not None else RNG.random() < 0.7:
        body.sign_off = RNG.choice(C.SIGN_OFFS[lang])
        body.name = C.NAMES[lang][1]
    return body


# -- MIME writing ----------------------------------------------------------------------

def encode_part(text: str, *, charset: str, cte: str) -> bytes:
    data = text.replace("\r\n", "\n").replace("\n", "\r\n").encode(charset)
    if cte == "quoted-printable":
        return quopri.encodestring(data).replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
    if cte == "base64":
        return base64.encodebytes(data).replace(b"\n", b"\r\n")
    return data


def leaf(ctype: str, text: str, *, charset: str, cte: str, params: str = "") -> bytes:
    head = f"Content-Type: {ctype}; charset=\"{charset}\"{params}\r\n"
    head += f"Content-Transfer-Encoding: {cte}\r\n\r\n"
    return head.encode() + encode_part(text, charset=charset, cte=cte)


def alternative(boundary: str, *parts: bytes, subtype: str = "alternative") -> bytes:
    out = f"Content-Type: multipart/{subtype};\r\n\tboundary=\"{boundary}\"\r\n\r\n".encode()
    for part in parts:
        out += f"--{boundary}\r\n".encode() + part.rstrip(b"\r\n") + b"\r\n\r\n"
    return out + f"--{boundary}--\r\n".encode()


def header_words(text: str, charset: str = "utf-8") -> str:
    if text.isascii():
        return text
    return Header(text, charset).encode(linesep="\r\n")


def message(*, lang: str, client_headers: list[tuple[str, str]], body: bytes,
            subject: str | None = None, header_charset: str = "utf-8",
            from_addr: str | None = None, from_name: str | None = None, seq: int = 0,
            extra: list[tuple[str, str]] = ()) -> bytes:
    name = from_name if from_name is not None else C.NAMES[lang][0]
    addr = from_addr or C.ADDRESSES[lang]
    subject = subject if subject is not None else C.REPLY_PREFIX[lang] + C.REMINDER_SUBJECT
    domain = addr.split("@")[1]
    headers = [
        ("Return-Path", f"<{addr}>"),
        ("Received", f"from mail.{domain} (mail.{domain} [198.51.100.{seq % 250 + 1}])\r\n"
                     f"\tby mx.in.donemail.io (Postfix) with ESMTPS id 4Zt{seq:05d}\r\n"
                     f"\tfor <{C.RB}>; Tue,  1 Dec 2026 17:{seq % 60:02d}:12 +0000 (UTC)"),
        ("MIME-Version", "1.0"),
        ("Date", f"Tue, 1 Dec 2026 18:{seq % 60:02d}:41 +0100"),
        ("Message-ID", f"<{seq:04d}.{lang}.{RNG.randrange(16**10):010x}@mail.{domain}>"),
        ("In-Reply-To", "<reminder.20261201.77@donemail.io>"),
        ("References", "<reminder.20261201.77@donemail.io>"),
        ("Subject", header_words(subject, header_charset)),
        ("From", f"{header_words(name, header_charset)} <{addr}>" if name else addr),
        ("To", C.R),
        *client_headers,
        *extra,
    ]
    out = "".join(f"{key}: {value}\r\n" for key, value in headers).encode()
    return out + body


# -- quoted history --------------------------------------------------------------------

def quoted(text: str, prefix: str = "> ") -> list[str]:
    return [(prefix + line).rstrip() if line else prefix.rstrip() for line in text.split("\n")]


def reminder_html() -> str:
    return (
        "<div><p>What did you get done today?</p><p>Reply to this email with one line for each"
        " thing you got done. Your team sees them in tomorrow morning's digest.</p>"
        "<p><a href=\"https://donemail.example/p/9f2c1e\">Pause or change your reminders</a>"
        "</p></div>"
    )


def html_lines(lines: list[str], *, tag: str = "div", cls: str = "") -> str:
    attr = f' class="{cls}"' if cls else ""
    out = []
    for line in lines:
        if not line.strip():
            out.append(f"<{tag}{attr}><br></{tag}>" if tag == "div" else
                       f"<{tag}{attr}><o:p>&nbsp;</o:p></{tag}>")
        else:
            out.append(f"<{tag}{attr}>{escape(line.strip())}</{tag}>")
    return "\n".join(out)


# -- clients ---------------------------------------------------------------------------
# Each returns (raw bytes, expected reply text). `body` is what the member wrote.

def fit_charset(body: Body, preferred: str, *, also: str = "") -> str:
    """The charset a client would pick: its legacy one when the text fits, else a wider one."""
    text = "\n".join(body.text_lines() + body.closing_lines()) + also
    for charset in (preferred, "windows-1252", "utf-8"):
        try:
            text.encode(charset)
            return charset
        except UnicodeEncodeError:
            continue
    return "utf-8"


def _plain_cte(text: str, charset: str) -> str:
    if text.isascii():
        return "7bit"
    return "7bit" if charset.lower() == "iso-2022-jp" else "quoted-printable"


def _gmail_like(body: Body, seq: int, boundary: str, plain: str, html: str
                ) -> tuple[bytes, str]:
    """Gmail's web and Android apps send the same UTF-8 multipart/alternative."""
    mime = alternative(
        boundary,
        leaf("text/plain", plain, charset="UTF-8", cte=_plain_cte(plain, "utf-8")),
        leaf("text/html", html, charset="UTF-8", cte=_plain_cte(html, "utf-8")),
    )
    return message(lang=body.lang, seq=seq, body=mime, client_headers=[]), body.expected()


def gmail(body: Body, seq: int, *, wrap_attribution: str = "", html_signature: bool = False,
          signature: str = "") -> tuple[bytes, str]:
    lang = body.lang
    attribution = C.GMAIL_ATTRIBUTION[lang].format(who=C.R)
    if wrap_attribution == "address":  # Gmail breaks inside the <address>
        head, _, tail = attribution.partition("<")
        attribution_lines = [head + "<", tail]
    elif wrap_attribution == "wrote":
        head, sep, tail = attribution.rpartition("> ")
        attribution_lines = [head + ">", tail] if sep else [attribution]
    else:
        attribution_lines = [attribution]
    sig_lines = ["", "-- ", *signature.split("\n")] if signature else []
    plain_lines = body.text_lines() + body.closing_lines() + sig_lines + [""] + \
        attribution_lines + [""] + quoted(C.REMINDER) + [""]
    plain = "\n".join(plain_lines)
    sig_html = ""
    if signature:
        sig_html = ('<br clear="all"><div><br></div><span class="gmail_signature_prefix">-- '
                    '</span><br><div dir="ltr" class="gmail_signature" '
                    'data-smartmail="gmail_signature">' + "<br>".join(
                        escape(s) for s in signature.split("\n")) + "</div>")
    html = (
        '<div dir="ltr">' + html_lines(body.text_lines() + body.closing_lines()) + sig_html +
        '</div><br><div class="gmail_quote gmail_quote_container"><div dir="ltr" '
        f'class="gmail_attr">{escape(attribution)}<br></div><blockquote class="gmail_quote" '
        'style="margin:0px 0px 0px 0.8ex;border-left:1px solid rgb(204,204,204);'
        f'padding-left:1ex">{reminder_html()}</blockquote></div>\n'
    )
    return _gmail_like(body, seq, f"00000000000{seq:04d}8b4f2a05ee1c2d3e", plain, html)


def gmail_html_only(body: Body, seq: int) -> tuple[bytes, str]:
    """Gmail through an API client that sends only the HTML part; lists as <ul>/<ol>."""
    lang = body.lang
    parts = []
    if body.greeting:
        parts.append(f"<div>{escape(body.greeting)}</div><div><br></div>")
    expected = [body.greeting, ""] if body.greeting else []
    if body.style in ("lines",):
        parts += [f"<div>{escape(item)}</div>" for item in body.items]
        expected += body.items
    else:
        tag = "ol" if body.style in ("1.", "1)") else "ul"
        parts.append(f"<{tag}>" + "".join(f"<li>{escape(i)}</li>" for i in body.items)
                     + f"</{tag}>")
        expected += [(f"{n}. " if tag == "ol" else "- ") + i
                     for n, i in enumerate(body.items, start=1)]
    if body.sign_off:
        parts.append(f"<div><br></div><div>{escape(body.sign_off)}</div>"
                     f"<div>{escape(body.name)}</div>")
    attribution = C.GMAIL_ATTRIBUTION[lang].format(who=escape(C.R))
    html = ('<div dir="ltr">' + "".join(parts) + '</div><br><div class="gmail_quote">'
            f'<div dir="ltr" class="gmail_attr">{attribution}<br></div>'
            f'<blockquote class="gmail_quote">{reminder_html()}</blockquote></div>')
    mime = leaf("text/html", html, charset="UTF-8", cte="base64")
    raw = message(lang=lang, seq=seq, body=mime, client_headers=[])
    return raw, "\n".join(expected).strip()


def outlook_desktop(body: Body, seq: int, *, original: bool = False,
                    suppress_header: bool = False, charset: str | None = None,
                    signature: str = "", html_only: bool = False) -> tuple[bytes, str]:
    lang = body.lang
    labels = C.OUTLOOK_LABELS[lang]
    charset = fit_charset(body, charset or C.LEGACY_CHARSET[lang],
                          also="".join(C.OUTLOOK_LABELS[lang]) + C.OUTLOOK_DATES[lang] + C.R)
    header_block = [
        f"{labels[0]}: Donemail [mailto:{C.RB}]" if original else f"{labels[0]}: {C.R}",
        f"{labels[1]}: {C.OUTLOOK_DATES[lang]}",
        f"{labels[2]}: {C.NAMES[lang][0]} <{C.ADDRESSES[lang]}>",
        f"{labels[4]}: {C.REMINDER_SUBJECT}",
    ]
    sig_lines = ["", *signature.split("\n")] if signature else []
    plain_lines = body.text_lines() + body.closing_lines() + sig_lines + [""]
    if original:
        plain_lines += [C.ORIGINAL_MESSAGE[lang]]
    plain_lines += header_block + [""] + C.REMINDER.split("\n")
    plain = "\n".join(plain_lines)
    word_lines = html_lines(body.text_lines() + body.closing_lines() + sig_lines,
                            tag="p", cls="MsoNormal")
    html = (
        '<html xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:'
        'office:office"><head><meta http-equiv="Content-Type" content="text/html; charset='
        f'{charset}"><style><!-- p.MsoNormal {{margin:0cm; font-size:11.0pt;}} --></style>'
        '<!--[if gte mso 9]><xml><o:shapedefaults v:ext="edit" spidmax="1026" /></xml>'
        '<![endif]--></head><body lang="EN-US" link="#0563C1"><div class="WordSection1">'
        f'{word_lines}<p class="MsoNormal"><o:p>&nbsp;</o:p></p>'
        '<div><div style="border:none;border-top:solid #E1E1E1 1.0pt;padding:3.0pt 0cm 0cm 0cm">'
        '<p class="MsoNormal"><b>' + "<br>\n<b>".join(
            escape(line).replace(": ", ":</b> ", 1) for line in header_block) +
        f'<o:p></o:p></p></div></div><p class="MsoNormal"><o:p>&nbsp;</o:p></p>'
        f'{reminder_html()}</div></body></html>'
    )
    cte = "base64" if charset.lower() in ("gb2312", "gbk", "big5", "shift_jis") else (
        _plain_cte(plain, charset))
    html_part = leaf("text/html", html, charset=charset, cte=cte if cte != "7bit" else
                     _plain_cte(html, charset))
    mime = html_part if html_only else alternative(
        f"_000_DB7PR03MB{seq:04d}EURP_",
        leaf("text/plain", plain, charset=charset, cte=cte), html_part,
    )
    headers = [
        ("Thread-Topic", C.REMINDER_SUBJECT),
        ("Thread-Index", "AQHbQ2F1c2VyLXRocmVhZC1pbmRleA=="),
        ("Accept-Language", f"{lang}-{lang.upper()}, en-US"),
        ("Content-Language", f"{lang}-{lang.upper()}"),
        ("X-MS-Has-Attach", ""),
        ("X-MS-TNEF-Correlator", ""),
        ("X-Mailer", "Microsoft Outlook 16.0"),
    ]
    if suppress_header:
        headers.append(("X-Auto-Response-Suppress", "All"))
    raw = message(lang=lang, seq=seq, body=mime, client_headers=headers,
                  header_charset=charset if charset.lower() != "iso-2022-jp" else "iso-2022-jp")
    return raw, body.expected()


GET_OUTLOOK = {
    "en": "Get Outlook for iOS<https://aka.ms/o0ukef>",
    "de": "Outlook für iOS<https://aka.ms/o0ukef> beziehen",
    "fr": "Obtenir Outlook pour iOS<https://aka.ms/o0ukef>",
    "es": "Obtener Outlook para iOS<https://aka.ms/o0ukef>",
    "pt": "Obter o Outlook para iOS<https://aka.ms/o0ukef>",
    "nl": "Outlook voor iOS<https://aka.ms/o0ukef> downloaden",
    "it": "Scarica Outlook per iOS<https://aka.ms/o0ukef>",
    "ru": "Получить Outlook для iOS<https://aka.ms/o0ukef>",
    "ja": "iOS 版 Outlook<https://aka.ms/o0ukef> を入手",
    "zh": "获取 Outlook for iOS<https://aka.ms/o0ukef>",
}


def outlook_web(body: Body, seq: int, *, mobile: bool = False,
                html_only: bool = False) -> tuple[bytes, str]:
    lang = body.lang
    labels = C.OUTLOOK_LABELS[lang]
    header_block = [
        f"{labels[0]}: {C.R}",
        f"{labels[1]}: {C.OUTLOOK_DATES[lang]}",
        f"{labels[2]}: {C.NAMES[lang][0]} <{C.ADDRESSES[lang]}>",
        f"{labels[4]}: {C.REMINDER_SUBJECT}",
    ]
    footer = [""] + [GET_OUTLOOK[lang]] if mobile else []
    plain_lines = body.text_lines() + body.closing_lines() + footer + [
        "", "________________________________"] + header_block + [""] + C.REMINDER.split("\n")
    plain = "\n".join(plain_lines)
    own = html_lines(body.text_lines() + body.closing_lines())
    own = "\n".join(
        line.replace("<div>", '<div style="font-family: Aptos, Calibri, Helvetica, sans-serif;'
                     ' font-size: 12pt; color: rgb(0, 0, 0);" class="elementToProof">')
        for line in own.split("\n")
    )
    mobile_html = ""
    if mobile:
        mobile_html = ('<div id="ms-outlook-mobile-signature"><div><br></div>'
                       f'{escape(GET_OUTLOOK[lang].split("<")[0])}</div>')
    html = (
        '<html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8">'
        '<style type="text/css" style="display:none;"> P {margin-top:0;margin-bottom:0;} '
        f'</style></head><body dir="ltr">{own}{mobile_html}<div id="appendonsend"></div>'
        '<hr style="display:inline-block;width:98%" tabindex="-1"><div id="divRplyFwdMsg" '
        'dir="ltr"><font face="Calibri, sans-serif" style="font-size:11pt" color="#000000">'
        + "<br>".join(f"<b>{escape(line.split(': ', 1)[0])}:</b> "
                      f"{escape(line.split(': ', 1)[1])}" for line in header_block) +
        f'</font><div>&nbsp;</div></div>{reminder_html()}</body></html>'
    )
    parts = [leaf("text/html", html, charset="utf-8", cte="base64")]
    if not html_only:
        parts.insert(0, leaf("text/plain", plain, charset="utf-8", cte="base64"))
    mime = alternative(f"_000_AM9PR10MB{seq:04d}EURP_", *parts) if len(parts) > 1 else parts[0]
    headers = [
        ("Thread-Topic", C.REMINDER_SUBJECT),
        ("Thread-Index", "AQHbQ3ZpYSBPdXRsb29rIHdlYg=="),
        ("Content-Language", f"{lang}-{lang.upper()}"),
        ("X-MS-Has-Attach", ""),
        ("msip_labels", ""),
        ("x-ms-publictraffictype", "Email"),
        ("X-MS-Exchange-CrossTenant-originalarrivaltime", "01 Dec 2026 17:02:41.0000 (UTC)"),
    ]
    raw = message(lang=lang, seq=seq, body=mime, client_headers=headers)
    if html_only:
        expected = "\n".join(body.text_lines()).strip()
    else:
        expected = body.expected()
    return raw, expected


def apple_mail(body: Body, seq: int, *, quote_attribution: bool = False,
               iphone: bool = False, blank_before_quote: bool = True) -> tuple[bytes, str]:
    lang = body.lang
    attribution = C.APPLE_ATTRIBUTION[lang].format(who=C.R)
    footer = ["", C.IPHONE_FOOTER[lang]] if iphone else []
    lines = body.text_lines() + body.closing_lines() + footer
    if blank_before_quote:
        lines.append("")
    if quote_attribution or iphone:
        lines += ["> " + attribution, ">"] + quoted(C.REMINDER)
    else:
        lines += [attribution, ""] + quoted(C.REMINDER)
    plain = "\n".join(lines) + "\n"
    own_html = "".join(
        f"<div>{escape(line)}</div>" if line.strip() else "<div><br></div>"
        for line in body.text_lines() + body.closing_lines()
    )
    sig_html = ""
    if iphone:
        sig_html = ('<div dir="ltr"><br id="lineBreakAtBeginningOfSignature"><div dir="ltr">'
                    f'{escape(C.IPHONE_FOOTER[lang])}</div></div>')
    html = (
        '<html><head><meta http-equiv="content-type" content="text/html; charset=utf-8">'
        '</head><body dir="auto" style="overflow-wrap: break-word; -webkit-nbsp-mode: space;'
        f' line-break: after-white-space;">{own_html}{sig_html}<div><br><blockquote type="cite">'
        f'<div>{escape(attribution)}</div><br class="Apple-interchange-newline">'
        f'{reminder_html()}</blockquote></div></body></html>'
    )
    boundary = f"Apple-Mail=_{seq:04d}8F3A2C1B-6E0D-4C9B-A1F2-3D4E5F6A7B8C"
    mime = alternative(
        boundary,
        leaf("text/plain", plain, charset="utf-8", cte=_plain_cte(plain, "utf-8")),
        leaf("text/html", html, charset="utf-8", cte="quoted-printable"),
    )
    mailer = "iPhone Mail (22B91)" if iphone else "Apple Mail (2.3826.200.121)"
    raw = message(lang=lang, seq=seq, body=mime, client_headers=[("X-Mailer", mailer)])
    return raw, body.expected()


def thunderbird(body: Body, seq: int, *, bottom: bool = False, signature: str = "",
                charset: str = "UTF-8") -> tuple[bytes, str]:
    lang = body.lang
    attribution = C.THUNDERBIRD_ATTRIBUTION[lang].format(who="Donemail")
    own = body.text_lines(width=72, flowed=True) + body.closing_lines()
    sig = ["", "-- ", *signature.split("\n")] if signature else []
    quote = [attribution] + quoted(C.REMINDER)
    if bottom:
        lines = quote + [""] + own + sig
    else:
        lines = own + [""] + sig + ([""] if sig else []) + quote
    plain = "\n".join(lines) + "\n"
    cte = "8bit" if not plain.isascii() else "7bit"
    mime = leaf("text/plain", plain, charset=charset, cte=cte, params="; format=flowed")
    headers = [
        ("User-Agent", "Mozilla Thunderbird"),
        ("Content-Language", f"{lang}-{lang.upper()}" if lang != "en" else "en-US"),
    ]
    raw = message(lang=lang, seq=seq, body=mime, client_headers=headers)
    return raw, body.expected(width=72, flowed=True)


def thunderbird_html(body: Body, seq: int) -> tuple[bytes, str]:
    lang = body.lang
    attribution = C.THUNDERBIRD_ATTRIBUTION[lang].format(who="Donemail")
    own = "".join(f"<p>{escape(line)}</p>" if line else "" for line in body.text_lines())
    closing = ""
    if body.sign_off:
        closing = f"<p>{escape(body.sign_off)}<br>{escape(body.name)}</p>"
    html = (
        '<!DOCTYPE html>\n<html><head><meta http-equiv="Content-Type" content="text/html; '
        f'charset=UTF-8"></head><body>{own}{closing}<br><div class="moz-cite-prefix">'
        f'{escape(attribution)}<br></div><blockquote type="cite" cite="mid:reminder.20261201.77'
        f'@donemail.io">{reminder_html()}</blockquote><br></body></html>'
    )
    mime = leaf("text/html", html, charset="UTF-8", cte="8bit")
    raw = message(lang=lang, seq=seq, body=mime,
                  client_headers=[("User-Agent", "Mozilla Thunderbird")])
    lines = [line for line in body.text_lines()]
    # <p> paragraphs are separated by a blank line when read as text.
    expected = "\n\n".join(line for line in lines if line)
    return raw, expected


def yahoo(body: Body, seq: int, *, android: bool = False, html_only: bool = False
          ) -> tuple[bytes, str]:
    lang = body.lang
    attribution = C.YAHOO_ATTRIBUTION[lang].format(who=C.R)
    footer = ["", "Sent from Yahoo Mail on Android"] if android else []
    plain_lines = body.text_lines() + body.closing_lines() + footer + [
        "", "", f"    {attribution}  ", "", " ", ""] + [
        (" " + line if line else " ") for line in C.REMINDER.split("\n")]
    plain = "\n".join(plain_lines) + "\n"
    own_html = "".join(
        f"<div dir=\"ltr\" data-setdir=\"false\">{escape(line)}</div>" if line.strip()
        else "<div dir=\"ltr\" data-setdir=\"false\"><br></div>"
        for line in body.text_lines() + body.closing_lines())
    if android:
        own_html += ('<div id="ymail_android_signature"><a href="https://go.onelink.me/107872968'
                     '?pid=InProduct">Sent from Yahoo Mail on Android</a></div>')
    html = (
        '<html><head></head><body><div class="ydp1c2d3e4fyahoo-style-wrap" style="font-family:'
        f'Helvetica Neue, Helvetica, Arial, sans-serif;font-size:13px;">{own_html}</div>'
        f'<div id="yahoo_quoted_{seq:06d}" class="yahoo_quoted"><div style="font-family:'
        '\'Helvetica Neue\', Helvetica, Arial, sans-serif;font-size:13px;color:#26282a;">'
        f'<div>{escape(attribution)}</div><div><br></div><div><br></div>'
        f'<div>{reminder_html()}</div></div></div></body></html>'
    )
    parts = [leaf("text/html", html, charset="UTF-8", cte="quoted-printable")]
    if not html_only:
        parts.insert(0, leaf("text/plain", plain, charset="UTF-8", cte="quoted-printable"))
    mime = alternative(f"----=_Part_{seq:05d}_1866443437.1764608441201", *parts) \
        if len(parts) > 1 else parts[0]
    headers = [("X-Mailer", "WebService/1.1.24652 YMailNorrin")]
    if android:
        headers = [("X-Mailer", "WebService/1.1.24652 YahooMailAndroidMobile")]
    raw = message(lang=lang, seq=seq, body=mime, client_headers=headers)
    return raw, body.expected()


def android_gmail(body: Body, seq: int) -> tuple[bytes, str]:
    lang = body.lang
    attribution = C.ANDROID_GMAIL_ATTRIBUTION[lang].format(who=f"Donemail, <{C.RB}>")
    plain = "\n".join(body.text_lines() + body.closing_lines() + [
        "", attribution, ""] + quoted(C.REMINDER)) + "\n"
    html = ('<div dir="auto">' + "".join(
        f'<div dir="auto">{escape(line)}</div>' if line else '<div dir="auto"><br></div>'
        for line in body.text_lines() + body.closing_lines()) +
        '</div><br><div class="gmail_quote"><div dir="ltr" class="gmail_attr">'
        f'{escape(attribution)}<br></div><blockquote class="gmail_quote">{reminder_html()}'
        '</blockquote></div>')
    return _gmail_like(body, seq, f"000000000000{seq:04d}c0ffee05ee1c", plain, html)


def samsung(body: Body, seq: int) -> tuple[bytes, str]:
    lang = body.lang
    labels = C.SAMSUNG_LABELS[lang]
    plain = "\n".join(body.text_lines() + body.closing_lines() + [
        "", "", "", C.SAMSUNG_FOOTER[lang], "", "", C.SAMSUNG_ORIGINAL[lang],
        f"{labels[0]}: {C.R} ", f"{labels[1]}: 12/1/26 17:00 (GMT+01:00) ",
        f"{labels[2]}: {C.ADDRESSES[lang]} ", f"{labels[3]}: {C.REMINDER_SUBJECT} ", "",
    ] + C.REMINDER.split("\n")) + "\n"
    html = ('<html><head><meta http-equiv="Content-Type" content="text/html; charset=UTF-8">'
            '</head><body><div dir="auto">' + "".join(
                f"<div dir=\"auto\">{escape(line)}</div>" if line else
                "<div dir=\"auto\"><br></div>"
                for line in body.text_lines() + body.closing_lines()) +
            f'</div><div dir="auto"><br></div><div id="composer_signature" dir="auto">'
            f'<div style="font-size:85%;color:#575757" dir="auto">{C.SAMSUNG_FOOTER[lang]}'
            '</div></div><div dir="auto"><br></div><div><br></div><div align="left" dir="auto" '
            f'style="font-size:100%;color:#000000"><div>{C.SAMSUNG_ORIGINAL[lang]}</div><div>'
            f'{labels[0]}: {escape(C.R)} </div></div><br>{reminder_html()}</body></html>')
    mime = alternative(
        f"--_com.samsung.android.email_{seq:04d}1866443437",
        leaf("text/plain", plain, charset="UTF-8", cte="base64"),
        leaf("text/html", html, charset="UTF-8", cte="base64"),
    )
    raw = message(lang=lang, seq=seq, body=mime, client_headers=[])
    return raw, body.expected()


FORWARDED_NOTE = {
    "en": ("Priya Shah", "priya@example.com", "Retry queue PR",
           "Hi Ada,\n\nThe retry queue PR is ready for review. It needs a second pair of eyes\n"
           "on the backoff maths.\n\nThanks,\nPriya"),
}


def forwarded(body: Body, seq: int, *, apple: bool = False) -> tuple[bytes, str]:
    lang = body.lang
    name, addr, subject, text = FORWARDED_NOTE["en"]
    if apple:
        block = ["", C.FORWARD_APPLE[lang], "", f"From: {name} <{addr}>",
                 f"Subject: {subject}", "Date: 1 December 2026 at 15:12:09 CET",
                 f"To: {C.NAMES[lang][0]} <{C.ADDRESSES[lang]}>", ""] + quoted(text)
    else:
        block = ["", C.FORWARD_GMAIL[lang], f"From: {name} <{addr}>",
                 "Date: Tue, Dec 1, 2026 at 3:12 PM", f"Subject: {subject}",
                 f"To: {C.NAMES[lang][0]} <{C.ADDRESSES[lang]}>", ""] + text.split("\n")
    plain = "\n".join(body.text_lines() + body.closing_lines() + block) + "\n"
    mime = leaf("text/plain", plain, charset="UTF-8", cte=_plain_cte(plain, "utf-8"))
    raw = message(lang=lang, seq=seq, body=mime, subject="Fwd: " + subject,
                  client_headers=[("X-Mailer", "Apple Mail (2.3826.200.121)")] if apple else [])
    return raw, body.expected()


def mutt_inline(body: Body, seq: int, *, split: bool = True) -> tuple[bytes, str]:
    """Bottom-posted or inline: the member answers under the quoted reminder's lines."""
    lang = body.lang
    reminder = C.REMINDER.split("\n\n")
    own = body.text_lines(width=72)
    lines = [f"On Tue, Dec 01, 2026 at 05:00:00PM +0000, {C.R} wrote:",
             *quoted(reminder[0]), "", *own]
    expected = body.expected(width=72)
    if split:
        lines += ["", *quoted(reminder[1]), "", "Nothing blocked today."]
        expected += "\n\nNothing blocked today."
    lines += ["", "-- ", f"{C.NAMES[lang][0]}  ·  https://{C.ADDRESSES[lang].split('@')[1]}"]
    plain = "\n".join(lines) + "\n"
    mime = leaf("text/plain", plain, charset="utf-8", cte="8bit" if not plain.isascii()
                else "7bit")
    headers = [("User-Agent", "NeoMutt/20241002"), ("Content-Disposition", "inline")]
    raw = message(lang=lang, seq=seq, body=mime, client_headers=headers)
    body.items = body.items + (["Nothing blocked today."] if split else [])
    return raw, expected


AUTO_SUBJECTS = {
    "en": "Automatic reply: ", "de": "Automatische Antwort: ", "fr": "Réponse automatique : ",
    "es": "Respuesta automática: ", "pt": "Resposta automática: ",
    "nl": "Automatisch antwoord: ", "it": "Risposta automatica: ",
    "ru": "Автоматический ответ: ", "ja": "自動応答: ", "zh": "自动回复: ",
}
SUBJECT_ONLY_AUTO = {
    "en": "Out of Office: ", "de": "Abwesenheitsnotiz: ", "fr": "Absent du bureau : ",
    "es": "Fuera de la oficina: ", "pt": "Fora do escritório: ", "nl": "Afwezig: ",
    "it": "Fuori ufficio: ", "ru": "Вне офиса: ", "ja": "不在: ", "zh": "自动回复: ",
}
AWAY_TEXT = {
    "en": "I am out of the office until Monday 7 December with limited access to email.\n"
          "For urgent matters please contact ops@example.com.",
    "de": "Ich bin bis einschließlich 7. Dezember nicht im Büro und habe keinen Zugriff auf\n"
          "meine E-Mails. In dringenden Fällen wenden Sie sich bitte an ops@example.de.",
    "fr": "Je suis absente du bureau jusqu'au 7 décembre inclus. Pour toute urgence,\n"
          "merci de contacter ops@example.fr.",
    "es": "Estoy fuera de la oficina hasta el 7 de diciembre. Para asuntos urgentes,\n"
          "escribe a ops@example.es.",
    "pt": "Estou fora do escritório até 7 de dezembro. Para assuntos urgentes,\n"
          "escreva para ops@example.com.br.",
    "nl": "Ik ben afwezig tot en met 7 december. Voor dringende zaken kunt u mailen naar\n"
          "ops@example.nl.",
    "it": "Sono fuori ufficio fino al 7 dicembre. Per urgenze scrivere a ops@example.it.",
    "ru": "Я в отпуске до 7 декабря. По срочным вопросам пишите на ops@example.ru.",
    "ja": "12月7日まで不在にしております。お急ぎの場合は ops@example.jp までご連絡ください。",
    "zh": "我将休假至12月7日。如有急事，请联系 ops@example.cn。",
}


def auto_reply(lang: str, seq: int, *, kind: str) -> bytes:
    text = AWAY_TEXT[lang] + "\n"
    subject = C.REMINDER_SUBJECT
    headers: list[tuple[str, str]] = []
    if kind == "outlook":
        subject = AUTO_SUBJECTS[lang] + subject
        headers = [("Auto-Submitted", "auto-generated"), ("X-Auto-Response-Suppress", "All"),
                   ("X-MS-Exchange-Generated-Message-Source", "Mailbox Rules Agent")]
    elif kind == "gmail":
        subject = C.REPLY_PREFIX[lang] + subject
        headers = [("Auto-Submitted", "auto-replied")]
    elif kind == "x-autoreply":
        subject = "Re: " + subject
        headers = [("X-Autoreply", "yes"), ("X-Mailer", "cPanel Autoresponder")]
    elif kind == "x-autorespond":
        subject = "Re: " + subject
        headers = [("X-Autorespond", subject)]
    elif kind == "precedence":
        subject = "Re: " + subject
        headers = [("Precedence", "auto_reply")]
    elif kind == "bulk":
        subject = "Re: " + subject
        headers = [("Precedence", "bulk")]
    elif kind == "subject":
        subject = SUBJECT_ONLY_AUTO[lang] + subject
    mime = leaf("text/plain", text, charset="utf-8", cte=_plain_cte(text, "utf-8"))
    return message(lang=lang, seq=seq, body=mime, subject=subject, client_headers=headers)


def bounce(seq: int, *, kind: str) -> bytes:
    original = (
        f"From: Donemail <{C.RB}>\r\nTo: nobody@example.org\r\n"
        f"Subject: {C.REMINDER_SUBJECT}\r\nMessage-ID: <reminder.20261201.78@donemail.io>\r\n"
    )
    if kind == "postfix":
        text = ("This is the mail system at host mx.example.org.\n\nI'm sorry to have to inform "
                "you that your message could not\nbe delivered to one or more recipients.\n\n"
                "<nobody@example.org>: host mx.example.org said: 550 5.1.1 User unknown\n")
        report = ("Reporting-MTA: dns; mx.example.org\r\n\r\nFinal-Recipient: rfc822; "
                  "nobody@example.org\r\nAction: failed\r\nStatus: 5.1.1\r\n")
        body = (
            "Content-Type: multipart/report; report-type=delivery-status;\r\n"
            f"\tboundary=\"B{seq}.1764608441/mx.example.org\"\r\n\r\n"
            f"--B{seq}.1764608441/mx.example.org\r\nContent-Description: Notification\r\n"
            f"Content-Type: text/plain; charset=us-ascii\r\n\r\n{text}\r\n"
            f"--B{seq}.1764608441/mx.example.org\r\nContent-Description: Delivery report\r\n"
            f"Content-Type: message/delivery-status\r\n\r\n{report}\r\n"
            f"--B{seq}.1764608441/mx.example.org\r\nContent-Description: Undelivered Message "
            f"Headers\r\nContent-Type: text/rfc822-headers\r\n\r\n{original}\r\n"
            f"--B{seq}.1764608441/mx.example.org--\r\n"
        ).encode()
        return message(lang="en", seq=seq, body=body, from_name="Mail Delivery System",
                       from_addr="MAILER-DAEMON@mx.example.org",
                       subject="Undelivered Mail Returned to Sender", client_headers=[])
    if kind == "exchange":
        text = ("Your message to nobody@example.org couldn't be delivered.\n\nnobody wasn't found"
                " at example.org.\n")
        mime = leaf("text/plain", text, charset="utf-8", cte="7bit")
        return message(lang="en", seq=seq, body=mime, from_name="Microsoft Outlook",
                       from_addr="postmaster@example.onmicrosoft.com",
                       subject="Undeliverable: " + C.REMINDER_SUBJECT, client_headers=[])
    if kind == "gmail":
        text = ("** Address not found **\n\nYour message wasn't delivered to nobody@example.org "
                "because the address couldn't be found, or is unable to receive mail.\n")
        mime = leaf("text/plain", text, charset="UTF-8", cte="7bit")
        return message(lang="en", seq=seq, body=mime, from_name="Mail Delivery Subsystem",
                       from_addr="mailer-daemon@googlemail.com",
                       subject="Delivery Status Notification (Failure)",
                       client_headers=[("X-Failed-Recipients", "nobody@example.org")])
    text = ("This message was created automatically by mail delivery software.\n\nA message that"
            " you sent could not be delivered to one or more of its\nrecipients. This is a "
            "permanent error.\n")
    mime = leaf("text/plain", text, charset="us-ascii", cte="7bit")
    return message(lang="en", seq=seq, body=mime, from_name="Mail Delivery System",
                   from_addr="Mailer-Daemon@mail.example.net",
                   subject="Mail delivery failed: returning message to sender", client_headers=[])


BIG5_ITEMS = ["完成了儀表板的發票匯出功能", "審查了李娜關於任務佇列的合併請求", "修復了Safari上的登入問題"]
GBK_ONLY_ITEMS = ["与朱镕基纪念馆的同事开会", "修复了𠮷野家订单的编码问题"]


def webmail_plain(body: Body, seq: int, *, charset: str | None, cte: str,
                  declared: str | None = "same", header_charset: str = "utf-8",
                  raw_subject: str | None = None) -> tuple[bytes, str]:
    """A single-part plain reply in a given charset: the shape of many webmails and MUAs.

    `declared` is what the Content-Type says: "same" as the real charset, None for no
    charset parameter at all, or another label (a mislabelled body).
    """
    lang = body.lang
    text = "\n".join(body.text_lines() + body.closing_lines() + [
        "", C.GMAIL_ATTRIBUTION["en"].format(who=C.R), ""] + quoted(C.REMINDER)) + "\n"
    data = text.replace("\n", "\r\n").encode(charset or "utf-8")
    if cte == "quoted-printable":
        data = quopri.encodestring(data).replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
    elif cte == "base64":
        data = base64.encodebytes(data).replace(b"\n", b"\r\n")
    label = charset if declared == "same" else declared
    ctype = "Content-Type: text/plain" + (f"; charset={label}" if label else "") + "\r\n"
    head = ctype + (f"Content-Transfer-Encoding: {cte}\r\n" if cte != "none" else "") + "\r\n"
    client = [("X-Mailer", "Roundcube Webmail/1.6.9")]
    raw = message(lang=lang, seq=seq, body=head.encode() + data, client_headers=client,
                  header_charset=header_charset)
    if raw_subject is not None:
        start = raw.index(b"\r\nSubject: ") + 2
        end = raw.index(b"\r\n", start)
        while raw[end + 2 : end + 3] in (b" ", b"\t"):
            end = raw.index(b"\r\n", end + 2)
        raw = raw[:start] + b"Subject: " + raw_subject.encode("latin-1") + raw[end:]
    return raw, body.expected()


# -- the corpus ------------------------------------------------------------------------

SIGNATURES = {
    "en": "Ada Lovelace\nStaff Engineer, Platform\n+44 20 7946 0958",
    "de": "Jürgen Müller\nTeamleiter Backend\nTel. +49 30 1234567",
    "fr": "Élodie Lefèvre\nCheffe de projet\n+33 1 23 45 67 89",
    "es": "Carlos Peña\nIngeniero de datos\n+34 912 345 678",
    "pt": "João Gonçalves\nDesenvolvedor\n+55 11 91234-5678",
    "nl": "Daan de Vries\nProductmanager\n+31 20 123 4567",
    "it": "Giulia Ricci\nSviluppatrice frontend\n+39 02 1234 5678",
    "ru": "Иван Петров\nРуководитель группы\n+7 495 123-45-67",
    "ja": "山田 太郎\n開発部\nTEL: 03-1234-5678",
    "zh": "王伟\n后端开发工程师\n电话: +86 10 1234 5678",
}


def cases() -> list[dict]:
    out: list[dict] = []
    seq = 0

    def add(client: str, lang: str, built, body: Body | None, tags: list[str], **extra):
        nonlocal seq
        raw, expected = built if isinstance(built, tuple) else (built, "")
        entry = {
            "file": f"{client}/{lang}-{seq:03d}.eml", "client": client, "lang": lang,
            "tags": tags, "reply_text": expected,
            "items": body.expected_items() if body and expected else [],
            "auto_reply": extra.pop("auto_reply", False), "bounce": extra.pop("bounce", False),
            **extra,
        }
        out.append((entry, raw))
        seq += 1

    for lang in C.LANGS:
        b = make_body(lang)
        add("gmail", lang, gmail(b, seq), b, ["top-posting", "quoted >"])
        b = make_body(lang, greeting=True)
        add("gmail", lang, gmail(b, seq, wrap_attribution="address"), b,
            ["attribution wrapped", "greeting"])
        b = make_body(lang, sign_off=True)
        add("gmail", lang, gmail(b, seq, signature=SIGNATURES[lang]), b,
            ["signature -- ", "sign-off"])
        b = make_body(lang)
        add("outlook", lang, outlook_desktop(b, seq), b, ["outlook header block",
                                                          C.LEGACY_CHARSET[lang]])
        b = make_body(lang)
        add("outlook", lang, outlook_desktop(b, seq, original=True, charset="utf-8"), b,
            ["original message", "utf-8"])
        b = make_body(lang)
        add("outlook-web", lang, outlook_web(b, seq), b, ["underscore rule", "base64"])
        b = make_body(lang, sign_off=False)
        add("outlook-mobile", lang, outlook_web(b, seq, mobile=True), b,
            ["mobile footer", "underscore rule"])
        b = make_body(lang)
        add("apple-mail", lang, apple_mail(b, seq), b, ["quoted >"])
        b = make_body(lang, sign_off=False)
        add("iphone", lang, apple_mail(b, seq, iphone=True), b,
            ["mobile footer", "quoted attribution"])
        b = make_body(lang, long_item=True)
        add("thunderbird", lang, thunderbird(b, seq, signature=SIGNATURES[lang]), b,
            ["format=flowed", "signature -- ", "8bit"])
        b = make_body(lang)
        add("yahoo", lang, yahoo(b, seq), b, ["unprefixed quote"])
        b = make_body(lang)
        add("android-gmail", lang, android_gmail(b, seq), b, ["quoted >"])
        b = make_body(lang)
        add("samsung", lang, samsung(b, seq), b, ["original message", "mobile footer", "base64"])
        add("auto-reply", lang, auto_reply(lang, seq, kind="outlook"), None,
            ["auto-reply"], auto_reply=True)
        add("auto-reply", lang, auto_reply(lang, seq, kind="subject"), None,
            ["auto-reply", "subject only"], auto_reply=True)

    for lang in ("en", "de", "fr", "es", "ja"):
        b = make_body(lang)
        add("gmail", lang, gmail(b, seq, wrap_attribution="wrote"), b, ["attribution wrapped"])
        b = make_body(lang)
        add("gmail-html-only", lang, gmail_html_only(b, seq), b, ["html-only", "lists"])
        b = make_body(lang)
        add("outlook-web", lang, outlook_web(b, seq, html_only=True), b,
            ["html-only", "divRplyFwdMsg"])
        b = make_body(lang, sign_off=False)
        add("yahoo", lang, yahoo(b, seq, android=True), b, ["mobile footer"])
        b = make_body(lang)
        add("yahoo", lang, yahoo(b, seq, html_only=True), b, ["html-only", "yahoo_quoted"])
        b = make_body(lang, style="lines")
        add("thunderbird", lang, thunderbird_html(b, seq), b, ["html-only", "moz-cite-prefix"])
        b = make_body(lang)
        add("apple-mail", lang, apple_mail(b, seq, quote_attribution=True,
                                            blank_before_quote=False), b,
            ["quoted attribution", "no blank line"])
        b = make_body(lang, sign_off=False)
        add("forward", lang, forwarded(b, seq), b, ["forwarded"])
        b = make_body(lang, sign_off=False)
        add("forward", lang, forwarded(b, seq, apple=True), b, ["forwarded"])
        b = make_body(lang, long_item=True, style="-", sign_off=False, greeting=False)
        add("mutt", lang, mutt_inline(b, seq), b, ["inline", "bottom-posting", "hard wrap 72"])

    for lang in ("en", "de", "fr", "ru", "zh"):
        b = make_body(lang)
        add("outlook", lang, outlook_desktop(b, seq, html_only=True), b,
            ["html-only", "outlook header block", "MsoNormal"])

    for lang in ("en", "de", "it", "pt"):
        b = make_body(lang, long_item=True)
        add("thunderbird", lang, thunderbird(b, seq, bottom=True), b,
            ["bottom-posting", "format=flowed"])
        b = make_body(lang)
        add("outlook", lang, outlook_desktop(b, seq, suppress_header=True), b,
            ["X-Auto-Response-Suppress on a real reply"])

    for kind in ("gmail", "x-autoreply", "x-autorespond", "precedence", "bulk"):
        add("auto-reply", "en", auto_reply("en", seq, kind=kind), None, ["auto-reply", kind],
            auto_reply=True)
    for kind in ("postfix", "exchange", "gmail", "exim"):
        add("bounce", "en", bounce(seq, kind=kind), None, ["bounce", kind], bounce=True)

    charsets = [
        ("de", "iso-8859-1", "8bit", "same"), ("fr", "windows-1252", "quoted-printable", "same"),
        ("es", "iso-8859-15", "quoted-printable", "same"), ("pt", "iso-8859-1", "base64", "same"),
        ("nl", "windows-1252", "8bit", "iso-8859-1"), ("it", "utf-8", "8bit", None),
        ("de", "iso-8859-1", "8bit", None), ("fr", "utf-8", "quoted-printable", "iso-8859-1"),
        ("es", "utf-8", "8bit", "x-unknown"), ("pt", "utf-8", "base64", "utf8"),
        ("ru", "koi8-r", "8bit", "same"), ("ru", "windows-1251", "base64", "same"),
        ("ru", "koi8-r", "quoted-printable", "same"), ("ja", "iso-2022-jp", "7bit", "same"),
        ("ja", "shift_jis", "base64", "same"), ("ja", "euc-jp", "8bit", "same"),
        ("zh", "gb2312", "base64", "same"), ("zh", "gb2312", "8bit", "same"),
        ("zh", "gb18030", "base64", "same"), ("en", "us-ascii", "7bit", "same"),
    ]
    for lang, charset, cte, declared in charsets:
        b = make_body(lang)
        if fit_charset(b, charset) != charset:
            b.style = "-"  # a member on a legacy charset cannot type "•"
        add("charset", lang, webmail_plain(b, seq, charset=charset, cte=cte, declared=declared,
                                           header_charset=charset if charset != "us-ascii"
                                           else "utf-8"), b,
            ["charset", charset, cte, f"declared {declared}"],
            subject=C.REPLY_PREFIX[lang] + C.REMINDER_SUBJECT, from_name=C.NAMES[lang][0])
    # Traditional Chinese in Big5, and GBK-only characters under a gb2312 label.
    b = make_body("zh", sign_off=False)
    b.items = list(BIG5_ITEMS)
    add("charset", "zh", webmail_plain(b, seq, charset="big5", cte="base64"), b,
        ["charset", "big5"])
    b = make_body("zh", sign_off=False)
    b.items = list(GBK_ONLY_ITEMS[:1]) + ["更新了英文翻译"]
    built = webmail_plain(b, seq, charset="gbk", cte="8bit", declared="gb2312")
    add("charset", "zh", built, b, ["charset", "gbk labelled gb2312"])
    # Broken RFC 2047 subjects: a UTF-8 character split across two encoded words, base64
    # without padding, an unknown charset, and an encoded word glued to text.
    def word(charset: str, data: bytes) -> str:
        return f"=?{charset}?B?{base64.b64encode(data).decode()}?="

    grosse = "AW: Größe der Bilder geändert".encode()
    broken = [
        (word("UTF-8", grosse[:8]) + " " + word("UTF-8", grosse[8:]),
         "AW: Größe der Bilder geändert"),
        (word("utf-8", "Re: Café menu".encode()).rstrip("?=").rstrip("=") + "?=",
         "Re: Café menu"),
        ("=?x-unknown?Q?Re:_caf=C3=A9_menu?=", "Re: café menu"),
        ("Re:=?iso-8859-1?q?_R=E9sum=E9_des_t=E2ches?=", "Re: Résumé des tâches"),
        ("RE: " + word("koi8-r", "Написал инструкцию".encode("koi8-r")),
         "RE: Написал инструкцию"),
        ("RE: " + word("ISO-2022-JP", "今日やったこと".encode("iso-2022-jp")), "RE: 今日やったこと"),
        ("=?gb2312?B?" + base64.b64encode("回复：今天完成了什么".encode("gb2312")).decode() + "?=",
         "回复：今天完成了什么"),
    ]
    for raw_subject, decoded in broken:
        b = make_body("en", sign_off=False)
        add("rfc2047", "en", webmail_plain(b, seq, charset="utf-8", cte="8bit",
                                           raw_subject=raw_subject), b,
            ["rfc2047", "broken encoded word"], subject=decoded)
    out.extend(_edge_cases(seq))
    return out


def _plain_reply(text: str, seq: int, *, lang: str = "en", charset: str = "UTF-8",
                 mailer: str = "", html: str = "") -> bytes:
    cte = "quoted-printable" if not text.isascii() else "7bit"
    part = leaf("text/plain", text, charset=charset, cte=cte)
    if html:
        part = alternative(f"0000000000{seq:04d}edge", part,
                           leaf("text/html", html, charset="UTF-8", cte="quoted-printable"))
    headers = [("X-Mailer", mailer)] if mailer else []
    return message(lang=lang, seq=seq, body=part, client_headers=headers)


GMAIL_QUOTE = "\n\n" + C.GMAIL_ATTRIBUTION["en"].format(who=C.R) + "\n\n" + "\n".join(
    quoted(C.REMINDER)) + "\n"
OUTLOOK_QUOTE = (
    f"\n\nFrom: {C.R}\nSent: Tuesday, December 1, 2026 5:00 PM\nTo: Ada Lovelace "
    f"<ada@example.com>\nSubject: {C.REMINDER_SUBJECT}\n\n{C.REMINDER}\n"
)
TEAMMATE_THREAD = (
    "\n\nOn Tue, Dec 1, 2026 at 6:12 PM Priya Shah <priya@example.com> wrote:\n\n"
    "> - Finished the retry queue backoff\n> - Paired with Sam on onboarding\n>\n"
    "> On Tue, Dec 1, 2026 at 5:00 PM Donemail <reply+k7Qd2xVb@in.donemail.io> wrote:\n>\n"
    + "\n".join(quoted("\n".join(quoted(C.REMINDER)))) + "\n"
)

# (name, what the member's mail says, expected reply text, expected items, note)
EDGE = [
    ("greeting-and-text-on-one-line",
     "Hi team, shipped the CSV export today and reviewed two PRs." + GMAIL_QUOTE,
     "Hi team, shipped the CSV export today and reviewed two PRs.",
     ["Hi team, shipped the CSV export today and reviewed two PRs."],
     "a greeting that starts a sentence is not a pure greeting"),
    ("bullets-that-start-like-greetings",
     "Hi all,\n\n- Hi-fi mockups for the settings page\n- Hello world sample updated to Django"
     " 5.2\n- Thanks page redesign shipped\n\nCheers,\nAda" + GMAIL_QUOTE,
     "Hi all,\n\n- Hi-fi mockups for the settings page\n- Hello world sample updated to Django"
     " 5.2\n- Thanks page redesign shipped",
     ["Hi-fi mockups for the settings page", "Hello world sample updated to Django 5.2",
      "Thanks page redesign shipped"],
     "a bullet is never a greeting or a sign-off"),
    ("greeting-without-blank-line",
     "Morning!\nFixed the cron drift on worker-3\nUpgraded Celery to 5.7" + GMAIL_QUOTE,
     "Morning!\nFixed the cron drift on worker-3\nUpgraded Celery to 5.7",
     ["Fixed the cron drift on worker-3", "Upgraded Celery to 5.7"],
     "text right under a greeting is kept"),
    ("lines-starting-with-on",
     "On the billing side, shipped the CSV export.\nOn Friday I'll pick up the retry queue."
     + GMAIL_QUOTE,
     "On the billing side, shipped the CSV export.\nOn Friday I'll pick up the retry queue.",
     ["On the billing side, shipped the CSV export.", "On Friday I'll pick up the retry queue."],
     "'On …' sentences are not attributions"),
    ("one-liner", "Nothing much today, mostly interviews." + OUTLOOK_QUOTE,
     "Nothing much today, mostly interviews.", ["Nothing much today, mostly interviews."], ""),
    ("emoji", "🚀 Deployed the new search ranking to 10% of users\n✅ Closed the Q3 audit"
     + GMAIL_QUOTE,
     "🚀 Deployed the new search ranking to 10% of users\n✅ Closed the Q3 audit",
     ["🚀 Deployed the new search ranking to 10% of users", "✅ Closed the Q3 audit"], ""),
    ("name-block-signature",
     "- Shipped the audit log export\n- Fixed the timezone bug in digests\n\nAda Lovelace\n"
     "Staff Engineer | Platform\nada@example.com | +44 20 7946 0958" + OUTLOOK_QUOTE,
     "- Shipped the audit log export\n- Fixed the timezone bug in digests",
     ["Shipped the audit log export", "Fixed the timezone bug in digests"],
     "a signature without delimiter that starts with the sender's name"),
    ("sign-off-with-name-on-one-line",
     "- Rotated the TLS certificates on the edge proxies\n\nThanks, Ada" + GMAIL_QUOTE,
     "- Rotated the TLS certificates on the edge proxies",
     ["Rotated the TLS certificates on the edge proxies"], ""),
    ("nested-bullets",
     "- Billing\n  - Shipped the CSV export\n  - Fixed rounding in invoices\n- Ops: rotated the"
     " TLS certs" + GMAIL_QUOTE,
     "- Billing\n  - Shipped the CSV export\n  - Fixed rounding in invoices\n- Ops: rotated the"
     " TLS certs",
     ["Billing", "Shipped the CSV export", "Fixed rounding in invoices",
      "Ops: rotated the TLS certs"], ""),
    ("numbered-wrapped-at-72",
     "1) Moved the nightly reconciliation job onto the new worker pool so it no\n"
     "   longer competes with the digest sender\n2) Wrote the postmortem for Monday's"
     " outage" + GMAIL_QUOTE,
     "1) Moved the nightly reconciliation job onto the new worker pool so it no\n"
     "   longer competes with the digest sender\n2) Wrote the postmortem for Monday's outage",
     ["Moved the nightly reconciliation job onto the new worker pool so it no longer competes"
      " with the digest sender", "Wrote the postmortem for Monday's outage"], ""),
    ("gmail-bold-outlook-block",
     "Done: the vendor contract review.\n\n\n------------------------------\n*From:* Donemail"
     f" <{C.RB}>\n*Sent:* Tuesday, December 1, 2026 5:00 PM\n*To:* Ada Lovelace\n*Subject:* "
     f"{C.REMINDER_SUBJECT}\n\n{C.REMINDER}\n",
     "Done: the vendor contract review.", ["Done: the vendor contract review."],
     "Outlook's block after Gmail turned its HTML into text"),
    ("teammate-thread-double-quote",
     "- Reviewed Priya's retry queue change\n- Updated the on-call rota" + TEAMMATE_THREAD,
     "- Reviewed Priya's retry queue change\n- Updated the on-call rota",
     ["Reviewed Priya's retry queue change", "Updated the on-call rota"], ""),
    ("french-outlook-space-before-colon",
     "- Terminé la revue du contrat\n\nCordialement,\nÉlodie\n\nDe : Donemail <"
     f"{C.RB}>\nEnvoyé : mardi 1 décembre 2026 17:00\nÀ : Élodie Lefèvre <elodie@example.fr>"
     f"\nObjet : {C.REMINDER_SUBJECT}\n\n{C.REMINDER}\n",
     "- Terminé la revue du contrat", ["Terminé la revue du contrat"], ""),
    ("french-gmail-attribution-wrapped",
     "- Corrigé le bug de connexion sous Safari\n\nLe mar. 1 déc. 2026 à 17:00, Donemail <"
     f"{C.RB}> a\nécrit :\n\n" + "\n".join(quoted(C.REMINDER)) + "\n",
     "- Corrigé le bug de connexion sous Safari", ["Corrigé le bug de connexion sous Safari"],
     ""),
    ("german-attribution-wrapped-in-name",
     "- Rechnungsexport fertiggestellt\n\nAm Di., 1. Dez. 2026 um 17:00 Uhr schrieb Donemail\n"
     f"<{C.RB}>:\n\n" + "\n".join(quoted(C.REMINDER)) + "\n",
     "- Rechnungsexport fertiggestellt", ["Rechnungsexport fertiggestellt"], ""),
    ("no-history-at-all", "- Paired with Sam on the onboarding emails\n- Fixed the Safari"
     " login test\n", "- Paired with Sam on the onboarding emails\n- Fixed the Safari login test",
     ["Paired with Sam on the onboarding emails", "Fixed the Safari login test"], ""),
    ("sent-from-ipad", "Wrote the Postgres failover runbook\n\nSent from my iPad" + GMAIL_QUOTE,
     "Wrote the Postgres failover runbook", ["Wrote the Postgres failover runbook"], ""),
    ("sent-from-mail-for-windows",
     "Triaged 14 support tickets, closed 9\n\nSent from Mail for Windows\n\n"
     "From: Donemail<mailto:" + C.RB + ">\nSent: Tuesday, December 1, 2026 5:00 PM\n"
     "To: Ada Lovelace<mailto:ada@example.com>\nSubject: " + C.REMINDER_SUBJECT + "\n\n"
     + C.REMINDER + "\n",
     "Triaged 14 support tickets, closed 9", ["Triaged 14 support tickets, closed 9"], ""),
    ("blackberry-footer",
     "Closed the Q3 audit\n\nSent from my BlackBerry 10 smartphone." + OUTLOOK_QUOTE,
     "Closed the Q3 audit", ["Closed the Q3 audit"], ""),
    ("get-outlook-for-android",
     "Fixed the flaky login test\n\nGet Outlook for Android<https://aka.ms/AAb9ysg>\n"
     "________________________________\n" + OUTLOOK_QUOTE.strip("\n") + "\n",
     "Fixed the flaky login test", ["Fixed the flaky login test"], ""),
    ("sent-from-sentence-is-kept",
     "Sent from my laptop on the train, the deploy went fine.\nAlso merged the retry PR."
     + GMAIL_QUOTE,
     "Sent from my laptop on the train, the deploy went fine.\nAlso merged the retry PR.",
     ["Sent from my laptop on the train, the deploy went fine.", "Also merged the retry PR."],
     "a sentence that starts like a mobile footer"),
    ("from-line-in-text",
     "From: the design team, we got the final mockups\nTo do tomorrow: wire them up"
     + GMAIL_QUOTE,
     "From: the design team, we got the final mockups\nTo do tomorrow: wire them up",
     ["From: the design team, we got the final mockups", "To do tomorrow: wire them up"],
     "a 'From:' line in the member's own text is not a header block"),
    ("sign-off-then-iphone",
     "- Interviewed two backend candidates\n- Shipped the invoice PDF fix\n\nBest,\nAda\n\n"
     "Sent from my iPhone" + GMAIL_QUOTE,
     "- Interviewed two backend candidates\n- Shipped the invoice PDF fix",
     ["Interviewed two backend candidates", "Shipped the invoice PDF fix"], ""),
    ("mixed-bullet-marks",
     "• Shipped the CSV export\n– Reviewed the design doc\n* Rotated the TLS certs" + GMAIL_QUOTE,
     "• Shipped the CSV export\n– Reviewed the design doc\n* Rotated the TLS certs",
     ["Shipped the CSV export", "Reviewed the design doc", "Rotated the TLS certs"], ""),
    ("blank-separated-lines",
     "Shipped the CSV export\n\nReviewed the design doc\n\nRotated the TLS certs" + GMAIL_QUOTE,
     "Shipped the CSV export\n\nReviewed the design doc\n\nRotated the TLS certs",
     ["Shipped the CSV export", "Reviewed the design doc", "Rotated the TLS certs"], ""),
    ("outlook-plain-list",
     "Hi team,\n\n  *   Shipped the CSV export\n  *   Reviewed the design doc\n\nThanks,\nAda"
     + OUTLOOK_QUOTE,
     "Hi team,\n\n  *   Shipped the CSV export\n  *   Reviewed the design doc",
     ["Shipped the CSV export", "Reviewed the design doc"], "Outlook's plain rendering of a list"),
    ("url-and-code",
     "- Fixed `retry_after` parsing in the SMTP pool, see https://git.example.com/pr/812\n"
     "- Bumped kombu to 5.7.0" + GMAIL_QUOTE,
     "- Fixed `retry_after` parsing in the SMTP pool, see https://git.example.com/pr/812\n"
     "- Bumped kombu to 5.7.0",
     ["Fixed `retry_after` parsing in the SMTP pool, see https://git.example.com/pr/812",
      "Bumped kombu to 5.7.0"], ""),
    ("smart-quotes-windows-1252",
     "- Fixed the “Save” button on the invoice page – it’s live\n- Budget: €1,200 approved"
     + OUTLOOK_QUOTE,
     "- Fixed the “Save” button on the invoice page – it’s live\n- Budget: €1,200 approved",
     ["Fixed the “Save” button on the invoice page – it’s live", "Budget: €1,200 approved"],
     "windows-1252 punctuation"),
    ("russian-android-two-line-attribution",
     "- Исправил ошибку входа в Safari\n\n01.12.2026 17:00 пользователь Donemail <"
     f"{C.RB}>\nнаписал:\n\n" + "\n".join(quoted(C.REMINDER)) + "\n",
     "- Исправил ошибку входа в Safari", ["Исправил ошибку входа в Safari"], ""),
    ("japanese-outlook-block",
     "・請求書エクスポート機能を完成させました\n・英語の翻訳を更新しました\n\nよろしくお願いします。\n山田\n\n"
     f"差出人: Donemail <{C.RB}>\n送信日時: 2026年12月1日 17:00\n宛先: 山田 太郎 <yamada@example.jp>\n"
     f"件名: {C.REMINDER_SUBJECT}\n\n{C.REMINDER}\n",
     "・請求書エクスポート機能を完成させました\n・英語の翻訳を更新しました",
     ["請求書エクスポート機能を完成させました", "英語の翻訳を更新しました"], "Japanese bullet ・"),
    ("chinese-iphone",
     "1. 完成了仪表盘的发票导出功能\n2. 修复了Safari上的登录问题\n\n发自我的iPhone\n\n"
     f"> 在 2026年12月1日，17:00，Donemail <{C.RB}> 写道：\n>\n" + "\n".join(quoted(C.REMINDER))
     + "\n",
     "1. 完成了仪表盘的发票导出功能\n2. 修复了Safari上的登录问题",
     ["完成了仪表盘的发票导出功能", "修复了Safari上的登录问题"], ""),
    ("dutch-apple-long-attribution",
     "- Factuurexport afgerond\n\nOp 1 dec. 2026 om 17:00 heeft Donemail <"
     f"{C.RB}> het\nvolgende geschreven:\n\n" + "\n".join(quoted(C.REMINDER)) + "\n",
     "- Factuurexport afgerond", ["Factuurexport afgerond"], ""),
    ("spanish-outlook-original",
     "Hola equipo,\n\n- Terminé la exportación de facturas\n\nSaludos,\nCarlos\n\n"
     "-----Mensaje original-----\nDe: Donemail [mailto:" + C.RB + "]\nEnviado el: martes, 1 de"
     " diciembre de 2026 17:00\nPara: Carlos Peña\nAsunto: " + C.REMINDER_SUBJECT + "\n\n"
     + C.REMINDER + "\n",
     "Hola equipo,\n\n- Terminé la exportación de facturas",
     ["Terminé la exportación de facturas"], ""),
    ("italian-thunderbird-forward",
     "- Aggiornate le traduzioni in tedesco\n\n-------- Messaggio inoltrato --------\n"
     "Oggetto: Traduzioni\nData: Tue, 1 Dec 2026 15:12:09 +0100\nMittente: Niccolò "
     "<nicco@example.it>\nA: Giulia Ricci <giulia.ricci@example.it>\n\nCiao Giulia, ecco i file.\n",
     "- Aggiornate le traduzioni in tedesco", ["Aggiornate le traduzioni in tedesco"], ""),
    ("portuguese-samsung-no-footer",
     "Bom dia,\n\nTerminei a exportação de faturas do painel\n\n\n-------- Mensagem original "
     f"--------\nDe: Donemail <{C.RB}> \nData: 01/12/26 17:00 (GMT-03:00) \nPara: "
     f"joao@example.com.br \nAssunto: {C.REMINDER_SUBJECT} \n\n{C.REMINDER}\n",
     "Bom dia,\n\nTerminei a exportação de faturas do painel",
     ["Terminei a exportação de faturas do painel"], ""),
    ("prose-paragraph-hard-wrapped",
     "Spent most of the day on the billing migration: moved the invoices table to the new\n"
     "schema, backfilled the totals and switched reads over behind a feature flag." + GMAIL_QUOTE,
     "Spent most of the day on the billing migration: moved the invoices table to the new\n"
     "schema, backfilled the totals and switched reads over behind a feature flag.",
     ["Spent most of the day on the billing migration: moved the invoices table to the new "
      "schema, backfilled the totals and switched reads over behind a feature flag."],
     "a prose line wrapped at the column limit is one item"),
    ("ruled-signature",
     "- Cut the 2.4 release\n- Wrote the release notes\n\n----\nAda Lovelace | Platform\n"
     "https://example.com | @ada" + GMAIL_QUOTE,
     "- Cut the 2.4 release\n- Wrote the release notes",
     ["Cut the 2.4 release", "Wrote the release notes"], ""),
    ("dashes-signature-no-space",
     "Reviewed the Kafka consumer lag dashboards\n\n--\nAda\nPlatform team" + GMAIL_QUOTE,
     "Reviewed the Kafka consumer lag dashboards", ["Reviewed the Kafka consumer lag dashboards"],
     "'--' without the trailing space"),
]


TEMPLATE_REMINDER = (
    "Hi Ada Lovelace,\n\nWhat did you get done today? Just reply to this email: one thing per"
    " line.\n\n--\nYour team's page: https://donemail.example/t/platform\nPreferences: "
    "https://donemail.example/p/9f2c1e\nStop these reminders: https://donemail.example/u/9f2c1e"
)
EDGE += [
    ("gmx-header-block-starts-with-gesendet",
     "- Rechnungsexport fertiggestellt\n- Login-Fehler behoben\n\nViele Grüße\nJürgen\n\n"
     "Gesendet: Dienstag, 01. Dezember 2026 um 17:00 Uhr\nVon: \"Donemail\" <" + C.RB + ">\n"
     "An: juergen.mueller@example.de\nBetreff: " + C.REMINDER_SUBJECT + "\n\n" + C.REMINDER
     + "\n",
     "- Rechnungsexport fertiggestellt\n- Login-Fehler behoben",
     ["Rechnungsexport fertiggestellt", "Login-Fehler behoben"], "GMX / Web.de"),
    ("verizon-footer-with-comma",
     "Wrote the incident summary for the DNS outage\n\nSent from my Verizon, Samsung Galaxy "
     "smartphone" + OUTLOOK_QUOTE,
     "Wrote the incident summary for the DNS outage",
     ["Wrote the incident summary for the DNS outage"], ""),
    ("sign-off-name-title-disclaimer",
     "- Finished the SOC 2 evidence export\n- Reviewed the vendor DPA\n\nRegards,\nAda "
     "Lovelace\nStaff Engineer | Acme Corp\nThis e-mail and any attachments are confidential "
     "and intended solely for the addressee." + OUTLOOK_QUOTE,
     "- Finished the SOC 2 evidence export\n- Reviewed the vendor DPA",
     ["Finished the SOC 2 evidence export", "Reviewed the vendor DPA"], ""),
    ("emoji-sign-off",
     "Merged the feature flag cleanup\n\nCheers 🍻\nAda" + GMAIL_QUOTE,
     "Merged the feature flag cleanup", ["Merged the feature flag cleanup"], ""),
    ("unmarked-quote-of-our-reminder",
     "- Shipped the digest timezone fix\n- Reviewed the SendGrid webhook PR\n\n"
     + TEMPLATE_REMINDER + "\n",
     "- Shipped the digest timezone fix\n- Reviewed the SendGrid webhook PR",
     ["Shipped the digest timezone fix", "Reviewed the SendGrid webhook PR"],
     "a client that pasted the reminder with no attribution or quote marks"),
    ("protonmail",
     "- Rotated the API keys for the staging tenants\n\nSent with Proton Mail secure email."
     "\n\n------- Original Message -------\nOn Tuesday, December 1st, 2026 at 17:00, Donemail "
     "<" + C.RB + "> wrote:\n\n" + "\n".join(quoted(TEMPLATE_REMINDER)) + "\n",
     "- Rotated the API keys for the staging tenants",
     ["Rotated the API keys for the staging tenants"], ""),
    ("lotus-notes-tab-headers",
     "Closed out the quarterly access review\n\n\n\nFrom:\tDonemail <" + C.RB + ">\nTo:\t"
     "Ada Lovelace <ada@example.com>\nDate:\t01/12/2026 17:00\nSubject:\t"
     + C.REMINDER_SUBJECT + "\n\n" + C.REMINDER + "\n",
     "Closed out the quarterly access review", ["Closed out the quarterly access review"], ""),
    ("outlook-for-mac",
     "- Prepared the board deck numbers\n\nFrom: Donemail <" + C.RB + ">\nDate: Tuesday, 1 "
     "December 2026 at 17:00\nTo: Ada Lovelace <ada@example.com>\nSubject: "
     + C.REMINDER_SUBJECT + "\n\n" + C.REMINDER + "\n",
     "- Prepared the board deck numbers", ["Prepared the board deck numbers"], ""),
    ("zimbra-original-message",
     "- Upgraded the LDAP proxies\n\n----- Original Message -----\nFrom: \"Donemail\" <"
     + C.RB + ">\nTo: \"Ada Lovelace\" <ada@example.com>\nSent: Tuesday, December 1, 2026 "
     "5:00:00 PM\nSubject: " + C.REMINDER_SUBJECT + "\n\n" + C.REMINDER + "\n",
     "- Upgraded the LDAP proxies", ["Upgraded the LDAP proxies"], ""),
    ("yandex-attribution",
     "- Исправил ошибку входа в Safari\n\n01.12.2026, 17:00, \"Donemail\" <" + C.RB + ">:\n"
     + "\n".join(quoted(C.REMINDER)) + "\n",
     "- Исправил ошибку входа в Safari", ["Исправил ошибку входа в Safari"], ""),
    ("mail-ru-attribution",
     "- Обновил переводы на английский\n\n\nВторник, 1 декабря 2026, 17:00 +03:00 от Donemail "
     "<" + C.RB + ">:\n\n" + "\n".join(quoted(C.REMINDER)) + "\n",
     "- Обновил переводы на английский", ["Обновил переводы на английский"], ""),
    ("gmail-attribution-without-name",
     "Paired with Sam on the onboarding emails\n\nOn Tue, Dec 1, 2026 at 5:00 PM <" + C.RB
     + "> wrote:\n\n" + "\n".join(quoted(C.REMINDER)) + "\n",
     "Paired with Sam on the onboarding emails", ["Paired with Sam on the onboarding emails"],
     ""),
    ("outlook-signature-with-title-and-image",
     "Rolled out the new alerting thresholds\n\nAda Lovelace | Staff Engineer\nAcme Corp.\n"
     "M: +44 7700 900123\n[cid:image001.png@01DA4C2B.5E7F3A10]" + OUTLOOK_QUOTE,
     "Rolled out the new alerting thresholds", ["Rolled out the new alerting thresholds"], ""),
    ("k9-footer-with-excuse",
     "Reviewed the on-call handover notes\n\nSent from my Android device with K-9 Mail. "
     "Please excuse my brevity." + GMAIL_QUOTE,
     "Reviewed the on-call handover notes", ["Reviewed the on-call handover notes"], ""),
    ("list-headings",
     "Done:\n- Shipped the export\n- Fixed the login test\n\nTomorrow:\n- Start the audit"
     + GMAIL_QUOTE,
     "Done:\n- Shipped the export\n- Fixed the login test\n\nTomorrow:\n- Start the audit",
     ["Shipped the export", "Fixed the login test", "Start the audit"],
     "a heading above a list is not a done item"),
    ("swedish-polish-czech-attributions",
     "- Shipped the export\n\nDen tis 1 dec. 2026 kl 17:00 skrev Donemail <" + C.RB + ">:\n\n"
     "> W dniu 1.12.2026 o 17:00, Donemail pisze:\n> > What did you get done today?\n",
     "- Shipped the export", ["Shipped the export"], ""),
    ("qq-mail-chinese-banner",
     "完成了仪表盘的发票导出功能\n\n------------------ 原始邮件 ------------------\n发件人: "
     "\"Donemail\"<" + C.RB + ">;\n发送时间: 2026年12月1日(星期二) 下午5:00\n收件人: \"王伟\";\n"
     "主题: " + C.REMINDER_SUBJECT + "\n\n" + C.REMINDER + "\n",
     "完成了仪表盘的发票导出功能", ["完成了仪表盘的发票导出功能"], "QQ Mail"),
    ("members-lines-that-look-like-headers",
     "- Replied to: the customer about the outage\n- Sent: the invoice batch to finance\n"
     "Date: Friday is the release" + GMAIL_QUOTE,
     "- Replied to: the customer about the outage\n- Sent: the invoice batch to finance\n"
     "Date: Friday is the release",
     ["Replied to: the customer about the outage", "Sent: the invoice batch to finance",
      "Date: Friday is the release"], "label-like words in the member's own list stay"),
    ("thanks-opener-then-items",
     "Thanks!\n\nShipped the CSV export\nFixed the Safari login test" + GMAIL_QUOTE,
     "Thanks!\n\nShipped the CSV export\nFixed the Safari login test",
     ["Shipped the CSV export", "Fixed the Safari login test"],
     "a 'Thanks!' that opens the reply is not a sign-off to cut"),
]


_GLYPH = ("<![if !supportLists]><span style='font-family:Symbol'><span style='mso-list:Ignore'>"
          "{}<span style='font:7.0pt \"Times New Roman\"'>&nbsp;&nbsp;&nbsp;&nbsp;&nbsp; </span>"
          "</span></span><![endif]>")
_OUTLOOK_HTML_HISTORY = (
    '<div><div style="border:none;border-top:solid #E1E1E1 1.0pt;padding:3.0pt 0in 0in 0in">'
    f'<p class="MsoNormal"><b>From:</b> Donemail &lt;{C.RB}&gt;<br><b>Sent:</b> Tuesday, '
    "December 1, 2026 5:00 PM<br><b>To:</b> Ada Lovelace &lt;ada@example.com&gt;<br>"
    f"<b>Subject:</b> {C.REMINDER_SUBJECT}<o:p></o:p></p></div></div>"
    f"<p class=\"MsoNormal\">{C.REMINDER.splitlines()[0]}<o:p></o:p></p>"
)
# (name, HTML-only body, expected reply text, expected items)
EDGE_HTML = [
    ("outlook-web-list-items-in-divs",
     '<div class="elementToProof">Hi team,</div><div class="elementToProof"><br></div>'
     '<ul data-editing-info="{}"><li style="font-family: Aptos;"><div role="presentation" '
     'class="elementToProof">Shipped the CSV export</div></li><li><div role="presentation">'
     'Reviewed the design doc</div></li></ul><div id="Signature"><p>Ada Lovelace<br>Platform'
     '</p></div><div id="appendonsend"></div><hr style="display:inline-block;width:98%">'
     f'<div id="divRplyFwdMsg" dir="ltr"><b>From:</b> Donemail</div>{reminder_html()}',
     "Hi team,\n\n- Shipped the CSV export\n- Reviewed the design doc",
     ["Shipped the CSV export", "Reviewed the design doc"]),
    ("outlook-desktop-list-paragraphs",
     '<div class="WordSection1"><p class="MsoNormal">Hi team,<o:p></o:p></p><p class="MsoNormal">'
     "<o:p>&nbsp;</o:p></p>"
     f'<p class="MsoListParagraphCxSpFirst" style="mso-list:l0 level1 lfo1">{_GLYPH.format("·")}'
     "Shipped the CSV export<o:p></o:p></p>"
     f'<p class="MsoListParagraphCxSpLast" style="mso-list:l0 level1 lfo1">{_GLYPH.format("·")}'
     "Rotated the TLS certificates<o:p></o:p></p><p class=\"MsoNormal\"><o:p>&nbsp;</o:p></p>"
     '<p class="MsoNormal">Thanks,<o:p></o:p></p><p class="MsoNormal">Ada<o:p></o:p></p>'
     f"<p class=\"MsoNormal\"><o:p>&nbsp;</o:p></p>{_OUTLOOK_HTML_HISTORY}</div>",
     "Hi team,\n\n- Shipped the CSV export\n- Rotated the TLS certificates",
     ["Shipped the CSV export", "Rotated the TLS certificates"]),
    ("apple-mail-html-only-numbered",
     '<html><head><meta http-equiv="content-type" content="text/html; charset=utf-8"></head>'
     '<body style="overflow-wrap: break-word;"><div>Morning!</div><div><br></div><ol><li>Wrote'
     " the Postgres failover runbook</li><li>Paired with Sam on onboarding</li></ol><div><br>"
     '</div><div><br><blockquote type="cite"><div>On Dec 1, 2026, at 17:00, Donemail '
     f"&lt;{C.RB}&gt; wrote:</div><br>{reminder_html()}</blockquote></div></body></html>",
     "Morning!\n\n1. Wrote the Postgres failover runbook\n2. Paired with Sam on onboarding",
     ["Wrote the Postgres failover runbook", "Paired with Sam on onboarding"]),
    ("gmail-html-signature-block",
     '<div dir="ltr"><div>Shipped the invoice PDF fix</div><div><br></div><div>-- <br><div '
     'dir="ltr" class="gmail_signature" data-smartmail="gmail_signature">Ada Lovelace<br>'
     'Staff Engineer</div></div></div><br><div class="gmail_quote"><div dir="ltr" '
     f'class="gmail_attr">On Tue, Dec 1, 2026 at 5:00 PM Donemail wrote:<br></div>'
     f'<blockquote class="gmail_quote">{reminder_html()}</blockquote></div>',
     "Shipped the invoice PDF fix", ["Shipped the invoice PDF fix"]),
]

# Sign-offs and greetings in every shape a held-out set found counted as items.
EDGE += [
    ("italian-sign-off-buona-serata",
     "Ciao a tutti,\n\n- Aggiornate le dipendenze\n- Chiuso il ticket 42\n\nBuona serata,\n"
     "Marco" + GMAIL_QUOTE,
     "Ciao a tutti,\n\n- Aggiornate le dipendenze\n- Chiuso il ticket 42",
     ["Aggiornate le dipendenze", "Chiuso il ticket 42"], "'Ciao a tutti,' opens, so it stays"),
    ("english-sign-off-have-a-great-weekend",
     "Shipped the onboarding emails\nFixed the flaky login test\n\nHave a great weekend!\nAda"
     + OUTLOOK_QUOTE,
     "Shipped the onboarding emails\nFixed the flaky login test",
     ["Shipped the onboarding emails", "Fixed the flaky login test"], ""),
    ("german-sign-off-tschuess",
     "Hallo zusammen,\n\n- Rechnungsexport fertiggestellt\n- Login-Fehler behoben\n\n"
     "Tschüss\nJürgen" + OUTLOOK_QUOTE,
     "Hallo zusammen,\n\n- Rechnungsexport fertiggestellt\n- Login-Fehler behoben",
     ["Rechnungsexport fertiggestellt", "Login-Fehler behoben"], ""),
    ("russian-sign-off-do-zavtra",
     "- Исправил ошибку входа\n- Обновил документацию\n\nДо завтра!\nИван" + GMAIL_QUOTE,
     "- Исправил ошибку входа\n- Обновил документацию",
     ["Исправил ошибку входа", "Обновил документацию"], ""),
    ("japanese-sign-off-kyou-mo",
     "・資料を更新しました\n・議事録を共有しました\n\n今日もよろしくお願いします。\n山田"
     + GMAIL_QUOTE,
     "・資料を更新しました\n・議事録を共有しました", ["資料を更新しました", "議事録を共有しました"], ""),
    ("chinese-sign-off-xinku",
     "1. 完成了报表导出\n2. 修复了登录问题\n\n辛苦了\n王伟" + GMAIL_QUOTE,
     "1. 完成了报表导出\n2. 修复了登录问题", ["完成了报表导出", "修复了登录问题"], ""),
    ("japanese-greeting-with-name-iso-2022-jp",
     "お疲れさまです。山田です。\n\n・資料を更新しました\n・議事録を共有しました" + OUTLOOK_QUOTE,
     "お疲れさまです。山田です。\n\n・資料を更新しました\n・議事録を共有しました",
     ["資料を更新しました", "議事録を共有しました"], "a greeting stays in the text, not an item"),
    ("russian-greeting-two-words-koi8-r",
     "Коллеги, добрый день!\n\n- Исправил ошибку входа\n- Обновил документацию"
     + OUTLOOK_QUOTE,
     "Коллеги, добрый день!\n\n- Исправил ошибку входа\n- Обновил документацию",
     ["Исправил ошибку входа", "Обновил документацию"], ""),
    ("russian-greeting-evening",
     "Добрый вечер,\n\nИсправил ошибку входа\nОбновил документацию" + GMAIL_QUOTE,
     "Добрый вечер,\n\nИсправил ошибку входа\nОбновил документацию",
     ["Исправил ошибку входа", "Обновил документацию"], ""),
    ("chinese-greeting-full-width-colon",
     "大家好：\n\n1. 完成了报表导出\n2. 修复了登录问题" + GMAIL_QUOTE,
     "大家好：\n\n1. 完成了报表导出\n2. 修复了登录问题", ["完成了报表导出", "修复了登录问题"], ""),
]

EDGE += [
    ("prose-lead-in-before-bullets",
     "Mostly meetings today, but I did get a couple of things done:\n\n- Fixed the cron drift"
     "\n- Reviewed the billing PR" + GMAIL_QUOTE,
     "Mostly meetings today, but I did get a couple of things done:\n\n- Fixed the cron drift"
     "\n- Reviewed the billing PR",
     ["Fixed the cron drift", "Reviewed the billing PR"], "a lead-in heads the list"),
    ("german-lead-in-before-bullets",
     "Heute war viel los, aber ein paar Sachen habe ich geschafft:\n- Rechnungsexport "
     "fertiggestellt\n- Login-Fehler behoben" + OUTLOOK_QUOTE,
     "Heute war viel los, aber ein paar Sachen habe ich geschafft:\n- Rechnungsexport "
     "fertiggestellt\n- Login-Fehler behoben",
     ["Rechnungsexport fertiggestellt", "Login-Fehler behoben"], ""),
]

EDGE += [
    ("german-outlook-company-signature-windows-1252",
     "- Rechnungsexport fertiggestellt\n- Login-Fehler behoben\n\nMit freundlichen Grüßen\n"
     "Jürgen Müller\nSenior Consultant\n\nMuster GmbH\nMusterstraße 12\n80331 München\n"
     "Tel.: +49 89 1234567-0\nMobil: +49 171 1234567\nE-Mail: juergen.mueller@muster.de\n"
     "www.muster.de\n\nSitz der Gesellschaft: München. Registergericht: Amtsgericht München, "
     "HRB 123456\nGeschäftsführer: Max Mustermann, Erika Musterfrau\nUSt-IdNr.: DE123456789"
     + OUTLOOK_QUOTE,
     "- Rechnungsexport fertiggestellt\n- Login-Fehler behoben",
     ["Rechnungsexport fertiggestellt", "Login-Fehler behoben"], "no '-- ' delimiter"),
    ("english-company-signature-registered-office",
     "Fixed the flaky login test\nShipped the onboarding emails\n\nKind regards,\nAda Lovelace"
     "\nHead of Platform\nAcme Widgets Ltd\n1 Example Street, London EC1A 1AA\n"
     "T: +44 20 7946 0958 | M: +44 7700 900123\nwww.acme.example\nRegistered office: 1 "
     "Example Street, London. Registered in England and Wales, company no. 01234567"
     + OUTLOOK_QUOTE,
     "Fixed the flaky login test\nShipped the onboarding emails",
     ["Fixed the flaky login test", "Shipped the onboarding emails"], ""),
]


def _edge_cases(start: int) -> list[tuple[dict, bytes]]:
    out = []
    for offset, (name, text, expected, items, note) in enumerate(EDGE):
        seq = start + offset
        lang = "en"
        for code, marker in (("ja", "・"), ("zh", "完成了"), ("fr", "Terminé"), ("fr", "Corrigé"),
                             ("de", "Rechnungsexport"), ("ru", "Исправил"), ("nl", "Factuur"),
                             ("es", "Terminé la exp"), ("it", "Aggiornate"), ("pt", "Bom dia")):
            if marker in text:
                lang = code
        charset = next((cs for cs in ("windows-1252", "koi8-r", "iso-2022-jp") if cs in name),
                       "UTF-8")
        raw = _plain_reply(text, seq, lang=lang, charset=charset)
        entry = {"file": f"edge/{name}.eml", "client": "edge", "lang": lang,
                 "tags": ["edge"], "reply_text": expected, "items": items,
                 "auto_reply": False, "bounce": False}
        if note:
            entry["note"] = note
        out.append((entry, raw))
    for offset, (name, html, expected, items) in enumerate(EDGE_HTML, start=len(out)):
        part = leaf("text/html", html, charset="utf-8", cte="quoted-printable")
        raw = message(lang="en", seq=start + offset, body=part, client_headers=[])
        out.append(({"file": f"edge/{name}.eml", "client": "edge", "lang": "en",
                     "tags": ["edge", "html-only"], "reply_text": expected, "items": items,
                     "auto_reply": False, "bounce": False}, raw))
    return out


def main():
    built = cases()
    manifest = []
    names = set()
    for entry, raw in built:
        assert entry["file"] not in names, entry["file"]
        names.add(entry["file"])
        path = HERE / entry["file"]
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(raw)
        manifest.append(entry)
    (HERE / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1) + "\n")
    print(f"wrote {len(manifest)} messages to {HERE}")


if __name__ == "__main__":
    main()
