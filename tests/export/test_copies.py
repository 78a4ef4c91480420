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
from markdown_it import MarkdownIt

from assistant.catalogue import has, t
from assistant.engine import Answer, Seen, Session
from assistant.engine.answersfile import START, replay_answers
from assistant.engine.state import SessionState
from assistant.export import export_html, export_markdown, export_text
from assistant.export.formats import Offer, get, names, offers, render
from assistant.export.page import esc
from assistant.guides.models import ROLES, AnyStep, DecisionAid, MeetingGuide
from assistant.guides.yamlsubset import read
from assistant.plans import PlanDraft, Reference, build_draft, choose_template, draft_templates
from tests.engine.helpers import sample_value
from tests.plans.helpers import LIBRARY, T0, TEMPLATES, TODAY, answer_all, synthetic_guide

from .inspect import parse_html, squash
from .test_pdf import CHROMIUM, pdf_text

#: The realistic conversations (docs/answers/<guide id>.yaml), as authors replay them.
ANSWERS = Path(__file__).resolve().parents[2] / "docs" / "answers"

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


# --- the realistic scenarios: docs/answers --------------------------------------------------------


def answered_scenarios() -> list[tuple[str, str]]:
    """(guide id, plan id) for every answers file and each plan its guide fills."""
    out = []
    for path in sorted(ANSWERS.glob("*.yaml")):
        guide = LIBRARY.guides[path.stem].document
        assert isinstance(guide, (DecisionAid, MeetingGuide)), path.name
        out += [(path.stem, plan) for plan in draft_templates(guide)]
    return out


ANSWERED = answered_scenarios()


def replayed_draft(guide_id: str, plan_id: str) -> PlanDraft:
    """`docs/answers/<guide_id>.yaml` replayed (as `sdm replay`), drafted for `plan_id` as of
    the day of the last answer."""
    guide = LIBRARY.guides[guide_id].document
    assert isinstance(guide, (DecisionAid, MeetingGuide))
    path = ANSWERS / f"{guide_id}.yaml"
    data, positions = read(path.read_text(encoding="utf-8"), positions=True)
    state, problems = replay_answers(guide, data, positions, path.name)
    assert state is not None and problems == [], problems
    times = [event.at for event in state.effective_events]
    today = max(times).date() if times else START.date()
    return build_draft(state, choose_template(guide, TEMPLATES, plan_id), today=today)


def test_every_answers_file_is_a_scenario() -> None:
    assert {guide for guide, _ in ANSWERED} == {p.stem for p in ANSWERS.glob("*.yaml")}
    assert len(ANSWERED) >= 7


@pytest.mark.parametrize(("guide_id", "plan_id"), ANSWERED)
def test_the_patients_copy_of_each_realistic_scenario_is_fit_to_hand_over(
        guide_id: str, plan_id: str) -> None:
    draft = replayed_draft(guide_id, plan_id)
    page = export_html(draft)
    seen = squash(parse_html(page).text)
    assert_fit_for_the_patient(seen, draft)
    assert "Vi ser på planen igen senest:" in seen
    # No sources on the patient's copy: its words are plain (they are on the record's).
    assert t("export.sources", "da") not in seen
    assert all(squash(s.citation) not in seen for s in draft.sources)


#: Who said it, as a line's bare prefix ("Patienten", "Den unge", ... with or without
#: "(forberedt med peer-medarbejder)"): a line that says only this says no context.
_SPEAKERS = {t(key, "da") for role in ROLES
             for key in (f"speaker.{role}", f"youth_speaker.{role}") if has(key)}
_BARE = re.compile(r"^  (?P<who>[^ :„][^:„]*?)(?: \(forberedt med peer-medarbejder\))?:(?: |$)")


def lines_without_context(record: str) -> list[str]:
    """The record's lines that say who said them but not what they answer: a line starting
    with a bare speaker in a field that holds more than one line (a field with one line has
    its label above it, which says what it answers)."""
    bad: list[str] = []
    for block in record.split("\n\n"):
        rows = block.splitlines()
        if len(rows) < 2 or rows[0].startswith(" ") or set(rows[1]) <= {"-", "="}:
            continue  # not a field: a heading, the facts, the gaps, the sources
        items = [row for row in rows[1:] if row.startswith("  ") and not row.startswith("   ")]
        if len(items) < 2:
            continue
        for row in items:
            match = _BARE.match(row)
            if match and match["who"] in _SPEAKERS:
                bad.append(f"{rows[0]}: {row.strip()[:60]}")
    return bad


@pytest.mark.parametrize(("guide_id", "plan_id"), ANSWERED)
def test_every_line_of_each_realistic_record_says_what_it_answers(guide_id: str,
                                                                 plan_id: str) -> None:
    record = export_text(replayed_draft(guide_id, plan_id))
    assert lines_without_context(record) == []
    # Who decided is said once, in the decision's line, wherever the plan holds it.
    if "Beslutning (" in record:
        assert "Hvem traf beslutningen" not in record, record


def test_the_context_check_finds_a_line_without_context() -> None:
    record = ("Behandling og medicin\n  Patienten: Astma.\n  Patienten: En tablet.\n\n"
              "Andet\n  Behandleren: Ja.\n")
    assert lines_without_context(record) == ["Behandling og medicin: Patienten: Astma.",
                                              "Behandling og medicin: Patienten: En tablet."]


def test_the_record_names_each_question_where_a_field_holds_several() -> None:
    record = export_text(replayed_draft("akut-medicin", "kriseplan"))
    assert ("\n  „Hvilken medicin har hjulpet dig?“ – Patienten: En lille tablet, der smelter "
            "i munden.") in record
    assert "\n  „Hvilke bivirkninger er du mest bange for?“ – Patienten:\n    - Stive " in record
    # A field with one line: its label above says what it answers.
    assert "Det skal andre undgå\n  Patienten: Jeg vil ikke have haloperidol." in record
    english = export_text(replayed_draft("akut-medicin", "kriseplan"), lang="en")
    assert "\n  “Which medicine has helped you?” – Patient: " in english


def test_who_decided_is_folded_into_the_decision_wherever_the_plan_holds_it() -> None:
    """akut-medicin puts the decided-by answer in another field than the decision: the
    decision's line still says it ("truffet sammen"), and it is not said twice."""
    draft = replayed_draft("akut-medicin", "kriseplan")
    fields = {line.step: f.id for f in draft.fields for line in f.lines}
    assert fields["choice"] != fields["decided_by"]
    for text in (export_text(draft), export_text(draft, copy="patient")):
        assert "  Beslutning (truffet sammen): Tablet\n" in text
        assert "Hvem traf beslutningen" not in text and "Vi besluttede sammen" not in text
    assert "  Decision (made together): " in export_text(draft, lang="en")
    assert "Beslutning (truffet sammen)" in squash(parse_html(export_html(draft)).text)


# --- sources (issue 15, item 6) ------------------------------------------------------------------


def test_the_record_lists_the_guides_sources_and_the_patients_copy_does_not() -> None:
    draft = replayed_draft("akut-medicin", "kriseplan")
    guide = LIBRARY.guides["akut-medicin"].document
    ids = [s.id for s in draft.sources]
    # The guide's own, then the instruments of the built-in steps it asks (as F9 lists them).
    assert ids[:len(guide.sources)] == [s.id for s in guide.sources]
    assert {"control-preferences-scale", "sure"} <= set(ids)
    record = export_text(draft)
    head, _, tail = record.partition("\nKILDER\n------\n")
    assert "\nMANGLER\n" in head and tail.endswith("\n\nLavet med sdm-assistant\n")
    assert "- Control Preferences Scale — Degner LF" in tail
    assert "\n  https://doi.org/10.1001/jamapsychiatry.2016.0501\n" in tail
    assert "\nSOURCES\n" in export_text(draft, lang="en")
    assert "\n## Kilder\n" in export_markdown(draft)
    html = export_html(draft, copy="record")
    assert "<h2>Kilder</h2>" in html and "Légaré" in squash(parse_html(html).text)
    for patient in (export_text(draft, copy="patient"), export_html(draft)):
        assert "Kilder" not in patient and "KILDER" not in patient and "Degner" not in patient


HOSTILE_SOURCE = Reference(id="x", citation="<script>alert(1)</script> [l](http://e) # h",
                           url="https://evil.example/<b>")


def test_a_source_is_text_never_markup() -> None:
    draft = replayed_draft("akut-medicin", "kriseplan")
    draft = draft.model_copy(update={"sources": (HOSTILE_SOURCE,)})
    html = export_html(draft, copy="record")
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "evil.example/&lt;b&gt;" in html and 'href="' not in html
    shown = squash(parse_html(html).text)
    assert "<script>alert(1)</script> [l](http://e) # h" in shown
    markdown = export_markdown(draft)
    assert "\\<script\\>alert(1)\\</script\\> \\[l\\](http\\:\\/\\/e) # h" in markdown
    assert "https\\:\\/\\/evil\\.example/\\<b\\>" in markdown
    rendered = MarkdownIt("gfm-like").render(markdown)  # linkify on: still no link
    assert "<a " not in rendered and "<script>" not in rendered and "<b>" not in rendered
    assert "https://evil.example/&lt;b&gt;" in rendered


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


@pytest.mark.slow
@pytest.mark.skipif(not CHROMIUM.exists(),
                    reason="/usr/bin/chromium is not installed (apt-get install chromium)")
@pytest.mark.parametrize(("guide_id", "plan_id"), ANSWERED)
def test_the_patients_copy_of_each_realistic_scenario_prints_on_at_most_two_pages(
        guide_id: str, plan_id: str, tmp_path: Path) -> None:
    """The conversations of docs/answers, as replayed: none of "mangler", "ikke udfyldt",
    "BVC" (nor the other words the patient's copy leaves out), on one or two A4 pages."""
    draft = replayed_draft(guide_id, plan_id)
    pdf = _pdf(export_html(draft), tmp_path)
    assert _pages(pdf) <= 2
    text = " ".join(pdf_text(pdf).split())
    assert_fit_for_the_patient(text, draft)
    assert squash(draft.title("da")) in text
