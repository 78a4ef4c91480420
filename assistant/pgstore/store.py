"""`PgStore`: the session store on a PostgreSQL server, made of its parts (database,
sessions, revisions, retention), with the same public methods as the SQLite `Store`
(`assistant.store.contract.StoreContract`)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Self

from assistant.pgstore.audit import PgAudit
from assistant.pgstore.db import Clock, PgDatabase, utc_now
from assistant.pgstore.lock import PgSessionLock
from assistant.pgstore.retention import PgRetention
from assistant.pgstore.revisions import PgRevisions
from assistant.pgstore.sessions import PgSessions
from assistant.store.composed import ComposedStore
from assistant.store.contract import (
    ReadOnlyReason,
    StoreContract,
)
from assistant.store.errors import StoreNotEncrypted
from assistant.store.models import (
    AccessEntry,
    CheckFinding,
)


class PgStore(ComposedStore[PgSessionLock]):
    """The session store in a PostgreSQL database. Open with `PgStore.open(conninfo)`.

    Its parts: `db` (`PgDatabase`), `sessions`, `revisions`, `retention` and `audit` (the
    access log); the methods it shares with the SQLite store (`ComposedStore`) hand each
    call to one. Encryption at rest is the server's: `encrypted` is False.
    """

    def __init__(self, db: PgDatabase) -> None:
        self.db = db
        self.sessions: PgSessions = PgSessions(db)
        self.revisions = PgRevisions(db, log=self.sessions.log_access)
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
    def shared(self) -> bool:
        """A department server's store: several users, each read logged."""
        return True

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

    # --- plan revisions --------------------------------------------------------------------


if TYPE_CHECKING:
    def _satisfies_the_contract(store: PgStore) -> StoreContract:
        return store  # mypy --strict assistant fails here if PgStore drifts from the contract
