"""Plan revisions: each approved or exported version of a session's plan, and when it is due.

A revision is written once and never changed (a trigger refuses updates). The plan draft is
stored as the JSON text the caller gives; the store never parses it, so the plan module can
change its format without a store migration.
"""

from __future__ import annotations

import datetime as dt
import sqlite3

from assistant.store.contract import AccessAction
from assistant.store.db import Database
from assistant.store.errors import InvalidSessionData, SessionNotFound
from assistant.store.keys import Keys
from assistant.store.models import REVISION_KINDS, Revision, RevisionKind
from assistant.store.sessions import iso

#: Longest "responsible" text accepted (a name, a role or a team).
MAX_RESPONSIBLE = 500

_COLUMNS = "session_id, revision, created, kind, draft, next_revision_due, responsible"


def check_kind(kind: str) -> RevisionKind:
    for known in REVISION_KINDS:
        if kind == known:
            return known
    raise InvalidSessionData(f"unknown revision kind; known: {', '.join(REVISION_KINDS)}")


def revision_filter(session_id: str | None, kind: RevisionKind | None,
                    mark: str) -> tuple[str, tuple[str, ...]]:
    """The WHERE clause (or "") and its parameters that pick one session's revisions and/or
    one kind, for either backend: `mark` is its placeholder ("?" SQLite, "%s" psycopg)."""
    where: list[str] = []
    params: list[str] = []
    if session_id is not None:
        where.append(f"session_id = {mark}")
        params.append(session_id)
    if kind is not None:
        where.append(f"kind = {mark}")
        params.append(check_kind(kind))
    return (f" WHERE {' AND '.join(where)}" if where else ""), tuple(params)


class Revisions:
    """Adding and listing plan revisions. The draft and `responsible` are sealed (`Keys.seal`).
    The `Store` holds one and delegates to it."""

    def __init__(self, db: Database, keys: Keys) -> None:
        self._db = db
        self._keys = keys

    def _revision(self, r: sqlite3.Row) -> Revision:
        due, responsible = r["next_revision_due"], r["responsible"]
        session_id, number = str(r["session_id"]), int(r["revision"])
        where = f"revision {number} of session {session_id}"
        return Revision(
            session_id=session_id,
            revision=number,
            created=dt.datetime.fromisoformat(r["created"]),
            kind=check_kind(r["kind"]),
            draft=self._keys.unseal(r["draft"], f"the plan draft of {where}",
                               "plan_revisions", "draft", session_id, number),
            next_revision_due=dt.date.fromisoformat(due) if due else None,
            responsible=None if responsible is None else self._keys.unseal(
                responsible, f"'responsible' of {where}",
                "plan_revisions", "responsible", session_id, number),
        )

    def add_revision(
        self,
        session_id: str,
        kind: RevisionKind,
        draft: str,
        *,
        next_revision_due: dt.date | None = None,
        responsible: str | None = None,
    ) -> Revision:
        """Record a plan revision (numbered 1, 2, ... per session), committed before returning.

        `draft` is opaque JSON text. An `approved` revision also sets the session's status
        to `plan_approved`, in the same transaction. Raises `SessionNotFound`,
        `InvalidSessionData` (unknown kind, text too long), `StoreReadOnly`.
        """
        kind = check_kind(kind)
        if responsible is not None and len(responsible) > MAX_RESPONSIBLE:
            raise InvalidSessionData(f"'responsible' can be at most {MAX_RESPONSIBLE} characters")
        if isinstance(next_revision_due, dt.datetime):
            raise InvalidSessionData("next_revision_due is a date, not a date and time")
        now = iso(self._db.now())
        due = next_revision_due.isoformat() if next_revision_due else None
        with self._db.write() as tx:
            found = tx.execute(
                "SELECT (SELECT coalesce(max(revision), 0) FROM plan_revisions"
                " WHERE session_id = ?) FROM sessions WHERE id = ?",
                (session_id, session_id)).fetchone()
            if found is None:
                raise SessionNotFound(session_id)
            number = int(found[0]) + 1
            sealed_draft = self._keys.seal(tx, draft, "plan_revisions", "draft", session_id, number)
            sealed_responsible = None if responsible is None else self._keys.seal(
                tx, responsible, "plan_revisions", "responsible", session_id, number)
            tx.execute(f"INSERT INTO plan_revisions ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?)",
                       (session_id, number, now, kind, sealed_draft, due, sealed_responsible))
            status = ", status = 'plan_approved'" if kind == "approved" else ""
            tx.execute(f"UPDATE sessions SET updated = ?{status} WHERE id = ?",
                       (now, session_id))
        return self.list_revisions(session_id)[-1]

    def list_revisions(self, session_id: str | None = None, *,
                       kind: RevisionKind | None = None,
                       purpose: AccessAction | None = None) -> list[Revision]:
        """The revisions of one session (or of all), oldest first within each session; only
        those of `kind` (`approved` or `exported`) when given. Only the rows asked for are
        unsealed."""
        clause, params = revision_filter(session_id, kind, "?")
        rows = self._db.read(f"SELECT {_COLUMNS} FROM plan_revisions{clause}"
                          " ORDER BY session_id, revision", params)
        return [self._revision(r) for r in rows]

    def revisions_due(self, today: dt.date) -> list[Revision]:
        """Plans due for revision on `today`: per session, its latest revision, if that has
        a `next_revision_due` on or before `today`. Earliest due date first.

        Only the latest revision counts: a newer revision replaces the older one's due date
        (or clears it, if it has none).
        """
        rows = self._db.read(
            f"SELECT {_COLUMNS} FROM plan_revisions p"
            " WHERE revision = (SELECT max(revision) FROM plan_revisions q"
            "                   WHERE q.session_id = p.session_id)"
            " AND next_revision_due IS NOT NULL AND next_revision_due <= ?"
            " ORDER BY next_revision_due, session_id", (today.isoformat(),))
        return [self._revision(r) for r in rows]
