"""One writer per session on a server: `pg_try_advisory_lock` on the store's connection.

The server releases the lock when the connection ends, however it ends (the client killed,
the network gone), so a crashed holder never blocks the next start, as with the lock files
of the SQLite store. The second writer is told at once, with the same `SessionBusy` and the
same message (who holds it, from the holder's `application_name`, where the server shows it).
"""

from __future__ import annotations

from types import TracebackType
from typing import Self

from assistant.pgstore.db import PgDatabase, check_session_id
from assistant.store.errors import SessionBusy


class PgSessionLock:
    """The right to write to one session, held until `release` (or the connection ends).

    Use as a context manager, or call `acquire` / `release`. `acquire` never waits.
    """

    def __init__(self, db: PgDatabase, session_id: str) -> None:
        self._db = db
        self._held = False
        self.session_id = check_session_id(session_id)

    @property
    def held(self) -> bool:
        """True while this object holds the lock."""
        return self._held

    def acquire(self) -> Self:
        """Take the lock or raise `SessionBusy` at once, naming the holder. Returns self."""
        if not self._held:
            if not self._db.try_lock(self.session_id):
                raise SessionBusy(self.session_id, self._db.lock_holder(self.session_id))
            self._held = True
        return self

    def release(self) -> None:
        """Give the lock up."""
        if self._held:
            self._held = False
            self._db.unlock(self.session_id)

    def __enter__(self) -> Self:
        return self.acquire()

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.release()
