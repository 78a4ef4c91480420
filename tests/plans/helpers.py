"""Plan templates from the bundled library, synthetic guides that fill every field, answers."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from assistant.engine import Answer, Seen, Session
from assistant.guides.loader import load_library
from assistant.guides.models import (
    LocalText,
    MeetingGuide,
    PlanField,
    PlanTemplate,
    Role,
    text_in,
)
from assistant.plans import PlanDraft, build_draft

T0 = dt.datetime(2026, 1, 5, 10, 0, tzinfo=dt.UTC)
TODAY = dt.date(2026, 3, 1)
TEMPLATE_IDS = ("ua", "kp", "tryghedsplan", "kriseplan")

LIBRARY = load_library()
assert not LIBRARY.errors, [p.format() for p in LIBRARY.errors]


def template(template_id: str) -> PlanTemplate:
    found = LIBRARY.template(template_id)
    assert found is not None, template_id
    return found


TEMPLATES = {tid: template(tid) for tid in TEMPLATE_IDS}
SPEAKERS: tuple[Role, ...] = ("patient", "clinician", "relative", "municipality", "peer_worker")

#: Strings that broke something somewhere (docs: hostile-inputs.md, Appendix A), and more.
HOSTILE: tuple[str, ...] = (
    "<script>alert(1)</script>",
    "</textarea><img src=x onerror=alert(1)>",
    "[x](http://e)",
    "![i](http://e/i.png)",
    "# heading",
    "[@click=app.quit]quit me[/]",
    "SAFE-START \x1b]2;PWNED-TITLE\x1b\\ \x1b[2J\x1b[HOVERWRITTEN \x1b[31mRED\x1b[0m SAFE-END",
    "a\x1b]2;PWNED\x1b\\b\x1b[2Jc\x07d\x00e\u202ef\r\ng",
    "W" * 5000,
    "<https://evil.example>",
    "&amp; &lt;b&gt; &#x3C;script&#x3E;",
    "| a | b |\n|---|---|\n| c | d |",
    "1. one\n2) two\n- item\n+ plus\n* star",
    "> quote\n>> deeper",
    "    indented code\n\tcode",
    "***\n---\n___\nSetext\n===",
    "`code` ``x``\n```\nfence\n```\n~~~\nfence\n~~~",
    "*em* _em_ **strong** __strong__ ~~strike~~",
    "[ref]: http://e\n[ref]",
    "<!-- comment --> <div onclick=alert(1)>x</div>",
    "javascript:alert(1) http://bare.example www.bare.example",
    "'\"quoted\" attr=\"x\"'",
    "trailing backslash \\",
    "\u2028line separator\u2029paragraph\u0085next",
    "\\[escaped\\](http://e)",
)


def _step_type(field: PlanField) -> dict[str, Any]:
    kind = {"text": "text", "longtext": "longtext", "date": "date", "people": "people",
            "tasks": "tasks", "yesno": "yesno", "choice": "single", "number": "scale"}[field.type]
    step: dict[str, Any] = {"type": kind}
    if kind == "single":
        step["choices"] = [c.model_dump(exclude_none=True) for c in field.choices]
    if kind == "scale":
        step.update({"min": 0, "max": 6})
    return step


def synthetic_guide(plan: PlanTemplate, *, guide_id: str | None = None) -> MeetingGuide:
    """A meeting guide with one step per field of `plan`, each filling its field. The
    step's prompt is the field's label, so the FHIR Questionnaire shows the labels too."""
    steps = []
    for field in plan.fields:
        label = field.label
        prompt = label.model_dump() if isinstance(label, LocalText) else label
        steps.append({"id": field.id, "prompt": prompt, "fills": [f"{plan.id}.{field.id}"],
                      **_step_type(field)})
    return MeetingGuide.model_validate({
        "id": guide_id or f"fill-{plan.id}", "kind": "meeting_guide", "version": "1.0.0",
        "title": {"da": f"Alle felter i {plan.id}", "en": f"Every field of {plan.id}"},
        "audience": ["adult"], "authors": ["test"], "reviewed": "2026-01-01",
        "review_due": "2027-01-01", "plan": plan.id, "purpose": "Test.",
        "sections": [{"id": "alt", "title": "Alt", "steps": steps}],
    })


def full_value(field: PlanField, text: str | None = None) -> Any:
    """A valid answer for the synthetic step of `field`; `text` replaces the words."""
    label = text_in(field.label, "da")
    words = text if text is not None else f"Svar til {label}"
    kind = field.type
    if kind in ("text", "longtext"):
        return words[:500] if kind == "text" else words
    if kind == "date":
        return "2026-02-01"
    if kind == "people":
        return [{"name": words[:200], "relation": "søster", "helps": words[:2000],
                 "when": "om aftenen", "contact": "12 34 56 78"}]
    if kind == "tasks":
        return [{"what": words[:2000], "who": (text or "Kommunen")[:200], "by": "2026-03-01"}]
    if kind == "yesno":
        return True
    if kind == "choice":
        return field.choices[0].id
    if kind == "number":
        return 3
    raise AssertionError(kind)


def answer_all(guide: MeetingGuide, plan: PlanTemplate, *, skip: Iterable[str] = (),
               texts: Iterable[str] | None = None) -> Session:
    """A session of `guide` with every field's step answered (but those in `skip`),
    speakers taking turns. `texts`, if given, are cycled through as the words."""
    session = Session(guide)
    skipped = set(skip)
    words = list(texts) if texts is not None else []
    for index, field in enumerate(plan.fields):
        if field.id in skipped:
            continue
        text = words[index % len(words)] if words else None
        session.apply(Answer(step=field.id, value=full_value(field, text),
                             speaker=SPEAKERS[index % len(SPEAKERS)],
                             at=T0 + dt.timedelta(seconds=index)))
    return session


def full_draft(template_id: str, **kw: Any) -> tuple[PlanDraft, Session]:
    plan = TEMPLATES[template_id]
    session = answer_all(synthetic_guide(plan), plan, **kw)
    return build_draft(session.state, plan, today=TODAY), session


def walk_all(session: Session) -> Session:
    """Pass any information steps left (the synthetic guides have none; bundled ones do)."""
    while session.state.unseen:
        session.apply(Seen(step=session.state.unseen[0], at=T0))
    return session
