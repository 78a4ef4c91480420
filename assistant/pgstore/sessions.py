"""Sessions and their append-only event logs on the server (see assistant/store/sessions.py
for the same on SQLite; the checks of labels, roles and statuses are shared).

Events are numbered 1, 2, 3 ... per session by the server function `sdm_append` (schema
version 5), which first locks the session's row (`FOR UPDATE`), so two writers never take
the same number. Appends are
idempotent when the caller names the number (`seq`): a retry of an event already stored (the
same number, the same content) stores nothing and returns the number; other content at that
number is refused.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Sequence
from typing import Literal

from pydantic import ValidationError

from assistant.engine.events import EVENT_ADAPTER, Event
from assistant.engine.rehydrate import guide_hash
from assistant.guides.loader import Loaded
from assistant.guides.models import ROLES, PlanTemplate, Role
from assistant.pgstore.db import PgDatabase, Row, Transaction, check_session_id
from assistant.store.contract import AccessAction
from assistant.store.errors import (
    InvalidSessionData,
    SessionNotFound,
    StoreDamaged,
    StoreWriteError,
)
from assistant.store.models import SessionRow, SessionStatus, StoredDocument
from assistant.store.sessions import check_status, clean_label, refuse_other_event, roles_json

_SESSION_COLUMNS = (
    "id, guide_id, guide_version, guide_hash, label, present, created, updated, status, "
    "(SELECT count(*) FROM events e WHERE e.session_id = s.id) AS events"
)


def utc(moment: object) -> dt.datetime:
    """A `timestamptz` as read, in UTC."""
    assert isinstance(moment, dt.datetime)
    return moment.astimezone(dt.UTC)


def _aware(moment: dt.datetime) -> dt.datetime:
    if moment.tzinfo is None:
        raise InvalidSessionData("timestamps must be timezone-aware")
    return moment


class PgSessions:
    """Creating, listing and updating sessions; appending and loading their events."""

    def __init__(self, db: PgDatabase) -> None:
        self._db = db

    @staticmethod
    def _row(r: Row) -> SessionRow:
        present: list[Role] = [p for p in json.loads(r["present"]) if p in ROLES]
        return SessionRow(
            id=str(r["id"]), guide_id=str(r["guide_id"]),
            guide_version=str(r["guide_version"]), guide_hash=str(r["guide_hash"]),
            label=str(r["label"]), present=tuple(present), created=utc(r["created"]),
            updated=utc(r["updated"]), status=check_status(str(r["status"])),
            events=int(r["events"]),
        )

    def create_session(self, guide: Loaded, label: str, present: Sequence[Role] = (),
                       keep: Sequence[Loaded] = ()) -> SessionRow:
        """Start a session of `guide`, committed before returning (see `Sessions`)."""
        now = _aware(self._db.now())
        session_id, cleaned, roles = uuid.uuid4().hex, clean_label(label), roles_json(present)

        def create(tx: Transaction) -> None:
            # ON CONFLICT: a retry after a lost connection finds its own row (the id is
            # new and random), and stores nothing twice.
            tx.execute(
                "INSERT INTO sessions (id, guide_id, guide_version, guide_hash, label, present,"
                " created, updated) VALUES (%s, %s, %s, %s, %s, %s, %s, %s)"
                " ON CONFLICT (id) DO NOTHING",
                (session_id, guide.document.id, guide.document.version, guide_hash(guide.text),
                 cleaned, roles, now, now))
            self._keep(tx, session_id, [guide, *keep], now)

        self._db.run(create)
        return self.get_session(session_id)

    @staticmethod
    def _keep(tx: Transaction, session_id: str, documents: Sequence[Loaded],
              now: dt.datetime) -> None:
        held = {(str(r["doc_id"]), str(r["hash"])) for r in tx.execute(
            "SELECT doc_id, hash FROM session_documents WHERE session_id = %s",
            (session_id,)).fetchall()}
        found = tx.execute("SELECT coalesce(max(position), 0) AS p FROM session_documents"
                           " WHERE session_id = %s", (session_id,)).fetchone()
        position = int(found["p"]) if found else 0
        for document in documents:
            digest = guide_hash(document.text)
            if (document.id, digest) in held:
                continue
            held.add((document.id, digest))
            position += 1
            kind = "plan_template" if isinstance(document.document, PlanTemplate) else "guide"
            tx.execute("INSERT INTO session_documents (session_id, position, kind, doc_id, "
                       "hash, text, added) VALUES (%s, %s, %s, %s, %s, %s, %s)",
                       (session_id, position, kind, document.id, digest, document.text, now))

    def documents(self, session_id: str) -> list[StoredDocument]:
        """The copies of the guide and plan templates kept with the session, oldest first."""
        rows = self._db.read("SELECT kind, doc_id, hash, text, added FROM session_documents"
                             " WHERE session_id = %s ORDER BY position", (session_id,))
        out: list[StoredDocument] = []
        for r in rows:
            kind: Literal["guide", "plan_template"] = \
                "plan_template" if r["kind"] == "plan_template" else "guide"
            out.append(StoredDocument(kind=kind, id=str(r["doc_id"]), hash=str(r["hash"]),
                                      text=str(r["text"]), added=utc(r["added"])))
        return out

    def log_access(self, session_id: str, action: AccessAction) -> None:
        """Add a row to the access log: this role did `action` to the session, now. The
        server stamps who and when. Not for a read-only store (its schema is newer): the
        reading still happens, as the newer program would log it its own way."""
        if self._db.read_only:
            return
        check_session_id(session_id)
        self._db.call("INSERT INTO access_log (session_id, action) VALUES (%s, %s)",
                      (session_id, action))

    def get_session(self, session_id: str) -> SessionRow:
        """The session with this id; raises `SessionNotFound` if there is none."""
        rows = self._db.read(f"SELECT {_SESSION_COLUMNS} FROM sessions s WHERE id = %s",
                             (session_id,))
        if not rows:
            raise SessionNotFound(session_id)
        return self._row(rows[0])

    def session_ids(self, prefix: str = "") -> list[str]:
        """The ids of the sessions whose id starts with `prefix` (all, for ""), sorted."""
        rows = self._db.read("SELECT id FROM sessions WHERE left(id, %s) = %s ORDER BY id",
                             (len(prefix), prefix))
        return [str(r["id"]) for r in rows]

    def list_sessions(self, *, unfinished_only: bool = False) -> list[SessionRow]:
        """Every session (or only those in progress), most recently updated first."""
        where = "WHERE status = 'in_progress'" if unfinished_only else ""
        rows = self._db.read(f"SELECT {_SESSION_COLUMNS} FROM sessions s {where} "
                             "ORDER BY updated DESC, created DESC, id")
        return [self._row(r) for r in rows]

    def update_session(
        self, session_id: str, *, label: str | None = None,
        present: Sequence[Role] | None = None, status: SessionStatus | None = None,
        guide: Loaded | None = None, keep: Sequence[Loaded] = (),
    ) -> SessionRow:
        """Change a session's label, roles present, status, or guide version (see
        `Sessions.update_session`)."""
        changes: dict[str, object] = {}
        if label is not None:
            changes["label"] = clean_label(label)
        if present is not None:
            changes["present"] = roles_json(present)
        if status is not None:
            changes["status"] = check_status(status)
        if guide is not None:
            changes.update(guide_id=guide.document.id, guide_version=guide.document.version,
                           guide_hash=guide_hash(guide.text))
        now = _aware(self._db.now())
        changes["updated"] = now

        def update(tx: Transaction) -> None:  # the same values again: safe to retry
            assignments = ", ".join(f"{column} = %s" for column in changes)  # fixed names
            cursor = tx.execute(f"UPDATE sessions SET {assignments} WHERE id = %s",
                                (*changes.values(), session_id))
            if cursor.rowcount == 0:
                raise SessionNotFound(session_id)
            if guide is not None:
                self._keep(tx, session_id, [guide, *keep], now)

        self._db.run(update)
        return self.get_session(session_id)

    def append(self, session_id: str, event: Event, *, seq: int | None = None) -> int:
        """Add `event` to the session's log; returns its number, once committed.

        With `seq` (the number the caller expects it to get): if that event is stored
        already with the same content (a retry after a lost answer from the server),
        nothing is stored and `seq` is returned; other content there, or a number that is
        not the next one, raises `InvalidSessionData`.
        """
        payload = EVENT_ADAPTER.dump_json(event).decode("utf-8")
        at = _aware(event.at)
        try:
            # One round trip (the function sdm_append, schema version 5); without `seq` a
            # lost connection is not retried blindly: the number it would have got is
            # asked for first, so the retry is idempotent too.
            expected = seq if seq is not None else self._next_seq(session_id)
            rows = self._db.call("SELECT sdm_append(%s, %s, %s, %s, %s, %s) AS seq",
                                 (session_id, expected, event.type, payload, at,
                                  _aware(self._db.now())))
        except StoreWriteError as exc:
            if exc.sqlstate == "SD002":
                raise SessionNotFound(session_id) from None
            if exc.sqlstate == "SD001":
                if seq is None:  # another writer took the number: the next one, then
                    return self.append(session_id, event)
                raise refuse_other_event(session_id, seq) from None
            raise
        return int(rows[0]["seq"])

    def _next_seq(self, session_id: str) -> int:
        rows = self._db.read("SELECT coalesce(max(seq), 0) + 1 AS next FROM events"
                             " WHERE session_id = %s", (session_id,))
        return int(rows[0]["next"])

    def load_events(self, session_id: str, *, purpose: AccessAction = "read") -> list[Event]:
        """Every event of the session, in order, once the access log has a row saying who
        read them and why (`purpose`). Raises `SessionNotFound`, and `StoreDamaged` for an
        event that cannot be read (naming its number only)."""
        self.log_access(session_id, purpose)
        rows = self._db.read("SELECT seq, payload FROM events WHERE session_id = %s"
                             " ORDER BY seq", (session_id,))
        if not rows:
            self.get_session(session_id)
        events: list[Event] = []
        for r in rows:
            try:
                events.append(EVENT_ADAPTER.validate_json(r["payload"]))
            except ValidationError:
                raise StoreDamaged(f"event {r['seq']} of session {session_id} cannot be read: "
                                   "it is damaged or was written by a newer version") from None
        return events
