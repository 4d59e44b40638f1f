"""HTML mail turned into the plain text its reader sees, without the quoted history.

Clients mark what they quote in HTML far more reliably than in text (a `gmail_quote`
div, `<blockquote type="cite">`, Outlook's `divRplyFwdMsg`), so those blocks are
dropped while the tree is still a tree — before the text rules ever run. The rest keeps
its line structure: paragraphs, `<br>`, list items and divs each start a new line.
"""

import re
from html.parser import HTMLParser

# Elements whose whole subtree is never text for the reader.
_INVISIBLE = {"style", "script", "head", "title", "template", "noscript", "xml"}
_VOID = {"br", "hr", "img", "meta", "link", "input", "col", "area", "base", "wbr", "source"}
_BLOCK = {
    "address", "article", "aside", "blockquote", "center", "dd", "div", "dl", "dt",
    "fieldset", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header",
    "li", "main", "nav", "ol", "p", "p-line", "pre", "section", "table", "tbody", "thead", "tfoot",
    "tr", "ul", "caption",
}
# Class or id fragments of blocks that hold quoted history or a client's signature.
_QUOTE_MARKERS = (
    "gmail_quote", "gmail_extra", "gmail_signature", "yahoo_quoted", "moz-cite-prefix",
    "moz-signature", "protonmail_quote", "protonmail_signature", "zmail_extra",
    "ms-outlook-mobile-signature", "applemailsignature", "x_gmail_quote", "mail_quote",
    "replyforward", "quote_container", "blockquote", "messagereplysection", "airmail_on",
    "gmail_quote_attribution",
)
# Exact ids of signature blocks (a substring match on "signature" would be too wide).
_SIGNATURE_IDS = {"signature", "x_signature", "appendonsend-signature", "divsignature",
                  "qt"}  # Fastmail's quote wrapper is <div id="qt">
# Markers after which everything else in the document is history (Outlook, Zimbra).
_HISTORY_STARTS = ("divrplyfwdmsg", "appendonsend", "olk_src_body_section", "zwchr",
                   "mail-editor-reference-message-container", "divtagdefaultwrapper-quote")


def _attr_text(attrs) -> str:
    return " ".join(
        (value or "").lower() for name, value in attrs if name in ("class", "id", "type", "name")
    )


class _TextBuilder(HTMLParser):
    def __init__(self, drop_quotes: bool):
        super().__init__(convert_charrefs=True)
        self.drop_quotes = drop_quotes
        self.parts: list[str] = []
        self.skip_depth = 0  # >0 while inside a dropped subtree
        self.stack: list[tuple[str, bool]] = []  # (tag, started a dropped subtree)
        self.list_stack: list[list] = []  # ["ul"|"ol", counter]
        self.pre = 0
        self.done = False
        self.capture: list[str] | None = None  # Outlook's list glyph, being read

    # -- structure -----------------------------------------------------------------
    def _newline(self, blank: bool = False):
        self.parts.append(_PARA if blank else _SOFT)

    def _drops(self, tag: str, attrs) -> bool:
        if tag in _INVISIBLE:
            return True
        if not self.drop_quotes:
            return False
        marks = _attr_text(attrs)
        if tag == "blockquote":
            return True
        ids = {(value or "").lower() for name, value in attrs if name == "id"}
        return bool(ids & _SIGNATURE_IDS) or any(marker in marks for marker in _QUOTE_MARKERS)

    def handle_starttag(self, tag, attrs):
        if self.done:
            return
        marks = _attr_text(attrs)
        if self.drop_quotes and any(marker in marks for marker in _HISTORY_STARTS):
            self.done = True
            return
        if tag in _VOID:
            if self.skip_depth:
                return
            if tag == "br":
                self.parts.append("\n")
            elif tag == "hr":
                self.parts += [_PARA, _RULE, _PARA]
            return
        drops = self._drops(tag, attrs)
        if tag == "p" and ("msonormal" in marks or "msoplaintext" in marks):
            # Outlook writes every line as a margin-less <p class=MsoNormal>: a line, not a
            # paragraph (its blank lines are <p>&nbsp;</p> of their own).
            tag = "p-line"
        elif tag == "p" and "msolistparagraph" in marks:
            tag = "p-line"  # Outlook's list item: its glyph comes in an mso-list:Ignore span
        style = " ".join((v or "") for n, v in attrs if n == "style").lower().replace(" ", "")
        if tag == "span" and "mso-list:ignore" in style and self.capture is None:
            tag = "span-glyph"
            self.capture = []
        self.stack.append((tag, drops))
        if drops:
            self.skip_depth += 1
            return
        if self.skip_depth:
            return
        if tag in ("ul", "ol"):
            self.list_stack.append([tag, 0])
        if tag == "li":
            self._newline()
            if self.list_stack and self.list_stack[-1][0] == "ol":
                self.list_stack[-1][1] += 1
                self.parts.append(f"{_MARK}{self.list_stack[-1][1]}. ")
            else:
                self.parts.append(f"{_MARK}- ")
        elif tag == "p":
            self._newline(blank=True)
        elif tag == "p-line":
            self._newline()
        elif tag in _BLOCK:
            self._newline()
        if tag == "pre":
            self.pre += 1
        if tag in ("td", "th"):
            self.parts.append(" ")

    def handle_endtag(self, tag):
        if self.done or tag in _VOID:
            return
        # Close back to the matching open tag; HTML in mail is rarely well nested.
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index][0] == tag or (tag, self.stack[index][0]) in _RENAMED:
                break
        else:
            return
        while len(self.stack) > index:
            open_tag, dropped = self.stack.pop()
            if dropped:
                self.skip_depth -= 1
            elif not self.skip_depth:
                self._close(open_tag)

    def _close(self, tag):
        if tag == "span-glyph" and self.capture is not None:
            glyph = "".join(self.capture).replace("\xa0", " ").strip()
            self.capture = None
            numbered = re.fullmatch(r"\(?[0-9A-Za-z]{1,3}[.)]", glyph)
            self.parts.append(f"{_MARK}{glyph if numbered else '-'} ")
            return
        if tag in ("ul", "ol") and self.list_stack:
            self.list_stack.pop()
        if tag == "pre":
            self.pre = max(0, self.pre - 1)
        if tag == "p":
            self._newline(blank=True)
        elif tag in _BLOCK:
            self._newline()

    def handle_data(self, data):
        if self.done or self.skip_depth:
            return
        if self.capture is not None:
            self.capture.append(data)
            return
        if not self.pre:
            data = re.sub(r"[ \t\r\n\f]+", " ", data)
        self.parts.append(data)


def html_to_text(html: str, *, drop_quotes: bool = True) -> str:
    """The visible text of `html`, with quoted history dropped unless told; never raises."""
    html = re.sub(r"<!--.*?(?:-->|\Z)", "", html, flags=re.S)  # unclosed: hides the rest
    # A "<" that opens no tag is text; escaping it keeps html.parser linear on junk.
    html = re.sub(r"<(?![A-Za-z/!?])", "&lt;", html)
    # Clients paste "Jane <jane@example.com>" into HTML unescaped; it is text, not a tag.
    html = re.sub(r"<([\w.+'-]+@[\w-]+(?:\.[\w-]+)+)>", r"&lt;\1&gt;", html)
    html = re.sub(r"<!\[if [^\]]*\]>|<!\[endif\]>", "", html)
    builder = _TextBuilder(drop_quotes)
    try:
        builder.feed(html)
        builder.close()
    except Exception:  # noqa: BLE001 - html.parser can still trip on exotic junk
        pass
    lines = [_tidy(line) for line in _layout(builder.parts)]
    while lines and lines[-1] in ("", _RULE):  # Outlook's <hr> above the history it cut
        lines.pop()
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip("\n")


def _tidy(line: str) -> str:
    """Trim a line, but keep indentation that came from <pre> or no-break spaces."""
    line = line.replace("\xa0", " ").rstrip()
    return line[1:] if line[:1] == " " and line[1:2] != " " else line


_SOFT = "\x01"  # a block starts or ends: be at the start of a line
_RENAMED = {("p", "p-line"), ("span", "span-glyph")}  # tags we track under our own names
_MARK = "\x03"  # a list marker: the item's own blocks go on the marker's line
_PARA = "\x02"  # a paragraph starts or ends: be after a blank line
# An <hr> is only a rule here; the text rules decide whether what follows is history.
_RULE = "________________________________"


def _visible(text: str) -> bool:
    """Text that makes a line. A no-break space does: Outlook's blank line is <p>&nbsp;</p>."""
    return bool(text.strip(" \t\r\n\f"))


def _layout(parts: list[str]) -> list[str]:
    """Resolve block boundaries into line breaks: two blocks in a row make one break."""
    lines = [""]
    blank_wanted = False
    marker_only = False  # the line holds a list marker and nothing yet
    for part in parts:
        if part in (_SOFT, _PARA):
            if marker_only:
                continue  # <li><div>text</div></li>: the text belongs on the marker's line
            if _visible(lines[-1]):
                lines.append("")
            blank_wanted = blank_wanted or part == _PARA
            continue
        if part.startswith(_MARK):
            if _visible(lines[-1]):
                lines.append("")
            lines[-1] += part[1:]
            marker_only = True
            continue
        for index, chunk in enumerate(part.split("\n")):
            if index:  # a <br> or a newline inside <pre>
                lines.append("")
                blank_wanted = False
            if not _visible(chunk) and not _visible(lines[-1]):
                continue  # whitespace between blocks
            if blank_wanted and len(lines) > 1 and lines[-2].strip():
                lines.insert(len(lines) - 1, "")
            blank_wanted = False
            lines[-1] += chunk
            marker_only = marker_only and not _visible(chunk)
    return lines
