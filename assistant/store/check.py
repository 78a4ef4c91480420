"""`sdm store check` on a store file: is it whole, and is it private?

Looks at: the schema version; SQLite's own integrity check (run when the store was opened:
a damaged file opens read-only, saying why); every session's events numbered 1..n and
readable (an encrypted store's with its key); the append-only triggers in place; the file
readable by its owner only. Findings name numbers, ids and tables, never content.
"""

from __future__ import annotations

import stat
from typing import TYPE_CHECKING

from assistant.store.errors import StoreError
from assistant.store.migrations import SCHEMA_VERSION
from assistant.store.models import CheckFinding

if TYPE_CHECKING:
    from assistant.store.store import Store

#: The triggers that keep a file's records append-only (schema versions 1 and 4).
APPEND_ONLY_TRIGGERS = ("events_are_append_only", "plan_revisions_are_append_only",
                        "session_documents_are_kept")


def check_file(store: Store) -> list[CheckFinding]:
    """The findings of `sdm store check` for the store file `store`."""
    db = store.db
    version = int(db.read("PRAGMA user_version")[0][0])
    findings = [
        CheckFinding("schema", version == SCHEMA_VERSION,
                     f"version {version}, this program's {SCHEMA_VERSION}"),
        CheckFinding("integrity", not store.damaged,
                     "PRAGMA integrity_check: ok" if not store.damaged
                     else f"read-only: {store.read_only_reason}"),
    ]
    gaps = [str(r["session_id"]) for r in db.read(
        "SELECT session_id FROM events GROUP BY session_id"
        " HAVING max(seq) <> count(*) OR min(seq) <> 1")]
    findings.append(CheckFinding("events_numbered", not gaps,
                                 f"{len(gaps)} session(s) with gaps: {', '.join(gaps[:5])}"
                                 if gaps else "every session's events are 1..n"))
    unreadable: list[str] = []
    sessions = store.session_ids()
    readable = not store.encrypted or store.key_loaded
    if readable:
        for session_id in sessions:
            try:
                store.load_events(session_id, purpose="check")
            except StoreError:
                unreadable.append(session_id)
    findings.append(CheckFinding(
        "events_readable", readable and not unreadable,
        "the store is locked: its passphrase is needed" if not readable
        else f"{len(unreadable)} of {len(sessions)} session(s) cannot be read: "
             f"{', '.join(unreadable[:5])}" if unreadable
        else f"{len(sessions)} session(s) read"))
    triggers = {str(r["name"]) for r in db.read(
        "SELECT name FROM sqlite_master WHERE type = 'trigger'")}
    missing = [name for name in APPEND_ONLY_TRIGGERS if name not in triggers]
    findings.append(CheckFinding("append_only", not missing,
                                 f"missing: {', '.join(missing)}" if missing
                                 else "events, plan revisions and kept guides"))
    mode = stat.S_IMODE(store.path.stat().st_mode)
    findings.append(CheckFinding("file_private", mode & 0o077 == 0,
                                 f"{store.path.name}: mode {mode:04o}"))
    return findings
