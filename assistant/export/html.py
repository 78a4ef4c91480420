"""HTML: the plan as one self-contained page to read on screen, print or take home.

Built on the shared page shell (`page`): a strict Content Security Policy, no scripts, no
external resources, a print stylesheet. Every text is escaped and appears only as element
text, never in an attribute.
"""

from __future__ import annotations

from assistant.export.layout import FieldView, PlanView, Said, plan_view
from assistant.export.page import esc, page
from assistant.guides.models import Language
from assistant.plans.models import PlanDraft

__all__ = ["export_html", "render_html"]


def _said(said: Said) -> str:
    css = "line patient" if said.patient else "line"
    notes = "".join(f' <span class="note">({esc(note)})</span>' for note in said.notes)
    return (f'<p class="{css}"><span class="who">{esc(said.who)}:</span> '
            f'<span class="words">{esc(said.text)}</span>{notes}</p>')


def _field(field: FieldView) -> list[str]:
    css = "field gap" if field.gap else "field"
    out = [f'<div class="{css}">', f"<h3>{esc(field.label)}</h3>"]
    if field.warning:
        out.append(f'<p class="warning">{esc(field.warning)}</p>')
    out += [_said(said) for said in field.said]
    if field.status is not None:
        out.append(f'<p class="status">{esc(field.status)}</p>')
    out.append("</div>")
    return out


def render_html(view: PlanView) -> str:
    """A `PlanView` as a complete HTML page (see the module docstring)."""
    body = [f"<h1>{esc(view.title)}</h1>", '<dl class="facts">']
    for fact in view.facts:
        body.append(f"<dt>{esc(fact.label)}:</dt> <dd>{esc(fact.value)}</dd>")
    body.append("</dl>")
    for section in view.sections:
        body.append("<section>")
        if section.title is not None:
            body.append(f"<h2>{esc(section.title)}</h2>")
        for field in section.fields:
            body += _field(field)
        body.append("</section>")
    body += ['<section class="gaps">', f"<h2>{esc(view.gaps_title)}</h2>",
             f"<p>{esc(view.gaps_intro)}</p>"]
    if view.gaps:
        body += ["<ul>", *(f"<li>{esc(label)}</li>" for label in view.gaps), "</ul>"]
    body += ["</section>", f"<footer>{esc(view.footer)}</footer>"]
    return page(view.title, body, lang=view.lang)


def export_html(draft: PlanDraft, *, lang: Language | None = None) -> str:
    """The plan as one self-contained HTML page (same content and order as `export_text`).

    `<meta charset>`, a strict CSP, a print stylesheet, `lang` set; no scripts and no
    external resources; all text escaped.
    """
    return render_html(plan_view(draft, lang))
