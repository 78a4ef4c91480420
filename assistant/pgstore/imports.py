"""Moving in (issue 19, item 5): one session, read whole from another store (a clinician's
SQLite file), written to the server as it was, with its id, times, event numbers, plan
revisions and kept documents.

    outcome = import_session(db, row, events, revisions, documents)   # "copied" / "present"
    digest = session_digest(*read_session(db, row.id))                 # what the server holds

A session is written in one transaction (`PgDatabase.run`, tried again after a lost
connection: the retry finds it written and says "present"): all of it or nothing. One
already on the server is compared by its digest (`session_digest`): the same content is
"present" (nothing is written, so copying twice is safe); other content is refused
(`SessionConflict`), never overwritten or merged. Reading a session back from the server is
logged in its access log as a "copy".

Messages name session ids and counts only, never a label, an answer or a draft.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Sequence
from typing import Literal

from pydantic import ValidationError

from assistant.engine.events import EVENT_ADAPTER, Event
from assistant.pgstore.db import PgDatabase, Transaction, check_session_id
from assistant.pgstore.revisions import PgRevisions
from assistant.pgstore.sessions import PgSessions
from assistant.store.contract import AccessAction
from assistant.store.errors import SessionNotFound, StoreDamaged, StoreError
from assistant.store.models import Revision, SessionRow, StoredDocument
from assistant.store.sessions import roles_json

__all__ = ["ImportOutcome", "SessionConflict", "SessionContent", "import_session",
           "read_session", "session_digest"]

#: What `import_session` did: wrote the session, or found the same one there already.
ImportOutcome = Literal["copied", "present"]

#: A session's whole content: its row, its events (with their numbers), plan revisions and
#: kept documents (oldest first).
SessionContent = tuple[SessionRow, list[tuple[int, Event]], list[Revision], list[StoredDocument]]

#: Rows per multi-row INSERT: one round trip per batch rather than per event (a server may
#: be across the hospital's network), well below PostgreSQL's 65535 parameters.
_BATCH = 500


class SessionConflict(StoreError):
    """A session with this id is on the server already, with other content (or in a unit
    this role may not read, `hidden`): nothing of the copy was written, and the server's
    session is left as it is."""

    code = "conflict"

    def __init__(self, session_id: str, *, hidden: bool = False) -> None:
        if hidden:
            super().__init__(f"session {session_id} is on the server already, in a unit "
                             "you cannot read; nothing of it was copied")
        else:
            super().__init__(f"session {session_id} is on the server already with other "
                             "content; nothing of it was copied")
        self.session_id = session_id
        self.hidden = hidden


# --- the digest --------------------------------------------------------------------------------


def _moment(moment: dt.datetime) -> str:
    """A timestamp in one form whichever store read it: UTC, to the microsecond."""
    return moment.astimezone(dt.UTC).isoformat(timespec="microseconds")


def _canonical(value: object) -> bytes:
    """`value` as JSON in one spelling: sorted keys, no spaces, UTF-8; one line."""
    return json.dumps(value, sort_keys=True, ensure_ascii=False,
                      separators=(",", ":")).encode("utf-8") + b"\n"


def session_digest(row: SessionRow, events: Sequence[tuple[int, Event]],
                   revisions: Sequence[Revision], documents: Sequence[StoredDocument]) -> str:
    """The SHA-256 (hex) of a session's canonical text: its row (id, guide id, version and
    hash, label, roles present, created, updated, status), each event's number and canonical
    JSON, each revision's fields and draft, each kept document's kind, id, hash, text and
    time added, in order.

    Equal for the same content read from either backend (times in UTC, JSON with sorted
    keys), so it tells whether a copy holds exactly what the original does. The event count
    of the row is left out: the events themselves are in it.
    """
    digest = hashlib.sha256()
    digest.update(_canonical(["session", {
        "id": row.id, "guide_id": row.guide_id, "guide_version": row.guide_version,
        "guide_hash": row.guide_hash, "label": row.label, "present": list(row.present),
        "created": _moment(row.created), "updated": _moment(row.updated),
        "status": row.status}]))
    for seq, event in events:
        digest.update(_canonical(["event", seq, EVENT_ADAPTER.dump_python(event, mode="json")]))
    for r in revisions:
        digest.update(_canonical(["revision", {
            "session_id": r.session_id, "revision": r.revision, "created": _moment(r.created),
            "kind": r.kind, "draft": r.draft,
            "next_revision_due": (r.next_revision_due.isoformat()
                                  if r.next_revision_due is not None else None),
            "responsible": r.responsible}]))
    for d in documents:
        digest.update(_canonical(["document", {
            "kind": d.kind, "id": d.id, "hash": d.hash, "text": d.text,
            "added": _moment(d.added)}]))
    return digest.hexdigest()


# --- reading a session whole from the server ---------------------------------------------------


def read_session(db: PgDatabase, session_id: str, *,
                 purpose: AccessAction = "copy") -> SessionContent:
    """The session `session_id` as the server holds it, whole: row, events with their stored
    numbers, revisions, documents; once the access log has a row saying this role read it
    and why (`purpose`). Raises `SessionNotFound` (also for a session of a unit this role
    may not read), and `StoreDamaged` for an event that cannot be read (naming its number
    only)."""
    sessions = PgSessions(db)
    row = sessions.get_session(session_id)
    sessions.log_access(session_id, purpose)
    events: list[tuple[int, Event]] = []
    for r in db.read("SELECT seq, payload FROM events WHERE session_id = %s ORDER BY seq",
                     (session_id,)):
        try:
            events.append((int(r["seq"]), EVENT_ADAPTER.validate_json(r["payload"])))
        except ValidationError:
            raise StoreDamaged(f"event {r['seq']} of session {session_id} cannot be read: "
                               "it is damaged or was written by a newer version") from None
    revisions = PgRevisions(db).list_revisions(session_id)
    return row, events, revisions, sessions.documents(session_id)


# --- writing one ---------------------------------------------------------------------------


def import_session(db: PgDatabase, row: SessionRow, events: list[tuple[int, Event]],
                   revisions: list[Revision], documents: list[StoredDocument]
                   ) -> ImportOutcome:
    """Write the session `row` with its `events` ((seq, event), as numbered where they come
    from), `revisions` and `documents` (oldest first: they get positions 1, 2, ...) to the
    server, as they are: the same id, label, roles, status, times and guide; nothing is
    renumbered or re-dated.

    One write transaction: on any error nothing of the session is written. Returns "copied";
    or "present" when the server has this session already with the same content
    (`session_digest`), writing nothing. Raises `SessionConflict` when it has one with this
    id and other content (left as it is) or one this role may not read, `InvalidSessionData`
    for an id that is not one, and the store's errors (`StoreWriteError`, `StoreReadOnly`,
    `StoreUnavailable`). Reading the server's copy to compare it is logged as a "copy".
    """
    check_session_id(row.id)

    def write(tx: Transaction) -> bool:
        # ON CONFLICT: the session may be there already (copied before, by someone else
        # meanwhile, or by this very transaction before a lost connection made `run` try
        # again): then nothing is written, and it is compared below.
        cursor = tx.execute(
            "INSERT INTO sessions (id, guide_id, guide_version, guide_hash, label, present,"
            " created, updated, status) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)"
            " ON CONFLICT (id) DO NOTHING",
            (row.id, row.guide_id, row.guide_version, row.guide_hash, row.label,
             roles_json(row.present), row.created, row.updated, row.status))
        if cursor.rowcount != 1:
            return False
        _insert_content(tx, row.id, events, revisions, documents)
        return True

    if not db.read("SELECT id FROM sessions WHERE id = %s", (row.id,)) and db.run(write):
        return "copied"
    try:
        there = session_digest(*read_session(db, row.id))
    except SessionNotFound:  # there, but hidden from this role by its unit
        raise SessionConflict(row.id, hidden=True) from None
    if there != session_digest(row, events, revisions, documents):
        raise SessionConflict(row.id)
    return "present"


def _insert_content(tx: Transaction, session_id: str, events: Sequence[tuple[int, Event]],
                    revisions: Sequence[Revision], documents: Sequence[StoredDocument]) -> None:
    """The rows under the session just inserted: events, revisions, documents."""
    _insert(tx, "events", ("session_id", "seq", "type", "payload", "at"),
            [(session_id, seq, event.type, EVENT_ADAPTER.dump_json(event).decode("utf-8"),
              event.at) for seq, event in events])
    _insert(tx, "plan_revisions",
            ("session_id", "revision", "created", "kind", "draft", "next_revision_due",
             "responsible"),
            [(session_id, r.revision, r.created, r.kind, r.draft, r.next_revision_due,
              r.responsible) for r in revisions])
    _insert(tx, "session_documents",
            ("session_id", "position", "kind", "doc_id", "hash", "text", "added"),
            [(session_id, position, d.kind, d.id, d.hash, d.text, d.added)
             for position, d in enumerate(documents, start=1)])


def _insert(tx: Transaction, table: str, columns: Sequence[str],
            rows: Iterable[Sequence[object]]) -> None:
    """INSERT `rows` into `table` (fixed names, never the data's), `_BATCH` rows a statement;
    the columns are named, so columns added later with defaults take their defaults."""
    batch: list[Sequence[object]] = []
    for row in rows:
        batch.append(row)
        if len(batch) == _BATCH:
            _insert_batch(tx, table, columns, batch)
            batch = []
    if batch:
        _insert_batch(tx, table, columns, batch)


def _insert_batch(tx: Transaction, table: str, columns: Sequence[str],
                  rows: Sequence[Sequence[object]]) -> None:
    one = "(" + ", ".join(["%s"] * len(columns)) + ")"
    tx.execute(f"INSERT INTO {table} ({', '.join(columns)}) VALUES "
               + ", ".join([one] * len(rows)),
               [value for row in rows for value in row])
