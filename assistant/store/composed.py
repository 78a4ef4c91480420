"""A store made of parts: the methods both backends share, each handing the call to the part
that does it (`sessions`, `revisions`, `retention`).

The SQLite `Store` and the PostgreSQL `PgStore` are each a `ComposedStore` of their own
parts (assistant/store/{sessions,revisions,retention}.py and assistant/pgstore/...); what
differs between them (opening, health, encryption, the access log) stays in their classes.
The parts are described here as protocols, so this module imports no backend.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from types import TracebackType
from typing import TYPE_CHECKING, Generic, Protocol, Self, TypeVar

from assistant.store.contract import AccessAction, SessionLockContract

if TYPE_CHECKING:
    from assistant.engine.events import Event
    from assistant.guides.loader import Loaded
    from assistant.guides.models import Role
    from assistant.store.models import (
        Revision,
        RevisionKind,
        SessionRow,
        SessionStatus,
        StoredDocument,
    )
    from assistant.store.retention import PurgeResult

__all__ = ["ComposedStore", "RetentionPart", "RevisionsPart", "SessionsPart"]

LockT = TypeVar("LockT", bound=SessionLockContract, covariant=True)


class SessionsPart(Protocol):
    """Sessions and their append-only events."""

    def create_session(self, guide: Loaded, label: str, present: Sequence[Role] = (),
                       keep: Sequence[Loaded] = ()) -> SessionRow: ...

    def documents(self, session_id: str) -> list[StoredDocument]: ...

    def get_session(self, session_id: str) -> SessionRow: ...

    def session_ids(self, prefix: str = "") -> list[str]: ...

    def list_sessions(self, *, unfinished_only: bool = False) -> list[SessionRow]: ...

    def update_session(
        self, session_id: str, *, label: str | None = None,
        present: Sequence[Role] | None = None, status: SessionStatus | None = None,
        guide: Loaded | None = None, keep: Sequence[Loaded] = (),
    ) -> SessionRow: ...

    def append(self, session_id: str, event: Event, *, seq: int | None = None) -> int: ...

    def load_events(self, session_id: str, *,
                    purpose: AccessAction = "read") -> list[Event]: ...


class RevisionsPart(Protocol):
    """Plan revisions."""

    def add_revision(self, session_id: str, kind: RevisionKind, draft: str, *,
                     next_revision_due: dt.date | None = None,
                     responsible: str | None = None) -> Revision: ...

    def list_revisions(self, session_id: str | None = None, *,
                       kind: RevisionKind | None = None,
                       purpose: AccessAction | None = None) -> list[Revision]: ...

    def revisions_due(self, today: dt.date) -> list[Revision]: ...


class RetentionPart(Protocol[LockT]):
    """Per-session locks, deleting a session, purging old ones."""

    def lock(self, session_id: str) -> LockT: ...

    def delete_session(self, session_id: str, *,
                       lock: SessionLockContract | None = None) -> bool: ...

    def purge(self, older_than_days: int, today: dt.date) -> PurgeResult: ...


class ComposedStore(Generic[LockT]):
    """What both backends do the same way: hand each call to the part that does it."""

    sessions: SessionsPart
    revisions: RevisionsPart
    retention: RetentionPart[LockT]

    def close(self) -> None:
        raise NotImplementedError

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    # --- sessions and their events ---------------------------------------------------------

    def create_session(self, guide: Loaded, label: str, present: Sequence[Role] = (),
                       keep: Sequence[Loaded] = ()) -> SessionRow:
        """Start a session of `guide` (its text and `keep`'s kept with it), committed on
        return."""
        return self.sessions.create_session(guide, label, present, keep)

    def session_documents(self, session_id: str) -> list[StoredDocument]:
        """The guide and plan template texts kept with a session, oldest first."""
        return self.sessions.documents(session_id)

    def get_session(self, session_id: str) -> SessionRow:
        """The session with this id; `SessionNotFound` if there is none."""
        return self.sessions.get_session(session_id)

    def session_ids(self, prefix: str = "") -> list[str]:
        """The ids starting with `prefix` (all, for ""), sorted."""
        return self.sessions.session_ids(prefix)

    def list_sessions(self, *, unfinished_only: bool = False) -> list[SessionRow]:
        """Every session (or those in progress), most recently updated first."""
        return self.sessions.list_sessions(unfinished_only=unfinished_only)

    def update_session(
        self, session_id: str, *, label: str | None = None,
        present: Sequence[Role] | None = None, status: SessionStatus | None = None,
        guide: Loaded | None = None, keep: Sequence[Loaded] = (),
    ) -> SessionRow:
        """Change a session's label, roles present, status or guide version."""
        return self.sessions.update_session(session_id, label=label, present=present,
                                            status=status, guide=guide, keep=keep)

    def append(self, session_id: str, event: Event, *, seq: int | None = None) -> int:
        """Add `event` to the session's log, committed on return (idempotent with `seq`:
        see `StoreContract.append`)."""
        return self.sessions.append(session_id, event, seq=seq)

    def load_events(self, session_id: str, *, purpose: AccessAction = "read") -> list[Event]:
        """Every event of the session, in order (a shared store logs who read them, and
        why: `purpose`)."""
        return self.sessions.load_events(session_id, purpose=purpose)

    # --- plan revisions --------------------------------------------------------------------

    def add_revision(self, session_id: str, kind: RevisionKind, draft: str, *,
                     next_revision_due: dt.date | None = None,
                     responsible: str | None = None) -> Revision:
        """Record a plan revision, committed on return."""
        return self.revisions.add_revision(session_id, kind, draft,
                                           next_revision_due=next_revision_due,
                                           responsible=responsible)

    def list_revisions(self, session_id: str | None = None, *,
                       kind: RevisionKind | None = None,
                       purpose: AccessAction | None = None) -> list[Revision]:
        """The revisions of one session (or of all), oldest first within each session;
        `purpose` when their drafts are shown (a shared store logs it)."""
        return self.revisions.list_revisions(session_id, kind=kind, purpose=purpose)

    def revisions_due(self, today: dt.date) -> list[Revision]:
        """Plans due for revision on `today`: per session its latest revision, if due."""
        return self.revisions.revisions_due(today)

    # --- locks and deletion ----------------------------------------------------------------

    def lock(self, session_id: str) -> LockT:
        """A (not yet acquired) lock on `session_id`."""
        return self.retention.lock(session_id)

    def delete_session(self, session_id: str, *,
                       lock: SessionLockContract | None = None) -> bool:
        """Delete a session for good; True when no copy of its data is left behind."""
        return self.retention.delete_session(session_id, lock=lock)

    def purge(self, older_than_days: int, today: dt.date) -> PurgeResult:
        """Delete the sessions not updated for `older_than_days` (those open elsewhere are
        skipped)."""
        return self.retention.purge(older_than_days, today)
