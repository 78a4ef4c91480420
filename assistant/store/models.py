"""Rows the store hands out: plain frozen dataclasses, no database handles attached."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

from assistant.guides.models import Role

SessionStatus = Literal["in_progress", "finished", "plan_approved"]
SESSION_STATUSES: tuple[SessionStatus, ...] = ("in_progress", "finished", "plan_approved")

RevisionKind = Literal["approved", "exported"]
REVISION_KINDS: tuple[RevisionKind, ...] = ("approved", "exported")


@dataclass(frozen=True)
class SessionRow:
    """One session as stored: which guide (and exactly which text of it), who, when, how far.

    `label` is what the user chose to call the session (a pseudonym or initials);
    `events` is how many events the session has.
    """

    id: str
    guide_id: str
    guide_version: str
    guide_hash: str
    label: str
    present: tuple[Role, ...]
    created: dt.datetime
    updated: dt.datetime
    status: SessionStatus
    events: int = 0

    @property
    def finished(self) -> bool:
        """True unless the session is still in progress."""
        return self.status != "in_progress"


@dataclass(frozen=True)
class Revision:
    """One approved or exported version of a session's plan.

    `draft` is the plan draft as JSON text, exactly as the caller gave it; the store does not
    read it. `next_revision_due` is when the plan should be looked at again, if set.
    """

    session_id: str
    revision: int
    created: dt.datetime
    kind: RevisionKind
    draft: str
    next_revision_due: dt.date | None
    responsible: str | None


@dataclass(frozen=True)
class StoredDocument:
    """A copy of a guide or plan template kept with a session (the text it was made with)."""

    kind: Literal["guide", "plan_template"]
    id: str
    #: `guide_hash(text)`: equal to the session's `guide_hash` for its guide's own copy.
    hash: str
    text: str
    added: dt.datetime


@dataclass(frozen=True)
class AccessEntry:
    """One row of a shared store's access log: who read or deleted which session, when, from
    which program (`client`), and what was done (`action`: see `AccessAction`). Never any
    of the session's content."""

    at: dt.datetime
    role: str
    client: str
    session_id: str
    action: str


@dataclass(frozen=True)
class CheckFinding:
    """One thing `sdm store check` looked at: what (`name`, a short code), whether it holds,
    and what was found (`detail`: numbers, ids and names of tables or roles; no content)."""

    name: str
    ok: bool
    detail: str = ""
