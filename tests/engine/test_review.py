"""Review events: field edits, "discussed", the patient's corrections and strikes, approval."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assistant.engine import (
    AddParticipant,
    Answer,
    ApproveDraft,
    Edit,
    EngineError,
    FieldDiscussed,
    FieldEdit,
    LineCorrected,
    LineStruck,
    Session,
    Undo,
    fold,
)
from assistant.engine.events import EVENT_ADAPTER, UNDOABLE, ConfirmDraft, Event
from assistant.engine.rehydrate import split_events_for_guide
from assistant.engine.rules import approval_blockers, required_fields
from assistant.guides.loader import load_library
from assistant.guides.models import ROLES, PlanTemplate

from .helpers import at, load_guide, values_for
from .test_properties import check_consistent, draw_event

REVIEW_YAML = """\
id: review-guide
kind: meeting_guide
version: 1.0.0
title: Gennemgang
audience: [adult]
authors: [test]
reviewed: 2026-01-01
review_due: 2027-01-01
plan: plan-a
purpose: Et møde.
sections:
  - id: s
    title: S
    steps:
      - {id: wishes, type: longtext, prompt: "Ønsker?", fills: [plan-a.wishes, plan-b.wishes]}
      - {id: more_wishes, type: text, prompt: "Mere?", fills: plan-a.wishes}
      - {id: doctor, type: text, prompt: "Læge?", fills: plan-a.doctor}
      - {id: when, type: date, prompt: "Hvornår?", fills: plan-a.due}
      - {id: network, type: people, prompt: "Hvem?", fills: plan-a.network}
      - {id: chat, type: text, prompt: "Snak"}
"""
GUIDE = load_guide(REVIEW_YAML)


#: The required fields of plan-a in these tests (the engine is told them, as the UI does).
REQUIRED = ("wishes", "doctor")


def answered(present: tuple[str, ...] = ("patient", "clinician"), **speakers: str) -> Session:
    """A session where `present` take part, with `wishes`, `more_wishes` and `doctor`
    answered (patient, patient, clinician unless `speakers` says otherwise)."""
    session = Session(GUIDE)
    for role in present:
        session.apply(AddParticipant(role=role, at=at(0)))  # type: ignore[arg-type]
    who = {"wishes": "patient", "more_wishes": "patient", "doctor": "clinician", **speakers}
    for second, (step, value) in enumerate(
            [("wishes", "At blive hørt"), ("more_wishes", "Ro"), ("doctor", "Dr. Hansen")]):
        session.apply(Answer(step=step, value=value, speaker=who[step], at=at(second)))  # type: ignore[arg-type]
    return session


def refused(session: Session, event: Event, message: str) -> None:
    before = session.state
    with pytest.raises(EngineError, match=message):
        session.apply(event)
    assert session.state is before


# --- which plans ------------------------------------------------------------------------------


def test_the_plans_a_guide_fills_come_with_its_default_first() -> None:
    state = Session(GUIDE).state
    assert state.plan_templates == ("plan-a", "plan-b")
    assert state.steps_filling("plan-a", "wishes") == ("wishes", "more_wishes")
    assert state.steps_filling("plan-b", "wishes") == ("wishes",)
    assert state.steps_filling("plan-a", "nope") == ()
    assert state.fields_filled("plan-a") == ("wishes", "doctor", "due", "network")


def test_review_events_for_a_plan_the_guide_does_not_fill_are_refused() -> None:
    session = answered()
    refused(session, FieldEdit(template="plan-c", field="x", text="t", speaker="clinician",
                               at=at(10)), "does not fill the plan 'plan-c'")
    refused(session, FieldDiscussed(template="plan", field="x", speaker="clinician", at=at(10)),
            "did you mean 'plan-a'")
    refused(session, ApproveDraft(template="plan-c", speaker="clinician", at=at(10)),
            "plans it fills: plan-a, plan-b")


# --- field edits and "discussed" --------------------------------------------------------------


def test_the_latest_field_edit_wins_and_an_empty_text_clears_it() -> None:
    session = answered()
    session.apply(FieldEdit(template="plan-a", field="doctor", text="Dr. Jensen",
                            speaker="clinician", at=at(10)))
    session.apply(FieldEdit(template="plan-a", field="doctor", text="Dr. Berg",
                            speaker="gp", at=at(11)))
    edit = session.state.field_edit("plan-a", "doctor")
    assert edit is not None and (edit.text, edit.speaker) == ("Dr. Berg", "gp")
    assert [r.text for r in session.state.review_history] == ["Dr. Jensen", "Dr. Berg"]
    session.apply(FieldEdit(template="plan-a", field="doctor", text="  ", speaker="gp",
                            at=at(12)))
    assert session.state.field_edit("plan-a", "doctor") is None
    refused(session, FieldEdit(template="plan-a", field="doctor", text="", speaker="gp",
                               at=at(13)), "has no edit to clear")


def test_a_field_can_be_edited_that_no_step_fills() -> None:
    session = answered()
    session.apply(FieldEdit(template="plan-b", field="chief", text="Dr. X",
                            speaker="clinician", at=at(10)))
    assert session.state.field_edit("plan-b", "chief") is not None


def test_discussed_is_recorded_per_field() -> None:
    session = answered()
    session.apply(FieldDiscussed(template="plan-a", field="due", speaker="clinician", at=at(10)))
    assert session.state.is_discussed("plan-a", "due")
    assert not session.state.is_discussed("plan-b", "due")
    assert session.state.discussed[("plan-a", "due")].speaker == "clinician"


# --- the patient's lines ----------------------------------------------------------------------


def test_the_patient_corrects_a_line_given_in_their_name() -> None:
    session = answered()
    state = session.apply(LineCorrected(step="wishes", text="At blive lyttet til",
                                        speaker="patient", at=at(10)))
    review = state.line_review("wishes")
    assert review is not None and (review.kind, review.text) == ("corrected",
                                                                 "At blive lyttet til")
    # The original words stay: the answer itself is untouched, and in the history.
    assert state.value("wishes") == "At blive hørt"
    assert [r.value for r in state.history if r.step == "wishes"] == ["At blive hørt"]


@pytest.mark.parametrize("kind", ["corrected", "struck"])
def test_only_the_patient_and_only_patient_lines(kind: str) -> None:
    def event(step: str, speaker: Any) -> Event:
        if kind == "corrected":
            return LineCorrected(step=step, text="x", speaker=speaker, at=at(10))
        return LineStruck(step=step, speaker=speaker, at=at(10))

    session = answered()
    refused(session, event("wishes", "clinician"), "only the patient can")
    refused(session, event("wishes", "relative"), "only the patient can")
    refused(session, event("doctor", "patient"), "not given in the patient's name")
    refused(session, event("chat", "patient"), "has no answer that counts")
    refused(session, event("nope", "patient"), "unknown step 'nope'")
    session.apply(event("wishes", "patient"))


def test_a_struck_line_can_be_corrected_and_a_new_answer_clears_both() -> None:
    session = answered()
    session.apply(LineStruck(step="wishes", speaker="patient", at=at(10)))
    refused(session, LineStruck(step="wishes", speaker="patient", at=at(11)), "struck already")
    session.apply(LineCorrected(step="wishes", text="Mine ord", speaker="patient", at=at(12)))
    review = session.state.line_review("wishes")
    assert review is not None and review.kind == "corrected"
    session.apply(LineStruck(step="wishes", speaker="patient", at=at(13)))
    session.apply(Edit(step="wishes", value="Nye ord", speaker="patient", at=at(14)))
    assert session.state.line_review("wishes") is None
    assert len(session.state.review_history) == 3  # the history keeps all three


def test_a_line_someone_else_edits_is_no_longer_the_patients() -> None:
    session = answered()
    session.apply(Edit(step="wishes", value="Skrevet af behandleren", speaker="clinician",
                       at=at(10)))
    refused(session, LineStruck(step="wishes", speaker="patient", at=at(11)),
            "not given in the patient's name")


# --- approval ---------------------------------------------------------------------------------


def confirm(template: str = "plan-a", second: int = 20) -> ConfirmDraft:
    return ConfirmDraft(template=template, speaker="patient", at=at(second))


def approve(template: str = "plan-a", second: int = 21, **kw: Any) -> ApproveDraft:
    fields: dict[str, Any] = {"speaker": "clinician", "required_fields": REQUIRED, **kw}
    return ApproveDraft(template=template, at=at(second), **fields)


def test_approval_by_the_clinician_after_the_patients_confirmation() -> None:
    session = answered()
    assert [b.kind for b in session.state.approval_blockers("plan-a", REQUIRED)] == [
        "patient_confirmation"]
    session.apply(confirm(second=10))
    assert session.state.confirmation("plan-a") is not None
    assert session.state.confirmation("plan-b") is None
    assert session.state.approval_blockers("plan-a", REQUIRED) == ()
    session.apply(approve(second=11, next_revision_due=dt.date(2026, 7, 1),
                          responsible=" Tovholder "))
    approval = session.state.approval("plan-a")
    assert approval is not None
    # Both roles and both times.
    assert (approval.speaker, approval.at) == ("clinician", at(11))
    assert (approval.patient_present, approval.patient_confirmed) == (True, at(10))
    assert (approval.next_revision_due, approval.responsible) == (dt.date(2026, 7, 1),
                                                                  "Tovholder")
    assert approval.required_fields == REQUIRED
    assert session.state.approval("plan-b") is None


def test_without_the_patient_no_confirmation_is_asked_and_none_can_be_given() -> None:
    session = answered(present=("clinician", "municipality"))
    refused(session, confirm(), "the patient does not take part")
    session.apply(approve())
    approval = session.state.approval("plan-a")
    assert approval is not None
    assert (approval.patient_present, approval.patient_confirmed) == (False, None)


def test_only_a_clinician_approves() -> None:
    session = answered(present=("patient", "clinician", "relative"))
    session.apply(confirm())
    for role in ("patient", "relative", "peer_worker", "municipality"):
        refused(session, approve(speaker=role), "only a clinician approves a plan")


def test_without_a_clinician_present_no_plan_is_approved() -> None:
    # A preparation: the patient and a peer worker.
    session = answered(present=("patient", "peer_worker"), doctor="peer_worker")
    refused(session, confirm(), "the patient confirms the plan at the meeting with a clinician")
    blockers = session.state.approval_blockers("plan-a", REQUIRED)
    assert [b.kind for b in blockers] == ["no_clinician", "patient_confirmation"]
    refused(session, approve(), "no clinician takes part in this session")
    refused(session, approve("plan-b"), "a plan is approved at a meeting with a clinician")
    # A clinician who joins: the patient confirms, the clinician approves.
    session.apply(AddParticipant(role="clinician", name="Dr. Hansen", at=at(30)))
    session.apply(confirm(second=31))
    session.apply(approve(second=32))


def test_only_the_patient_confirms_and_only_once_per_version_of_the_draft() -> None:
    session = answered()
    for role in ("clinician", "relative", "peer_worker"):
        refused(session, ConfirmDraft(template="plan-a", speaker=role, at=at(20)),  # type: ignore[arg-type]
                "only the patient confirms")
    refused(session, confirm("plan-c"), "does not fill the plan 'plan-c'")
    session.apply(confirm())
    refused(session, confirm(second=22), "confirmed the plan 'plan-a' already")


def test_the_patient_must_confirm_before_approval() -> None:
    session = answered()
    refused(session, approve(), "has not confirmed the draft")
    session.apply(confirm("plan-b"))
    refused(session, approve(), "has not confirmed the draft")  # confirmed another plan
    session.apply(approve("plan-b", required_fields=()))


@pytest.mark.parametrize("change", ["field_edit", "discussed", "correct", "strike", "answer",
                                    "edit"])
def test_a_change_after_the_confirmation_voids_it(change: str) -> None:
    session = answered()
    session.apply(confirm(second=10))
    later = at(11)
    event: Event = {
        "field_edit": FieldEdit(template="plan-a", field="doctor", text="Dr. Berg",
                                speaker="clinician", at=later),
        "discussed": FieldDiscussed(template="plan-a", field="due", speaker="clinician",
                                    at=later),
        "correct": LineCorrected(step="wishes", text="Mine ord", speaker="patient", at=later),
        "strike": LineStruck(step="more_wishes", speaker="patient", at=later),
        "answer": Answer(step="when", value="2026-05-01", speaker="clinician", at=later),
        "edit": Edit(step="doctor", value="Dr. Berg", speaker="clinician", at=later),
    }[change]
    session.apply(event)
    assert session.state.confirmation("plan-a") is None
    blockers = session.state.approval_blockers("plan-a", REQUIRED)
    assert [(b.kind, b.voided) for b in blockers] == [("patient_confirmation", True)]
    refused(session, approve(second=12), "the draft changed after the patient confirmed")
    # Confirmed again, it counts; and undoing the change brings the first one back.
    session.apply(confirm(second=13))
    session.apply(approve(second=14))
    undone = answered()
    undone.apply(confirm(second=10))
    undone.apply(event)
    undone.apply(Undo(at=at(12)))
    assert undone.state.confirmation("plan-a") is not None


def test_a_change_to_another_plan_leaves_the_confirmation() -> None:
    session = answered()
    session.apply(confirm())
    session.apply(FieldEdit(template="plan-b", field="chief", text="Dr. X",
                            speaker="clinician", at=at(21)))
    session.apply(FieldDiscussed(template="plan-b", field="wishes", speaker="clinician",
                                 at=at(22)))
    assert session.state.confirmation("plan-a") is not None
    # `chat` fills no plan, `doctor` only plan-a: a strike of a plan-b-only line would keep it.
    session.apply(approve(second=23))


def test_a_required_gap_blocks_approval_until_marked_discussed() -> None:
    session = answered()
    required = (*REQUIRED, "due", "network", "chief")
    session.apply(confirm())
    blockers = session.state.approval_blockers("plan-a", required)
    assert [(b.kind, b.fields) for b in blockers] == [("gaps", ("due", "network", "chief"))]
    refused(session, approve(required_fields=required),
            "the required fields 'due', 'network', 'chief' are empty")
    session.apply(Answer(step="when", value="2026-05-01", speaker="clinician", at=at(22)))
    session.apply(FieldEdit(template="plan-a", field="network", text="Mor og far",
                            speaker="clinician", at=at(23)))
    session.apply(FieldDiscussed(template="plan-a", field="chief", speaker="clinician",
                                 at=at(24)))
    assert session.state.discussed[("plan-a", "chief")].speaker == "clinician"
    assert session.state.approval_blockers("plan-a", required) == (
        session.state.approval_blockers("plan-a", ())) != ()  # only the confirmation now
    session.apply(confirm(second=25))
    session.apply(approve(second=26, required_fields=required))


def test_a_struck_line_is_no_content_but_a_field_edit_is() -> None:
    session = answered()
    session.apply(LineStruck(step="wishes", speaker="patient", at=at(10)))
    assert session.state.has_content("plan-a", "wishes")  # more_wishes still fills it
    session.apply(LineStruck(step="more_wishes", speaker="patient", at=at(11)))
    assert not session.state.has_content("plan-a", "wishes")
    session.apply(confirm())
    refused(session, approve(), "the required fields 'wishes' are empty")
    session.apply(FieldEdit(template="plan-a", field="wishes", text="Ro", speaker="patient",
                            at=at(30)))
    assert session.state.has_content("plan-a", "wishes")


def test_every_blocker_is_listed_and_the_refusal_names_them_all() -> None:
    session = answered(present=("patient", "peer_worker"))
    session.apply(FieldEdit(template="plan-a", field="wishes", text="Ro", speaker="peer_worker",
                            at=at(10)))
    required = (*REQUIRED, "due")
    blockers = approval_blockers(session.state, "plan-a", required)
    assert [(b.kind, b.fields) for b in blockers] == [
        ("no_clinician", ()), ("awaiting_patient", ("wishes",)), ("gaps", ("due",)),
        ("patient_confirmation", ())]
    refused(session, approve(required_fields=required),
            "no clinician .*; in 'wishes', an edit .*; the required fields 'due' .*; the "
            "patient takes part and has not confirmed")
    # Nor can the patient confirm without a clinician, or over someone else's words.
    refused(session, confirm(), "the patient confirms the plan at the meeting with a clinician")
    session.apply(AddParticipant(role="clinician", at=at(11)))
    refused(session, confirm(), "cannot be confirmed yet: in 'wishes'")


def test_the_next_revision_must_come_after_the_approval() -> None:
    session = answered()
    session.apply(confirm(second=10))
    refused(session, approve(second=11, next_revision_due=at(11).date()), "due after the day")


def test_no_approval_while_someone_elses_edit_replaces_the_patients_words() -> None:
    session = answered()
    edit = FieldEdit(template="plan-a", field="wishes", text="Patienten ønsker ro",
                     speaker="clinician", at=at(10))
    session.apply(edit)
    assert session.state.awaiting_patient("plan-a") == ("wishes",)
    assert session.state.awaiting_patient("plan-b") == ()
    refused(session, approve(second=11), "cannot be approved yet: in 'wishes'")
    session.apply(confirm("plan-b", second=11))
    session.apply(approve("plan-b", second=12, required_fields=()))

    # The patient makes the edit their own ...
    accepted = Session(GUIDE, session.events)
    accepted.apply(edit.model_copy(update={"speaker": "patient", "at": at(12)}))
    accepted.apply(confirm(second=13))
    accepted.apply(approve(second=14))
    # ... or strikes both lines the edit replaces ...
    struck = Session(GUIDE, session.events)
    struck.apply(LineStruck(step="wishes", speaker="patient", at=at(12)))
    assert struck.state.awaiting_patient("plan-a") == ("wishes",)
    struck.apply(LineStruck(step="more_wishes", speaker="patient", at=at(13)))
    struck.apply(confirm(second=14))
    struck.apply(approve(second=15))
    # ... or the edit is cleared.
    cleared = Session(GUIDE, session.events)
    cleared.apply(FieldEdit(template="plan-a", field="wishes", text="", speaker="clinician",
                            at=at(12)))
    cleared.apply(confirm(second=13))
    cleared.apply(approve(second=14))


def test_an_edit_of_professional_lines_does_not_wait_for_the_patient() -> None:
    session = answered()
    session.apply(FieldEdit(template="plan-a", field="doctor", text="Dr. Berg",
                            speaker="clinician", at=at(10)))
    assert session.state.awaiting_patient("plan-a") == ()
    session.apply(confirm(second=11))
    session.apply(approve(second=12))


def test_the_approval_replays_the_same_whatever_the_template_becomes() -> None:
    session = answered()
    session.apply(confirm())
    session.apply(approve())
    # The required fields travel with the approval: replaying needs no template.
    again = fold(GUIDE, session.events)
    assert again == session.state
    assert again.approval("plan-a") == session.state.approval("plan-a")


def test_required_fields_come_from_the_template() -> None:
    library = load_library()
    kriseplan = library.template("kriseplan")
    assert isinstance(kriseplan, PlanTemplate)
    assert required_fields(kriseplan) == (
        "warning_signs", "self_help", "help_people", "professional_contacts")


# --- undo, storage, resume --------------------------------------------------------------------


def review_events() -> list[Event]:
    return [
        FieldEdit(template="plan-a", field="doctor", text="Dr. Berg", speaker="clinician",
                  at=at(10)),
        FieldDiscussed(template="plan-a", field="due", speaker="clinician", at=at(11)),
        LineCorrected(step="wishes", text="Mine ord", speaker="patient", at=at(12)),
        LineStruck(step="more_wishes", speaker="patient", at=at(13)),
        ConfirmDraft(template="plan-a", speaker="patient", at=at(14)),
        ApproveDraft(template="plan-a", speaker="clinician", at=at(15),
                     next_revision_due=dt.date(2027, 1, 1), responsible="Tovholder",
                     required_fields=REQUIRED),
    ]


def test_every_review_event_is_undoable_and_undo_restores_the_state() -> None:
    session = answered()
    for event in review_events():
        assert isinstance(event, UNDOABLE)
        before = session.state
        session.apply(event)
        assert session.state != before
        assert session.apply(Undo(at=at(20))) == before
        session.apply(event)


def test_review_events_are_stored_and_read_back() -> None:
    for event in review_events():
        assert EVENT_ADAPTER.validate_json(EVENT_ADAPTER.dump_json(event)) == event


def test_resume_on_a_changed_guide_drops_review_events_that_no_longer_fit() -> None:
    reviewed = [e for e in review_events() if not isinstance(e, ConfirmDraft)]
    events = [*answered(present=()).events, *reviewed, Undo(at=at(30))]
    smaller = load_guide(REVIEW_YAML.replace(", plan-b.wishes", "").replace(
        "plan: plan-a", "plan: plan-b").replace("plan-a.", "plan-b.").replace(
        "      - {id: wishes, type: longtext, prompt: \"Ønsker?\", fills: [plan-b.wishes]}\n",
        ""))
    kept, dropped = split_events_for_guide(events, smaller)
    # The correction of the vanished step and every event for plan-a go; so does the Undo
    # that took back the approval of plan-a.
    assert [type(e).__name__ for e in dropped] == [
        "Answer", "FieldEdit", "FieldDiscussed", "LineCorrected", "ApproveDraft", "Undo"]
    assert [type(e).__name__ for e in kept] == ["Answer", "Answer", "LineStruck"]


# --- properties -------------------------------------------------------------------------------

SETTINGS = settings(max_examples=120, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])


def draw_review(data: st.DataObject, session: Session, second: int) -> Event:
    """A review event for the current state (valid or not: the engine decides)."""
    state = session.state
    kind = data.draw(st.sampled_from(["edit", "discussed", "correct", "strike", "confirm",
                                      "approve"]))
    speaker = data.draw(st.sampled_from(ROLES))
    when = at(second)
    template = data.draw(st.sampled_from(["plan-a", "plan-b"]))
    field = data.draw(st.sampled_from(["wishes", "doctor", "due", "network"]))
    if kind == "edit":
        text = data.draw(st.sampled_from(["", "Ny tekst", "Andet"]))
        return FieldEdit(template=template, field=field, text=text, speaker=speaker, at=when)
    if kind == "discussed":
        return FieldDiscussed(template=template, field=field, speaker=speaker, at=when)
    step = data.draw(st.sampled_from([s.id for s in state.steps]))
    if kind == "correct":
        return LineCorrected(step=step, text="Rettet", speaker=speaker, at=when)
    if kind == "strike":
        return LineStruck(step=step, speaker=speaker, at=when)
    if kind == "confirm":
        return ConfirmDraft(template=template, speaker=speaker, at=when)
    required = data.draw(st.sampled_from([(), REQUIRED, ("due", "network")]))
    return ApproveDraft(template=template, speaker=speaker, at=when, required_fields=required)


@SETTINGS
@given(data=st.data())
def test_any_mix_of_conversation_and_review_stays_consistent_and_undoes(
    data: st.DataObject,
) -> None:
    session = Session(GUIDE)
    for second in range(data.draw(st.integers(1, 40), label="length")):
        review = data.draw(st.booleans(), label="review")
        event = (draw_review(data, session, second) if review
                 else draw_event(data, session.state, second))
        before = session.state
        try:
            state = session.apply(event)
        except EngineError:
            assert session.state is before
            continue
        check_consistent(state)
        # What the rules promise always holds afterwards.
        for sid, line in state.line_reviews.items():
            assert state.answers.get(sid, state.inactive.get(sid)) is not None
            assert line.speaker == "patient"
        if isinstance(event, ApproveDraft):
            # The approval rule held: a clinician present and approving, nothing waiting
            # for the patient, no gap left unexplained, the patient's confirmation standing.
            assert before.approval_blockers(event.template, event.required_fields) == ()
            assert event.speaker == "clinician" and before.takes_part("clinician")
            approval = state.approval(event.template)
            assert approval is not None
            assert approval.patient_present == before.takes_part("patient")
            confirmed = before.confirmation(event.template)
            assert approval.patient_confirmed == (confirmed.at if confirmed else None)
        if isinstance(event, ConfirmDraft):
            assert event.speaker == "patient" and before.takes_part("patient")
        if isinstance(event, UNDOABLE):
            assert Session(GUIDE, (*session.events, Undo(at=at(999)))).state == before
    assert fold(GUIDE, session.events) == session.state


@SETTINGS
@given(data=st.data())
def test_a_patient_line_is_never_corrected_by_anyone_else(data: st.DataObject) -> None:
    session = answered()
    step = data.draw(st.sampled_from(["wishes", "more_wishes"]))
    speaker = data.draw(st.sampled_from([r for r in ROLES if r != "patient"]))
    value = data.draw(values_for(GUIDE.sections[0].steps[1]))
    refused(session, LineCorrected(step=step, text=str(value), speaker=speaker, at=at(10)),
            "only the patient")
