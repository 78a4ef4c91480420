"""Every template, every format: every field label, who said it, the gaps, the revision."""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path
from typing import Any

import pytest

from assistant.engine import (
    AddParticipant,
    ApproveDraft,
    FieldEdit,
    LineCorrected,
    LineStruck,
)
from assistant.engine.state import SessionState
from assistant.export import (
    CSP,
    export_html,
    export_json,
    export_markdown,
    export_text,
    load_json,
)
from assistant.export.formats import get, names, render
from assistant.export.words import local_day, speaker
from assistant.plans import PlanDraft, build_draft
from assistant.wording import youth
from tests.plans.helpers import (
    T0,
    TEMPLATE_IDS,
    TEMPLATES,
    TODAY,
    answer_all,
    full_draft,
    synthetic_guide,
)

from .inspect import FORBIDDEN_MD, assert_inert_html, md_text, md_tokens, parse_html, squash

GOLDEN = Path(__file__).parent / "golden"


def record(fmt: str, draft: PlanDraft, state: SessionState, **kw: Any) -> str:
    """The export in `fmt` as text: the health-record copy for a format that makes papers
    (the copy that shows every field; the patient's copy is tested in test_copies.py)."""
    copy = "record" if "record" in get(fmt).copies else None
    return render(fmt, draft, state, copy=copy, **kw).decode()


def shown_text(fmt: str, out: str) -> str:
    """What a reader of the export sees, whitespace collapsed."""
    if fmt == "html":
        return squash(parse_html(out).text)
    if fmt == "md":
        return squash(md_text(out))
    if fmt in ("json", "fhir"):
        return squash(json.dumps(json.loads(out), ensure_ascii=False))
    return squash(out)


@pytest.mark.parametrize("fmt", names())
@pytest.mark.parametrize("template_id", TEMPLATE_IDS)
@pytest.mark.parametrize("lang", ["da", "en"])
def test_every_format_shows_every_field_label(template_id: str, fmt: str, lang: str) -> None:
    draft, session = full_draft(template_id)
    out = record(fmt, draft, session.state, lang=lang)
    seen = shown_text(fmt, out)
    for field in draft.fields:
        assert squash(field.label.get(lang)) in seen, field.id  # type: ignore[arg-type]


@pytest.mark.parametrize("fmt", ["text", "md", "html"])
@pytest.mark.parametrize("template_id", TEMPLATE_IDS)
def test_readable_formats_say_who_said_it_and_the_revision(template_id: str, fmt: str) -> None:
    draft, session = full_draft(template_id)
    seen = shown_text(fmt, record(fmt, draft, session.state))
    # A plan for children and young people says "Den unge:" and "Forældrene:".
    young = youth(draft.audience)
    for role in ("patient", "clinician", "relative", "municipality", "peer_worker"):
        assert f"{speaker(role, 'da', young=young)}:" in seen, role  # type: ignore[arg-type]
    rev = draft.revision
    assert f"Oprettet: {local_day(rev.created, 'da')}" in seen
    assert f"Sidst revideret: {local_day(rev.last_revised, 'da')}" in seen
    assert f"Næste revision senest: {local_day(rev.next_revision_due, 'da')}" in seen
    assert "Ansvarlig for revision:" in seen
    assert "Alle påkrævede felter er udfyldt." in seen


@pytest.mark.parametrize("fmt", ["text", "md", "html"])
@pytest.mark.parametrize("template_id", TEMPLATE_IDS)
def test_gaps_are_listed_exactly(template_id: str, fmt: str) -> None:
    plan = TEMPLATES[template_id]
    required = [f for f in plan.fields if f.required]
    missing = required[1::2]
    session = answer_all(synthetic_guide(plan), plan, skip=[f.id for f in missing])
    draft = build_draft(session.state, plan, today=TODAY)
    assert [g.field for g in draft.gaps] == [f.id for f in missing]
    out = record(fmt, draft, session.state)
    seen = shown_text(fmt, out)
    tail = seen[seen.lower().rindex("mangler"):]
    labels = [squash(g.label.da) for g in draft.gaps]
    assert "Påkrævede felter uden indhold:" in tail[:60]
    positions = [tail.index(label) for label in labels]
    assert positions == sorted(positions)
    # Nothing but the gaps is listed there.
    others = [squash(f.label.da) for f in draft.fields if f.status != "gap"]
    assert not [label for label in others if f" {label} " in f" {tail} "
                and label not in " ".join(labels)]


def test_english_labels_and_words() -> None:
    draft, _ = full_draft("ua")
    text = export_text(draft, lang="en")
    assert text.startswith("Discharge agreement – draft\n")
    assert "Responsible chief physician" in text and "Patient: " in text
    assert "Next revision due: 1 February 2026 (overdue)" in text
    assert "\nAnsvarlig overlæge\n" not in text
    html = export_html(draft, lang="en", copy="record")
    assert '<html lang="en">' in html


def test_text_is_wrapped_plain_and_stable() -> None:
    draft, _ = full_draft("tryghedsplan", texts=["ord " * 60 + "slut"])
    for width in (40, 72, 100):
        text = export_text(draft, width=width)
        assert all(len(line) <= width for line in text.splitlines())
        assert text.endswith("\n") and not text.endswith("\n\n")
    assert export_text(draft) == export_text(draft)
    assert export_text(draft, width=5) == export_text(draft, width=30)  # clamped
    # Without a width nothing is wrapped: the health record wraps the lines itself.
    assert any(line.endswith(": " + "ord " * 60 + "slut")
               for line in export_text(draft).splitlines())


def test_markdown_headings_are_ours_only() -> None:
    draft, _ = full_draft("ua")
    tokens = md_tokens(export_markdown(draft))
    sections = {f.section.da for f in draft.fields if f.section}
    headings = [t for t in tokens if t.type == "heading_open"]
    assert len(headings) == 1 + len(sections) + len(draft.fields) + 1
    assert not {t.type for t in tokens} & FORBIDDEN_MD


def test_html_is_one_safe_self_contained_page() -> None:
    draft, _ = full_draft("kriseplan")
    page = export_html(draft)
    report = assert_inert_html(page)
    assert page.startswith("<!DOCTYPE html>\n<html lang=\"da\">")
    metas = [dict((n, v) for t, n, v in report.attrs if t == "meta" and n in ("charset",))]
    assert any(m.get("charset") == "utf-8" for m in metas)
    csp = [v for t, n, v in report.attrs if t == "meta" and n == "content" and v == CSP]
    assert csp and "default-src 'none'; style-src 'unsafe-inline'" in CSP
    assert "@media print" in page and "http" not in page.replace('http-equiv', '')


def test_review_shows_in_every_readable_format() -> None:
    plan = TEMPLATES["kriseplan"]
    session = answer_all(synthetic_guide(plan), plan)
    later = T0 + dt.timedelta(hours=1)
    session.apply(LineCorrected(step="warning_signs", text="Jeg sover dårligt",
                                speaker="patient", at=later))
    session.apply(LineStruck(step="health_summary", speaker="patient", at=later))
    session.apply(FieldEdit(template="kriseplan", field="triggers", text="Larm",
                            speaker="clinician", at=later))
    session.apply(AddParticipant(role="clinician", at=later))
    session.apply(ApproveDraft(template="kriseplan", speaker="clinician", at=later))
    draft = build_draft(session.state, plan, today=TODAY)
    for fmt in ("text", "md", "html"):
        seen = shown_text(fmt, record(fmt, draft, session.state))
        assert "Patienten: Jeg sover dårligt (rettet af patienten)" in seen
        assert "Svar til Mine første tegn" not in seen  # the original words are not printed
        assert "Svar til Mit helbred" not in seen  # struck
        assert "Behandleren: Larm" in seen and "Svar til Det kan sætte" not in seen
        assert "Godkendt: 05.01.2026 af behandleren" in seen
        assert "Kriseplan – udkast" not in seen  # approved as it stands


def test_json_round_trips_exactly() -> None:
    for template_id in TEMPLATE_IDS:
        draft, _ = full_draft(template_id)
        text = export_json(draft)
        again = load_json(text)
        assert again == draft and export_json(again) == text
        assert json.loads(text)["schema_version"] == 1
        assert isinstance(again, PlanDraft)


def test_plain_text_matches_the_golden_file() -> None:
    """The health-record text, byte for byte. Regenerate deliberately with
    SDM_UPDATE_GOLDEN=1 and read the diff."""
    plan = TEMPLATES["kriseplan"]
    session = answer_all(synthetic_guide(plan), plan, skip=["self_help", "distraction"])
    session.apply(LineCorrected(step="warning_signs", text="Jeg sover dårligt og trækker "
                                "mig fra andre, især om aftenen når det er mørkt",
                                speaker="patient", at=T0))
    text = export_text(build_draft(session.state, plan, today=TODAY))
    golden = GOLDEN / "kriseplan.txt"
    if os.environ.get("SDM_UPDATE_GOLDEN"):
        golden.parent.mkdir(exist_ok=True)
        golden.write_text(text, encoding="utf-8")
    assert text == golden.read_text(encoding="utf-8")
