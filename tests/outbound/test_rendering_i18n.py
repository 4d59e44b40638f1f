"""Email text goes through Django i18n: a catalog for another language
changes the strings, and dates follow the active language (Django's own
catalogs name the days and months). English is the only language shipped;
the German catalog here is made by the test, written as a GNU .mo file."""

import struct

from tests.emails import MONDAY, TUESDAY, digest_row, parts, person, reminder_row, render, wrote

SUBJECT = "%(team)s — what got done on %(day)s: %(counter)s item"
SUBJECT_PLURAL = "%(team)s — what got done on %(day)s: %(counter)s items"
HEADER = "Content-Type: text/plain; charset=UTF-8\nPlural-Forms: nplurals=2; plural=(n != 1);\n"


def mo_write(path, catalog: dict[str, str]) -> None:
    """The GNU gettext binary format: a header, two tables of (length,
    offset) and the NUL-terminated strings, msgids sorted."""
    keys = sorted(catalog)
    ids = strs = b""
    entries = []
    for key in keys:
        msgid, msgstr = key.encode(), catalog[key].encode()
        entries.append((len(msgid), len(ids), len(msgstr), len(strs)))
        ids += msgid + b"\0"
        strs += msgstr + b"\0"
    ids_at = 7 * 4 + 16 * len(keys)
    strs_at = ids_at + len(ids)
    table = [n for length, at, _, _ in entries for n in (length, at + ids_at)]
    table += [n for _, _, length, at in entries for n in (length, at + strs_at)]
    head = struct.pack("<7I", 0x950412DE, 0, len(keys), 28, 28 + 8 * len(keys), 0, 0)
    path.parent.mkdir(parents=True)
    path.write_bytes(head + struct.pack(f"<{len(table)}I", *table) + ids + strs)


def test_a_catalog_translates_the_digest_and_dates_follow_the_language(settings, tmp_path, team):
    mo_write(tmp_path / "de" / "LC_MESSAGES" / "django.mo", {
        "": HEADER,
        f"{SUBJECT}\0{SUBJECT_PLURAL}": (
            "%(team)s — erledigt am %(day)s: %(counter)s Punkt\0"
            "%(team)s — erledigt am %(day)s: %(counter)s Punkte"
        ),
        "Off that day:": "An dem Tag frei:",
        "Stop these digests": "Keine Zusammenfassungen mehr",
    })
    settings.LOCALE_PATHS = [tmp_path]
    settings.LANGUAGES = [("en", "English"), ("de", "Deutsch")]
    settings.LANGUAGE_CODE = "de"
    ada = person(team, "Ada Lovelace")
    person(team, "Wes Weekend", weekdays=0b1100000)
    wrote(ada, MONDAY, "eins", "zwei")

    email = render(digest_row(ada, MONDAY))
    text, html = parts(email)
    assert email.subject == "Platform — erledigt am Mo 30 Nov: 2 Punkte"
    assert "Montag, 30 November" in text and "Montag, 30 November" in html
    assert "An dem Tag frei: Wes Weekend" in text
    assert ">Keine Zusammenfassungen mehr</a>" in html
    assert '<html lang="de">' in html

    settings.LANGUAGE_CODE = "en"  # and back: nothing of the German rendering stays active
    assert render(reminder_row(ada, TUESDAY)).subject == (
        "What did you get done today? (Tuesday, 1 December)"
    )
