"""The two papers (issue 15, item 7): the patient's copy and the health-record copy.

The patient's copy of each bundled scenario (a finished session of every bundled guide that
fills a plan) prints on at most two A4 pages in headless Chromium, with no gap marker, no
risk score and no internal id or version; the record's copy keeps every required field,
says "ikke udfyldt" only for a required gap, and leaves optional empty fields out.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from assistant.engine import Answer, Seen, Session
from assistant.engine.state import SessionState
from assistant.export import export_html, export_text
from assistant.export.formats import Offer, get, names, offers, render
from assistant.export.page import esc
from assistant.guides.models import AnyStep, DecisionAid, MeetingGuide
from assistant.plans import PlanDraft, build_draft, choose_template, draft_templates
from tests.engine.helpers import sample_value
from tests.plans.helpers import LIBRARY, T0, TEMPLATES, TODAY, answer_all, synthetic_guide

from .inspect import parse_html, squash
from .test_pdf import CHROMIUM, pdf_text

#: A patient's words of a realistic length (what a crisis plan's field holds).
WORDS = ("Jeg sover dårligt og trækker mig fra andre, især om aftenen. Det hjælper at gå en "
         "tur med hunden og at ringe til min søster.")


def _value(step: AnyStep) -> Any:
    """A full answer: realistic words, three people, two tasks, every choice of a multi."""
    kind = step.type
    if kind in ("text", "longtext"):
        return WORDS if kind == "longtext" else "Mette, min søster"
    if kind == "people":
        return [{"name": name, "relation": rel, "helps": "lytter og kommer forbi",
                 "when": "om aftenen", "contact": "12 34 56 78"}
                for name, rel in (("Mette", "søster"), ("Lone", "mor"), ("Ali", "ven"))]
    if kind == "tasks":
        return [{"what": "Sende planen til egen læge", "who": "Behandleren", "by": "2026-12-15"},
                {"what": "Aftale næste møde", "who": "Patienten", "by": "2027-01-10"}]
    return sample_value(step, "last" if kind == "multi" else "first")


def finished(guide: DecisionAid | MeetingGuide) -> SessionState:
    """`guide` answered to the end, every answer the patient's (info steps seen)."""
    session = Session(guide)
    for second in range(500):
        current = session.state.current
        if current is None:
            return session.state
        at = T0 + dt.timedelta(seconds=second)
        if current.step.type == "info":
            session.apply(Seen(step=current.id, speaker="clinician", at=at))
        else:
            session.apply(Answer(step=current.id, value=_value(current.step),
                                 speaker="patient", at=at))
    raise AssertionError(f"{guide.id} did not finish")


def scenarios() -> list[tuple[str, str]]:
    """(guide id, plan id) for every bundled guide and each plan it fills."""
    out = []
    for guide_id, loaded in sorted(LIBRARY.guides.items()):
        guide = loaded.document
        if isinstance(guide, (DecisionAid, MeetingGuide)):
            out += [(guide_id, plan) for plan in draft_templates(guide)]
    return out


SCENARIOS = scenarios()


def scenario_draft(guide_id: str, plan_id: str) -> PlanDraft:
    guide = LIBRARY.guides[guide_id].document
    assert isinstance(guide, (DecisionAid, MeetingGuide))
    state = finished(guide)
    template = choose_template(guide, TEMPLATES, plan_id)
    return build_draft(state, template, today=TODAY)


_FORBIDDEN = ("mangler", "ikke udfyldt", "BVC", "SURE", "Lavet med sdm-assistant")


def assert_fit_for_the_patient(seen: str, draft: PlanDraft) -> None:
    for word in _FORBIDDEN:
        assert word.lower() not in seen.lower(), word
    assert draft.guide.id not in seen and draft.template.id not in seen.split()
    assert draft.guide.version not in seen  # no versions either
    assert not re.search(r"\d{4}-\d{2}-\d{2}", seen)  # dates as people write them


# --- the patient's copy -----------------------------------------------------------------------


@pytest.mark.parametrize(("guide_id", "plan_id"), SCENARIOS)
def test_the_patients_copy_of_each_scenario_is_fit_to_hand_over(guide_id: str,
                                                                plan_id: str) -> None:
    draft = scenario_draft(guide_id, plan_id)
    page = export_html(draft)
    seen = squash(parse_html(page).text)
    assert_fit_for_the_patient(seen, draft)
    assert "Vi ser på planen igen senest:" in seen
    for field in draft.fields:
        # A heading, or for a short answer its label beside it ("Tovholder: Mette").
        shown = (f"<h3>{esc(field.label.da)}</h3>" in page
                 or f'<span class="label">{esc(field.label.da)}:</span>' in page)
        assert shown == (field.status == "filled" and field.patient_copy), field.id


def test_clinical_only_fields_are_marked_in_the_bundled_plans() -> None:
    clinical = {tid: [f.id for f in t.fields if not f.patient_copy]
                for tid, t in TEMPLATES.items()}
    # The crisis plan is the patient's own: no risk score in it (issue 17, item 9). A dated
    # risk assessment for staff lives in the UA/KP.
    assert clinical["kriseplan"] == [] and clinical["tryghedsplan"] == []
    assert clinical["ua"] == clinical["kp"] == ["suicide_risk", "violence_risk"]


def test_the_patients_copy_leaves_out_clinical_fields_that_the_record_keeps() -> None:
    ua = TEMPLATES["ua"]
    ua_draft = build_draft(answer_all(synthetic_guide(ua), ua).state, ua, today=TODAY)
    ua_patient, ua_record = export_text(ua_draft, copy="patient"), export_text(ua_draft)
    for label in ("Vurdering af voldsrisiko", "Vurdering af selvmordsrisiko"):
        assert label in ua_record and label not in ua_patient
    plan = TEMPLATES["kriseplan"]
    session = answer_all(synthetic_guide(plan), plan, skip=["self_help", "distraction"])
    draft = build_draft(session.state, plan, today=TODAY)
    patient = export_text(draft, copy="patient")
    record = export_text(draft)
    # A required gap: "ikke udfyldt" in the record, absent from the patient's copy; an
    # optional empty field is in neither.
    assert "Det gør jeg selv\n  (ikke udfyldt)" in record
    assert "Det gør jeg selv" not in patient.split("DET GØR JEG SELV")[-1][:40]
    assert "Steder og mennesker, der giver mig en pause" not in record + patient
    assert "(mangler)" not in record
    # The patient's own words stand without a prefix; others' keep theirs.
    assert "  Svar til Mit helbred med mine ord" in patient and "Behandleren: " in patient
    assert "Patienten: Svar til Mit helbred med mine ord" in record


# --- the record's copy ------------------------------------------------------------------------


def test_the_record_says_what_each_decision_line_is_and_lists_items() -> None:
    draft = scenario_draft("forhaandstilkendegivelse", "kriseplan")
    text = export_text(draft)
    # Who decided (the decided-by step: "Patienten besluttede") is folded into the line.
    assert "  Beslutning (truffet af patienten): Skriv mine ønsker ned nu\n" in text
    assert "besluttede" not in text
    assert "Næste skridt (patienten):\n" in text
    assert "    - Sende planen til egen læge — Behandleren — senest 15.12.2026\n" in text
    english = export_text(draft, lang="en")
    assert "by 15 December 2026" in english and "Next steps (patient):" in english


def test_several_choices_are_one_a_line() -> None:
    """A multi's choice labels may hold commas: one item a line, never joined by commas."""
    for guide_id, plan_id in SCENARIOS:
        draft = scenario_draft(guide_id, plan_id)
        for field in draft.fields:
            for line in field.lines:
                if isinstance(line.value, list) and all(isinstance(v, str) for v in line.value):
                    assert line.text.count("\n") == len(line.value) - 1, (guide_id, field.id)


# --- the registry ------------------------------------------------------------------------------


def test_the_registry_offers_each_copy_once_with_a_default_per_format() -> None:
    keys = [offer.key for offer in offers()]
    assert keys[0] == "html/patient" and "text/record" in keys and len(set(keys)) == len(keys)
    assert get("html").default_copy == "patient" and get("text").default_copy == "record"
    assert {offer.format for offer in offers()} == set(names())
    assert Offer.of("html") == Offer("html", "patient") and Offer.of("json") == Offer("json")
    with pytest.raises(KeyError):
        Offer.of("json/patient")


def test_render_refuses_a_copy_the_format_does_not_make() -> None:
    plan = TEMPLATES["kriseplan"]
    session = answer_all(synthetic_guide(plan), plan)
    draft = build_draft(session.state, plan, today=TODAY)
    with pytest.raises(ValueError, match="no patient copy"):
        render("json", draft, session.state, copy="patient")
    assert render("html", draft, session.state) == render("html", draft, session.state,
                                                          copy="patient")


# --- on paper ---------------------------------------------------------------------------------


def _pdf(html: str, folder: Path) -> Path:
    page = folder / "plan.html"
    page.write_text(html, encoding="utf-8")
    out = folder / "plan.pdf"
    subprocess.run(
        [str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         f"--user-data-dir={folder / 'profile'}", "--no-pdf-header-footer",
         f"--print-to-pdf={out}", page.as_uri()],
        capture_output=True, check=True, timeout=120)
    return out


def _pages(pdf: Path) -> int:
    """How many pages `pdf` has: pdfinfo (poppler-utils), else pypdf."""
    if shutil.which("pdfinfo"):
        info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True,
                              check=True, timeout=60).stdout
        return int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))  # type: ignore[union-attr]
    pypdf = pytest.importorskip("pypdf", reason="neither pdfinfo nor pypdf is installed")
    return len(pypdf.PdfReader(pdf).pages)


@pytest.mark.slow
@pytest.mark.skipif(not CHROMIUM.exists(),
                    reason="/usr/bin/chromium is not installed (apt-get install chromium)")
@pytest.mark.parametrize(("guide_id", "plan_id"), SCENARIOS)
def test_the_patients_copy_prints_on_at_most_two_pages(guide_id: str, plan_id: str,
                                                       tmp_path: Path) -> None:
    draft = scenario_draft(guide_id, plan_id)
    pdf = _pdf(export_html(draft), tmp_path)
    assert _pages(pdf) <= 2
    text = " ".join(pdf_text(pdf).split())
    assert_fit_for_the_patient(text, draft)
    assert squash(draft.title("da")) in text
