"""A stored session for export: its state read without a lock, its plan revisions recorded.

The store holds rows and bytes, `assistant.export` renders drafts without touching the
store; this module is what joins them (for `sdm export`, `sdm sessions show`, the review's
save and approval, and a meeting started from a preparation).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from assistant.engine.rehydrate import rehydrate

if TYPE_CHECKING:
    from collections.abc import Sequence

    from assistant.engine.events import Event
    from assistant.engine.state import SessionState
    from assistant.export.formats import Copy
    from assistant.guides.loader import Library, Loaded
    from assistant.guides.models import Language, PlanTemplate
    from assistant.plans.models import PlanDraft
    from assistant.store.contract import AccessAction, StoreContract
    from assistant.store.models import Revision, RevisionKind, SessionRow

__all__ = [
    "StoredExport",
    "export_session",
    "kept_documents",
    "plan_templates",
    "read_state",
    "save_revision",
    "session_library",
]


def read_state(store: StoreContract, library: Library, session_id: str,
                language: Language | None = None, *,
                purpose: AccessAction = "read",
                events: Sequence[Event] | None = None) -> SessionState:
    """A stored session's state, replayed on its guide without locking it.

    The guide is the text the session was made with: `library`'s when it is the same, else
    the copy kept with the session (`session_library`: a guide that changed, moved or left
    the library still reads as it was). Like resuming (`SessionService.resume`) but
    read-only: events that no longer fit are left out (`engine.rehydrate`). Raises
    `StoreError` (no such session, unreadable store) and `LookupError` when the guide is
    neither in the library nor kept with the session. `purpose`: why, for a shared store's
    access log (`StoreContract.load_events`); `events`: the session's events when the
    caller has read them already (nothing is read, or logged, twice).
    """
    row = store.get_session(session_id)
    loaded = session_library(store, library, row).guides.get(row.guide_id)
    if loaded is None:
        raise LookupError(f"the guide '{row.guide_id}' is no longer in the library")
    if events is None:
        events = store.load_events(row.id, purpose=purpose)
    state, _dropped = rehydrate(loaded, list(events), language=language)
    return state


def session_library(store: StoreContract, library: Library, row: SessionRow) -> Library:
    """The library to read stored session `row` with: `library` itself when its guide is the
    very text the session was made with (same hash); else the guide and plan templates kept
    with the session (`Store.session_documents`) in front of `library`'s documents. A
    session stored before copies were kept, or whose copy this version cannot read, gets
    `library`. Raises `StoreError`."""
    from assistant.engine.rehydrate import guide_hash
    from assistant.guides.loader import Library as LibraryType

    loaded = library.guides.get(row.guide_id)
    if loaded is not None and guide_hash(loaded.text) == row.guide_hash:
        return library
    kept = kept_documents(store, row)
    if not any(d.id == row.guide_id for d in kept):
        return library
    return LibraryType(documents=[*kept, *library.documents])


def kept_documents(store: StoreContract, row: SessionRow) -> list[Loaded]:
    """The copies kept with session `row` that this version reads, as loaded documents: the
    guide at the version the session is on, and the newest copy of each plan template."""
    from assistant.guides.loader import Loaded as LoadedType
    from assistant.guides.loader import parse_document

    out: dict[str, Loaded] = {}
    for stored in reversed(store.session_documents(row.id)):  # newest first
        if stored.id in out or (stored.kind == "guide" and stored.hash != row.guide_hash):
            continue
        name = f"{stored.id} (kept with session {row.id[:8]})"
        document, _problems, _rejected = parse_document(stored.text, name)
        if document is not None and document.id == stored.id:
            out[stored.id] = LoadedType(name, document, stored.text)
    return list(out.values())


def plan_templates(library: Library) -> dict[str, PlanTemplate]:
    """The library's plan templates by id."""
    out: dict[str, PlanTemplate] = {}
    for template_id in library.templates:
        template = library.template(template_id)
        if template is not None:
            out[template_id] = template
    return out


def save_revision(store: StoreContract, session_id: str, draft: PlanDraft,
                  kind: RevisionKind) -> Revision:
    """Record `draft` as a plan revision (`exported` or `approved`) with its due date and
    who is responsible. Call it after an `ApproveDraft` event with kind `approved`."""
    from assistant.export.jsonfile import export_json

    return store.add_revision(session_id, kind, export_json(draft),
                              next_revision_due=draft.revision.next_revision_due,
                              responsible=draft.revision.responsible)


@dataclass(frozen=True)
class StoredExport:
    """A stored session rendered: the bytes, the draft they show and its session's state."""

    data: bytes
    draft: PlanDraft
    state: SessionState


def export_session(store: StoreContract, library: Library, session_id: str, fmt: str, *,
                   today: dt.date, template: str | None = None,
                   lang: Language | None = None, copy: Copy | None = None,
                   width: int | None = None) -> StoredExport:
    """Stored session `session_id` rendered in format `fmt`: its state read without a lock
    (`read_state`), its plan drafted from `template` (None: the guide's own plan) as of
    `today`, in `lang` (None: the guide's language). Records nothing: a caller that writes
    the bytes to a file calls `save_revision(..., "exported")` afterwards.

    Raises `StoreError` and `LookupError` as `read_state` does, `PlanChoiceError` for a
    template the guide does not fill, `KeyError`/`ValueError` as `formats.render` does.
    """
    from assistant.export import formats
    from assistant.plans import build_draft, choose_template

    state = read_state(store, library, session_id, purpose="export")
    lang = lang or state.guide.language
    made_with = session_library(store, library, store.get_session(session_id))
    chosen = choose_template(state.guide, plan_templates(made_with), template)
    draft = build_draft(state, chosen, today=today, lang=lang)
    data = formats.render(fmt, draft, state, width=width, lang=lang, copy=copy)
    return StoredExport(data=data, draft=draft, state=state)
