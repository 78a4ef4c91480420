"""The store's contract: what the service layer, the command line and the UI may ask of a
session store, whichever backend keeps it (issue 19, item 1).

`StoreContract` is a `typing.Protocol`: a backend satisfies it by having these methods and
properties, with no base class to inherit. The SQLite `Store` (store.py) and the PostgreSQL
`PgStore` (assistant/pgstore/) both do; `mypy --strict` checks it where a backend is given
to a `StoreContract` (tests/store/test_contract.py). Opening is not part of it: each backend
opens from its own kind of address (a file, a connection string).

The promises every backend keeps (the tests in tests/store/ run against each):

* `append` returns only once the event is committed; events are numbered 1, 2, 3 ... per
  session (unique per session), and a failed append uses no number. Given the number it
  expects (`seq=`), a retried append stores nothing twice.
* One writer per session: `lock(id).acquire()` either takes the session or raises
  `SessionBusy` at once, and the lock goes with the holder's process or connection.
* Messages of every exception name ids and numbers, never a label, an answer or a draft.

This module imports no backend: it is light enough for any layer's type hints.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from types import TracebackType
from typing import TYPE_CHECKING, Literal, Protocol, Self

if TYPE_CHECKING:
    from assistant.engine.events import Event
    from assistant.guides.loader import Loaded
    from assistant.guides.models import Role
    from assistant.store.models import (
        AccessEntry,
        CheckFinding,
        Revision,
        RevisionKind,
        SessionRow,
        SessionStatus,
        StoredDocument,
    )
    from assistant.store.retention import PurgeResult

__all__ = ["AccessAction", "ReadOnlyReason", "SessionLockContract", "StoreContract"]

#: Why a session's content was read (or it was deleted), as the access log of a shared store
#: records it: `open` in the chat, `show` (sdm sessions show), `export`, `read` (anything
#: else, e.g. a meeting taking over a preparation's answers), `copy` (sdm store copy),
#: `check` (sdm store check reads every event to see it is readable).
AccessAction = Literal["open", "show", "export", "read", "copy", "check", "delete", "purge"]

#: Why a store is open read-only: damaged, acknowledged commits missing (a lost WAL), a
#: place that cannot be written, or a schema from a newer version.
ReadOnlyReason = Literal["damaged", "missing_commits", "not_writable", "newer_version"]


class SessionLockContract(Protocol):
    """The right to write to one session (see `StoreContract.lock`)."""

    @property
    def session_id(self) -> str: ...

    @property
    def held(self) -> bool:
        """True while this object holds the lock."""
        ...

    def acquire(self) -> Self:
        """Take the lock or raise `SessionBusy` at once; returns self."""
        ...

    def release(self) -> None:
        """Give the lock up (nothing if not held)."""
        ...

    def __enter__(self) -> Self: ...

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None: ...


class StoreContract(Protocol):
    """An open session store: sessions and their append-only events, plan revisions,
    retention, per-session locks, its health and its encryption."""

    # --- closing ---------------------------------------------------------------------------

    def close(self) -> None:
        """Drop any key and close the connection."""
        ...

    def __enter__(self) -> Self: ...

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None: ...

    # --- health ----------------------------------------------------------------------------

    @property
    def read_only(self) -> bool:
        """True when nothing may be written (every write raises `StoreReadOnly`)."""
        ...

    @property
    def damage(self) -> str | None:
        """Why the store is read-only, in words for the user; None when it is healthy."""
        ...

    @property
    def damaged(self) -> bool:
        """True when it is read-only because it is damaged or misses saved changes."""
        ...

    @property
    def read_only_reason(self) -> ReadOnlyReason | None:
        """Why the store is read-only, as a code; None when it is healthy."""
        ...

    def now(self) -> dt.datetime:
        """The store's clock (UTC, timezone-aware)."""
        ...

    @property
    def shared(self) -> bool:
        """True for a department server's store (several users, each read logged); False for
        a file, one person's own on this machine."""
        ...

    @property
    def migrated_from(self) -> int:
        """The schema version the store had when it was opened (before this program brought
        it up to date; equal to the current version when nothing was to do)."""
        ...

    def check(self) -> list[CheckFinding]:
        """Look the whole store over (`sdm store check`): its schema, its integrity (every
        session's events numbered 1..n and readable), and what the backend must keep (a
        file's permissions; a server's policies and its append-only access log)."""
        ...

    def access_log(self, *, session_id: str | None = None,
                   role: str | None = None) -> list[AccessEntry]:
        """The access log's rows about one session and/or by one role (all, for neither),
        oldest first. `NoAccessLog` for a store file (one person's own)."""
        ...

    @property
    def reconnects(self) -> int:
        """How often the connection to a server was lost and made again (the app says so
        once the answer is saved); always 0 for a file."""
        ...

    # --- encryption ------------------------------------------------------------------------

    @property
    def encrypted(self) -> bool:
        """True if the store seals its content with a key of its own."""
        ...

    @property
    def key_loaded(self) -> bool:
        """True if sealed content can be read and written just now."""
        ...

    def unlock(self, passphrase: str) -> None:
        """Load the data key again (`WrongPassphrase` if it does not fit)."""
        ...

    def forget_key(self) -> None:
        """Put the data key away (the lock screen)."""
        ...

    # --- sessions and events ---------------------------------------------------------------

    def create_session(self, guide: Loaded, label: str, present: Sequence[Role] = (),
                       keep: Sequence[Loaded] = ()) -> SessionRow: ...

    def session_documents(self, session_id: str) -> list[StoredDocument]: ...

    def get_session(self, session_id: str) -> SessionRow: ...

    def session_ids(self, prefix: str = "") -> list[str]: ...

    def list_sessions(self, *, unfinished_only: bool = False) -> list[SessionRow]: ...

    def update_session(
        self, session_id: str, *, label: str | None = None,
        present: Sequence[Role] | None = None, status: SessionStatus | None = None,
        guide: Loaded | None = None, keep: Sequence[Loaded] = (),
    ) -> SessionRow: ...

    def append(self, session_id: str, event: Event, *, seq: int | None = None) -> int:
        """Add `event` to the session's log; its number once committed.

        With `seq`, the number the caller expects it to get, a retry is idempotent: the same
        content already at `seq` stores nothing and returns `seq`; other content there, or a
        number that is not the next, raises `InvalidSessionData`."""
        ...

    def load_events(self, session_id: str, *, purpose: AccessAction = "read") -> list[Event]:
        """Every event of the session, in order. A shared store first logs who read them
        and why (`purpose`); the SQLite file, one person's own, logs nothing."""
        ...

    # --- plan revisions --------------------------------------------------------------------

    def add_revision(self, session_id: str, kind: RevisionKind, draft: str, *,
                     next_revision_due: dt.date | None = None,
                     responsible: str | None = None) -> Revision: ...

    def list_revisions(self, session_id: str | None = None, *,
                       kind: RevisionKind | None = None,
                       purpose: AccessAction | None = None) -> list[Revision]: ...

    def revisions_due(self, today: dt.date) -> list[Revision]: ...

    # --- locks and retention ---------------------------------------------------------------

    def lock(self, session_id: str) -> SessionLockContract:
        """A (not yet acquired) lock on `session_id`."""
        ...

    def delete_session(self, session_id: str, *,
                       lock: SessionLockContract | None = None) -> bool:
        """Delete a session for good; True when no copy of its data is left behind."""
        ...

    def purge(self, older_than_days: int, today: dt.date) -> PurgeResult: ...
