"""The access log of a shared store, read for the data controller (`sdm audit`).

Every read of a session's content (opening it in the chat, `sdm sessions show`, an export,
a meeting taking over a preparation's answers, a copy) and every deletion adds a row: when,
which role, from which program, which session, what was done (sundhedsloven § 42 a). The
server stamps who and when (a trigger), so a client cannot write another's name; nobody can
change or delete a row (triggers, the tables' owner included). Only the operator (the
tables' owner) and members of `sdm_auditor` may read it: a clinician's role cannot.
"""

from __future__ import annotations

from assistant.pgstore.db import PgDatabase, check_session_id
from assistant.pgstore.sessions import utc
from assistant.store.errors import StoreUnavailable
from assistant.store.models import AccessEntry


class PgAudit:
    """Reading the access log."""

    def __init__(self, db: PgDatabase) -> None:
        self._db = db

    def entries(self, *, session_id: str | None = None, role: str | None = None,
                limit: int | None = None) -> list[AccessEntry]:
        """The rows about one session and/or by one role (all, for neither), oldest first
        (the newest `limit` of them, with `limit`). Raises `StoreUnavailable` saying so when
        this role may not read the log."""
        where: list[str] = []
        params: list[object] = []
        if session_id is not None:
            where.append("session_id = %s")
            params.append(check_session_id(session_id))
        if role is not None:
            where.append("role = %s")
            params.append(role)
        clause = f" WHERE {' AND '.join(where)}" if where else ""
        newest = f" ORDER BY id DESC LIMIT {int(limit)}" if limit is not None else ""
        try:
            rows = self._db.read(
                f"SELECT * FROM (SELECT id, at, role, client, session_id, action FROM access_log"
                f"{clause}{newest}) t ORDER BY id", tuple(params))
        except StoreUnavailable as exc:
            if "42501" in exc.message:
                raise StoreUnavailable(
                    f"the access log of the session store ({self._db.where}) is read by the "
                    "data controller's staff only: a role in sdm_auditor, or the store's "
                    "operator") from None
            raise
        return [AccessEntry(at=utc(r["at"]), role=str(r["role"]), client=str(r["client"]),
                            session_id=str(r["session_id"]), action=str(r["action"]))
                for r in rows]
