"""The conversation as items (engine/transcript.py): what a face draws, and the events it sends."""

from __future__ import annotations

import datetime as dt

import pytest

from assistant.engine import Answer, Edit, Seen, Session, Skip
from assistant.engine.events import Prepared
from assistant.engine.transcript import (
    answer_event,
    asking,
    is_prepared_value,
    phase_heading,
    phase_title,
    skip_event,
    transcript,
)
from assistant.guides.step_ids import CHOICE, INFORMATION_LEVEL, SURE_IDS, WELCOME
from tests.engine.helpers import AID, MEETING, at, walk
from tests.plans.helpers import LIBRARY


def _answer(session: Session, step: str, value: object, n: int) -> None:
    event = answer_event(session.state, step, value, "patient", at(100 + n))  # type: ignore[arg-type]
    session.apply(event)


def test_a_new_session_has_no_transcript_and_asks_the_first_step() -> None:
    session = Session(AID)
    assert transcript(session.state) == ()
    item = asking(session.state)
    assert item is not None and item.id == WELCOME
    assert item.answer is None and item.speaker is None and not item.skipped


def test_the_transcript_lists_steps_dealt_with_in_order_with_their_answers() -> None:
    session = Session(AID)
    walk(session, until="bekymret")
    session.apply(Skip(step="bekymret", speaker="clinician", at=at(50)))
    items = transcript(session.state)
    ids = [item.id for item in items]
    assert ids[:2] == [WELCOME, INFORMATION_LEVEL]
    assert ids[-1] == "bekymret"
    # In conversation order, every step before the one asked now.
    steps = [s.id for s in session.state.steps]
    assert ids == sorted(ids, key=steps.index)
    skipped = items[-1]
    assert skipped.skipped and skipped.answer is None
    level = items[1]
    assert level.answer is not None and level.speaker == "patient"
    assert level.phase == "framing"
    # The welcome is information: seen, no answer.
    assert items[0].answer is None and not items[0].skipped


def test_disabled_steps_leave_the_transcript() -> None:
    session = Session(AID)
    walk(session, until="hvad")  # bekymret = yes: its follow-up is asked and answered
    assert "bekymring" in [item.id for item in transcript(session.state)]
    edit = answer_event(session.state, "bekymret", False, "patient", at(90))
    assert isinstance(edit, Edit)
    session.apply(edit)
    assert "bekymring" not in [item.id for item in transcript(session.state)]


def test_a_finished_conversation_is_all_transcript() -> None:
    session = Session(MEETING)
    walk(session)
    assert asking(session.state) is None
    assert [item.id for item in transcript(session.state)] == ["hello", "emne", "opgaver",
                                                               "farvel"]


def test_answer_event_picks_seen_answer_or_edit() -> None:
    session = Session(AID)
    state = session.state
    seen = answer_event(state, WELCOME, None, "clinician", at(1))
    assert seen == Seen(step=WELCOME, speaker="clinician", at=at(1))
    session.apply(seen)
    first = answer_event(session.state, INFORMATION_LEVEL, "some", "patient", at(2),
                         verbatim="lidt mere")
    assert first == Answer(step=INFORMATION_LEVEL, value="some", speaker="patient", at=at(2),
                           verbatim="lidt mere")
    session.apply(first)
    again = answer_event(session.state, INFORMATION_LEVEL, "everything", "relative", at(3))
    assert isinstance(again, Edit) and again.speaker == "relative"
    with pytest.raises(KeyError):
        answer_event(session.state, "no-such-step", 1, "patient", at(4))


def test_skip_event_is_seen_for_information() -> None:
    state = Session(AID).state
    assert isinstance(skip_event(state, WELCOME, "patient", at(1)), Seen)
    assert skip_event(state, "bekymret", "patient", at(1)) == Skip(
        step="bekymret", speaker="patient", at=at(1))


def test_a_step_asked_again_is_edited_and_starts_with_its_answer() -> None:
    session = Session(AID)
    walk(session, until=CHOICE)
    choice = session.state.step(CHOICE).step.choices[0].id  # type: ignore[union-attr]
    _answer(session, CHOICE, choice, 0)
    _answer(session, "decided_by", "shared", 1)
    _answer(session, SURE_IDS[0], False, 2)  # not sure: the decision is asked again
    item = asking(session.state)
    assert item is not None and item.id == CHOICE and item.reopened
    assert item.start_value == choice
    assert isinstance(answer_event(session.state, CHOICE, choice, "patient", at(9)), Edit)


NETWORK = LIBRARY.guides["netvaerksmoede"].document
WORDS = "Jeg vil gerne selv bestemme, hvem der ringer til min mor."


def _meeting_with_prepared_words() -> Session:
    session = Session(NETWORK)
    session.apply(Prepared(step="om-mig", value=WORDS, source_session="prep-1",
                           source_step="personlig-udtalelse",
                           prepared_at=dt.datetime(2026, 1, 2, 14, 0, tzinfo=dt.UTC),
                           at=at(0)))
    walk(session, 1, until="om-mig")
    return session


def test_the_prepared_words_as_they_are_become_the_patients_answer() -> None:
    session = _meeting_with_prepared_words()
    state = session.state
    item = asking(state)
    assert item is not None and item.prepared is not None and item.start_value == WORDS
    assert is_prepared_value(state, "om-mig", WORDS)
    assert not is_prepared_value(state, "om-mig", WORDS + " Og min far.")
    accepted = answer_event(state, "om-mig", WORDS, "peer_worker", at(60))
    assert accepted == Answer(step="om-mig", value=WORDS, speaker="patient", at=at(60),
                              prepared=True)
    changed = answer_event(state, "om-mig", "Andre ord", "peer_worker", at(60))
    assert isinstance(changed, Answer) and changed.speaker == "peer_worker"
    assert not changed.prepared
    session.apply(accepted)
    answered = next(i for i in transcript(session.state) if i.id == "om-mig")
    assert answered.prepared is not None and answered.answer is not None
    assert answered.answer.prepared and answered.speaker == "patient"


def test_phase_titles_and_headings() -> None:
    assert phase_title(AID, "framing", "en") == "Framing"
    assert phase_heading(AID, "framing", "da") == phase_title(AID, "framing", "da")
    assert phase_title(MEETING, "slut", "da") == "Slut"
    with pytest.raises(KeyError):
        phase_title(MEETING, "framing", "da")
    section = next(s for s in NETWORK.sections if s.timebox_minutes)  # type: ignore[union-attr]
    heading = phase_heading(NETWORK, section.id, "da")
    assert heading.startswith(phase_title(NETWORK, section.id, "da"))
    assert f"({section.timebox_minutes} min)" in heading
