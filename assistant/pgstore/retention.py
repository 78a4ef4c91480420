"""Deleting sessions on the server, one or all those not updated for a while.

The rows are deleted in one transaction, under each session's lock, as in the SQLite store;
each deletion gets a row in the access log (who, when, which session; never its content).
What the server keeps of deleted rows until it vacuums them (dead tuples, its write-ahead
log, its backups) is the server's: its operator's duty, like disk encryption. `erased` is
True once the deletion is committed.
"""

from __future__ import annotations

import datetime as dt

from assistant.pgstore.db import PgDatabase, Transaction
from assistant.pgstore.lock import PgSessionLock
from assistant.store.contract import AccessAction, SessionLockContract
from assistant.store.errors import InvalidSessionData, SessionBusy, SessionNotFound
from assistant.store.retention import PurgeResult


class PgRetention:
    """Deleting one session and purging old ones; and the per-session locks."""

    def __init__(self, db: PgDatabase) -> None:
        self._db = db

    def lock(self, session_id: str) -> PgSessionLock:
        """A (not yet acquired) lock on `session_id`."""
        return PgSessionLock(self._db, session_id)

    def _delete_rows(self, session_ids: list[str], action: AccessAction) -> list[str]:
        """Delete the sessions (their events, revisions and documents go with them: the
        app's roles may not delete those rows themselves), each with a row in the access
        log saying who deleted it (not what it held), in one transaction."""

        def delete(tx: Transaction) -> list[str]:
            found: list[str] = []
            for session_id in session_ids:
                if tx.execute("DELETE FROM sessions WHERE id = %s", (session_id,)).rowcount:
                    found.append(session_id)
                    tx.execute("INSERT INTO access_log (session_id, action) VALUES (%s, %s)",
                               (session_id, action))
            return found

        # Tried again after a lost connection: a session deleted by the first try is gone
        # then, and counts as deleted (the caller holds its lock: nobody else deleted it).
        before = set(session_ids)
        deleted = self._db.run(delete)
        if self._db.reconnects and len(deleted) < len(before):
            still = {str(r["id"]) for r in self._db.read(
                "SELECT id FROM sessions WHERE id = ANY(%s)", (list(before),))}
            deleted = [sid for sid in session_ids if sid not in still]
        return deleted

    def delete_session(self, session_id: str, *,
                       lock: SessionLockContract | None = None) -> bool:
        """Delete a session: its events, plan revisions, documents and row (see
        `Retention.delete_session`). Raises `SessionBusy`, `SessionNotFound`."""
        if lock is not None and (lock.session_id != session_id or not lock.held):
            raise InvalidSessionData("the lock passed is not a held lock on this session")
        self._db.refuse_if_read_only()
        own = lock or self.lock(session_id).acquire()
        try:
            if not self._delete_rows([session_id], "delete"):
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
                result.deleted = self._delete_rows([lk.session_id for lk in locks], "purge")
        finally:
            for held in locks:
                held.release()
        return result
