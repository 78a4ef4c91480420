"""Session ids as a person types them: the whole id, or a unique prefix of it, as in git.

Every command that takes a session id (`sdm export`, `sdm prep-summary`, `sdm sessions
delete|revisions|show`) resolves it here, so they all accept the same and refuse the same:

    session_id = resolve_session_id(store, "3f2a9c")   # the whole id it stands for

A prefix needs at least `MIN_PREFIX` characters, so that it stays unique as the store grows
and a stray digit never picks a session by accident.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from assistant.store.errors import SessionNotFound, StoreError

if TYPE_CHECKING:
    from assistant.store.contract import StoreContract

__all__ = ["MIN_PREFIX", "AmbiguousSessionId", "SessionIdTooShort", "resolve_session_id"]

#: The shortest prefix of a session id accepted in place of the whole id.
MIN_PREFIX = 6
#: How many matching ids an "ambiguous" message lists at most.
_SHOWN = 5


class AmbiguousSessionId(StoreError):
    """More than one session id starts with the prefix given; `matches` lists them."""

    code = "ambiguous_id"

    def __init__(self, prefix: str, matches: list[str]) -> None:
        shown = ", ".join(matches[:_SHOWN]) + (
            f" and {len(matches) - _SHOWN} more" if len(matches) > _SHOWN else "")
        super().__init__(f"session id prefix {prefix!r} is ambiguous: {shown}")
        self.prefix = prefix
        self.matches = matches


class SessionIdTooShort(StoreError):
    """A prefix shorter than `MIN_PREFIX` that is not a whole session id (a usage error)."""

    code = "id_too_short"

    def __init__(self, prefix: str) -> None:
        super().__init__(f"session id {prefix!r} is too short: give the whole id or at least "
                         f"its first {MIN_PREFIX} characters (see 'sdm sessions list')")
        self.prefix = prefix


def resolve_session_id(store: StoreContract, text: str) -> str:
    """The whole session id `text` stands for: itself if it is one, else the one id that
    starts with it.

    Raises `SessionIdTooShort` for a prefix shorter than `MIN_PREFIX` that is no whole id,
    `AmbiguousSessionId` when several ids start with it, `SessionNotFound` when none does
    (and `StoreError` as any read of the store may).
    """
    matches = store.session_ids(text)
    if text in matches:  # a whole id, even if it is also the start of another
        return text
    if len(text) < MIN_PREFIX:
        raise SessionIdTooShort(text)
    if not matches:
        raise SessionNotFound(text)
    if len(matches) > 1:
        raise AmbiguousSessionId(text, matches)
    return matches[0]
