"""Deleting sessions so that their data is really gone from the files (R12).

`secure_delete` (set on every connection) makes SQLite overwrite deleted rows and freed pages
with zeros. The deletion itself is first written to the WAL, and older WAL frames still hold
the old pages, so after deleting, the WAL is checkpointed into the database and truncated to
zero bytes. Only then are the deleted bytes gone from the database, -wal and -shm files. (What
the file system or an SSD keeps in blocks it has released is beyond what a program can erase;
full-disk encryption covers that.)
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from assistant.store.contract import SessionLockContract
from assistant.store.db import Database
from assistant.store.errors import InvalidSessionData, SessionBusy, SessionNotFound
from assistant.store.lock import SessionLock


@dataclass
class PurgeResult:
    """What `purge` did: sessions deleted, sessions skipped because they were open elsewhere,
    and whether the deleted data is gone from every file (see `Database.checkpoint`)."""

    deleted: list[str] = field(default_factory=list)
    busy: list[str] = field(default_factory=list)
    erased: bool = True


class Retention:
    """Deleting one session and purging old ones, each followed by a checkpoint of the WAL;
    and the per-session locks that keep a session open elsewhere from being deleted. The
    `Store` holds one and delegates to it."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def lock(self, session_id: str) -> SessionLock:
        """A (not yet acquired) lock on `session_id` in this store's lock folder."""
        return SessionLock(self._db.lock_dir, session_id)

    def _delete_rows(self, session_ids: list[str]) -> list[str]:
        """Delete the sessions' rows in one transaction; returns the ids that existed."""
        found: list[str] = []
        with self._db.write() as tx:
            for session_id in session_ids:
                # Children first, explicitly: the data must go even if a future schema
                # forgets an ON DELETE CASCADE.
                tx.execute("DELETE FROM events WHERE session_id = ?", (session_id,))
                tx.execute("DELETE FROM plan_revisions WHERE session_id = ?", (session_id,))
                tx.execute("DELETE FROM session_documents WHERE session_id = ?", (session_id,))
                if tx.execute("DELETE FROM sessions WHERE id = ?", (session_id,)).rowcount:
                    found.append(session_id)
        return found

    def delete_session(self, session_id: str, *,
                       lock: SessionLockContract | None = None) -> bool:
        """Delete a session: its events, plan revisions and row. Returns whether it is erased.

        The deletion is committed when this returns. The return value says whether the WAL
        could also be checkpointed and truncated, so that no file holds the deleted bytes any
        more; False means another connection was reading, and `checkpoint()` should be
        called later (the next start does it too).

        Takes the session's lock for the deletion, so a session open in another instance is
        not deleted under it: raises `SessionBusy`. A caller that holds the lock itself passes
        it as `lock`. Raises `SessionNotFound` if there is no such session.
        """
        if lock is not None and (lock.session_id != session_id or not lock.held):
            raise InvalidSessionData("the lock passed is not a held lock on this session")
        self._db.refuse_if_read_only()  # before the lock: a read-only store gets no lock files
        own = lock or self.lock(session_id).acquire()
        try:
            if not self._delete_rows([session_id]):
                raise SessionNotFound(session_id)
        finally:
            if lock is None:
                own.release()
        return self._db.checkpoint()

    def purge(self, older_than_days: int, today: dt.date) -> PurgeResult:
        """Delete every session not updated for `older_than_days` days before `today`.

        A session counts as old when its last update was before the start (UTC) of the day
        `today - older_than_days`. Sessions open in another instance are skipped and listed
        in `busy`.
        """
        if older_than_days < 0:
            raise InvalidSessionData("older_than_days must be 0 or more")
        cutoff = (today - dt.timedelta(days=older_than_days)).isoformat()
        rows = self._db.read("SELECT id FROM sessions WHERE updated < ? ORDER BY updated",
                          (cutoff,))
        result = PurgeResult()
        locks: list[SessionLock] = []
        try:
            for (session_id,) in rows:
                try:
                    locks.append(self.lock(session_id).acquire())
                except SessionBusy:
                    result.busy.append(session_id)
            if locks:
                result.deleted = self._delete_rows([lk.session_id for lk in locks])
        finally:
            for held in locks:
                held.release()
        if result.deleted:
            result.erased = self._db.checkpoint()
        return result
