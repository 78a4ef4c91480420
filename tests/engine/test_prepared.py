"""`Prepared`: the patient's answer from a preparation session, brought into a meeting."""

from __future__ import annotations

import datetime as dt

import pytest

from assistant.engine import Answer, Edit, EngineError, Prepared, Session, Skip, Undo
from assistant.engine.errors import AnswerError
from assistant.engine.events import EVENT_ADAPTER, UNDOABLE
from assistant.engine.rehydrate import split_events_for_guide
from assistant.engine.values import Person
from assistant.guides.models import MeetingGuide
from tests.engine.helpers import at
from tests.plans.helpers import LIBRARY

NETWORK = LIBRARY.guides["netvaerksmoede"].document
assert isinstance(NETWORK, MeetingGuide)
PREPARED_AT = dt.datetime(2026, 1, 2, 14, 0, tzinfo=dt.UTC)
WORDS = "Jeg vil gerne selv bestemme, hvem der ringer til min mor."


def prepared(step: str = "om-mig", value: object = WORDS, **extra: object) -> Prepared:
    source = {"om-mig": "personlig-udtalelse", "kredsen": "hvem-skal-med"}.get(step, step)
    return Prepared(step=step, value=value, source_session="prep-1", source_step=source,
                    prepared_at=PREPARED_AT, at=at(0), **extra)  # type: ignore[arg-type]


def meeting(*events: object) -> Session:
    session = Session(NETWORK)
    for event in events:
        session.apply(event)  # type: ignore[arg-type]
    return session


def test_a_prepared_answer_is_kept_in_the_state_and_answers_nothing() -> None:
    session = meeting(prepared(), prepared("kredsen", [{"name": "Mor", "relation": "mor"}]))
    state = session.state
    record = state.prepared["om-mig"]
    assert (record.value, record.speaker, record.with_role) == (WORDS, "patient", "peer_worker")
    assert (record.source_session, record.source_step, record.prepared_at) == (
        "prep-1", "personlig-udtalelse", PREPARED_AT)
    assert state.prepared["kredsen"].value == (Person(name="Mor", relation="mor"),)
    assert state.answers == {} and state.current is not None
    assert state.current.id == "om-moedet"


def test_the_event_round_trips_and_old_answers_read_as_not_prepared() -> None:
    event = prepared()
    assert EVENT_ADAPTER.validate_json(EVENT_ADAPTER.dump_json(event)) == event
    assert not isinstance(event, UNDOABLE)
    old = EVENT_ADAPTER.validate_json('{"type": "answer", "step": "om-mig", "value": "x", '
                                      '"speaker": "patient", "at": "2026-01-05T10:00:00Z"}')
    assert isinstance(old, Answer) and old.prepared is False


@pytest.mark.parametrize(("event", "message"), [
    (prepared("no-such-step"), "unknown step"),
    (prepared("oensker"), "takes no prepared answer"),
    (prepared("om-mig", with_role="patient"), "someone other than the patient"),
])
def test_a_prepared_answer_needs_a_step_that_takes_one(event: Prepared, message: str) -> None:
    with pytest.raises(EngineError, match=message):
        meeting(event)


@pytest.mark.parametrize(("step", "value"), [
    ("om-mig", 7), ("om-mig", "   "), ("kredsen", "Mor"), ("kredsen", [{"relation": "mor"}]),
])
def test_a_prepared_value_must_fit_the_step(step: str, value: object) -> None:
    with pytest.raises(AnswerError, match=f"step '{step}': the prepared answer does not fit"):
        meeting(prepared(step, value))


def test_one_prepared_answer_per_step() -> None:
    with pytest.raises(EngineError, match="has a prepared answer already"):
        meeting(prepared(), prepared(value="Noget andet"))


def _to_om_mig(session: Session) -> None:
    while session.state.current is not None and session.state.current.id != "om-mig":
        current = session.state.current
        if current.step.type == "info":
            from assistant.engine import Seen

            session.apply(Seen(step=current.id, at=at(1)))
        else:
            session.apply(Skip(step=current.id, speaker="clinician", at=at(1)))


def test_accepting_the_prepared_words_marks_the_answer() -> None:
    session = meeting(prepared())
    _to_om_mig(session)
    state = session.apply(Answer(step="om-mig", value=WORDS, speaker="patient", at=at(2),
                                 prepared=True))
    assert state.answers["om-mig"].prepared is True
    # A changed answer is a new answer: not prepared.
    state = session.apply(Edit(step="om-mig", value=WORDS + " Og min far.", speaker="patient",
                               at=at(3)))
    assert state.answers["om-mig"].prepared is False
    # Going back to the prepared words, as they were, is the prepared answer again.
    state = session.apply(Edit(step="om-mig", value=WORDS, speaker="patient", at=at(4),
                               prepared=True))
    assert state.answers["om-mig"].prepared is True
    assert [r.prepared for r in state.history] == [True, False, True]


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"value": "Andre ord"}, "differs from the prepared one"),
    ({"speaker": "clinician"}, "the speaker must be the patient"),
])
def test_a_prepared_answer_is_the_patients_prepared_words(
    kwargs: dict[str, str], message: str
) -> None:
    session = meeting(prepared())
    _to_om_mig(session)
    fields = {"value": WORDS, "speaker": "patient"} | kwargs
    with pytest.raises(EngineError, match=message):
        session.apply(Answer(step="om-mig", at=at(2), prepared=True, **fields))  # type: ignore[arg-type]


def test_no_prepared_mark_without_a_prepared_answer() -> None:
    session = meeting()
    _to_om_mig(session)
    with pytest.raises(EngineError, match="has no prepared answer"):
        session.apply(Answer(step="om-mig", value=WORDS, speaker="patient", at=at(2),
                             prepared=True))


def test_undo_takes_back_the_answer_but_never_the_prepared_words() -> None:
    session = meeting(prepared())
    with pytest.raises(EngineError, match="nothing to undo"):
        session.apply(Undo(at=at(1)))
    _to_om_mig(session)
    session.apply(Answer(step="om-mig", value=WORDS, speaker="patient", at=at(2),
                         prepared=True))
    state = session.apply(Undo(at=at(3)))
    assert "om-mig" not in state.answers and state.current is not None
    assert state.current.id == "om-mig"
    assert state.prepared["om-mig"].value == WORDS
    # Every undo replays the kept events: the prepared answer survives any number of them.
    while session.state.can_undo:
        session.apply(Undo(at=at(4)))
    assert session.state.prepared["om-mig"].value == WORDS


def test_the_same_events_give_the_same_state() -> None:
    events = [prepared(), prepared("kredsen", [{"name": "Mor"}])]
    assert meeting(*events).state == meeting(*events).state
    assert meeting(*events).state != meeting(events[0]).state


def test_a_prepared_answer_for_a_step_that_is_gone_is_dropped_on_resume() -> None:
    edited = NETWORK.model_copy(update={"sections": [
        s.model_copy(update={"steps": [st for st in s.steps if st.id != "om-mig"]})
        for s in NETWORK.sections]})
    kept, dropped = split_events_for_guide([prepared(), prepared("kredsen", [{"name": "Mor"}])],
                                           edited)
    assert [e.step for e in dropped] == ["om-mig"]  # type: ignore[union-attr]
    assert [e.step for e in kept] == ["kredsen"]  # type: ignore[union-attr]
