"""The SURE loop (engine/sure_loop.py): a "no" reopens the decision; a new decision asks
who decided and the SURE test again (issue #12)."""

from __future__ import annotations

from assistant.engine import Answer, Edit, Seen, Session
from assistant.engine.answersfile import replay_answers
from assistant.guides.step_ids import SURE_IDS

from .helpers import AID, at, walk


def _at_decision() -> Session:
    """A session of the test aid with every step before the decision answered."""
    session = Session(AID)
    walk(session, until="choice")
    assert session.state.current is not None and session.state.current.id == "choice"
    return session


def _answer(session: Session, step: str, value: object, n: int) -> None:
    state = session.state
    kind = Edit if step in state.answers else Answer
    session.apply(kind(step=step, value=value, speaker="patient", at=at(100 + n)))


def test_all_yes_closes_the_decision() -> None:
    session = _at_decision()
    choice = session.state.step("choice").step.choices[0].id  # type: ignore[union-attr]
    _answer(session, "choice", choice, 0)
    _answer(session, "decided_by", "shared", 1)
    for n, item in enumerate(SURE_IDS):
        assert session.state.current is not None and session.state.current.id == item
        _answer(session, item, True, 2 + n)
    assert not session.state.reopened
    assert session.state.current is None or session.state.current.id not in SURE_IDS


def test_a_no_reopens_the_decision_then_repeats_sure() -> None:
    session = _at_decision()
    state = session.state
    choice = state.step("choice").step.choices[0].id  # type: ignore[union-attr]
    _answer(session, "choice", choice, 0)
    _answer(session, "decided_by", "shared", 1)
    first, second = SURE_IDS[0], SURE_IDS[1]
    _answer(session, first, True, 2)
    _answer(session, second, False, 3)      # a "no"
    state = session.state
    assert state.reopened == {"choice"}
    assert state.current is not None and state.current.id == "choice"
    assert state.sure[second] is False      # the "no" stays on record
    # The decision again (an Edit), then who decided and the SURE test again, in order.
    _answer(session, "choice", choice, 4)
    state = session.state
    assert state.reopened == {"decided_by", first, second}
    assert state.current is not None and state.current.id == "decided_by"
    _answer(session, "decided_by", "patient", 5)
    for n, item in enumerate(SURE_IDS):
        assert session.state.current is not None and session.state.current.id == item
        _answer(session, item, True, 6 + n)
    assert not session.state.reopened
    assert all(v is True for v in session.state.sure.values())


def test_not_yet_closes_the_loop() -> None:
    session = _at_decision()
    _answer(session, "choice", "not_yet", 0)
    _answer(session, "decided_by", "shared", 1)
    _answer(session, SURE_IDS[0], False, 2)
    assert "choice" not in session.state.reopened


def test_answers_file_answers_a_reopened_step_without_edit() -> None:
    session = _at_decision()
    choice = session.state.step("choice").step.choices[0].id  # type: ignore[union-attr]
    entries = [{"step": e.step, "value": getattr(e, "value", None), "seen": True}
               if isinstance(e, Seen) else {"step": e.step, "value": e.value}
               for e in session.events if isinstance(e, (Answer, Seen))]
    for entry in entries:
        if entry.get("seen"):
            entry.pop("value")
    entries += [{"step": "choice", "value": choice},
                {"step": "decided_by", "value": "shared"},
                {"step": SURE_IDS[0], "value": False},
                {"step": "choice", "value": choice},        # reopened: replayed as an edit
                {"step": "decided_by", "value": "shared"},
                {"step": SURE_IDS[0], "value": True}]
    state, problems = replay_answers(AID, {"answers": entries}, None, "a.yaml")
    assert not problems, [p.format() for p in problems]
    assert state is not None and state.sure[SURE_IDS[0]] is True
