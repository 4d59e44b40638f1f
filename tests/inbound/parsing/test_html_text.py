"""HTML becomes the text its reader sees, with quoted blocks dropped before converting."""

import pytest

from apps.inbound.html_text import html_to_text

NEW = "<div>Shipped the export</div>"


@pytest.mark.parametrize("quoted", [
    '<div class="gmail_quote"><div class="gmail_attr">On Tue wrote:</div>'
    "<blockquote>old</blockquote></div>",
    '<blockquote type="cite"><div>On Tue wrote:</div>old</blockquote>',
    '<div id="divRplyFwdMsg"><b>From:</b> Donemail</div><div>old</div>',
    '<hr tabindex="-1"><div id="x_divRplyFwdMsg">From: Donemail</div><p>old</p>',
    '<div id="yahoo_quoted_123" class="yahoo_quoted"><div>On Tuesday wrote:</div>old</div>',
    '<div class="moz-cite-prefix">On 12/1/26 wrote:<br></div><blockquote type="cite">old'
    "</blockquote>",
    '<span id="OLK_SRC_BODY_SECTION"><div>From: Donemail</div>old</span>',
    '<div class="protonmail_quote">old</div>',
    '<div id="appendonsend"></div><div>old</div>',
])
def test_quoted_html_is_dropped(quoted):
    assert html_to_text(f"<html><body>{NEW}{quoted}</body></html>") == "Shipped the export"


def test_quoted_html_is_kept_when_asked_for_the_whole_body():
    html = f'{NEW}<blockquote type="cite">old</blockquote>'
    assert html_to_text(html, drop_quotes=False) == "Shipped the export\nold"


def test_styles_scripts_and_comments_are_not_text():
    html = ("<html><head><style>p {color: red}</style><title>t</title></head><body>"
            "<script>alert(1)</script><!-- note --><p>Done</p></body></html>")
    assert html_to_text(html) == "Done"


def test_line_structure_of_blocks_breaks_and_lists():
    html = ("<div>Hi team,</div><div><br></div><div>Line one<br>Line two</div>"
            "<ul><li>first</li><li>second</li></ul><ol><li>a</li><li>b</li></ol>"
            "<p>Para one</p><p>Para two</p>")
    assert html_to_text(html) == (
        "Hi team,\n\nLine one\nLine two\n- first\n- second\n1. a\n2. b\n\nPara one\n\nPara two"
    )


def test_outlook_lines_and_blank_lines():
    html = ('<p class="MsoNormal">Hi team,<o:p></o:p></p><p class="MsoNormal"><o:p>&nbsp;'
            '</o:p></p><p class="MsoNormal">Done the export<o:p></o:p></p>')
    assert html_to_text(html) == "Hi team,\n\nDone the export"


def test_entities_and_no_break_spaces_decode_once():
    assert html_to_text("<p>a&nbsp;b &amp;lt; &eacute;t&eacute; &#8212; 5&gt;3</p>") == (
        "a b &lt; été — 5>3"
    )


def test_preformatted_text_keeps_its_lines():
    assert html_to_text("<pre>a\n  b</pre>") == "a\n  b"


@pytest.mark.parametrize("junk", ["<", "<div", "<<<>>>", "</p></div>", "<a href='x", "&#99999999;"])
def test_broken_html_never_raises(junk):
    assert isinstance(html_to_text(junk), str)


def test_list_items_whose_text_sits_in_their_own_blocks_stay_on_the_marker_line():
    html = ('<ul><li><div role="presentation">Shipped the export</div></li>'
            "<li><p>Fixed the login test</p></li></ul>")
    assert html_to_text(html) == "- Shipped the export\n- Fixed the login test"


def test_outlook_list_paragraphs_become_bullets_and_numbers():
    glyph = ("<![if !supportLists]><span style='font-family:Symbol'><span style='mso-list:"
             "Ignore'>{}<span style='font:7.0pt \"Times New Roman\"'>&nbsp;&nbsp;&nbsp; </span>"
             "</span></span><![endif]>")
    html = ('<p class="MsoNormal">Hi team,</p>'
            f'<p class="MsoListParagraphCxSpFirst">{glyph.format("·")}Shipped the export</p>'
            f'<p class="MsoListParagraphCxSpLast">{glyph.format("·")}Fixed the test</p>'
            f'<p class="MsoListParagraph">{glyph.format("1.")}Wrote the runbook</p>')
    assert html_to_text(html) == (
        "Hi team,\n- Shipped the export\n- Fixed the test\n1. Wrote the runbook"
    )


@pytest.mark.parametrize("quoted", [
    '<div id="qt"><div>On Tue, Dec 1, 2026, at 17:00, Donemail wrote:</div>old</div>',
    '<div name="messageReplySection">On 1 Dec 2026, 17:00 +0100, Donemail wrote:<br>old</div>',
])
def test_quote_wrappers_of_smaller_clients_are_dropped(quoted):
    assert html_to_text(f"{NEW}{quoted}") == "Shipped the export"


def test_an_unescaped_address_is_text_not_a_tag():
    html = "<div>On Sep 4, 2025, at 11:30 AM, Jane Roe <jane@example.com> wrote:</div>"
    assert html_to_text(html, drop_quotes=False) == (
        "On Sep 4, 2025, at 11:30 AM, Jane Roe <jane@example.com> wrote:"
    )
