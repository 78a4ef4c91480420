"""`build_draft`: lines with who said what, gaps, the review applied, re-evaluation dates."""

from __future__ import annotations

import datetime as dt

import pytest

from assistant.engine import (
    AddParticipant,
    Answer,
    ApproveDraft,
    Edit,
    FieldDiscussed,
    FieldEdit,
    LineCorrected,
    LineStruck,
    Session,
)
from assistant.guides.models import PlanTemplate
from assistant.plans import (
    PlanChoiceError,
    PlanDraft,
    add_months,
    build_draft,
    choose_template,
    draft_templates,
    voice_of,
)
from tests.engine.helpers import walk

from .helpers import (
    LIBRARY,
    T0,
    TEMPLATE_IDS,
    TEMPLATES,
    TODAY,
    answer_all,
    full_draft,
    synthetic_guide,
)


def at(seconds: int) -> dt.datetime:
    return T0 + dt.timedelta(seconds=seconds)


def templates() -> dict[str, object]:
    return {tid: LIBRARY.template(tid) for tid in LIBRARY.templates}


# --- full and partial drafts ------------------------------------------------------------------


@pytest.mark.parametrize("template_id", TEMPLATE_IDS)
def test_a_full_session_fills_every_field_and_leaves_no_gap(template_id: str) -> None:
    draft, _ = full_draft(template_id)
    plan = TEMPLATES[template_id]
    assert [f.id for f in draft.fields] == [f.id for f in plan.fields]  # the template's order
    assert all(f.status == "filled" for f in draft.fields)
    assert draft.gaps == ()
    for field in draft.fields:
        (line,) = field.lines
        assert line.step == field.id and line.in_plan
        assert line.voice == voice_of(line.speaker)


@pytest.mark.parametrize("template_id", TEMPLATE_IDS)
def test_the_gaps_are_exactly_the_required_fields_left_empty(template_id: str) -> None:
    plan = TEMPLATES[template_id]
    required = [f.id for f in plan.fields if f.required]
    optional = [f.id for f in plan.fields if not f.required]
    missing = required[::2]
    session = answer_all(synthetic_guide(plan), plan, skip=[*missing, *optional[:2]])
    draft = build_draft(session.state, plan, today=TODAY)
    assert [g.field for g in draft.gaps] == missing
    assert all(g.steps == (g.field,) for g in draft.gaps)  # where to go to fill it
    statuses = {f.id: f.status for f in draft.fields}
    assert all(statuses[f] == "empty" for f in optional[:2])


def test_a_field_marked_discussed_is_not_a_gap() -> None:
    plan = TEMPLATES["kriseplan"]
    session = answer_all(synthetic_guide(plan), plan, skip=["warning_signs"])
    assert [g.field for g in build_draft(session.state, plan, today=TODAY).gaps] == [
        "warning_signs"]
    session.apply(FieldDiscussed(template="kriseplan", field="warning_signs",
                                 speaker="clinician", at=at(100)))
    draft = build_draft(session.state, plan, today=TODAY)
    assert draft.gaps == ()
    field = draft.field("warning_signs")
    assert field is not None and (field.status, field.discussed_by) == ("discussed",
                                                                        "clinician")


# --- lines ------------------------------------------------------------------------------------


def test_several_steps_feed_one_field_in_conversation_order_with_who_said_it() -> None:
    guide = LIBRARY.guides["netvaerksmoede"].document
    session = Session(guide)
    walk(session)
    state = session.state
    draft = build_draft(state, TEMPLATES["ua"], today=TODAY)
    wishes = draft.field("patient_wishes")
    assert wishes is not None
    steps = state.steps_filling("ua", "patient_wishes")
    answered = tuple(sid for sid in steps if sid in state.answers)
    assert len(answered) > 1 and tuple(line.step for line in wishes.lines) == answered
    for line in wishes.lines:
        record = state.answers[line.step]
        assert (line.speaker, line.at, line.voice) == (record.speaker, record.at, "patient")


def test_relatives_and_peer_workers_keep_their_role() -> None:
    plan = TEMPLATES["kriseplan"]
    draft, _ = full_draft("kriseplan")
    roles = {f.lines[0].speaker for f in draft.fields}
    assert {"relative", "peer_worker", "patient"} <= roles
    for field in draft.fields:
        line = field.lines[0]
        assert line.voice == ("patient" if line.speaker == "patient" else "professional")
    assert plan.id == draft.template.id


def test_choice_fields_show_the_templates_wording_and_numbers_stay_numbers() -> None:
    draft, _ = full_draft("ua")
    basis = draft.field("plan_basis")
    assert basis is not None
    assert basis.lines[0].text.startswith("§ 13 a, stk. 1: patienten får social støtte")
    assert basis.lines[0].value == "ss13a_stk1"
    participates = draft.field("patient_participates")
    assert participates is not None and participates.lines[0].text == "Ja"
    # No bundled template has a number field since the BVC score left the crisis plan
    # (issue 17, item 9): a small template keeps numbers covered.
    numbers = PlanTemplate.model_validate({
        "id": "tal", "kind": "plan_template", "version": "1.0.0",
        "title": {"da": "Tal", "en": "Numbers"}, "audience": ["adult"],
        "fields": [{"id": "score", "label": {"da": "Score", "en": "Score"}, "type": "number"}]})
    scored = build_draft(answer_all(synthetic_guide(numbers), numbers).state, numbers,
                         today=TODAY).field("score")
    assert scored is not None and scored.lines[0].text == "3"
    english = build_draft(full_draft("ua")[1].state, TEMPLATES["ua"], today=TODAY, lang="en")
    basis_en = english.field("plan_basis")
    assert basis_en is not None and basis_en.lines[0].text.startswith("Section 13 a(1)")


def test_decision_aid_builtins_fill_through_decision_fills() -> None:
    guide = LIBRARY.guides["samarbejde-ved-kriser"].document
    session = Session(guide)
    walk(session)
    state = session.state
    option = next(o for o in guide.options if o.id == state.choice)  # type: ignore[union-attr]
    draft = build_draft(state, TEMPLATES["ua"], today=TODAY)
    crisis = draft.field("crisis_plan")
    assert crisis is not None and [line.step for line in crisis.lines][-1] == "choice"
    assert crisis.lines[-1].text == option.title.da  # type: ignore[union-attr]
    decisions = draft.field("decisions")
    assert decisions is not None
    assert [line.step for line in decisions.lines] == ["choice", "decided_by"]
    tasks = draft.field("responsibilities")
    assert tasks is not None and tasks.lines[0].step == "next_steps"
    assert tasks.lines[0].value == [{"what": "Ringe til Mette", "who": "patient",
                                     "by": "2026-02-01"}]


def test_only_answers_that_count_give_lines() -> None:
    guide = LIBRARY.guides["ua-kp-grundoplysninger"].document
    session = Session(guide)
    walk(session)  # patient_participates: yes, so non_participation_reason is not asked
    draft = build_draft(session.state, TEMPLATES["kp"], today=TODAY)
    reason = draft.field("non_participation_reason")
    assert reason is not None and reason.lines == () and reason.status == "gap"
    assert reason.steps == ("non_participation_reason",)


# --- the review -------------------------------------------------------------------------------


def reviewed_session() -> Session:
    plan = TEMPLATES["kriseplan"]
    session = answer_all(synthetic_guide(plan), plan)
    # warning_signs (patient), triggers (clinician), self_help (relative) ...
    session.apply(Edit(step="reasons_to_hold_on", value="Min hund", speaker="patient",
                       at=at(50)))
    return session


def test_a_field_edit_replaces_the_lines_and_clearing_it_brings_them_back() -> None:
    session = reviewed_session()
    session.apply(FieldEdit(template="kriseplan", field="triggers", text=" Larm og uro ",
                            speaker="clinician", at=at(60)))
    field = build_draft(session.state, TEMPLATES["kriseplan"], today=TODAY).field("triggers")
    assert field is not None and field.edit is not None
    assert (field.edit.text, field.edit.voice) == ("Larm og uro", "professional")
    assert [s.text for s in field.shown] == ["Larm og uro"]
    assert all(line.replaced and not line.in_plan for line in field.lines)
    session.apply(FieldEdit(template="kriseplan", field="triggers", text="",
                            speaker="clinician", at=at(61)))
    field = build_draft(session.state, TEMPLATES["kriseplan"], today=TODAY).field("triggers")
    assert field is not None and field.edit is None and field.shown == field.lines


def test_a_correction_replaces_the_text_and_keeps_the_original() -> None:
    session = reviewed_session()
    session.apply(LineCorrected(step="reasons_to_hold_on", text="Min hund Bella",
                                speaker="patient", at=at(60)))
    field = build_draft(session.state, TEMPLATES["kriseplan"], today=TODAY).field(
        "reasons_to_hold_on")
    assert field is not None
    (line,) = field.lines
    assert (line.text, line.original, line.corrected, line.corrected_at) == (
        "Min hund Bella", "Min hund", True, at(60))


def test_a_struck_line_is_kept_marked_but_leaves_the_plan() -> None:
    session = reviewed_session()
    session.apply(LineStruck(step="warning_signs", speaker="patient", at=at(60)))
    draft = build_draft(session.state, TEMPLATES["kriseplan"], today=TODAY)
    field = draft.field("warning_signs")
    assert field is not None
    (line,) = field.lines
    assert line.struck and line.struck_at == at(60) and not line.in_plan
    assert field.shown == () and field.status == "gap"  # required, and nothing left
    assert [g.field for g in draft.gaps] == ["warning_signs"]


def test_a_field_awaiting_the_patient_blocks_approval_in_the_draft_too() -> None:
    session = reviewed_session()
    session.apply(FieldEdit(template="kriseplan", field="warning_signs", text="Uro",
                            speaker="clinician", at=at(60)))
    draft = build_draft(session.state, TEMPLATES["kriseplan"], today=TODAY)
    assert draft.awaiting_patient == ("warning_signs",) and not draft.can_approve
    field = draft.field("warning_signs")
    assert field is not None and field.awaiting_patient


# --- re-evaluation ----------------------------------------------------------------------------


def test_revision_defaults_to_twelve_months_after_creation() -> None:
    plan = TEMPLATES["kriseplan"]
    session = answer_all(synthetic_guide(plan), plan, skip=["revision_due"])
    rev = build_draft(session.state, plan, today=TODAY).revision
    assert plan.fields[-1].id == "revision_due"  # skipped: the last answer is the one before
    assert (rev.created, rev.last_revised) == (T0, at(len(plan.fields) - 2))
    assert (rev.next_revision_due, rev.due_from) == (dt.date(2027, 1, 5), "default")
    assert rev.approved is None and rev.responsible is None and not rev.overdue


def test_the_plans_own_review_date_and_follow_up_field_are_used() -> None:
    draft, _ = full_draft("ua")
    rev = draft.revision
    assert (rev.next_revision_due, rev.due_from) == (dt.date(2026, 2, 1), "field")
    assert rev.overdue  # TODAY is 2026-03-01
    assert rev.responsible == "Svar til Ansvarlig for opfølgning"


def test_approval_sets_the_revision_date_and_who_is_responsible() -> None:
    plan = TEMPLATES["kriseplan"]
    session = answer_all(synthetic_guide(plan), plan, skip=["revision_due"])
    # A plan is approved by a clinician taking part (the patient is not a participant here,
    # so no confirmation of the patient's is asked for).
    session.apply(AddParticipant(role="clinician", at=at(99)))
    session.apply(ApproveDraft(template="kriseplan", speaker="clinician", at=at(100)))
    rev = build_draft(session.state, plan, today=TODAY).revision
    assert (rev.approved, rev.approved_by) == (at(100), "clinician")
    assert (rev.next_revision_due, rev.due_from) == (dt.date(2027, 1, 5), "default")
    assert not rev.changed_since_approval
    session.apply(ApproveDraft(template="kriseplan", speaker="clinician", at=at(200),
                               next_revision_due=dt.date(2026, 9, 1), responsible="Tovholder"))
    session.apply(FieldEdit(template="kriseplan", field="decisions", text="Mere",
                            speaker="clinician", at=at(300)))
    rev = build_draft(session.state, plan, today=TODAY).revision
    assert (rev.next_revision_due, rev.due_from, rev.responsible) == (
        dt.date(2026, 9, 1), "approval", "Tovholder")
    assert rev.changed_since_approval and rev.last_revised == at(300)


@pytest.mark.parametrize(("day", "months", "expected"), [
    (dt.date(2026, 1, 31), 1, dt.date(2026, 2, 28)),
    (dt.date(2024, 2, 29), 12, dt.date(2025, 2, 28)),
    (dt.date(2026, 11, 30), 3, dt.date(2027, 2, 28)),
    (dt.date(2026, 5, 5), 12, dt.date(2027, 5, 5)),
])
def test_add_months(day: dt.date, months: int, expected: dt.date) -> None:
    assert add_months(day, months) == expected


def test_participants_are_in_the_draft() -> None:
    plan = TEMPLATES["kriseplan"]
    session = Session(synthetic_guide(plan))
    session.apply(AddParticipant(role="relative", name="Mette", at=T0))
    session.apply(Answer(step="warning_signs", value="Uro", speaker="patient", at=T0))
    draft = build_draft(session.state, plan, today=TODAY)
    assert [(p.role, p.name) for p in draft.participants] == [("relative", "Mette")]


# --- which template ---------------------------------------------------------------------------


def test_the_guides_plan_by_default_and_any_template_it_fills() -> None:
    guide = LIBRARY.guides["beroligende-metoder"].document
    assert draft_templates(guide) == ("ua", "kriseplan", "tryghedsplan")
    known = {tid: t for tid, t in templates().items() if t is not None}
    assert choose_template(guide, known).id == "ua"  # type: ignore[arg-type]
    assert choose_template(guide, known, "kriseplan").id == "kriseplan"  # type: ignore[arg-type]
    with pytest.raises(PlanChoiceError, match="does not fill the plan 'kp'"):
        choose_template(guide, known, "kp")  # type: ignore[arg-type]
    with pytest.raises(PlanChoiceError, match="not in the library"):
        choose_template(guide, {})


def test_the_draft_is_pure_and_round_trips_as_json() -> None:
    draft, session = full_draft("tryghedsplan")
    assert build_draft(session.state, TEMPLATES["tryghedsplan"], today=TODAY) == draft
    text = draft.model_dump_json()
    assert PlanDraft.model_validate_json(text) == draft
    assert PlanDraft.model_validate_json(text).model_dump_json() == text
    assert draft.schema_version == 1
