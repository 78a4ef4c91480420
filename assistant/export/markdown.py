"""Markdown: the plan with headings and lists, where no text can become markup.

Every text — the patient's words, everyone else's, and our own labels — goes through
`md_escape`, so it creates no heading, link, image, HTML, emphasis, code, list or table in
any CommonMark renderer (tables and strikethrough of GitHub Flavored Markdown included).

Nor does it become a link in a renderer that finds links in plain text (GitHub's autolinks,
markdown-it's `linkify`, which even links a bare `sundhed.dk`): the characters that make an
address — `:` before `/`, `//`, a `.` inside a word and `@` — are backslash-escaped, so an
address is split where a link finder looks for it (in the rendered text and in the source),
and still reads exactly the same.
Checked with markdown-it-py in CommonMark and in GFM-like mode with linkify-it-py
(tests/attacks/test_markdown_links.py).
"""

from __future__ import annotations

import re

from assistant.export.formats import Copy
from assistant.export.layout import PlanView, Said, plan_view
from assistant.export.text import plain_lines
from assistant.language import Language
from assistant.plans.models import PlanDraft

__all__ = ["export_markdown", "md_escape", "md_lines"]

# Characters with inline meaning anywhere in a line: escapes, emphasis, code, links and
# images, autolinks and HTML, entities, GFM tables and strikethrough. And what turns plain
# text into a link for a link finder (GFM autolinks, linkify): `:` before `/` (https://),
# both of `//` (a protocol-relative //host), `.` inside a word (www.x.dk, sundhed.dk,
# 10.0.0.1) and `@` (e-mail addresses, mailto:, xmpp:). Escaped, not even the Markdown source
# holds an address a plain-text link finder would take.
_INLINE = re.compile(r"([\\`*_\[\]<>&|~!@]|:(?=/)|/(?=/)|(?<=/)/|\.(?=[^\W_]))")
# At the start of a line, any punctuation may open a block (#, >, -, +, =, ~~~, ```...).
_BLOCK_START = re.compile(r"^([!-/:-@\[-`{-~])")
# "1." or "1)" at the start of a line opens an ordered list.
_ORDERED = re.compile(r"^(\d{1,9})([.)])")


def md_escape(line: str) -> str:
    """One line of plain text as Markdown that renders as exactly that text.

    Leading spaces are dropped (four would make a code block); everything that could start
    markup or a link is backslash-escaped, which CommonMark allows for any ASCII punctuation
    (`https\\://`, `www\\.`, `a\\@b\\.dk`: the same text once rendered).
    """
    line = line.lstrip(" ")
    line = _INLINE.sub(r"\\\1", line)
    line = _ORDERED.sub(r"\1\\\2", line)
    if not line.startswith("\\"):
        line = _BLOCK_START.sub(r"\\\1", line)
    return line


def md_lines(text: str) -> list[str]:
    """`text` as escaped Markdown lines, blank lines left out (see `md_escape`)."""
    return [md_escape(line) for line in plain_lines(text) if line.strip()]


def _inline(text: str) -> str:
    """`text` on one Markdown line (its lines joined by spaces)."""
    return " ".join(md_lines(text))


def _item(said: Said) -> list[str]:
    who = f"**{_inline(said.who)}:** " if said.who else ""
    if said.items:
        # A list answer: its items as a list inside the line's item.
        notes = " ".join(f"({_inline(note)})" for note in said.notes)
        head = f"- {who}{notes}".rstrip()
        return [head, *(f"  - {_inline(item)}" for item in said.items)]
    lines = md_lines(said.text) or [""]
    lines += [f"({_inline(note)})" for note in said.notes]
    # A backslash at the end of a line is a hard line break; continuation lines are
    # indented two spaces so they stay inside the list item.
    head = f"- {who}{lines[0]}"
    rest = [f"  {line}" for line in lines[1:]]
    return [f"{line}\\" for line in [head, *rest][:-1]] + [[head, *rest][-1]]


def render_markdown(view: PlanView) -> str:
    """A `PlanView` as Markdown (see the module docstring)."""
    out = [f"# {_inline(view.title)}", ""]
    out += [f"- **{_inline(fact.label)}:** {_inline(fact.value)}" for fact in view.facts]
    for section in view.sections:
        if section.title is not None:
            out += ["", f"## {_inline(section.title)}"]
        for field in section.fields:
            out += ["", f"### {_inline(field.label)}", ""]
            if field.warning:
                out += [f"**{_inline(field.warning)}**", ""]
            for said in field.said:
                out += _item(said)
            if field.status is not None:
                out.append(f"*{_inline(field.status)}*")
    if view.show_gaps:
        out += ["", f"## {_inline(view.gaps_title)}", "", _inline(view.gaps_intro)]
        if view.gaps:
            out += ["", *(f"- {_inline(label)}" for label in view.gaps)]
    if view.show_sources:
        out += ["", f"## {_inline(view.sources_title)}", ""]
        for source in view.sources:
            # The address is text like the citation: escaped, so no link is made of it.
            url = f"\\\n  {_inline(source.url)}" if source.url else ""
            out.append(f"- {_inline(source.citation)}{url}")
    if view.footer:
        out += ["", f"*{_inline(view.footer)}*"]
    return "\n".join(out) + "\n"


def export_markdown(draft: PlanDraft, *, lang: Language | None = None,
                    copy: Copy = "record") -> str:
    """The plan as Markdown: the same content and order as `export_text` (the record's copy
    by default), with a heading per section and field and a list item per line. No text
    can become markup."""
    return render_markdown(plan_view(draft, lang, copy))
