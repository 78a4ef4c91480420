"""Sessions that live in the store: start one, resume one, record its events.

The glue between the engine (a `Session` in memory) and the store (rows and events on disk),
used by the chat UI and the CLI alike. Nothing here imports Textual.

Resuming replays the stored events. If the guide changed since the session was recorded
(another version or other text), every answer whose step still exists is kept; answers to
steps that are gone, or that no longer fit the step, are listed as `dropped` — they stay in
the store (nothing is overwritten), they just no longer count.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from assistant.engine import EngineError, Event, Session
from assistant.guides.loader import Library, Loaded
from assistant.guides.models import Guide, Language, Role
from assistant.store import (
    SessionLock,
    SessionRow,
    Store,
    StoreError,
    guide_changed,
    split_events_for_guide,
)


class SessionUnavailable(Exception):
    """A session cannot be opened; `message` says why in words for the user (no health data)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass
class OpenSession:
    """A session open for writing: this process holds its lock until `close()`."""

    row: SessionRow
    session: Session
    store: Store
    lock: SessionLock
    #: True when the guide changed since the session was recorded.
    guide_changed: bool = False
    #: Events that no longer fit the guide (kept in the store, not counted).
    dropped: list[Event] = field(default_factory=list)

    def record(self, event: Event) -> None:
        """Commit `event` to the store; returns only once it is durably written."""
        self.store.append(self.row.id, event)

    def finish(self) -> None:
        """Mark the session finished (every step dealt with)."""
        if self.row.status == "in_progress":
            self.row = self.store.update_session(self.row.id, status="finished")

    def close(self) -> None:
        """Release the session's lock (the data stays)."""
        self.lock.release()


class SessionService:
    """Start and resume stored sessions of the guides in `library`."""

    def __init__(self, store: Store, library: Library) -> None:
        self.store = store
        self.library = library

    @property
    def read_only(self) -> bool:
        """True when the store could only be opened read-only (it is damaged)."""
        return self.store.read_only

    def unfinished(self) -> list[SessionRow]:
        """Sessions still in progress, newest first."""
        return self.store.list_sessions(unfinished_only=True)

    def _guide(self, guide_id: str) -> Loaded:
        loaded = self.library.guides.get(guide_id)
        if loaded is None:
            raise SessionUnavailable(f"the guide '{guide_id}' is no longer in the library")
        return loaded

    def start(
        self, guide: Guide, label: str, present: Sequence[Role], language: Language
    ) -> OpenSession:
        """Create a new session and hold its lock."""
        loaded = self._guide(guide.id)
        try:
            row = self.store.create_session(loaded, label, list(present))
            lock = self.store.lock(row.id).acquire()
        except StoreError as exc:
            raise SessionUnavailable(exc.message) from None
        return OpenSession(row, Session(guide, language=language), self.store, lock)

    def resume(self, session_id: str, language: Language) -> OpenSession:
        """Open a stored session again, at the exact step where it stopped."""
        try:
            row = self.store.get_session(session_id)
            loaded = self._guide(row.guide_id)
            lock = self.store.lock(row.id).acquire()
            events = self.store.load_events(row.id)
        except StoreError as exc:
            raise SessionUnavailable(exc.message) from None
        guide = loaded.document
        assert not isinstance(guide, type(None))
        changed = guide_changed(row, loaded)
        dropped: list[Event] = []
        if changed:
            events, dropped = (list(x) for x in split_events_for_guide(events, loaded))
        session = Session(guide, language=language)  # type: ignore[arg-type]
        for event in events:
            try:
                session.apply(event)
            except EngineError:
                dropped.append(event)  # e.g. a choice the new version no longer offers
        if changed and not self.store.read_only:
            row = self.store.update_session(row.id, guide=loaded)
        return OpenSession(row, session, self.store, lock, changed, dropped)
