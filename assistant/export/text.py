"""Plain text for pasting into the health record: no markup, wrapped, who said what.

Fields come in the template's order, under their section headings; each line starts with who
said it ("Patienten: ..."); required fields still empty are listed at the end. The output has
no control characters at all (tabs become spaces) and ends with one newline.
"""

from __future__ import annotations

import re
import textwrap

from assistant.export.formats import DEFAULT_WIDTH, MIN_WIDTH
from assistant.export.layout import PlanView, Said, plan_view
from assistant.guides.models import Language
from assistant.plans.models import PlanDraft
from assistant.text import clean_text

__all__ = ["DEFAULT_WIDTH", "MIN_WIDTH", "export_text", "plain_lines", "wrap"]

#: Control characters (Unicode category Cc); `splitlines` has taken the line breaks out.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_INDENT = "  "
_CONTINUE = "    "


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
    first = f"{_INDENT}{plain_lines(said.who)[0]}: "
    lines = wrap(said.text, width, first, _CONTINUE)
    for note in said.notes:
        lines += wrap(f"({note})", width, _CONTINUE, _CONTINUE)
    return lines


def render_text(view: PlanView, width: int = DEFAULT_WIDTH) -> str:
    """A `PlanView` as plain text (see the module docstring)."""
    width = max(width, MIN_WIDTH)
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
    out += _heading(view.gaps_title.upper(), "-", width)
    out += wrap(view.gaps_intro, width, "", "")
    for label in view.gaps:
        out += wrap(label, width, "- ", "  ")
    out += ["", *wrap(view.footer, width, "", "")]
    return "\n".join(line.rstrip() for line in out) + "\n"


def export_text(draft: PlanDraft, *, width: int = DEFAULT_WIDTH,
                lang: Language | None = None) -> str:
    """The plan as plain text for the health record, wrapped to `width` columns.

    Danish labels (English with `lang="en"`; default: the draft's language); fields in the
    template's order; every line prefixed with who said it; gaps listed at the end. Struck
    and replaced lines are left out. `width` below `MIN_WIDTH` is raised to it. Only
    printable characters, spaces and newlines.
    """
    return render_text(plan_view(draft, lang), width)
