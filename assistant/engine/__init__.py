"""The session engine: a guide plus a list of events gives the state of the conversation.

Pure and deterministic: no Textual, no clock, no I/O, no store.
`state = fold(guide, events)`; `Session` wraps that with validation of each new event;
`rehydrate(guide, stored_events)` replays a stored session on the guide as it is now.
"""

from __future__ import annotations

from assistant.engine.errors import AnswerError, EngineError
from assistant.engine.events import (
    AddParticipant,
    Answer,
    ApproveDraft,
    ConfirmDraft,
    Edit,
    Event,
    FieldDiscussed,
    FieldEdit,
    LineCorrected,
    LineStruck,
    Note,
    Prepared,
    Seen,
    SetInformationLevel,
    Skip,
    Undo,
)
from assistant.engine.rehydrate import rehydrate
from assistant.engine.session import Session
from assistant.engine.state import SessionState, advance, fold, initial

__all__ = [
    "AddParticipant",
    "Answer",
    "AnswerError",
    "ApproveDraft",
    "ConfirmDraft",
    "Edit",
    "EngineError",
    "Event",
    "FieldDiscussed",
    "FieldEdit",
    "LineCorrected",
    "LineStruck",
    "Note",
    "Prepared",
    "Seen",
    "Session",
    "SessionState",
    "SetInformationLevel",
    "Skip",
    "Undo",
    "advance",
    "fold",
    "initial",
    "rehydrate",
]
