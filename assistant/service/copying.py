"""Moving in (issue 19, item 5): copy a clinician's own session store (a SQLite file) to the
department's PostgreSQL store, and check every session on the server against the original.

    with open_with_prompt(path) as source, open_target(address) as target:
        report = copy_sessions(source, target)
    report.ok          # every session copied (or there already) and read back the same

Each session is read whole from the source (row, events, plan revisions, kept documents),
written to the server in one transaction (`pgstore.imports.import_session`), then read back
*from the server* and compared: the counts of events, revisions and documents, and the
digest of all of it (`session_digest`). The source is only read: nothing here writes to it
or deletes from it — the person deletes the local file themselves, once satisfied.

Messages (a session's `reason`) name ids and counts only, never a label, an answer or a
draft; they are English, as the store's are (`catalogue.cli.translate` says them in Danish).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from assistant.store.errors import StoreError, StoreUnavailable

if TYPE_CHECKING:
    from assistant.pgstore.store import PgStore
    from assistant.store.contract import StoreContract

__all__ = ["CopyMismatch", "CopyReport", "Outcome", "SessionCopied", "copy_sessions",
           "open_target"]

#: What became of one session: written now, found there already the same, or not copied
#: (or copied but not read back the same).
Outcome = Literal["copied", "present", "failed"]


class CopyMismatch(StoreError):
    """A session was written, but the server does not give back what the source holds."""

    code = "copy_mismatch"


@dataclass(frozen=True)
class SessionCopied:
    """One session's result. The counts are the source's (as far as it could be read);
    `verified` is True when the server gives back the same counts and the same digest;
    `reason` (for "failed") says why, in English, with ids and counts only."""

    session_id: str
    outcome: Outcome
    events: int = 0
    revisions: int = 0
    documents: int = 0
    verified: bool = False
    reason: str | None = None


@dataclass(frozen=True)
class CopyReport:
    """Every session's result, in the order copied."""

    sessions: tuple[SessionCopied, ...]

    def count(self, outcome: Outcome) -> int:
        """How many sessions ended so."""
        return sum(1 for s in self.sessions if s.outcome == outcome)

    @property
    def ok(self) -> bool:
        """True when every session is on the server and was read back the same (also when
        there were none to copy)."""
        return all(s.outcome != "failed" and s.verified for s in self.sessions)


def open_target(address: str) -> PgStore:
    """The department's PostgreSQL store at `address` to copy into (see
    `stores.open_server` for what is refused before connecting). Raises `StoreUnavailable`
    for an address that names no server."""
    from assistant.service.stores import is_server_address, open_server

    if not is_server_address(address):
        raise StoreUnavailable("the store to copy to is not a PostgreSQL server "
                               "(postgresql://… or service=NAME)")
    store = open_server(address)
    from assistant.pgstore.store import PgStore

    assert isinstance(store, PgStore)  # open_server opens nothing else
    return store


def copy_sessions(source: StoreContract, target: PgStore, *, only: Sequence[str] = (),
                  each: Callable[[SessionCopied], None] | None = None) -> CopyReport:
    """Copy every session of `source` (or only the whole ids in `only`, in that order) to
    `target`, each checked on the target afterwards; see the module docstring. `each` is
    told every session's result as soon as it is known (to show progress).

    Never writes to `source`. A session already on the target with the same content is
    "present" (nothing written twice); with other content, or one that cannot be read or
    written, or does not read back the same, it is "failed" with the reason, and the others
    are still copied. Raises only what listing the source's sessions raises.
    """
    if only:
        ids = list(dict.fromkeys(only))
    else:
        # Oldest first: a report that reads as the sessions were held.
        ids = [row.id for row in sorted(source.list_sessions(),
                                        key=lambda row: (row.created, row.id))]
    results: list[SessionCopied] = []
    for session_id in ids:
        results.append(_copy_one(source, target, session_id))
        if each is not None:
            each(results[-1])
    return CopyReport(tuple(results))


def _copy_one(source: StoreContract, target: PgStore, session_id: str) -> SessionCopied:
    from assistant.pgstore.imports import import_session, read_session, session_digest

    counts = (0, 0, 0)  # the source's events, revisions, documents: none read yet
    try:
        row = source.get_session(session_id)
        # The store numbers a session's events 1, 2, 3 ... as appended and never renumbers
        # them (the contract), so the order read is their numbering.
        events = list(enumerate(source.load_events(session_id, purpose="copy"), start=1))
        revisions = source.list_revisions(session_id)
        documents = source.session_documents(session_id)
        counts = (len(events), len(revisions), len(documents))
        outcome = import_session(target.db, row, events, revisions, documents)
        # Read back from the server, not from what was sent: the check is of what it keeps.
        back = read_session(target.db, session_id)
        _, back_events, back_revisions, back_documents = back
        held = (len(back_events), len(back_revisions), len(back_documents))
        if held != counts:
            raise CopyMismatch(
                f"session {session_id} reads back from the server with {held[0]} events, "
                f"{held[1]} revisions and {held[2]} documents, not {counts[0]}, "
                f"{counts[1]} and {counts[2]}")
        if session_digest(*back) != session_digest(row, events, revisions, documents):
            raise CopyMismatch(f"session {session_id} reads back from the server with other "
                               "content than the original (its digest differs)")
    except StoreError as exc:
        return SessionCopied(session_id, "failed", *counts, reason=exc.message)
    return SessionCopied(session_id, outcome, *counts, verified=True)
