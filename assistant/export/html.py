"""HTML: the plan as one self-contained page to read on screen, print or take home.

Built on the shared page shell (`page`): a strict Content Security Policy, no scripts, no
external resources, a print stylesheet. Every text is escaped and appears only as element
text, never in an attribute.

Two papers (`copy`, see `assistant.export.layout`): the patient's copy (the default) prints
the plan in the patient's words on one or two A4 pages — filled fields only, no gap markers,
no scores, when it is looked at again and whom to contact; the health-record copy prints
every required field and lists the gaps.
"""

from __future__ import annotations

from assistant.export.formats import Copy
from assistant.export.layout import FieldView, PlanView, Said, plan_view
from assistant.export.page import esc, page
from assistant.language import Language
from assistant.plans.models import PlanDraft

__all__ = ["export_html", "render_html"]

#: The patient's copy is set tighter, so the bundled plans print on at most two A4 pages
#: (the realistic conversations of docs/answers too: a complete UA from the transition
#: meeting at 18 filled two pages and three lines before fields could break across pages).
#: A field may run on over a page break (its heading stays with its first line).
_PATIENT_STYLE = """
body.patient-copy h1 { font-size: 1.45rem; }
body.patient-copy h2 { margin: 0.8rem 0 0.3rem; font-size: 1.15rem; }
body.patient-copy h3 { margin: 0.5rem 0 0.1rem; }
body.patient-copy dl.facts { border: 2px solid #444; border-radius: 4px; padding: 0.5rem 0.8rem; }
body.patient-copy .field { break-inside: auto; page-break-inside: auto; }
body.patient-copy .field.short { margin: 0.45rem 0 0; }
body.patient-copy .field.short .label { font-weight: 700; }
body.patient-copy p, body.patient-copy li { orphans: 2; widows: 2; }
@page { margin: 14mm 15mm; }
@media print { body.patient-copy { font-size: 10.5pt; line-height: 1.25; } }
"""


def _said(said: Said) -> str:
    css = "line patient" if said.patient else "line"
    notes = "".join(f' <span class="note">({esc(note)})</span>' for note in said.notes)
    who = f'<span class="who">{esc(said.who)}:</span> ' if said.who else ""
    if said.items:
        items = "".join(f'<li class="words">{esc(item)}</li>' for item in said.items)
        return f'<div class="{css}">{who}{notes}<ul class="items">{items}</ul></div>'
    return f'<p class="{css}">{who}<span class="words">{esc(said.text)}</span>{notes}</p>'


#: A patient's-copy answer this short, on one line, goes beside its label ("Tovholder:
#: Mette"): a date, a name, a yes or a choice needs no heading of its own (a complete UA
#: from the transition meeting did not fit two pages with one).
_SHORT = 60


def _short(field: FieldView) -> bool:
    if len(field.said) != 1 or field.warning or field.status is not None:
        return False
    said = field.said[0]
    return (not said.items and not said.notes and "\n" not in said.text
            and len(said.text) + len(said.who) <= _SHORT)


def _field(field: FieldView, patient: bool = False) -> list[str]:
    if patient and _short(field):
        said = field.said[0]
        who = f'<span class="who">{esc(said.who)}:</span> ' if said.who else ""
        css = "line patient" if said.patient else "line"
        return ['<div class="field short">',
                f'<p class="{css}"><span class="label">{esc(field.label)}:</span> {who}'
                f'<span class="words">{esc(said.text)}</span></p>', "</div>"]
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
            body += _field(field, view.copy == "patient")
        body.append("</section>")
    if view.show_gaps:
        body += ['<section class="gaps">', f"<h2>{esc(view.gaps_title)}</h2>",
                 f"<p>{esc(view.gaps_intro)}</p>"]
        if view.gaps:
            body += ["<ul>", *(f"<li>{esc(label)}</li>" for label in view.gaps), "</ul>"]
        body.append("</section>")
    if view.show_sources:
        # Citations and addresses are text, never links (nothing on the page loads or
        # leads anywhere).
        body += ['<section class="sources">', f"<h2>{esc(view.sources_title)}</h2>", "<ul>"]
        for source in view.sources:
            url = f'<br><span class="url">{esc(source.url)}</span>' if source.url else ""
            body.append(f"<li>{esc(source.citation)}{url}</li>")
        body += ["</ul>", "</section>"]
    if view.footer:
        body.append(f"<footer>{esc(view.footer)}</footer>")
    patient = view.copy == "patient"
    return page(view.title, body, lang=view.lang,
                extra_style=_PATIENT_STYLE if patient else "",
                body_class="patient-copy" if patient else None)


def export_html(draft: PlanDraft, *, lang: Language | None = None,
                copy: Copy = "patient") -> str:
    """The plan as one self-contained HTML page: the patient's copy, or with
    `copy="record"` the health-record copy (the same content and order as `export_text`).

    `<meta charset>`, a strict CSP, a print stylesheet, `lang` set; no scripts and no
    external resources; all text escaped.
    """
    return render_html(plan_view(draft, lang, copy))
