"""Looking inside exports the way a browser or a Markdown renderer would."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from html.parser import HTMLParser

from markdown_it import MarkdownIt
from markdown_it.token import Token

#: Every tag our HTML pages use; anything else came from somewhere it should not have.
ALLOWED_TAGS = {"html", "head", "meta", "title", "style", "body", "main", "h1", "h2", "h3",
                "dl", "dt", "dd", "section", "div", "p", "span", "ul", "li", "footer",
                "strong", "br"}
ALLOWED_ATTRS = {"lang", "charset", "http-equiv", "content", "name", "class"}


@dataclass
class HtmlReport:
    tags: Counter[str] = field(default_factory=Counter)
    attrs: list[tuple[str, str, str | None]] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)
    comments: int = 0
    declarations: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "".join(self.texts)


class _Parser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.report = HtmlReport()
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.report.tags[tag] += 1
        self.report.attrs += [(tag, name, value) for name, value in attrs]
        if tag in ("style", "title"):
            self._skip += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in ("style", "title"):
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.report.texts.append(data)

    def handle_comment(self, data: str) -> None:
        self.report.comments += 1

    def handle_decl(self, decl: str) -> None:
        self.report.declarations.append(decl)


def parse_html(page: str) -> HtmlReport:
    parser = _Parser()
    parser.feed(page)
    parser.close()
    return parser.report


def assert_inert_html(page: str) -> HtmlReport:
    """No script, no event handler, only our tags and attributes, no comments."""
    report = parse_html(page)
    assert report.tags["script"] == 0
    assert set(report.tags) <= ALLOWED_TAGS, set(report.tags) - ALLOWED_TAGS
    for tag, name, _value in report.attrs:
        assert not name.startswith("on"), (tag, name)
        assert name in ALLOWED_ATTRS, (tag, name)
    assert report.comments == 0
    assert report.declarations == ["DOCTYPE html"]
    return report


def markdown() -> MarkdownIt:
    """CommonMark with GitHub's tables and strikethrough switched on."""
    return MarkdownIt("commonmark").enable(["table", "strikethrough"])


def markdown_linkify() -> MarkdownIt:
    """GFM-like: CommonMark with tables, strikethrough and linkify (linkify-it-py), which
    finds links in plain text (https://..., www..., e-mail addresses, even a bare
    sundhed.dk)."""
    return MarkdownIt("gfm-like")


def md_links(text: str) -> list[Token]:
    """Every link and image, in CommonMark and in GFM-like mode with linkify."""
    out: list[Token] = []
    for parser in (markdown(), markdown_linkify()):
        for token in parser.parse(text):
            out += [c for c in [token, *(token.children or [])]
                    if c.type in ("link_open", "image")]
    return out


def md_tokens(text: str) -> list[Token]:
    """Every token, children included, in document order."""
    out: list[Token] = []
    for token in markdown().parse(text):
        out.append(token)
        out += token.children or []
    return out


#: Token types that user text must never produce in our Markdown.
FORBIDDEN_MD = {"link_open", "image", "html_block", "html_inline", "table_open", "fence",
                "code_block", "code_inline", "blockquote_open", "s_open", "hr",
                "ordered_list_open", "lheading_open"}


def md_text(text: str) -> str:
    """The text a renderer would show, inline pieces joined, one line per block."""
    lines = []
    for token in markdown().parse(text):
        if token.type == "inline":
            lines.append("".join(
                c.content if c.type == "text" else "\n" if c.type in ("hardbreak",
                                                                       "softbreak") else ""
                for c in token.children or []))
    return "\n".join(lines)


def squash(text: str) -> str:
    """Whitespace collapsed: wrapped text compares equal to unwrapped."""
    return " ".join(text.split())
