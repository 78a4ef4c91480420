"""`PgStore`: the session store on a PostgreSQL server, made of its parts (database,
sessions, revisions, retention), with the same public methods as the SQLite `Store`
(`assistant.store.contract.StoreContract`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from types import TracebackType
from typing import TYPE_CHECKING, Self

from assistant.engine.events import Event
from assistant.guides.loader import Loaded
from assistant.guides.models import Role
from assistant.pgstore.audit import PgAudit
from assistant.pgstore.db import Clock, PgDatabase, utc_now
from assistant.pgstore.lock import PgSessionLock
from assistant.pgstore.retention import PgRetention
from assistant.pgstore.revisions import PgRevisions
from assistant.pgstore.sessions import PgSessions
from assistant.store.contract import (
    AccessAction,
    ReadOnlyReason,
    SessionLockContract,
    StoreContract,
)
from assistant.store.errors import StoreNotEncrypted
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


class PgStore:
    """The session store in a PostgreSQL database. Open with `PgStore.open(conninfo)`.

    Its parts: `db` (`PgDatabase`), `sessions`, `revisions`, `retention` and `audit` (the
    access log); the methods below hand each call to one. Encryption at rest is the
    server's: `encrypted` is False.
    """

    def __init__(self, db: PgDatabase) -> None:
        self.db = db
        self.sessions = PgSessions(db)
        self.revisions = PgRevisions(db)
        self.retention = PgRetention(db)
        self.audit = PgAudit(db)

    @classmethod
    def open(cls, conninfo: str, *, clock: Clock = utc_now, unit: str | None = None,
             password: str | None = None) -> Self:
        """Connect to the store at `conninfo` (`postgresql://...` or `service=NAME`); see
        `PgDatabase.open` for what it refuses and raises. `unit`: the unit new sessions
        belong to, for a role that belongs to several (SDM_UNIT); `password`: as typed at
        a prompt."""
        return cls(PgDatabase.open(conninfo, clock=clock, unit=unit, password=password))

    def close(self) -> None:
        """Close the connection (the server drops this store's session locks with it)."""
        self.db.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    # --- health ----------------------------------------------------------------------------

    @property
    def where(self) -> str:
        """Where the store is, in words (database and host; never a password)."""
        return self.db.where

    @property
    def read_only(self) -> bool:
        return self.db.read_only

    @property
    def damage(self) -> str | None:
        return self.db.damage

    @property
    def damaged(self) -> bool:
        return self.db.damaged

    @property
    def read_only_reason(self) -> ReadOnlyReason | None:
        return self.db.read_only_reason

    def now(self) -> dt.datetime:
        return self.db.now()

    @property
    def reconnects(self) -> int:
        """How often the connection was lost and made again."""
        return self.db.reconnects

    @property
    def migrated_from(self) -> int:
        return self.db.migrated_from

    def check(self) -> list[CheckFinding]:
        """See `assistant.pgstore.check`."""
        from assistant.pgstore.check import check_server

        return check_server(self.db, self.sessions)

    def access_log(self, *, session_id: str | None = None,
                   role: str | None = None) -> list[AccessEntry]:
        """See `PgAudit.entries`."""
        return self.audit.entries(session_id=session_id, role=role)

    # --- encryption: the server's ----------------------------------------------------------

    @property
    def encrypted(self) -> bool:
        return False

    @property
    def key_loaded(self) -> bool:
        return True

    def unlock(self, passphrase: str) -> None:
        raise StoreNotEncrypted(f"the session store ({self.where}) is not encrypted")

    def forget_key(self) -> None:
        """Nothing to put away: the program holds no key for a server's store."""

    # --- sessions and events ---------------------------------------------------------------

    def create_session(self, guide: Loaded, label: str, present: Sequence[Role] = (),
                       keep: Sequence[Loaded] = ()) -> SessionRow:
        return self.sessions.create_session(guide, label, present, keep)

    def session_documents(self, session_id: str) -> list[StoredDocument]:
        return self.sessions.documents(session_id)

    def get_session(self, session_id: str) -> SessionRow:
        return self.sessions.get_session(session_id)

    def session_ids(self, prefix: str = "") -> list[str]:
        return self.sessions.session_ids(prefix)

    def list_sessions(self, *, unfinished_only: bool = False) -> list[SessionRow]:
        return self.sessions.list_sessions(unfinished_only=unfinished_only)

    def update_session(
        self, session_id: str, *, label: str | None = None,
        present: Sequence[Role] | None = None, status: SessionStatus | None = None,
        guide: Loaded | None = None, keep: Sequence[Loaded] = (),
    ) -> SessionRow:
        return self.sessions.update_session(session_id, label=label, present=present,
                                            status=status, guide=guide, keep=keep)

    def append(self, session_id: str, event: Event, *, seq: int | None = None) -> int:
        """Add `event`, committed on return; idempotent with `seq` (see `PgSessions.append`)."""
        return self.sessions.append(session_id, event, seq=seq)

    def load_events(self, session_id: str, *, purpose: AccessAction = "read") -> list[Event]:
        """Every event of the session, once the access log says who read them and why."""
        return self.sessions.load_events(session_id, purpose=purpose)

    # --- plan revisions --------------------------------------------------------------------

    def add_revision(self, session_id: str, kind: RevisionKind, draft: str, *,
                     next_revision_due: dt.date | None = None,
                     responsible: str | None = None) -> Revision:
        return self.revisions.add_revision(session_id, kind, draft,
                                           next_revision_due=next_revision_due,
                                           responsible=responsible)

    def list_revisions(self, session_id: str | None = None, *,
                       kind: RevisionKind | None = None) -> list[Revision]:
        return self.revisions.list_revisions(session_id, kind=kind)

    def revisions_due(self, today: dt.date) -> list[Revision]:
        return self.revisions.revisions_due(today)

    # --- locks and deletion ----------------------------------------------------------------

    def lock(self, session_id: str) -> PgSessionLock:
        return self.retention.lock(session_id)

    def delete_session(self, session_id: str, *,
                       lock: SessionLockContract | None = None) -> bool:
        return self.retention.delete_session(session_id, lock=lock)

    def purge(self, older_than_days: int, today: dt.date) -> PurgeResult:
        return self.retention.purge(older_than_days, today)


if TYPE_CHECKING:
    def _satisfies_the_contract(store: PgStore) -> StoreContract:
        return store  # mypy --strict assistant fails here if PgStore drifts from the contract
