"""The UI's ports: what screens need from outside them, and how they fail.

Screens depend on these small contracts, never on each other or on the store: the app plugs
in the real thing (the session service, the system clock); tests plug in their own.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:  # types only: the app's first screen imports this module (issue 16)
    from assistant.engine import Event, SessionState
    from assistant.plans.models import PlanDraft
    from assistant.store.models import RevisionKind

#: The time now, timezone-aware (events need aware times).
Clock = Callable[[], dt.datetime]

#: Records an event durably; raises if it could not (then nothing is shown as saved).
Recorder = Callable[["Event"], None]

#: Checks `event`, records it durably and applies it; returns the new state at once (the
#: review draws the draft from it). Raises `NotRecorded` with a message if it could not.
#: Synchronous on purpose, so it is a function handed to a screen, not a message.
Commit = Callable[["Event"], "SessionState"]


def utc_now() -> dt.datetime:
    """The current time, timezone-aware: the app's clock."""
    return dt.datetime.now(dt.UTC)


class NotRecorded(Exception):
    """An event was refused (by the engine) or could not be saved; `message` says why."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class StoredRevision:
    """One stored revision of the plan, as the review lists it."""

    number: int
    kind: str
    created: dt.datetime
    next_revision_due: dt.date | None
    draft: PlanDraft | None


class PlanStore(Protocol):
    """What the plan review can do with the session's store (absent when there is none)."""

    @property
    def label(self) -> str:
        """The session's label, used to name export files."""

    @property
    def encrypted(self) -> bool:
        """True when the store is encrypted (exports leave that protection: say so)."""

    def save_revision(self, draft: PlanDraft, kind: RevisionKind) -> int:
        """Record `draft` as a revision (`approved` or `exported`); returns its number."""

    def revisions(self) -> list[StoredRevision]:
        """The stored revisions, oldest first."""
