"""Review events: field edits, "discussed", the patient's corrections and strikes, approval."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assistant.engine import (
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
from assistant.engine.events import EVENT_ADAPTER, UNDOABLE, Event
from assistant.guides.models import ROLES
from assistant.store import split_events_for_guide

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


def answered(**speakers: str) -> Session:
    """A session with `wishes`, `more_wishes` and `doctor` answered (patient, patient,
    clinician unless `speakers` says otherwise)."""
    session = Session(GUIDE)
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


def test_approval_is_recorded_with_its_revision_date_and_responsible() -> None:
    session = answered()
    session.apply(ApproveDraft(template="plan-a", speaker="clinician", at=at(10),
                               next_revision_due=dt.date(2026, 7, 1), responsible=" Tovholder "))
    approval = session.state.approval("plan-a")
    assert approval is not None
    assert (approval.next_revision_due, approval.responsible) == (dt.date(2026, 7, 1),
                                                                  "Tovholder")
    assert session.state.approval("plan-b") is None


def test_the_next_revision_must_come_after_the_approval() -> None:
    session = answered()
    refused(session, ApproveDraft(template="plan-a", speaker="clinician", at=at(10),
                                  next_revision_due=at(10).date()), "due after the day")


def test_no_approval_while_someone_elses_edit_replaces_the_patients_words() -> None:
    session = answered()
    edit = FieldEdit(template="plan-a", field="wishes", text="Patienten ønsker ro",
                     speaker="clinician", at=at(10))
    session.apply(edit)
    assert session.state.awaiting_patient("plan-a") == ("wishes",)
    assert session.state.awaiting_patient("plan-b") == ()
    approve = ApproveDraft(template="plan-a", speaker="clinician", at=at(11))
    refused(session, approve, "cannot be approved yet: in 'wishes'")
    session.apply(ApproveDraft(template="plan-b", speaker="clinician", at=at(11)))

    # The patient makes the edit their own ...
    accepted = Session(GUIDE, session.events)
    accepted.apply(edit.model_copy(update={"speaker": "patient", "at": at(12)}))
    accepted.apply(approve.model_copy(update={"at": at(13)}))
    # ... or strikes both lines the edit replaces ...
    struck = Session(GUIDE, session.events)
    struck.apply(LineStruck(step="wishes", speaker="patient", at=at(12)))
    assert struck.state.awaiting_patient("plan-a") == ("wishes",)
    struck.apply(LineStruck(step="more_wishes", speaker="patient", at=at(13)))
    struck.apply(approve.model_copy(update={"at": at(14)}))
    # ... or the edit is cleared.
    cleared = Session(GUIDE, session.events)
    cleared.apply(FieldEdit(template="plan-a", field="wishes", text="", speaker="clinician",
                            at=at(12)))
    cleared.apply(approve.model_copy(update={"at": at(13)}))


def test_an_edit_of_professional_lines_does_not_wait_for_the_patient() -> None:
    session = answered()
    session.apply(FieldEdit(template="plan-a", field="doctor", text="Dr. Berg",
                            speaker="clinician", at=at(10)))
    assert session.state.awaiting_patient("plan-a") == ()
    session.apply(ApproveDraft(template="plan-a", speaker="clinician", at=at(11)))


# --- undo, storage, resume --------------------------------------------------------------------


def review_events() -> list[Event]:
    return [
        FieldEdit(template="plan-a", field="doctor", text="Dr. Berg", speaker="clinician",
                  at=at(10)),
        FieldDiscussed(template="plan-a", field="due", speaker="clinician", at=at(11)),
        LineCorrected(step="wishes", text="Mine ord", speaker="patient", at=at(12)),
        LineStruck(step="more_wishes", speaker="patient", at=at(13)),
        ApproveDraft(template="plan-a", speaker="clinician", at=at(14),
                     next_revision_due=dt.date(2027, 1, 1), responsible="Tovholder"),
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
    events = [*answered().events, *review_events(), Undo(at=at(30))]
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
    kind = data.draw(st.sampled_from(["edit", "discussed", "correct", "strike", "approve"]))
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
    return ApproveDraft(template=template, speaker=speaker, at=when)


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
            assert before.awaiting_patient(event.template) == ()
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
