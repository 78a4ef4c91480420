"""Deleting sessions on the server, one or all those not updated for a while.

The rows are deleted in one transaction, under each session's lock, as in the SQLite store.
What the server keeps of deleted rows until it vacuums them (dead tuples, its write-ahead
log, its backups) is the server's: its operator's duty, like disk encryption. `erased` is
True once the deletion is committed.
"""

from __future__ import annotations

import datetime as dt

from assistant.pgstore.db import PgDatabase
from assistant.pgstore.lock import PgSessionLock
from assistant.store.contract import SessionLockContract
from assistant.store.errors import InvalidSessionData, SessionBusy, SessionNotFound
from assistant.store.retention import PurgeResult


class PgRetention:
    """Deleting one session and purging old ones; and the per-session locks."""

    def __init__(self, db: PgDatabase) -> None:
        self._db = db

    def lock(self, session_id: str) -> PgSessionLock:
        """A (not yet acquired) lock on `session_id`."""
        return PgSessionLock(self._db, session_id)

    def _delete_rows(self, session_ids: list[str]) -> list[str]:
        found: list[str] = []
        with self._db.write() as tx:
            for session_id in session_ids:
                tx.execute("DELETE FROM events WHERE session_id = %s", (session_id,))
                tx.execute("DELETE FROM plan_revisions WHERE session_id = %s", (session_id,))
                tx.execute("DELETE FROM session_documents WHERE session_id = %s",
                           (session_id,))
                if tx.execute("DELETE FROM sessions WHERE id = %s", (session_id,)).rowcount:
                    found.append(session_id)
        return found

    def delete_session(self, session_id: str, *,
                       lock: SessionLockContract | None = None) -> bool:
        """Delete a session: its events, plan revisions, documents and row (see
        `Retention.delete_session`). Raises `SessionBusy`, `SessionNotFound`."""
        if lock is not None and (lock.session_id != session_id or not lock.held):
            raise InvalidSessionData("the lock passed is not a held lock on this session")
        self._db.refuse_if_read_only()
        own = lock or self.lock(session_id).acquire()
        try:
            if not self._delete_rows([session_id]):
                raise SessionNotFound(session_id)
        finally:
            if lock is None:
                own.release()
        return True

    def purge(self, older_than_days: int, today: dt.date) -> PurgeResult:
        """Delete every session not updated since the start (UTC) of the day
        `today - older_than_days`; sessions open elsewhere are skipped (`busy`)."""
        if older_than_days < 0:
            raise InvalidSessionData("older_than_days must be 0 or more")
        cutoff = dt.datetime.combine(today - dt.timedelta(days=older_than_days), dt.time(),
                                     dt.UTC)
        rows = self._db.read("SELECT id FROM sessions WHERE updated < %s ORDER BY updated",
                             (cutoff,))
        result = PurgeResult()
        locks: list[PgSessionLock] = []
        try:
            for r in rows:
                try:
                    locks.append(self.lock(str(r["id"])).acquire())
                except SessionBusy:
                    result.busy.append(str(r["id"]))
            if locks:
                result.deleted = self._delete_rows([lk.session_id for lk in locks])
        finally:
            for held in locks:
                held.release()
        return result
