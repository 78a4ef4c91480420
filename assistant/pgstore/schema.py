"""The PostgreSQL store's schema as a versioned list of migrations (`sdm_schema` counts them).

The same tables as the SQLite store (assistant/store/schema.py), in PostgreSQL's types:
times are `timestamptz`, the due date a `date`. Ids are `COLLATE "C"` so they sort as in
SQLite (byte order). Append-only is kept by triggers, as there.

Rules: append a migration, never edit or reorder one (servers in the field ran it). They run
in one transaction, under a transaction-level advisory lock, so two clients starting at once
do not both migrate, and a crash half-way leaves the previous version.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Protocol

#: The advisory lock (one 64-bit key) taken while migrating: 'sdm-migr' as bytes.
MIGRATION_LOCK = int.from_bytes(b"sdm-migr", "big", signed=True)


class Executor(Protocol):
    """What a migration gets: the write transaction's `execute`."""

    def execute(self, sql: str, params: Sequence[object] = ()) -> Any: ...


Migration = Callable[[Executor], None]

_APPEND_ONLY = """
CREATE FUNCTION sdm_refuse_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% rows are append-only', TG_TABLE_NAME;
END $$
"""


def _v1_initial(tx: Executor) -> None:
    """Sessions, their append-only events, plan revisions and the documents kept."""
    statements = (
        _APPEND_ONLY,
        """
        CREATE TABLE sessions (
            id            text COLLATE "C" PRIMARY KEY CHECK (id ~ '^[0-9a-f]{32}$'),
            guide_id      text NOT NULL,
            guide_version text NOT NULL,
            guide_hash    text NOT NULL,
            label         text NOT NULL,
            present       text NOT NULL DEFAULT '[]',
            created       timestamptz NOT NULL,
            updated       timestamptz NOT NULL,
            status        text NOT NULL DEFAULT 'in_progress'
                          CHECK (status IN ('in_progress', 'finished', 'plan_approved'))
        )
        """,
        "CREATE INDEX sessions_by_updated ON sessions (updated)",
        """
        CREATE TABLE events (
            session_id text COLLATE "C" NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
            seq        integer NOT NULL CHECK (seq >= 1),
            type       text NOT NULL,
            payload    text NOT NULL,
            at         timestamptz NOT NULL,
            PRIMARY KEY (session_id, seq)
        )
        """,
        """
        CREATE TRIGGER events_are_append_only BEFORE UPDATE ON events
        FOR EACH ROW EXECUTE FUNCTION sdm_refuse_update()
        """,
        """
        CREATE TABLE plan_revisions (
            session_id        text COLLATE "C" NOT NULL
                              REFERENCES sessions (id) ON DELETE CASCADE,
            revision          integer NOT NULL CHECK (revision >= 1),
            created           timestamptz NOT NULL,
            kind              text NOT NULL CHECK (kind IN ('approved', 'exported')),
            draft             text NOT NULL,
            next_revision_due date,
            responsible       text,
            PRIMARY KEY (session_id, revision)
        )
        """,
        "CREATE INDEX plan_revisions_by_due ON plan_revisions (next_revision_due)",
        """
        CREATE TRIGGER plan_revisions_are_append_only BEFORE UPDATE ON plan_revisions
        FOR EACH ROW EXECUTE FUNCTION sdm_refuse_update()
        """,
        """
        CREATE TABLE session_documents (
            session_id text COLLATE "C" NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
            position   integer NOT NULL CHECK (position >= 1),
            kind       text NOT NULL CHECK (kind IN ('guide', 'plan_template')),
            doc_id     text NOT NULL,
            hash       text NOT NULL,
            text       text NOT NULL,
            added      timestamptz NOT NULL,
            PRIMARY KEY (session_id, position)
        )
        """,
        """
        CREATE TRIGGER session_documents_are_kept BEFORE UPDATE ON session_documents
        FOR EACH ROW EXECUTE FUNCTION sdm_refuse_update()
        """,
    )
    for sql in statements:
        tx.execute(sql)


#: Every migration in order; `max(version)` in `sdm_schema` is how many have run.
MIGRATIONS: Sequence[Migration] = (_v1_initial,)

SCHEMA_VERSION = len(MIGRATIONS)
