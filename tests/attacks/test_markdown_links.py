"""Issue 13, item 10: no text becomes a link in the Markdown export, not even under linkify.

One hostile answer used to give 9 `link_open` tokens in markdown-it-py's GFM-like mode with
linkify (linkify-it-py), an escaped image URL among them. docs/plans-and-exports.md promises
"no headings, links, images ... from any text". Checked in CommonMark and in GFM-like mode,
for answers, people's names, a field edit, a correction and the guide's own title; and the
text a reader sees is still exactly what was said.
"""

from __future__ import annotations

import pytest
from linkify_it import LinkifyIt  # type: ignore[import-untyped]
from markdown_it import MarkdownIt

from assistant.engine import AddParticipant, Answer, FieldEdit, LineCorrected, Session
from assistant.export import export_markdown, md_escape
from assistant.guides.models import LocalText
from assistant.plans import build_draft
from tests.export.inspect import md_links, squash
from tests.plans.helpers import T0, TEMPLATES, TODAY, synthetic_guide

#: What a link finder turns into a link, and a few ways of hiding it.
ADDRESSES = (
    "https://evil.example/x?a=1&b=2",
    "HTTPS://EVIL.DK/STI",
    "http://10.0.0.1:8080/",
    "ftp://evil.dk/fil",
    "www.evil.dk",
    "WWW.evil.dk/sti",
    "skriv til ond@evil.dk",
    "mailto:ond@evil.dk",
    "xmpp:ond@evil.dk",
    "se sundhed.dk eller evil.com/path.html",
    "//localhost/x og //127.0.0.1",
    "![billede](https://evil.dk/i.png)",
    "\\!\\[x\\]\\(https\\://evil.dk/i.png\\)",  # an image URL typed already escaped
    "<https://evil.dk> <ond@evil.dk>",
    "[klik](javascript:alert(1)) [ref]: https://evil.dk",
    "https\\://evil.dk",  # a backslash typed by the patient
    "evil.xn--p1ai og evil.рф",
    "a.b@c.d.e",
    "10.0.0.1",
)


def parsers() -> list[tuple[str, MarkdownIt]]:
    return [("commonmark", MarkdownIt("commonmark").enable(["table", "strikethrough"])),
            ("gfm-like", MarkdownIt("gfm-like"))]


def shown(parser: MarkdownIt, text: str) -> str:
    """The text a reader sees, inline pieces joined."""
    out = []
    for token in parser.parse(text):
        for child in token.children or []:
            if child.type == "text":
                out.append(child.content)
            elif child.type in ("softbreak", "hardbreak"):
                out.append(" ")
        out.append(" ")
    return squash("".join(out))


@pytest.mark.parametrize("address", ADDRESSES)
def test_md_escape_makes_no_link_and_reads_the_same(address: str) -> None:
    line = f"- **Patienten:** {md_escape(address)}"
    assert md_links(line) == [] and LinkifyIt().match(line) is None
    for _name, parser in parsers():
        assert shown(parser, line) == squash(f"Patienten: {address}")


def test_a_hostile_plan_has_no_link_in_either_mode() -> None:
    plan = TEMPLATES["kriseplan"]
    guide = synthetic_guide(plan).model_copy(update={"title": LocalText(
        da="Krise www.evil.dk ond@evil.dk", en="https://evil.dk")})
    session = Session(guide)
    session.apply(AddParticipant(role="relative", name="Mette (mette@evil.dk, www.evil.dk)",
                                 at=T0))
    session.apply(AddParticipant(role="clinician", at=T0))
    everything = "\n".join(ADDRESSES)
    session.apply(Answer(step="warning_signs", value=everything, speaker="patient", at=T0))
    session.apply(Answer(step="help_people",
                         value=[{"name": "https://evil.dk", "helps": "www.evil.dk"}],
                         speaker="relative", at=T0))
    session.apply(LineCorrected(step="warning_signs", text=everything + "\nsundhed.dk",
                                speaker="patient", at=T0))
    session.apply(FieldEdit(template="kriseplan", field="triggers", text=everything,
                            speaker="clinician", at=T0))
    draft = build_draft(session.state, plan, today=TODAY)
    text = export_markdown(draft)
    for lang in ("da", "en"):
        text += export_markdown(draft, lang=lang)
    assert md_links(text) == []
    for name, parser in parsers():
        seen = shown(parser, text)
        for address in ADDRESSES:
            assert squash(address) in seen, (name, address)
        assert "Mette (mette@evil.dk, www.evil.dk)" in seen
        assert "Krise www.evil.dk ond@evil.dk" in seen
    # Nor does a plain-text link finder (an e-mail program, an editor) in the source.
    assert LinkifyIt().match(text) is None
