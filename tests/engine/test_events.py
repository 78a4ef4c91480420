"""Every event kind: its model, what it does to the state, and what is refused."""

from __future__ import annotations

import datetime as dt

import pytest
from pydantic import ValidationError

from assistant.engine import (
    AddParticipant,
    Answer,
    AnswerError,
    Edit,
    EngineError,
    Note,
    Seen,
    Session,
    SetInformationLevel,
    Skip,
    Undo,
)
from assistant.engine.events import EVENT_ADAPTER, Event

from .helpers import AID, at, sample_value


def advanced_to(step_id: str) -> Session:
    """A session of the test aid with every step before `step_id` dealt with."""
    session = Session(AID)
    second = 0
    while session.state.current is not None and session.state.current.id != step_id:
        current = session.state.current
        if current.step.type == "info":
            session.apply(Seen(step=current.id, at=at(second)))
        else:
            session.apply(Answer(step=current.id, value=sample_value(current.step),
                                 speaker="patient", at=at(second)))
        second += 1
    assert session.state.current is not None and session.state.current.id == step_id
    return session


def refused(session: Session, event: Event, cls: type[EngineError] = EngineError) -> str:
    """Apply `event`, expect it refused, and check that nothing changed."""
    state, events = session.state, session.events
    with pytest.raises(cls) as exc:
        session.apply(event)
    assert session.state is state and session.events == events
    return exc.value.message


# --- the models -------------------------------------------------------------------------------

EXAMPLES: list[Event] = [
    Answer(step="naerhed", value=7, speaker="patient", at=at(), verbatim="syv"),
    Edit(step="hvem", value=[{"name": "Mette"}], speaker="relative", at=at()),
    Skip(step="hoej", speaker="clinician", at=at()),
    Seen(step="welcome", at=at()),
    Undo(at=at()),
    SetInformationLevel(level="everything", speaker="patient", at=at()),
    AddParticipant(role="relative", name="Mette", at=at()),
    Note(text="Husk tolk", speaker="clinician", at=at(), step="dato"),
]


@pytest.mark.parametrize("event", EXAMPLES, ids=lambda e: e.type)
def test_events_round_trip_through_json(event: Event) -> None:
    data = EVENT_ADAPTER.dump_json(event)
    assert EVENT_ADAPTER.validate_json(data) == event


def test_events_are_frozen_and_strict() -> None:
    event = Skip(step="hoej", speaker="patient", at=at())
    with pytest.raises(ValidationError):
        event.step = "x"  # type: ignore[misc]
    with pytest.raises(ValidationError, match="extra"):
        EVENT_ADAPTER.validate_python({"type": "skip", "step": "a", "speaker": "patient",
                                       "at": at(), "why": "x"})
    with pytest.raises(ValidationError):
        EVENT_ADAPTER.validate_python({"type": "jump", "at": at()})
    with pytest.raises(ValidationError, match="timezone"):
        Undo(at=dt.datetime(2026, 1, 5, 10, 0))  # naive times are ambiguous


def test_validation_errors_do_not_echo_the_input() -> None:
    with pytest.raises(ValidationError) as exc:
        Note(text="   ", speaker="stemmerne-siger-det", at=at())
    assert "stemmerne" not in str(exc.value)
    with pytest.raises(ValidationError, match="blank"):
        Note(text="   ", speaker="patient", at=at())
    with pytest.raises(ValidationError, match="blank"):
        AddParticipant(role="relative", name="  ", at=at())
    assert AddParticipant(role="relative", name=" Mette ", at=at()).name == "Mette"


# --- Answer -----------------------------------------------------------------------------------


def test_answer_records_value_speaker_time_and_words() -> None:
    session = advanced_to("naerhed")
    state = session.apply(Answer(step="naerhed", value=8, speaker="relative", at=at(99),
                                 verbatim="otte"))
    record = state.answers["naerhed"]
    assert (record.value, record.speaker, record.at, record.verbatim, record.edited) == (
        8, "relative", at(99), "otte", False)
    assert state.history[-1] == record
    assert state.current is not None and state.current.id == "bekymret"


def test_answer_is_refused_with_a_clear_reason() -> None:
    session = advanced_to("naerhed")
    assert "did you mean 'naerhed'" in refused(
        session, Answer(step="naerhd", value=7, speaker="patient", at=at()))
    assert "information only" in refused(
        session, Answer(step="welcome", value=None, speaker="patient", at=at()))
    assert "not asked now" in refused(
        session, Answer(step="bekymring", value="x", speaker="patient", at=at()))
    assert "answered already: use Edit" in refused(
        session, Answer(step="information_level", value="some", speaker="patient", at=at()))
    message = refused(session, Answer(step="naerhed", value="syv", speaker="patient", at=at()),
                      AnswerError)
    assert message == "step 'naerhed': expected a whole number from 0 to 10, got text"


def test_steps_can_be_answered_out_of_order() -> None:
    session = Session(AID)
    state = session.apply(Answer(step="dato", value="2026-03-01", speaker="clinician", at=at()))
    assert "dato" in state.answers
    assert state.current is not None and state.current.id == "information_level"
    assert state.seen == ("welcome",)  # passed on the way


# --- Edit -------------------------------------------------------------------------------------


def test_edit_replaces_the_answer_and_keeps_the_history() -> None:
    session = advanced_to("bekymret")
    state = session.apply(Edit(step="naerhed", value=2, speaker="clinician", at=at(50)))
    assert state.answers["naerhed"].value == 2
    assert state.answers["naerhed"].edited
    assert [r.value for r in state.history if r.step == "naerhed"] == [5, 2]
    assert state.current is not None and state.current.id == "bekymret"  # still here


def test_edit_needs_an_answer_that_counts() -> None:
    session = advanced_to("bekymret")
    assert "no answer to edit" in refused(
        session, Edit(step="bekymret", value=True, speaker="patient", at=at()))
    session.apply(Skip(step="bekymret", speaker="patient", at=at()))
    assert "no answer to edit" in refused(
        session, Edit(step="bekymret", value=True, speaker="patient", at=at()))
    refused(session, Edit(step="naerhed", value=11, speaker="patient", at=at()), AnswerError)


# --- Skip -------------------------------------------------------------------------------------


def test_skip_moves_on_and_a_later_answer_fills_the_gap() -> None:
    session = advanced_to("bekymret")
    state = session.apply(Skip(step="bekymret", speaker="patient", at=at()))
    assert state.skipped == ("bekymret",)
    assert state.current is not None and state.current.id == "hvad"  # bekymring not asked
    state = session.apply(Answer(step="bekymret", value=True, speaker="patient", at=at()))
    assert state.skipped == ()
    assert state.current is not None and state.current.id == "bekymring"


def test_skip_is_refused_for_answered_skipped_required_and_info_steps() -> None:
    session = advanced_to("dato")
    assert "edit or undo" in refused(session, Skip(step="naerhed", speaker="patient", at=at()))
    assert "required" in refused(session, Skip(step="dato", speaker="patient", at=at()))
    assert "pass it with Seen" in refused(session, Skip(step="welcome", speaker="patient",
                                                        at=at()))
    assert "not asked now" in refused(session, Skip(step="hoej", speaker="patient", at=at()))
    session = advanced_to("bekymret")
    session.apply(Skip(step="bekymret", speaker="patient", at=at()))
    assert "skipped already" in refused(session, Skip(step="bekymret", speaker="patient",
                                                      at=at()))


# --- Seen -------------------------------------------------------------------------------------


def test_seen_passes_an_information_step() -> None:
    session = Session(AID)
    assert session.state.current is not None and session.state.current.id == "welcome"
    state = session.apply(Seen(step="welcome", speaker="clinician", at=at()))
    assert state.seen == ("welcome",)
    assert state.current is not None and state.current.id == "information_level"


def test_seen_is_only_for_enabled_unseen_information_steps() -> None:
    session = Session(AID)
    assert "takes an answer" in refused(session, Seen(step="naerhed", at=at()))
    assert "not asked now" in refused(session, Seen(step="bekymring_info", at=at()))
    session.apply(Seen(step="welcome", at=at()))
    assert "seen already" in refused(session, Seen(step="welcome", at=at()))


# --- Undo -------------------------------------------------------------------------------------


def test_undo_takes_back_the_latest_move_and_nothing_else() -> None:
    session = Session(AID)
    assert refused(session, Undo(at=at())) == "nothing to undo"
    session.apply(Seen(step="welcome", at=at(1)))
    before = session.state
    session.apply(Answer(step="information_level", value="a_little", speaker="patient",
                         at=at(2)))
    session.apply(Note(text="Patienten er træt", speaker="clinician", at=at(3)))
    session.apply(AddParticipant(role="relative", at=at(4)))
    state = session.apply(Undo(at=at(5)))
    assert "information_level" not in state.answers
    assert state.information_level == "some"
    assert len(state.notes) == 1 and len(state.participants) == 1  # they stay
    assert state.current == before.current
    assert state.can_undo  # the Seen can still be undone
    state = session.apply(Undo(at=at(6)))
    assert state.seen == () and not state.can_undo
    assert len(session.events) == 6  # the log keeps everything


# --- SetInformationLevel ----------------------------------------------------------------------


def test_information_level_comes_from_the_step_or_the_event_whichever_is_later() -> None:
    session = Session(AID)
    levels = [session.state.information_level]
    for event in (
        Answer(step="information_level", value="a_little", speaker="patient", at=at()),
        SetInformationLevel(level="everything", speaker="patient", at=at()),
        Edit(step="information_level", value="some", speaker="patient", at=at()),
        Undo(at=at()),
    ):
        levels.append(session.apply(event).information_level)
    assert levels == ["some", "a_little", "everything", "some", "everything"]


# --- AddParticipant and Note ------------------------------------------------------------------


def test_participants_join_once_each() -> None:
    session = Session(AID)
    session.apply(AddParticipant(role="patient", at=at()))
    session.apply(AddParticipant(role="relative", name="Mette", at=at()))
    session.apply(AddParticipant(role="relative", name="Ole", at=at()))
    assert [(p.role, p.name) for p in session.state.participants] == [
        ("patient", None), ("relative", "Mette"), ("relative", "Ole")]
    assert "taking part already" in refused(
        session, AddParticipant(role="relative", name="Mette", at=at()))
    assert "Mette" not in refused(session, AddParticipant(role="relative", name="Mette",
                                                          at=at()))


def test_notes_are_kept_in_order_and_may_name_a_step() -> None:
    session = Session(AID)
    session.apply(Note(text="Første", speaker="clinician", at=at(1)))
    session.apply(Note(text="Om datoen", speaker="patient", at=at(2), step="dato"))
    assert [(n.text, n.step) for n in session.state.notes] == [
        ("Første", None), ("Om datoen", "dato")]
    assert "unknown step" in refused(
        session, Note(text="x", speaker="patient", at=at(), step="datoo"))
    assert not session.state.can_undo  # notes are not moves in the conversation
