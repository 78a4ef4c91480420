"""The SQLite store's migration steps; their order and numbers are in the one list of both
backends, assistant/store/migrations.py (`PRAGMA user_version` counts those applied).

Each runs inside the same `BEGIN IMMEDIATE` transaction as the `user_version` update, so a
crash half-way leaves the store at the previous version, never in between.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence
from typing import Protocol


class Executor(Protocol):
    """What a migration gets: the write transaction's `execute`."""

    def execute(self, sql: str, params: Sequence[object] = ()) -> sqlite3.Cursor: ...


Migration = Callable[[Executor], None]


def _v1_initial(conn: Executor) -> None:
    """Sessions, their append-only events, and plan revisions."""
    statements = (
        """
        CREATE TABLE sessions (
            id            TEXT PRIMARY KEY CHECK (length(id) = 32),
            guide_id      TEXT NOT NULL,
            guide_version TEXT NOT NULL,
            guide_hash    TEXT NOT NULL,
            label         TEXT NOT NULL,
            present       TEXT NOT NULL DEFAULT '[]',
            created       TEXT NOT NULL,
            updated       TEXT NOT NULL,
            status        TEXT NOT NULL DEFAULT 'in_progress'
                          CHECK (status IN ('in_progress', 'finished', 'plan_approved'))
        )
        """,
        "CREATE INDEX sessions_by_updated ON sessions (updated)",
        """
        CREATE TABLE events (
            session_id TEXT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
            seq        INTEGER NOT NULL CHECK (seq >= 1),
            type       TEXT NOT NULL,
            payload    TEXT NOT NULL,
            at         TEXT NOT NULL,
            PRIMARY KEY (session_id, seq)
        )
        """,
        # Append-only: an event, once written, is never changed. (Deleting a whole session
        # is allowed: that is retention, not editing.)
        """
        CREATE TRIGGER events_are_append_only BEFORE UPDATE ON events
        BEGIN SELECT RAISE(ABORT, 'events are append-only'); END
        """,
        """
        CREATE TABLE plan_revisions (
            session_id        TEXT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
            revision          INTEGER NOT NULL CHECK (revision >= 1),
            created           TEXT NOT NULL,
            kind              TEXT NOT NULL CHECK (kind IN ('approved', 'exported')),
            draft             TEXT NOT NULL,
            next_revision_due TEXT,
            responsible       TEXT,
            PRIMARY KEY (session_id, revision)
        )
        """,
        "CREATE INDEX plan_revisions_by_due ON plan_revisions (next_revision_due)",
        """
        CREATE TRIGGER plan_revisions_are_append_only BEFORE UPDATE ON plan_revisions
        BEGIN SELECT RAISE(ABORT, 'plan revisions are append-only'); END
        """,
    )
    for sql in statements:
        conn.execute(sql)


def _v2_encryption(conn: Executor) -> None:
    """The key record of an encrypted store (see crypto.py); no row means not encrypted.

    At most one row (`one = 1`). It is never changed or deleted by the program: losing it
    would make every encrypted record unreadable.
    """
    statements = (
        """
        CREATE TABLE encryption (
            one         INTEGER PRIMARY KEY CHECK (one = 1),
            format      TEXT NOT NULL,
            key_id      BLOB NOT NULL,
            kdf         TEXT NOT NULL,
            salt        BLOB NOT NULL,
            wrapped_key BLOB NOT NULL,
            created     TEXT NOT NULL
        )
        """,
        """
        CREATE TRIGGER encryption_is_fixed BEFORE UPDATE ON encryption
        BEGIN SELECT RAISE(ABORT, 'the key record is not changed'); END
        """,
        """
        CREATE TRIGGER encryption_is_kept BEFORE DELETE ON encryption
        BEGIN SELECT RAISE(ABORT, 'the key record is not deleted'); END
        """,
    )
    for sql in statements:
        conn.execute(sql)


#: The table that counts the store's commits (see `_v3_commit_counter`).
COMMITS_TABLE = "store_commits"


def _v3_commit_counter(conn: Executor) -> None:
    """A count of every commit, so a write-ahead log that loses commits is noticed.

    One row: `store_id` (16 random bytes, telling this store from any other) and `n`, which
    every write transaction increments before its COMMIT. After the commit the store
    records the pair in its commit mark file; on opening, a count lower than the mark's
    means acknowledged commits are missing (see assistant/store/walcheck.py). The row holds
    no health data.
    """
    conn.execute(f"""
        CREATE TABLE {COMMITS_TABLE} (
            one      INTEGER PRIMARY KEY CHECK (one = 1),
            store_id BLOB NOT NULL CHECK (length(store_id) = 16),
            n        INTEGER NOT NULL CHECK (n >= 0)
        )
        """)
    conn.execute(f"INSERT INTO {COMMITS_TABLE} (one, store_id, n) VALUES (1, randomblob(16), 0)")


def _v4_session_documents(conn: Executor) -> None:
    """A copy of each guide and plan template a session was made with (issue 18, item 1).

    A session's guide may later change, move or leave the library (a region's folder taken
    away): its plan can still be reviewed and exported from the copy. `text` is sealed like
    an event's payload (encrypted in an encrypted store); `hash` is `guide_hash(text)`, the
    same as `sessions.guide_hash` for the guide's own copy. Rows are added when a session
    starts (or continues on a new version of its guide), never changed; they go with their
    session.
    """
    conn.execute("""
        CREATE TABLE session_documents (
            session_id TEXT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
            position   INTEGER NOT NULL CHECK (position >= 1),
            kind       TEXT NOT NULL CHECK (kind IN ('guide', 'plan_template')),
            doc_id     TEXT NOT NULL,
            hash       TEXT NOT NULL,
            text       TEXT NOT NULL,
            added      TEXT NOT NULL,
            PRIMARY KEY (session_id, position)
        )
        """)
    conn.execute("""
        CREATE TRIGGER session_documents_are_kept BEFORE UPDATE ON session_documents
        BEGIN SELECT RAISE(ABORT, 'a session''s documents are not changed'); END
        """)


#: This backend's step of each schema version, by number (the list: migrations.py).
STEPS: dict[int, Migration] = {1: _v1_initial, 2: _v2_encryption, 3: _v3_commit_counter,
                               4: _v4_session_documents}
