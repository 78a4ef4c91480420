"""The speaker rule (engine/speaker.py): one rule for the chat and `sdm replay` (issue #12)."""

from __future__ import annotations

import pytest

from assistant.engine import Answer, Session
from assistant.engine.answersfile import replay_answers
from assistant.engine.speaker import last_speaker, speaker_for, speaker_for_edit
from assistant.guides.loader import load_library, parse_text
from assistant.guides.models import MeetingGuide

from .helpers import at

MEETING_YAML = """\
id: speaker-meeting
kind: meeting_guide
meeting_type: network
purpose: {da: Formål, en: Purpose}
version: 1.0.0
language: da
title: {da: Møde, en: Meeting}
audience: [adult]
authors: [test]
reviewed: 2026-01-01
review_due: 2027-01-01
sections:
  - id: s
    title: {da: Del, en: Part}
    steps:
      - {id: open, type: text, prompt: Alle}
      - {id: to_patient, type: text, ask: patient, prompt: Til patienten}
      - {id: open_again, type: text, prompt: Alle igen}
      - {id: to_relative, type: text, ask: relative, prompt: Til den pårørende}
      - {id: last, type: text, prompt: Sidst}
"""


def _meeting() -> MeetingGuide:
    guide, problems = parse_text(MEETING_YAML, "speaker-meeting.yaml")
    assert guide is not None, problems
    assert isinstance(guide, MeetingGuide)
    return guide


def test_a_new_session_starts_with_the_first_present() -> None:
    state = Session(_meeting()).state
    turn = speaker_for(state, ["relative", "patient"], None)
    assert (turn.role, turn.reason, turn.changed) == ("relative", "first", False)


def test_the_last_speaker_stays_on_a_step_without_ask() -> None:
    session = Session(_meeting())
    present = ["patient", "relative", "clinician"]
    session.apply(Answer(step="open", value="fra den pårørende", speaker="relative", at=at(1)))
    turn = speaker_for(session.state, present, "relative")
    # `to_patient` asks the patient: the change is announced (changed=True).
    assert (turn.role, turn.reason, turn.changed) == ("patient", "asked", True)
    session.apply(Answer(step="to_patient", value="mine ord", speaker="patient", at=at(2)))
    # Someone switches to the clinician (F2); the next step has no `ask`: it stays.
    turn = speaker_for(session.state, present, "clinician")
    assert (turn.role, turn.reason, turn.changed) == ("clinician", "kept", False)


def test_ask_only_applies_to_someone_present() -> None:
    session = Session(_meeting())
    for i, (sid, who) in enumerate([("open", "clinician"), ("to_patient", "patient"),
                                   ("open_again", "clinician")]):
        session.apply(Answer(step=sid, value="x", speaker=who, at=at(i)))
    # `to_relative` asks a relative, but none is present: the clinician goes on.
    turn = speaker_for(session.state, ["patient", "clinician"], "clinician")
    assert (turn.role, turn.reason) == ("clinician", "kept")


def test_a_last_speaker_who_left_gives_way_to_the_first_present() -> None:
    turn = speaker_for(Session(_meeting()).state, ["patient", "clinician"], "relative")
    assert (turn.role, turn.reason, turn.changed) == ("patient", "first", True)


def test_resuming_goes_on_with_the_last_speaker() -> None:
    session = Session(_meeting())
    session.apply(Answer(step="open", value="x", speaker="relative", at=at(1)))
    assert last_speaker(session.state) == "relative"
    assert last_speaker(Session(_meeting()).state) is None


def test_an_edit_starts_with_the_speaker_of_the_answer() -> None:
    session = Session(_meeting())
    session.apply(Answer(step="open", value="x", speaker="relative", at=at(1)))
    assert speaker_for_edit(session.state, "open", ["patient", "relative"], "patient") \
        == "relative"
    # The answer's speaker has left: the one speaking now edits.
    assert speaker_for_edit(session.state, "open", ["patient"], "patient") == "patient"
    with pytest.raises(KeyError):
        speaker_for_edit(session.state, "nope", ["patient"], None)


def test_nobody_present_is_an_error() -> None:
    with pytest.raises(ValueError):
        speaker_for(Session(_meeting()).state, [], None)


def test_answers_file_follows_the_rule() -> None:
    """Without `speaker:`, an entry is the rule's speaker: the last one stays, `ask` moves."""
    data = {
        "participants": ["clinician", "patient", "relative"],
        "answers": [
            {"step": "open", "value": "a"},                        # first present: clinician
            {"step": "to_patient", "value": "b"},                  # ask: patient
            {"step": "open_again", "value": "c", "speaker": "relative"},
            {"step": "to_relative", "value": "d"},                 # ask: relative
            {"step": "last", "value": "e"},                        # stays: relative
            {"step": "to_patient", "value": "b2", "edit": True},   # an edit: its speaker
        ],
    }
    state, problems = replay_answers(_meeting(), data, None, "answers.yaml")
    assert not problems and state is not None
    speakers = [(r.step, r.speaker) for r in state.history]
    assert speakers == [("open", "clinician"), ("to_patient", "patient"),
                        ("open_again", "relative"), ("to_relative", "relative"),
                        ("last", "relative"), ("to_patient", "patient")]


def test_bundled_network_meeting_replay_speakers() -> None:
    """The bundled network meeting: a relative's turn is kept until a step asks another."""
    library = load_library()
    guide = library.guides["netvaerksmoede"].document
    assert isinstance(guide, MeetingGuide)
    state = Session(guide).state
    first_open = next(s for s in state.steps if s.step.ask is None and s.step.type != "info")
    turn = speaker_for(state, ["patient", "relative"], "relative", step_id=first_open.id)
    assert turn.role == "relative" and not turn.changed
