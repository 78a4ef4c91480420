"""Sessions and their append-only event logs on the server (see assistant/store/sessions.py
for the same on SQLite; the checks of labels, roles and statuses are shared).

Events are numbered 1, 2, 3 ... per session inside the write transaction, which first locks
the session's row (`FOR UPDATE`), so two writers never take the same number. Appends are
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
from assistant.pgstore.db import PgDatabase, Row, Transaction
from assistant.store.errors import InvalidSessionData, SessionNotFound, StoreDamaged
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
        with self._db.write() as tx:
            tx.execute(
                "INSERT INTO sessions (id, guide_id, guide_version, guide_hash, label, present,"
                " created, updated) VALUES (%s, %s, %s, %s, %s, %s, %s, %s)",
                (session_id, guide.document.id, guide.document.version, guide_hash(guide.text),
                 cleaned, roles, now, now))
            self._keep(tx, session_id, [guide, *keep], now)
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
        with self._db.write() as tx:
            assignments = ", ".join(f"{column} = %s" for column in changes)  # fixed names
            cursor = tx.execute(f"UPDATE sessions SET {assignments} WHERE id = %s",
                                (*changes.values(), session_id))
            if cursor.rowcount == 0:
                raise SessionNotFound(session_id)
            if guide is not None:
                self._keep(tx, session_id, [guide, *keep], now)
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
        with self._db.write() as tx:
            found = tx.execute("SELECT id FROM sessions WHERE id = %s FOR UPDATE",
                               (session_id,)).fetchone()
            if found is None:
                raise SessionNotFound(session_id)
            last_row = tx.execute("SELECT coalesce(max(seq), 0) AS last FROM events"
                                  " WHERE session_id = %s", (session_id,)).fetchone()
            last = int(last_row["last"]) if last_row else 0
            if seq is not None and seq <= last:
                stored = tx.execute("SELECT payload FROM events WHERE session_id = %s AND"
                                    " seq = %s", (session_id, seq)).fetchone()
                if stored is not None and stored["payload"] == payload:
                    return seq  # stored already: the retry changes nothing
                raise refuse_other_event(session_id, seq)
            if seq is not None and seq != last + 1:
                raise refuse_other_event(session_id, seq)
            number = last + 1
            tx.execute("INSERT INTO events (session_id, seq, type, payload, at)"
                       " VALUES (%s, %s, %s, %s, %s)",
                       (session_id, number, event.type, payload, at))
            tx.execute("UPDATE sessions SET updated = %s WHERE id = %s",
                       (_aware(self._db.now()), session_id))
        return number

    def load_events(self, session_id: str) -> list[Event]:
        """Every event of the session, in order. Raises `SessionNotFound`, and
        `StoreDamaged` for an event that cannot be read (naming its number only)."""
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
