"""A stored session for export: its state read without a lock, its plan revisions recorded.

The store holds rows and bytes, `assistant.export` renders drafts without touching the
store; this module is what joins them (for `sdm export`, `sdm sessions show`, the review's
save and approval, and a meeting started from a preparation).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from assistant.engine.rehydrate import rehydrate

if TYPE_CHECKING:
    from assistant.engine.state import SessionState
    from assistant.guides.loader import Library
    from assistant.guides.models import Language, PlanTemplate
    from assistant.plans.models import PlanDraft
    from assistant.store.models import Revision, RevisionKind
    from assistant.store.store import Store

__all__ = ["plan_templates", "read_state", "save_revision"]


def read_state(store: Store, library: Library, session_id: str,
               language: Language | None = None) -> SessionState:
    """A stored session's state, replayed on its guide in `library`, without locking it.

    Like resuming (`SessionService.resume`) but read-only: events that no longer fit a
    changed guide are left out (`engine.rehydrate`). Raises `StoreError` (no such session,
    unreadable store) and `LookupError` when the guide is no longer in the library.
    """
    row = store.get_session(session_id)
    loaded = library.guides.get(row.guide_id)
    if loaded is None:
        raise LookupError(f"the guide '{row.guide_id}' is no longer in the library")
    state, _dropped = rehydrate(loaded, store.load_events(row.id), language=language)
    return state


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
