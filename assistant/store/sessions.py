"""Sessions and their append-only event logs.

`append` is the call the UI makes for every answer: when it returns, the event is committed
and on disk, and only then may the UI say "gemt" (saved). Events are numbered 1, 2, 3 ... per
session; the number is taken inside the write transaction, so two writers can never get the
same one, and a failed write uses none.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
import uuid
from collections.abc import Sequence
from typing import Literal

from pydantic import ValidationError

from assistant.engine.events import EVENT_ADAPTER, Event
from assistant.engine.rehydrate import guide_hash
from assistant.guides.loader import Loaded
from assistant.guides.models import ROLES, PlanTemplate, Role
from assistant.store.contract import AccessAction
from assistant.store.db import Database, Transaction
from assistant.store.errors import InvalidSessionData, SessionNotFound, StoreDamaged
from assistant.store.keys import Keys
from assistant.store.models import SESSION_STATUSES, SessionRow, SessionStatus, StoredDocument
from assistant.text import clean_text

#: Longest session label accepted (a pseudonym or initials needs far less).
MAX_LABEL = 100

_SESSION_COLUMNS = (
    "id, guide_id, guide_version, guide_hash, label, present, created, updated, status, "
    "(SELECT count(*) FROM events e WHERE e.session_id = s.id) AS events"
)


def iso(moment: dt.datetime) -> str:
    """A timestamp as the store writes it: ISO 8601 in UTC (so text order is time order)."""
    if moment.tzinfo is None:
        raise InvalidSessionData("timestamps must be timezone-aware")
    return moment.astimezone(dt.UTC).isoformat(timespec="microseconds")


def clean_label(label: str) -> str:
    cleaned = " ".join(clean_text(label).split())
    if not cleaned:
        raise InvalidSessionData("a session needs a label (a pseudonym or initials)")
    if len(cleaned) > MAX_LABEL:
        raise InvalidSessionData(f"a session label can be at most {MAX_LABEL} characters")
    return cleaned


def roles_json(present: Sequence[str]) -> str:
    if any(r not in ROLES for r in present):
        # The value itself is not repeated: it may be free text typed in the wrong place.
        raise InvalidSessionData(f"unknown role; known roles: {', '.join(ROLES)}")
    return json.dumps(list(dict.fromkeys(present)))


def check_status(status: str) -> SessionStatus:
    for known in SESSION_STATUSES:
        if status == known:
            return known
    raise InvalidSessionData(f"unknown status; known: {', '.join(SESSION_STATUSES)}")


def refuse_other_event(session_id: str, seq: int) -> InvalidSessionData:
    """The error of an append whose number is taken by other content, or skips ahead."""
    return InvalidSessionData(f"event {seq} of session {session_id} is not the next one, "
                              "or is stored already with other content; nothing was saved")


class Sessions:
    """Creating, listing and updating sessions; appending and loading their events.

    The label and the event payloads go through `Keys.seal` / `Keys.unseal`: encrypted in an
    encrypted store, as they are otherwise. The `Store` holds one and delegates to it.
    """

    def __init__(self, db: Database, keys: Keys) -> None:
        self._db = db
        self._keys = keys

    def _row(self, r: sqlite3.Row) -> SessionRow:
        session_id = str(r["id"])
        present: list[Role] = [p for p in json.loads(r["present"]) if p in ROLES]
        return SessionRow(
            id=session_id,
            guide_id=str(r["guide_id"]),
            guide_version=str(r["guide_version"]),
            guide_hash=str(r["guide_hash"]),
            label=self._keys.unseal(r["label"], f"the label of session {session_id}",
                               "sessions", "label", session_id),
            present=tuple(present),
            created=dt.datetime.fromisoformat(str(r["created"])),
            updated=dt.datetime.fromisoformat(str(r["updated"])),
            status=check_status(str(r["status"])),
            events=int(r["events"]),
        )

    def create_session(
        self, guide: Loaded, label: str, present: Sequence[Role] = (),
        keep: Sequence[Loaded] = (),
    ) -> SessionRow:
        """Start a session of `guide`, committed before returning; returns its row.

        `label` is cleaned (control characters removed, spaces collapsed) and must not be
        empty. `present` lists the roles in the room. A copy of `guide`'s text, and of each
        document in `keep` (the plan templates it fills), is stored with the session in the
        same transaction (`documents`). Raises `InvalidSessionData` for a bad label or role,
        `StoreReadOnly` if the store is damaged.
        """
        now = iso(self._db.now())
        session_id, cleaned, roles = uuid.uuid4().hex, clean_label(label), roles_json(present)
        with self._db.write() as tx:
            sealed = self._keys.seal(tx, cleaned, "sessions", "label", session_id)
            tx.execute(
                "INSERT INTO sessions (id, guide_id, guide_version, guide_hash, label, present,"
                " created, updated) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (session_id, guide.document.id, guide.document.version, guide_hash(guide.text),
                 sealed, roles, now, now))
            self._keep(tx, session_id, [guide, *keep], now)
        return self.get_session(session_id)

    def _keep(self, tx: Transaction, session_id: str, documents: Sequence[Loaded],
              now: str) -> None:
        """Store a copy of each of `documents` with the session, after those it has (a copy
        it already holds, same id and text, is not stored again)."""
        held = {(str(r[0]), str(r[1])) for r in tx.execute(
            "SELECT doc_id, hash FROM session_documents WHERE session_id = ?", (session_id,))}
        position = int(tx.execute(
            "SELECT coalesce(max(position), 0) FROM session_documents WHERE session_id = ?",
            (session_id,)).fetchone()[0])
        for document in documents:
            digest = guide_hash(document.text)
            if (document.id, digest) in held:
                continue
            held.add((document.id, digest))
            position += 1
            kind = "plan_template" if isinstance(document.document, PlanTemplate) else "guide"
            text = self._keys.seal(tx, document.text, "session_documents", "text", session_id,
                                   position)
            tx.execute("INSERT INTO session_documents (session_id, position, kind, doc_id, "
                       "hash, text, added) VALUES (?, ?, ?, ?, ?, ?, ?)",
                       (session_id, position, kind, document.id, digest, text, now))

    def documents(self, session_id: str) -> list[StoredDocument]:
        """The copies of the guide and plan templates kept with the session, oldest first
        ([] for a session stored before copies were kept). Raises `StoreDamaged` for a copy
        that cannot be read."""
        rows = self._db.read("SELECT position, kind, doc_id, hash, text, added FROM "
                             "session_documents WHERE session_id = ? ORDER BY position",
                             (session_id,))
        out: list[StoredDocument] = []
        for r in rows:
            position = int(r["position"])
            text = self._keys.unseal(r["text"], f"document {position} of session {session_id}",
                                     "session_documents", "text", session_id, position)
            kind: Literal["guide", "plan_template"] = \
                "plan_template" if r["kind"] == "plan_template" else "guide"
            out.append(StoredDocument(kind=kind, id=str(r["doc_id"]), hash=str(r["hash"]),
                                      text=text, added=dt.datetime.fromisoformat(r["added"])))
        return out

    def get_session(self, session_id: str) -> SessionRow:
        """The session with this id; raises `SessionNotFound` if there is none."""
        rows = self._db.read(f"SELECT {_SESSION_COLUMNS} FROM sessions s WHERE id = ?",
                          (session_id,))
        if not rows:
            raise SessionNotFound(session_id)
        return self._row(rows[0])

    def session_ids(self, prefix: str = "") -> list[str]:
        """The ids of the sessions whose id starts with `prefix` (all, for ""), sorted.

        Reads ids only (no label is unsealed), for resolving an abbreviated id.
        """
        rows = self._db.read("SELECT id FROM sessions WHERE substr(id, 1, ?) = ? ORDER BY id",
                          (len(prefix), prefix))
        return [str(r["id"]) for r in rows]

    def list_sessions(self, *, unfinished_only: bool = False) -> list[SessionRow]:
        """Every session (or only those in progress), most recently updated first."""
        where = "WHERE status = 'in_progress'" if unfinished_only else ""
        rows = self._db.read(f"SELECT {_SESSION_COLUMNS} FROM sessions s {where} "
                          "ORDER BY updated DESC, created DESC, id")
        return [self._row(r) for r in rows]

    def update_session(
        self,
        session_id: str,
        *,
        label: str | None = None,
        present: Sequence[Role] | None = None,
        status: SessionStatus | None = None,
        guide: Loaded | None = None,
        keep: Sequence[Loaded] = (),
    ) -> SessionRow:
        """Change a session's label, roles present, status, or guide version; returns the row.

        Pass `guide` to record that the session continues on a new version of its guide
        (after the user has seen what no longer fits); its text, and those of `keep`, are
        kept with the session as at `create_session`. The events are not touched. Raises
        `SessionNotFound`, `InvalidSessionData`.
        """
        changes: dict[str, str | bytes] = {}
        new_label = clean_label(label) if label is not None else None
        if present is not None:
            changes["present"] = roles_json(present)
        if status is not None:
            changes["status"] = check_status(status)
        if guide is not None:
            changes.update(guide_id=guide.document.id, guide_version=guide.document.version,
                           guide_hash=guide_hash(guide.text))
        now = changes["updated"] = iso(self._db.now())
        with self._db.write() as tx:
            if guide is not None:  # the new version's text is kept too
                self._keep(tx, session_id, [guide, *keep], now)
            if new_label is not None:  # sealed inside the transaction (see `Keys.seal`)
                changes["label"] = self._keys.seal(tx, new_label, "sessions", "label", session_id)
            assignments = ", ".join(f"{column} = ?" for column in changes)  # fixed names
            cursor = tx.execute(f"UPDATE sessions SET {assignments} WHERE id = ?",
                                (*changes.values(), session_id))
            if cursor.rowcount == 0:
                raise SessionNotFound(session_id)
        return self.get_session(session_id)

    def append(self, session_id: str, event: Event, *, seq: int | None = None) -> int:
        """Add `event` to the session's log; returns its sequence number (1, 2, ...).

        Promise: when this returns, the event is committed and synced to disk in its own
        transaction. If it raises, nothing of it was written. Raises `SessionNotFound`,
        `StoreReadOnly`, `StoreWriteError` (disk full, I/O error), `StoreBusy`.

        Idempotent with `seq` (the number the caller expects the event to get): if that
        event is stored already with the same content (a retry), nothing is stored and `seq`
        is returned; other content at that number, or a number that is not the next one,
        raises `InvalidSessionData`.
        """
        payload = EVENT_ADAPTER.dump_json(event).decode("utf-8")
        at = iso(event.at)
        with self._db.write() as tx:
            # Reading the last seq is safe here: BEGIN IMMEDIATE already holds the write lock.
            found = tx.execute(
                "SELECT (SELECT coalesce(max(seq), 0) FROM events WHERE session_id = ?)"
                " FROM sessions WHERE id = ?", (session_id, session_id)).fetchone()
            if found is None:
                raise SessionNotFound(session_id)
            last = int(found[0])
            if seq is not None and seq <= last:
                stored = tx.execute("SELECT payload FROM events WHERE session_id = ? AND "
                                    "seq = ?", (session_id, seq)).fetchone()
                if stored is not None and self._keys.unseal(
                        stored[0], f"event {seq} of session {session_id}", "events",
                        "payload", session_id, seq) == payload:
                    return seq  # stored already: the retry changes nothing
                raise refuse_other_event(session_id, seq)
            if seq is not None and seq != last + 1:
                raise refuse_other_event(session_id, seq)
            number = last + 1
            sealed = self._keys.seal(tx, payload, "events", "payload", session_id, number)
            tx.execute("INSERT INTO events (session_id, seq, type, payload, at)"
                       " VALUES (?, ?, ?, ?, ?)", (session_id, number, event.type, sealed, at))
            tx.execute("UPDATE sessions SET updated = ? WHERE id = ?",
                       (iso(self._db.now()), session_id))
        return number

    def load_events(self, session_id: str, *, purpose: AccessAction = "read") -> list[Event]:
        """Every event of the session, in the order appended. Raises `SessionNotFound`.
        (`purpose` is for a shared store's access log: a file is one person's own.)

        Raises `StoreDamaged` if a stored event cannot be read back (the message names its
        sequence number, not its content).
        """
        rows = self._db.read("SELECT seq, payload FROM events WHERE session_id = ? ORDER BY seq",
                          (session_id,))
        if not rows:
            self.get_session(session_id)  # raises SessionNotFound, or it has no events
        events: list[Event] = []
        for seq, raw in rows:
            payload = self._keys.unseal(raw, f"event {seq} of session {session_id}",
                                   "events", "payload", session_id, int(seq))
            try:
                events.append(EVENT_ADAPTER.validate_json(payload))
            except ValidationError:
                # hide_input_in_errors keeps the content out of pydantic's message, but we do
                # not pass it on either: the seq is all anyone needs to find the event.
                raise StoreDamaged(f"event {seq} of session {session_id} cannot be read: "
                                   "it is damaged or was written by a newer version") from None
        return events
