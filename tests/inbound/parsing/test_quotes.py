"""Quoted history is found by rule families: attributions, header blocks, banners."""

import pytest

from apps.inbound.quotes import history_strip

QUOTE = "> What did you get done today?\n>\n> Reply with one line per thing."
ADDRESS = "Donemail <reply+tok@in.example.com>"

ATTRIBUTIONS = [
    f"On Tue, Dec 1, 2026 at 5:00 PM {ADDRESS} wrote:",
    f"On Dec 1, 2026, at 17:00, {ADDRESS} wrote:",
    "On 12/1/26 5:00 PM, Donemail wrote:",
    f"Am Di., 1. Dez. 2026 um 17:00 Uhr schrieb {ADDRESS}:",
    f"{ADDRESS} schrieb am Di., 1. Dez. 2026, 17:00:",
    f"Le mar. 1 déc. 2026 à 17:00, {ADDRESS} a écrit :",
    f"El mar, 1 dic 2026 a las 17:00, {ADDRESS} escribió:",
    f"Em ter., 1 de dez. de 2026 às 17:00, {ADDRESS} escreveu:",
    f"Op di 1 dec 2026 om 17:00 schreef {ADDRESS}:",
    f"Op 1 dec. 2026 om 17:00 heeft {ADDRESS} het volgende geschreven:",
    f"Il giorno mar 1 dic 2026 alle ore 17:00 {ADDRESS} ha scritto:",
    f"вт, 1 дек. 2026 г. в 17:00, {ADDRESS}:",
    f"1 дек. 2026 г., в 17:00, {ADDRESS} написал(а):",
    f"2026年12月1日(火) 17:00 {ADDRESS}:",
    f"2026/12/01 17:00、{ADDRESS}のメール:",
    f"{ADDRESS} 于2026年12月1日周二 17:00写道：",
    f"在 2026年12月1日，17:00，{ADDRESS} 写道：",
    f"Quoting {ADDRESS}:",
    "Donemail wrote:",
]


@pytest.mark.parametrize("attribution", ATTRIBUTIONS)
def test_an_attribution_and_its_quote_go(attribution):
    assert history_strip(f"Shipped the export\n\n{attribution}\n{QUOTE}\n").strip() == (
        "Shipped the export"
    )


@pytest.mark.parametrize("attribution", ATTRIBUTIONS[:-2])
def test_an_attribution_over_unmarked_history_ends_the_reply(attribution):
    text = f"Shipped the export\n\n{attribution}\n\nWhat did you get done today?\n"
    assert history_strip(text).strip() == "Shipped the export"


@pytest.mark.parametrize("wrapped", [
    f"On Tue, Dec 1, 2026 at 5:00 PM Donemail <\nreply+tok@in.example.com> wrote:",
    f"On Tue, Dec 1, 2026 at 5:00 PM {ADDRESS}\nwrote:",
    "On Tue, Dec 1, 2026 at 5:00 PM Donemail\n<reply+tok@in.example.com>\nwrote:",
    "02.04.2012 14:20 пользователь Donemail (reply+tok@in.example.com)\nнаписал:",
    f"Le mar. 1 déc. 2026 à 17:00, {ADDRESS} a\nécrit :",
])
def test_an_attribution_wrapped_over_lines_goes_whole(wrapped):
    assert history_strip(f"Shipped the export\n\n{wrapped}\n{QUOTE}\n").strip() == (
        "Shipped the export"
    )


HEADER_BLOCKS = [
    "From: Donemail <reply+tok@in.example.com>\nSent: Tuesday, December 1, 2026 5:00 PM\n"
    "To: Ada\nSubject: What did you get done today?",
    "*From:* Donemail\n*Sent:* Tuesday, December 1, 2026 5:00 PM\n*To:* Ada",
    "Von: Donemail\nGesendet: Dienstag, 1. Dezember 2026 17:00\nAn: Jürgen\nBetreff: Heute",
    "De : Donemail\nEnvoyé : mardi 1 décembre 2026 17:00\nÀ : Élodie\nObjet : Aujourd'hui",
    "De: Donemail\nEnviado el: martes, 1 de diciembre de 2026 17:00\nPara: Carlos\nAsunto: Hoy",
    "De: Donemail\nEnviada em: terça-feira, 1 de dezembro de 2026 17:00\nPara: João",
    "Van: Donemail\nVerzonden: dinsdag 1 december 2026 17:00\nAan: Daan\nOnderwerp: Vandaag",
    "Da: Donemail\nInviato: martedì 1 dicembre 2026 17:00\nA: Giulia\nOggetto: Oggi",
    "От: Donemail\nОтправлено: 1 декабря 2026 г. 17:00\nКому: Иван\nТема: Сегодня",
    "差出人: Donemail\n送信日時: 2026年12月1日 17:00\n宛先: 山田\n件名: 今日",
    "发件人: Donemail\n发送时间: 2026年12月1日 17:00\n收件人: 王伟\n主题: 今天",
    "Gesendet: Dienstag, 01. Dezember 2026 um 17:00 Uhr\nVon: Donemail\nAn: Jürgen\nBetreff: X",
    "-----Original Message-----\nFrom: Donemail",
    "-----Ursprüngliche Nachricht-----",
    "-----Message d'origine-----",
    "----- Original Message -----",
    "-------- Original message --------",
    "---------- Forwarded message ---------",
    "-------- Weitergeleitete Nachricht --------",
    "Begin forwarded message:",
    "Début du message réexpédié :",
    "Inicio del mensaje reenviado:",
    "----- Forwarded by Ada/Acme on 01/12/2026 05:00 PM -----",
    "________________________________\nFrom: Donemail",
]


@pytest.mark.parametrize("block", HEADER_BLOCKS)
def test_a_header_block_or_banner_ends_the_reply(block):
    text = f"Shipped the export\n\n{block}\n\nWhat did you get done today?\n"
    assert history_strip(text).strip() == "Shipped the export"


@pytest.mark.parametrize("text", [
    "On your remote host you can run:\n\n  telnet 127.0.0.1 52698",
    "One outstanding question I had:\n\nLocally, when I run it…",
    "On the billing side, shipped the CSV export.",
    "From: the design team, we got the final mockups\nTo do tomorrow: wire them up",
    "Here is what I wrote:\n\n- the migration guide",
    "Date: fixed the date picker\nSubject lines are now trimmed",
])
def test_the_members_own_lines_that_look_like_marks_stay(text):
    assert history_strip(text) == text


def test_an_inline_reply_keeps_the_answers_between_quotes():
    text = (f"On Tue, Dec 1, 2026 at 5:00 PM {ADDRESS} wrote:\n> What did you do?\n\n"
            "- Shipped the export\n\n> Anything blocked?\n\nNothing blocked.\n")
    assert history_strip(text).strip() == "- Shipped the export\n\nNothing blocked."


def test_our_own_reminder_pasted_without_marks_ends_the_reply():
    text = ("- Shipped the export\n\nHi Ada Lovelace,\n\nWhat did you get done today? Just reply"
            " to this email: one thing per line.\n\n--\nStop these reminders: https://x\n")
    assert history_strip(text).strip() == "- Shipped the export"


@pytest.mark.parametrize("attribution", [
    "Donemail <reply+tok@in.example.com> ezt írta (időpont: 2024. jan. 8., H 10:12):",
    "Στις Δευ 8 Ιαν 2024 στις 10:12, ο/η Donemail <reply+tok@in.example.com> έγραψε:",
    "8.1.2024 klo 10.12 Donemail <reply+tok@in.example.com> kirjoitti:",
])
def test_an_attribution_in_another_language_goes_when_a_quote_follows(attribution):
    assert history_strip(f"Shipped the export\n\n{attribution}\n{QUOTE}\n").strip() == (
        "Shipped the export"
    )


def test_a_members_line_above_their_own_quote_stays_without_an_address_or_time():
    text = "Regarding your question:\n> can we ship it?\nYes, shipped."
    assert history_strip(text) == "Regarding your question:\n\nYes, shipped."


def test_a_line_above_a_wrapped_attribution_is_the_members():
    text = ("Am heutigen Tage\nAm So., 1. Jan. 2023 um 17:22 Uhr schrieb John Doe <\n"
            "noreply@github.com>:\n\n> alt\n")
    assert history_strip(text).strip() == "Am heutigen Tage"
