"""Every charset and transfer encoding members' clients send decodes to the right text."""

import base64
import quopri

import pytest

from apps.inbound.charsets import text_decode
from apps.inbound.headers import addresses_read, header_decode
from apps.inbound.parsing import parse

SAMPLES = [
    ("utf-8", "Größe geändert — naïve café, 日本語, русский"),
    ("iso-8859-1", "Größenänderung der Bilder, Übergabe geprüft, ça marche"),
    ("windows-1252", "Fixed the “Save” button – it’s live, budget €1,200"),
    ("iso-8859-15", "Réunion préparée, budget 1 200 €"),
    ("iso-2022-jp", "請求書エクスポート機能を完成させました"),
    ("shift_jis", "佐藤さんのプルリクエストをレビューしました"),
    ("euc-jp", "データベース移行の手順書を作成しました"),
    ("koi8-r", "Исправил ошибку входа в Safari"),
    ("windows-1251", "Подготовил встречу с командой дизайна"),
    ("gb2312", "完成了仪表盘的发票导出功能"),
    ("gbk", "与朱镕基纪念馆的同事开会"),
    ("gb18030", "修复了𠮷野家订单的编码问题"),
    ("big5", "完成了儀表板的發票匯出功能"),
]


def _mail(body: bytes, *, charset: str | None, cte: str, subject: str = "Re: test") -> bytes:
    ctype = "text/plain" + (f"; charset={charset}" if charset else "")
    return (
        f"From: Member <member@example.com>\r\nSubject: {subject}\r\nMIME-Version: 1.0\r\n"
        f"Content-Type: {ctype}\r\nContent-Transfer-Encoding: {cte}\r\n\r\n"
    ).encode() + body


def _encode(data: bytes, cte: str) -> bytes:
    if cte == "base64":
        return base64.encodebytes(data)
    if cte == "quoted-printable":
        return quopri.encodestring(data)
    return data


@pytest.mark.parametrize("cte", ["8bit", "base64", "quoted-printable"])
@pytest.mark.parametrize(("charset", "text"), SAMPLES, ids=[s[0] for s in SAMPLES])
def test_body_and_encoded_subject_decode_in_each_charset(charset, text, cte):
    data = text.encode(charset)
    if charset == "iso-2022-jp" and cte == "8bit":
        cte = "7bit"  # ISO-2022-JP is a 7-bit encoding by design
    subject = f"=?{charset}?B?{base64.b64encode(data).decode()}?="

    parsed = parse(_mail(_encode(data, cte), charset=charset, cte=cte, subject=subject))

    assert parsed.body_text == text
    assert parsed.subject == text
    assert parsed.reply_text == text


def test_an_8bit_utf8_body_without_a_charset_decodes_as_utf8():
    text = "Größe geändert, 日本語"
    assert parse(_mail(text.encode(), charset=None, cte="8bit")).body_text == text


def test_an_8bit_latin1_body_without_a_charset_decodes_by_detection():
    text = "Größenänderung der Bilder im Shop optimiert und Übergabedokument geschrieben"
    assert parse(_mail(text.encode("latin-1"), charset=None, cte="8bit")).body_text == text


def test_utf8_bytes_labelled_latin1_are_read_as_utf8():
    text = "Réunion préparée — Größe"
    assert parse(_mail(text.encode(), charset="iso-8859-1", cte="8bit")).body_text == text


@pytest.mark.parametrize("label", ["x-unknown", "unknown-8bit", "utf8mb4", "bogus-charset", '""'])
def test_an_unknown_charset_label_falls_back_to_what_the_bytes_are(label):
    text = "Terminé la exportación de facturas"
    assert parse(_mail(text.encode(), charset=label, cte="8bit")).body_text == text


def test_windows_1252_punctuation_under_an_iso_8859_1_label():
    text = "the “Save” button – it’s live"
    assert parse(_mail(text.encode("cp1252"), charset="iso-8859-1", cte="8bit")).body_text == text


def test_undecodable_bytes_never_raise():
    assert text_decode(bytes(range(256)), "utf-16") is not None
    assert text_decode(b"\xff\xfe\x00", "iso-2022-jp")


@pytest.mark.parametrize(("raw", "decoded"), [
    ("=?UTF-8?B?R3LDtg==?= =?UTF-8?B?w59l?=", "Größe"),  # words joined, space dropped
    ("=?UTF-8?B?R3LD?= =?UTF-8?B?tsOfZQ==?=", "Größe"),  # a character split across words
    ("=?utf-8?b?Q2Fmw6k?=", "Café"),  # base64 without padding
    ("=?utf-8?q?caf=C3=A9_menu?=", "café menu"),
    ("=?x-unknown?q?caf=C3=A9?=", "café"),  # unknown charset: the bytes decide
    ("Re:=?iso-8859-1?q?_R=E9sum=E9?=", "Re: Résumé"),  # glued to the text before it
    ("=?ISO-2022-JP?B?GyRCRnxLXDhsGyhC?=", "日本語"),
    ("=?koi8-r?B?8NLJ18XU?=", "Привет"),
    ("=?gb2312?B?xOO6ww==?=", "你好"),
    ("=?utf-8*en?q?hello?=", "hello"),  # RFC 2231 language tag
    ("=?utf-8?q?broken", "=?utf-8?q?broken"),  # not an encoded word: left as it is
    ("Caf\udcc3\udca9 8-bit", "Café 8-bit"),  # raw UTF-8 bytes in a header
    ("folded\r\n\tsubject", "folded subject"),
])
def test_header_values_decode(raw, decoded):
    assert header_decode(raw) == decoded


def test_an_encoded_display_name_with_a_comma_is_one_address():
    pairs = addresses_read(["=?utf-8?q?Doe=2C_John?= <John@Example.com>, jane@example.com"])

    assert pairs == [("Doe, John", "john@example.com"), ("", "jane@example.com")]


def test_an_html_body_without_a_mime_charset_uses_its_meta_tag():
    html = '<html><head><meta http-equiv="Content-Type" content="text/html; charset=koi8-r">'
    html += "</head><body><div>Исправил ошибку входа</div></body></html>"
    raw = (b"From: member@example.com\r\nSubject: Re: x\r\nContent-Type: text/html\r\n"
           b"Content-Transfer-Encoding: 8bit\r\n\r\n") + html.encode("koi8-r")

    assert parse(raw).reply_text == "Исправил ошибку входа"


def test_a_latin1_body_with_one_accent_and_no_charset_is_not_replaced_by_question_marks():
    raw = (b"From: member@example.com\r\nSubject: Re: x\r\nContent-Type: text/plain\r\n"
           b"\r\nShipped the caf\xe9 menu export\r\n")

    assert parse(raw).reply_text == "Shipped the café menu export"
