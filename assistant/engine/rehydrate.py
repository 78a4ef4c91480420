"""Rehydrating a stored session: its recorded events replayed on the guide as it is now.

A session records the guide's id, version and the SHA-256 of the guide file's text
(`guide_hash`). The guide may have changed since (`guide_changed`): then some recorded events
no longer fit it. `rehydrate` keeps the events that still fit (`split_events_for_guide`: their
step or plan still exists) and replays them; those whose step is gone, and those the engine
refuses for other reasons (a choice removed, a condition no longer met), come back as
`dropped`. The stored events themselves never change: dropping is a view, so nothing is lost.

Resuming (the session service) and every read of a stored session (export, `sdm sessions
show`) go through here, so they agree on what a stored session says. Pure: no store, no I/O.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from typing import Protocol

from assistant.engine.errors import EngineError
from assistant.engine.events import (
    UNDOABLE,
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
    Skip,
    Undo,
)
from assistant.engine.session import Session
from assistant.engine.state import SessionState
from assistant.guides.flow import flow
from assistant.guides.loader import Loaded
from assistant.guides.models import Guide, Language, PlanTemplate

__all__ = ["RecordedGuide", "guide_changed", "guide_hash", "rehydrate", "rehydrate_session",
           "split_events_for_guide"]


class RecordedGuide(Protocol):
    """What a stored session remembers of its guide (a store's session row has both)."""

    @property
    def guide_version(self) -> str: ...

    @property
    def guide_hash(self) -> str: ...


def guide_hash(text: str) -> str:
    """SHA-256 (hex) of a guide file's text, as stored with each session."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def guide_changed(recorded: RecordedGuide, guide: Loaded) -> bool:
    """True if `guide` is not exactly the guide the session was recorded with.

    Compares version and the hash of the file text, so an edit that forgot to bump the
    version is caught too.
    """
    return (recorded.guide_version != guide.document.version
            or recorded.guide_hash != guide_hash(guide.text))


def _as_guide(guide: Guide | Loaded) -> Guide:
    document = guide.document if isinstance(guide, Loaded) else guide
    if isinstance(document, PlanTemplate):
        raise TypeError("a plan template has no steps: pass a decision aid or meeting guide")
    return document


def split_events_for_guide(
    events: Sequence[Event], guide: Guide | Loaded
) -> tuple[list[Event], list[Event]]:
    """Split `events` into (kept, dropped) for replaying on `guide`; both keep their order.

    Dropped: every Answer, Edit, Skip, Seen, Prepared, LineCorrected and LineStruck whose step
    is not in `flow(guide)`, every Note about such a step (the engine refuses notes on unknown
    steps), and every FieldEdit, FieldDiscussed, ConfirmDraft and ApproveDraft for a plan the
    guide no longer fills. An Undo is dropped together with the event it undid when that event
    is dropped, so every kept Undo still undoes the same event it did originally. Everything
    else is kept. Pure function.
    """
    drop = _stale_indices(events, _as_guide(guide))
    kept = [e for i, e in enumerate(events) if i not in drop]
    dropped = [e for i, e in enumerate(events) if i in drop]
    return kept, dropped


def _stale_indices(events: Sequence[Event], guide: Guide) -> set[int]:
    """The positions in `events` that `split_events_for_guide` drops."""
    flow_steps = flow(guide)
    steps = {s.id for s in flow_steps}
    plans = {t.partition(".")[0] for s in flow_steps for t in s.step.fills}
    if guide.plan:
        plans.add(guide.plan)

    def stale(event: Event) -> bool:
        if isinstance(event, (Answer, Edit, Skip, Seen, LineCorrected, LineStruck, Prepared)):
            return event.step not in steps
        if isinstance(event, (FieldEdit, FieldDiscussed, ConfirmDraft, ApproveDraft)):
            return event.template not in plans
        if isinstance(event, Note):
            return event.step is not None and event.step not in steps
        return False

    drop: set[int] = set()
    undo_stack: list[int] = []  # indices of undoable events not (yet) undone
    for index, event in enumerate(events):
        if stale(event):
            drop.add(index)
        if isinstance(event, UNDOABLE):
            undo_stack.append(index)
        elif isinstance(event, Undo) and undo_stack and undo_stack.pop() in drop:
            # Removing an event and the Undo that took it back leaves every other Undo
            # paired with the same event as before (like removing a matched pair of brackets).
            drop.add(index)
    return drop


def rehydrate_session(
    guide: Guide | Loaded, events: Iterable[Event], *, language: Language | None = None
) -> tuple[Session, list[Event]]:
    """A `Session` of `guide` with every recorded event that still fits it applied, and the
    events that do not (in recorded order).

    For a session that goes on (the service's resume); `rehydrate` when only its state is
    needed. Never raises `EngineError`: an event the engine refuses is dropped.
    """
    recorded = list(events)
    document = _as_guide(guide)
    drop = _stale_indices(recorded, document)
    session = Session(document, language=language)
    for index, event in enumerate(recorded):
        if index in drop:
            continue
        try:
            session.apply(event)
        except EngineError:
            drop.add(index)  # e.g. a choice the new version no longer offers
    return session, [e for i, e in enumerate(recorded) if i in drop]


def rehydrate(
    guide: Guide | Loaded, events: Iterable[Event], *, language: Language | None = None
) -> tuple[SessionState, list[Event]]:
    """The state of a stored session replayed on `guide` as it is now, and the events that
    no longer fit it (in recorded order; they stay stored, they only no longer count).

    `language`: the language texts are shown in (default: the guide's). Pure; never raises
    `EngineError`.
    """
    session, dropped = rehydrate_session(guide, events, language=language)
    return session.state, dropped
