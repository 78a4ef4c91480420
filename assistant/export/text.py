"""Plain text for pasting into the health record: no markup, who said what.

Fields come in the template's order, under their section headings; each line starts with who
said it ("Patienten: ...", "Beslutning (truffet sammen): ..."); a list answer (several
choices, people, tasks) is one item a line; required fields still empty are listed at the
end. Lines are not wrapped (the health record wraps them) unless a width is given. The
output has no control characters at all (tabs become spaces) and ends with one newline.
"""

from __future__ import annotations

import re
import textwrap

from assistant.export.formats import DEFAULT_WIDTH, MIN_WIDTH, Copy
from assistant.export.layout import PlanView, Said, plan_view
from assistant.language import Language
from assistant.plans.models import PlanDraft
from assistant.text import clean_text

__all__ = ["DEFAULT_WIDTH", "MIN_WIDTH", "export_text", "plain_lines", "wrap"]

#: Control characters (Unicode category Cc); `splitlines` has taken the line breaks out.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_INDENT = "  "
_CONTINUE = "    "
#: "Not wrapped": wider than any line.
_UNWRAPPED = 1 << 30


def plain_lines(text: str) -> list[str]:
    """`text` as lines of plain printable text: cleaned, tabs as spaces, no control or
    line-separator characters left (every Unicode line break splits a line)."""
    text = clean_text(text).replace("\t", " ")
    return [_CONTROL.sub("", line) for line in text.splitlines()]


def wrap(text: str, width: int, first: str, rest: str) -> list[str]:
    """`text` wrapped to `width`, the first line starting with `first`, the others with
    `rest`. Words longer than a line are broken; blank lines in `text` are kept as blank."""
    out: list[str] = []
    lead = first
    for line in plain_lines(text) or [""]:
        if len(lead) + len(line) <= width and "  " not in line:
            out.append(lead + line)  # fits as it is: textwrap would change nothing
        elif not line.strip():
            out.append(lead.rstrip())
        else:
            out += textwrap.wrap(line, width=width, initial_indent=lead, subsequent_indent=rest,
                                 break_long_words=True, break_on_hyphens=False)
        lead = rest
    return out


def _heading(text: str, rule: str, width: int) -> list[str]:
    lines = wrap(text, width, "", "")
    return [*lines, rule * min(width, max(len(line) for line in lines))]


def _said(said: Said, width: int) -> list[str]:
    who = (plain_lines(said.who) or [""])[0]
    # The prefix is wrapped with the words (a question beside the speaker may be longer
    # than a narrow line).
    if said.items:
        # A list answer: the speaker, then one item a line.
        lead = _CONTINUE if who else _INDENT
        lines = wrap(f"{who}:", width, _INDENT, _CONTINUE) if who else []
        for item in said.items:
            lines += wrap(item, width, f"{lead}- ", f"{lead}  ")
    else:
        lines = wrap(f"{who}: {said.text}" if who else said.text, width, _INDENT, _CONTINUE)
    for note in said.notes:
        lines += wrap(f"({note})", width, _CONTINUE, _CONTINUE)
    return lines


def render_text(view: PlanView, width: int | None = None) -> str:
    """A `PlanView` as plain text (see the module docstring); wrapped to `width` columns
    if given (at least `MIN_WIDTH`), else not wrapped."""
    width = _UNWRAPPED if width is None else max(width, MIN_WIDTH)
    out = _heading(view.title, "=", width)
    out.append("")
    for fact in view.facts:
        out += wrap(fact.value, width, f"{fact.label}: ", _CONTINUE)
    for section in view.sections:
        if out[-1] != "":
            out.append("")
        if section.title is not None:
            out += _heading(section.title.upper(), "-", width)
            out.append("")
        for field in section.fields:
            out += wrap(field.label, width, "", "")
            if field.warning:
                out += wrap(f"(!) {field.warning}", width, _INDENT, _CONTINUE)
            for said in field.said:
                out += _said(said, width)
            if field.status is not None:
                out += wrap(f"({field.status})", width, _INDENT, _CONTINUE)
            out.append("")
    if out[-1] != "":
        out.append("")
    if view.show_gaps:
        out += _heading(view.gaps_title.upper(), "-", width)
        out += wrap(view.gaps_intro, width, "", "")
        for label in view.gaps:
            out += wrap(label, width, "- ", "  ")
        out.append("")
    if view.show_sources:
        out += _heading(view.sources_title.upper(), "-", width)
        for source in view.sources:
            out += wrap(source.citation, width, "- ", "  ")
            if source.url:
                out += wrap(source.url, width, "  ", "  ")
        out.append("")
    if view.footer:
        out += wrap(view.footer, width, "", "")
    while out and out[-1] == "":
        out.pop()
    return "\n".join(line.rstrip() for line in out) + "\n"


def export_text(draft: PlanDraft, *, width: int | None = None,
                lang: Language | None = None, copy: Copy = "record") -> str:
    """The plan as plain text: the health-record copy (or, with `copy="patient"`, the
    patient's), not wrapped unless `width` is given.

    Danish labels (English with `lang="en"`; default: the draft's language); fields in the
    template's order; every line prefixed with who said it; a list answer one item a line;
    dates as 15.12.2026; the record's gaps listed at the end. Struck and replaced lines are
    left out. A `width` below `MIN_WIDTH` is raised to it. Only printable characters,
    spaces and newlines.
    """
    return render_text(plan_view(draft, lang, copy), width)
