"""Done items: bullets, numbered lists or lines; greetings and sign-offs are not items."""

import pytest

from apps.inbound.items import is_greeting, items_split


@pytest.mark.parametrize(("text", "items"), [
    ("- one\n* two\n• three\n– four\n1. five\n2) six\n・ seven\n‣ eight",
     ["one", "two", "three", "four", "five", "six", "seven", "eight"]),
    ("Shipped the export\nFixed the login test", ["Shipped the export", "Fixed the login test"]),
    ("- Rewrote the nightly job so it streams rows from\n  Postgres instead of loading it\n- two",
     ["Rewrote the nightly job so it streams rows from Postgres instead of loading it", "two"]),
    ("- Rewrote the nightly reconciliation job so that it streams the rows from\n"
     "Postgres instead of loading them", [
         "Rewrote the nightly reconciliation job so that it streams the rows from Postgres "
         "instead of loading them"]),
    ("- short item\nAnother line", ["short item", "Another line"]),
    ("Hi team,\n\n- one\n\nThanks!", ["one"]),
    ("Hallo zusammen,\n- eins", ["eins"]),
    ("大家好，\n- 完成了发票导出", ["完成了发票导出"]),
    ("- Hi-fi mockups\n- Hello world sample updated\n- Thanks page shipped",
     ["Hi-fi mockups", "Hello world sample updated", "Thanks page shipped"]),
    ("Hi team, shipped the export today.", ["Hi team, shipped the export today."]),
    ("  - indented bullet\n  - another", ["indented bullet", "another"]),
    ("1.5 hours on the migration", ["1.5 hours on the migration"]),
    ("Spent the day on the billing migration: moved the invoices table to the new\n"
     "schema and backfilled the totals.",
     ["Spent the day on the billing migration: moved the invoices table to the new schema "
      "and backfilled the totals."]),
    ("Done:\n1. X\n2. Y\n\nNot done:\n- Z", ["X", "Y", "Z"]),  # list headings
    ("Shipped X\n\n----\nNext week: Y", ["Shipped X", "Next week: Y"]),
    ("Note: the deploy is done", ["Note: the deploy is done"]),
    ("", []),
])
def test_items_split(text, items):
    assert items_split(text) == items


@pytest.mark.parametrize("line", [
    "Hi team,", "Hey all!", "Hello,", "Morning!", "Good morning everyone,", "Hi Sam and Priya,",
    "Hallo zusammen,", "Bonjour à tous,", "Hola equipo,", "Olá pessoal,", "Hoi allemaal,",
    "Ciao a tutti,", "Привет всем,", "Коллеги, привет!", "お疲れ様です。", "大家好，",
])
def test_pure_greetings(line):
    assert is_greeting(line)


@pytest.mark.parametrize("line", [
    "- Hi team", "Hi team, shipped it", "Hello world sample updated", "Hi-fi mockups",
    "Dear diary app released", "Morning standup notes written",
])
def test_not_greetings(line):
    assert not is_greeting(line)


def test_cjk_enumerations_and_addressing_lines():
    text = "安安：\n\n目前建议如下：\n\n1、时间定在周六\n2、地点在市中心\n一、准备零食\n（4）带桌游"
    assert items_split(text) == ["时间定在周六", "地点在市中心", "准备零食", "带桌游"]
    assert items_split("田中様\n\nお世話になっております。") == ["お世話になっております。"]
    assert items_split("Sam,\nShipped the export") == ["Shipped the export"]


def test_a_cjk_sentence_after_a_sign_off_word_is_not_a_sign_off():
    assert items_split("以上，看到后告诉我是否需要调整。") == ["以上，看到后告诉我是否需要调整。"]
