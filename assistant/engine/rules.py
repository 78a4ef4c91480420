"""What may happen now: the checks an event must pass before it is applied.

Each refusal is an `EngineError` (an `AnswerError` for a bad value) with a message that names
the step and says what to do instead.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from assistant.engine.errors import AnswerError, EngineError, quote
from assistant.engine.events import (
    AddParticipant,
    Answer,
    Edit,
    Event,
    Note,
    Seen,
    SetInformationLevel,
    Skip,
    Undo,
)
from assistant.engine.values import Value, validate_value
from assistant.guides.flow import FlowStep
from assistant.guides.problems import suggestion

if TYPE_CHECKING:  # the state calls these checks; only the type is needed here
    from assistant.engine.state import SessionState

__all__ = ["check"]


def _known(state: SessionState, step_id: str) -> FlowStep:
    if not state.has_step(step_id):
        ids = [s.id for s in state.steps]
        raise EngineError(f"unknown step {quote(step_id)}{suggestion(step_id, ids)}")
    return state.step(step_id)


def check(state: SessionState, event: Event) -> Value | None:
    """Raise EngineError if `event` cannot be applied to `state`.

    Returns the checked, canonical answer value for an Answer or Edit, else None.
    """
    if isinstance(event, Undo):
        if not state.can_undo:
            raise EngineError("nothing to undo")
        return None
    if isinstance(event, Note):
        if event.step is not None:
            _known(state, event.step)
        return None
    if isinstance(event, AddParticipant):
        if any(p.role == event.role and p.name == event.name for p in state.participants):
            raise EngineError(f"this {event.role} is taking part already")
        return None
    if isinstance(event, SetInformationLevel):
        return None

    flow_step = _known(state, event.step)
    step, sid = flow_step.step, flow_step.id
    info = step.type == "info"
    if isinstance(event, Seen) and not info:
        raise EngineError(f"step '{sid}' takes an answer: answer or skip it (Seen is for "
                          "information steps)")
    if not isinstance(event, Seen) and info:
        raise EngineError(f"step '{sid}' is information only: nobody answers it; "
                          "pass it with Seen")
    if sid not in state.enabled_ids:
        raise EngineError(f"step '{sid}' is not asked now: its conditions are not met")

    answered = sid in state.answers
    if isinstance(event, Seen):
        if sid in state.seen:
            raise EngineError(f"step '{sid}' has been seen already")
        return None
    if isinstance(event, Skip):
        if answered:
            raise EngineError(f"step '{sid}' is answered: edit or undo the answer instead "
                              "of skipping it")
        if sid in state.skipped:
            raise EngineError(f"step '{sid}' is skipped already")
        if step.required:
            raise EngineError(f"step '{sid}' is required: it cannot be skipped")
        return None
    if isinstance(event, Answer) and answered:
        raise EngineError(f"step '{sid}' is answered already: use Edit to change the answer")
    if isinstance(event, Edit) and not answered:
        raise EngineError(f"step '{sid}' has no answer to edit: use Answer")
    try:
        return validate_value(step, event.value)
    except AnswerError as exc:
        raise AnswerError(f"step '{sid}': {exc.message}") from None
