"""The schema versions of both backends, in one list (issue 19, item 6).

Version N means the same on SQLite and on PostgreSQL: a step names what it does on each
(None where a backend has nothing to do, e.g. the key record of an encrypted file, which a
server's disk encryption replaces). Each backend counts the versions it has run (SQLite's
`PRAGMA user_version`, the server's `sdm_schema` table) and runs the rest in order, in one
transaction.

Rules: append a step, never edit or reorder one (stores in the field have run it).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from assistant.pgstore import schema as postgresql
from assistant.store import schema as sqlite

__all__ = ["MIGRATIONS", "SCHEMA_VERSION", "Migration", "steps_for"]


@dataclass(frozen=True)
class Migration:
    """One schema version: its number, what it is for, and its step on each backend."""

    version: int
    name: str
    sqlite: Callable[[Any], None] | None
    postgresql: Callable[[Any], None] | None


MIGRATIONS: Sequence[Migration] = (
    Migration(1, "sessions, events and plan revisions",
              sqlite._v1_initial, postgresql._v1_initial),
    Migration(2, "the key record of an encrypted store (a server's disks are the operator's)",
              sqlite._v2_encryption, None),
    Migration(3, "the commit counter that notices a lost write-ahead log (SQLite's own)",
              sqlite._v3_commit_counter, None),
    Migration(4, "copies of the guides and plan templates a session was made with",
              sqlite._v4_session_documents, postgresql._v4_session_documents),
    Migration(5, "roles, units, row-level security and the access log (a shared server's)",
              None, postgresql._v5_who_did_what),
)

#: The newest schema version this program knows.
SCHEMA_VERSION = len(MIGRATIONS)
assert [m.version for m in MIGRATIONS] == list(range(1, SCHEMA_VERSION + 1))


def steps_for(backend: str) -> list[Callable[[Any], None] | None]:
    """The step of each version on `backend` ("sqlite" or "postgresql"), in order; index
    N-1 is version N's (None: nothing to do there, but the version still counts)."""
    if backend not in ("sqlite", "postgresql"):
        raise ValueError(f"no such backend: {backend}")
    return [getattr(m, backend) for m in MIGRATIONS]
