"""Plan revisions on the server (see assistant/store/revisions.py): written once, never
changed (a trigger refuses updates), numbered 1, 2, ... per session."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from assistant.pgstore.db import PgDatabase, Row, Transaction
from assistant.pgstore.sessions import utc
from assistant.store.contract import AccessAction
from assistant.store.errors import InvalidSessionData, SessionNotFound
from assistant.store.models import Revision, RevisionKind
from assistant.store.revisions import MAX_RESPONSIBLE, check_kind, revision_filter

_COLUMNS = "session_id, revision, created, kind, draft, next_revision_due, responsible"


class PgRevisions:
    """Adding and listing plan revisions."""

    def __init__(self, db: PgDatabase,
                 log: Callable[[str, AccessAction], None] = lambda _id, _why: None) -> None:
        self._db = db
        #: Adds an access-log row for one session's revisions read.
        self._log = log

    @staticmethod
    def _revision(r: Row) -> Revision:
        due = r["next_revision_due"]
        return Revision(session_id=str(r["session_id"]), revision=int(r["revision"]),
                        created=utc(r["created"]), kind=check_kind(str(r["kind"])),
                        draft=str(r["draft"]),
                        next_revision_due=due if isinstance(due, dt.date) else None,
                        responsible=None if r["responsible"] is None else str(r["responsible"]))

    def add_revision(self, session_id: str, kind: RevisionKind, draft: str, *,
                     next_revision_due: dt.date | None = None,
                     responsible: str | None = None) -> Revision:
        """Record a plan revision, committed before returning (see `Revisions`)."""
        kind = check_kind(kind)
        if responsible is not None and len(responsible) > MAX_RESPONSIBLE:
            raise InvalidSessionData(f"'responsible' can be at most {MAX_RESPONSIBLE} characters")
        if isinstance(next_revision_due, dt.datetime):
            raise InvalidSessionData("next_revision_due is a date, not a date and time")
        now = self._db.now()

        def add(tx: Transaction) -> None:
            if tx.execute("SELECT id FROM sessions WHERE id = %s FOR UPDATE",
                          (session_id,)).fetchone() is None:
                raise SessionNotFound(session_id)
            # A retry after a lost connection finds the revision the first try stored (the
            # same moment, the same draft) and stores nothing twice.
            if tx.execute("SELECT 1 FROM plan_revisions WHERE session_id = %s AND created = %s"
                          " AND kind = %s AND draft = %s", (session_id, now, kind, draft)
                          ).fetchone() is not None:
                return
            found = tx.execute("SELECT coalesce(max(revision), 0) AS n FROM plan_revisions"
                               " WHERE session_id = %s", (session_id,)).fetchone()
            number = (int(found["n"]) if found else 0) + 1
            tx.execute(f"INSERT INTO plan_revisions ({_COLUMNS}) VALUES"
                       " (%s, %s, %s, %s, %s, %s, %s)",
                       (session_id, number, now, kind, draft, next_revision_due, responsible))
            status = ", status = 'plan_approved'" if kind == "approved" else ""
            tx.execute(f"UPDATE sessions SET updated = %s{status} WHERE id = %s",
                       (now, session_id))

        self._db.run(add)
        return self._select(session_id, None)[-1]  # its own row: not a read to log

    def list_revisions(self, session_id: str | None = None, *,
                       kind: RevisionKind | None = None,
                       purpose: AccessAction | None = None) -> list[Revision]:
        """The revisions of one session (or of all), oldest first within each session. With
        `purpose` (the drafts are to be shown: they are the session's plan), once the access
        log says so; without, for what is not shown as content (due dates, plan titles)."""
        if session_id is not None and purpose is not None:
            self._log(session_id, purpose)
        return self._select(session_id, kind)

    def _select(self, session_id: str | None, kind: RevisionKind | None) -> list[Revision]:
        clause, params = revision_filter(session_id, kind, "%s")
        rows = self._db.read(f"SELECT {_COLUMNS} FROM plan_revisions{clause}"
                             " ORDER BY session_id, revision", params)
        return [self._revision(r) for r in rows]

    def revisions_due(self, today: dt.date) -> list[Revision]:
        """Plans due on `today`: per session its latest revision, if due by then."""
        rows = self._db.read(
            f"SELECT {_COLUMNS} FROM plan_revisions p"
            " WHERE revision = (SELECT max(revision) FROM plan_revisions q"
            "                   WHERE q.session_id = p.session_id)"
            " AND next_revision_due IS NOT NULL AND next_revision_due <= %s"
            " ORDER BY next_revision_due, session_id", (today,))
        return [self._revision(r) for r in rows]
