"""The schema versions of both backends, in one list (issue 19, item 6).

Version N means the same on SQLite and on PostgreSQL. The list says what each version is
for and which backends have a step for it (none where a backend has nothing to do, e.g.
the key record of an encrypted file, which a server's disk encryption replaces); each
backend's schema module holds its steps by number (`STEPS` in assistant/store/schema.py and
assistant/pgstore/schema.py), and `steps_for` checks them against this list. Each backend
counts the versions it has run (SQLite's `PRAGMA user_version`, the server's `sdm_schema`
table) and runs the rest in order, in one transaction.

Rules: append a version, never edit or reorder one (stores in the field have run it).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

__all__ = ["BOTH", "SCHEMA_VERSION", "VERSIONS", "Backend", "Step", "Version", "steps_for"]

Backend = Literal["sqlite", "postgresql"]
#: One version's change on one backend: given the write transaction's `execute`.
Step = Callable[[Any], None]
BOTH: frozenset[Backend] = frozenset({"sqlite", "postgresql"})


@dataclass(frozen=True)
class Version:
    """One schema version: its number, what it is for, the backends with a step for it."""

    number: int
    name: str
    backends: frozenset[Backend]


VERSIONS: tuple[Version, ...] = (
    Version(1, "sessions, events and plan revisions", BOTH),
    Version(2, "the key record of an encrypted store (a server's disks are the operator's)",
            frozenset({"sqlite"})),
    Version(3, "the commit counter that notices a lost write-ahead log (SQLite's own)",
            frozenset({"sqlite"})),
    Version(4, "copies of the guides and plan templates a session was made with", BOTH),
    Version(5, "roles, units, row-level security and the access log (a shared server's)",
            frozenset({"postgresql"})),
)

#: The newest schema version this program knows.
SCHEMA_VERSION = len(VERSIONS)


def steps_for(backend: Backend, steps: Mapping[int, Step]) -> list[Step | None]:
    """`steps` (a backend's, by version number) in the list's order: index N-1 is version
    N's step, None where the backend has nothing to do (the version still counts). Raises
    `AssertionError` when they do not match the list (a step for a version not marked for
    this backend, or a marked version without one): a programming mistake, caught by every
    test that opens a store."""
    marked = {v.number for v in VERSIONS if backend in v.backends}
    assert set(steps) == marked, (
        f"{backend} migration steps {sorted(steps)} do not match the list {sorted(marked)}")
    return [steps.get(v.number) for v in VERSIONS]
