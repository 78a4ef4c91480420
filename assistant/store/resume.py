"""Resuming a session when its guide may have changed since the session began.

A session records the guide's id, version and the SHA-256 of the guide file's text. On resume
the UI compares that with the guide in the library (`guide_changed`) and, if it changed,
splits the recorded events (`split_events_for_guide`) into those that can be replayed on the
new guide and those whose step is gone. The engine then replays the kept events and reports
any that no longer fit for other reasons (a choice removed, a condition no longer met). The
store's events themselves never change: dropping is a view, so nothing is lost.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

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
from assistant.guides.flow import flow
from assistant.guides.loader import Loaded
from assistant.guides.models import Guide, PlanTemplate
from assistant.store.models import SessionRow


def guide_hash(text: str) -> str:
    """SHA-256 (hex) of a guide file's text, as stored with each session."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def guide_changed(session: SessionRow, guide: Loaded) -> bool:
    """True if `guide` is not exactly the guide the session was started with.

    Compares version and the hash of the file text, so an edit that forgot to bump the
    version is caught too.
    """
    return (session.guide_version != guide.document.version
            or session.guide_hash != guide_hash(guide.text))


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
    guide no longer fills. An Undo is dropped together with the event it undid when that event is
    dropped, so every kept Undo still undoes the same event it did originally. Everything
    else is kept. Pure function.
    """
    document = _as_guide(guide)
    flow_steps = flow(document)
    steps = {s.id for s in flow_steps}
    plans = {t.partition(".")[0] for s in flow_steps for t in s.step.fills}
    if document.plan:
        plans.add(document.plan)

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
    kept = [e for i, e in enumerate(events) if i not in drop]
    dropped = [e for i, e in enumerate(events) if i in drop]
    return kept, dropped
