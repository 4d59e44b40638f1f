"""The text-part filters re-flow what a member wrote without changing it."""

from apps.outbound.templatetags.emailtext import bullet, wrap72

URL = "https://example.com/" + "x" * 90


def test_a_bullet_wraps_under_its_text_and_keeps_a_url_whole():
    wrapped = bullet("word " * 20 + URL)
    lines = wrapped.splitlines()
    assert lines[0].startswith("  - word") and all(line.startswith("    ") for line in lines[1:])
    assert lines[-1] == f"    {URL}"
    assert all(len(line) <= 72 for line in lines[:-1])
    assert " ".join(wrapped.replace("  - ", "", 1).split()) == ("word " * 20 + URL)


def test_a_members_own_line_breaks_stay_and_an_empty_item_keeps_its_dash():
    assert bullet("first line\nsecond line") == "  - first line\n    second line"
    assert bullet("") == "  -"
    assert wrap72("short") == "short"
