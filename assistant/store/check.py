"""`sdm store check` on a store file: is it whole, and is it private?

Looks at: the schema version; SQLite's own integrity check (run when the store was opened:
a damaged file opens read-only, saying why); every session's events numbered 1..n and
readable (an encrypted store's with its key); the append-only triggers in place; the file
readable by its owner only. Findings name numbers, ids and tables, never content.
"""

from __future__ import annotations

import stat
from collections.abc import Callable
from typing import TYPE_CHECKING

from assistant.store.errors import StoreError
from assistant.store.migrations import SCHEMA_VERSION
from assistant.store.models import CheckFinding

if TYPE_CHECKING:
    from assistant.store.store import Store

#: The triggers that keep a file's records append-only (schema versions 1 and 4).
APPEND_ONLY_TRIGGERS = ("events_are_append_only", "plan_revisions_are_append_only",
                        "session_documents_are_kept")


#: The sessions whose events are not numbered 1..n (the same SQL on both backends).
GAPS_SQL = ("SELECT session_id FROM events GROUP BY session_id"
            " HAVING max(seq) <> count(*) OR min(seq) <> 1")


def event_findings(gaps: list[str], session_ids: list[str],
                   load: Callable[[str], object], *, locked: bool = False) -> list[CheckFinding]:
    """The two findings about events, for either backend: numbered 1..n (`gaps`: the
    sessions that are not), and readable (`load` each session's; a `StoreError` is a session
    that cannot be read). `locked`: an encrypted store without its key reads nothing."""
    unreadable: list[str] = []
    if not locked:
        for session_id in session_ids:
            try:
                load(session_id)
            except StoreError:
                unreadable.append(session_id)
    if locked:
        readable = "the store is locked: its passphrase is needed"
    elif unreadable:
        readable = (f"{len(unreadable)} of {len(session_ids)} session(s) cannot be read: "
                    f"{', '.join(unreadable[:5])}")
    else:
        readable = f"{len(session_ids)} session(s) read"
    return [
        CheckFinding("events_numbered", not gaps,
                     f"{len(gaps)} session(s) with gaps: {', '.join(gaps[:5])}" if gaps
                     else "every session's events are 1..n"),
        CheckFinding("events_readable", not locked and not unreadable, readable),
    ]


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
    readable = not store.encrypted or store.key_loaded
    findings += event_findings(
        [str(r["session_id"]) for r in db.read(GAPS_SQL)], store.session_ids(),
        lambda session_id: store.load_events(session_id, purpose="check"),
        locked=not readable)
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
