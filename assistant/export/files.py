"""Reading a stored session for export, writing export files, recording plan revisions.

The I/O around the pure exports, shared by the CLI (`commands`) and the UI.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from assistant.engine.state import SessionState
    from assistant.guides.loader import Library
    from assistant.guides.models import Language, PlanTemplate
    from assistant.plans.models import PlanDraft
    from assistant.store.models import Revision, RevisionKind
    from assistant.store.store import Store

__all__ = ["plan_templates", "read_state", "save_revision", "write_private"]


def read_state(store: Store, library: Library, session_id: str,
               language: Language | None = None) -> SessionState:
    """A stored session's state, replayed on its guide in `library`, without locking it.

    Like resuming (`SessionService.resume`) but read-only: if the guide changed, events that
    no longer fit are left out. Raises `StoreError` (no such session, unreadable store) and
    `LookupError` when the guide is no longer in the library.
    """
    from assistant.engine import EngineError, Session
    from assistant.guides.models import PlanTemplate
    from assistant.store import guide_changed, split_events_for_guide

    row = store.get_session(session_id)
    loaded = library.guides.get(row.guide_id)
    if loaded is None:
        raise LookupError(f"the guide '{row.guide_id}' is no longer in the library")
    events = store.load_events(row.id)
    if guide_changed(row, loaded):
        events = split_events_for_guide(events, loaded)[0]
    guide = loaded.document
    assert not isinstance(guide, PlanTemplate)  # library.guides holds no templates
    session = Session(guide, language=language)
    for event in events:
        try:
            session.apply(event)
        except EngineError:
            continue  # e.g. a choice the new version no longer offers
    return session.state


def plan_templates(library: Library) -> dict[str, PlanTemplate]:
    """The library's plan templates by id."""
    out: dict[str, PlanTemplate] = {}
    for template_id in library.templates:
        template = library.template(template_id)
        if template is not None:
            out[template_id] = template
    return out


def save_revision(store: Store, session_id: str, draft: PlanDraft,
                  kind: RevisionKind) -> Revision:
    """Record `draft` as a plan revision (`exported` or `approved`) with its due date and
    who is responsible. Call it after an `ApproveDraft` event with kind `approved`."""
    from assistant.export.jsonfile import export_json

    return store.add_revision(session_id, kind, export_json(draft),
                              next_revision_due=draft.revision.next_revision_due,
                              responsible=draft.revision.responsible)


def write_private(path: Path, text: str) -> None:
    """Write `text` (UTF-8) to `path`, which ends up mode 0600 whether or not it existed.

    The file is created with no access for group and others from the start, so there is no
    moment when another user could open it.
    """
    from assistant.paths import PRIVATE_FILE_MODE, private_umask

    with private_umask():
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, PRIVATE_FILE_MODE)
    with os.fdopen(fd, "w", encoding="utf-8", newline="") as out:
        os.fchmod(out.fileno(), PRIVATE_FILE_MODE)
        out.write(text)
