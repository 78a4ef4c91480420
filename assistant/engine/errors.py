"""The engine's two exceptions: an event that cannot be applied, and a value that is wrong.

Messages are plain English for the person driving the session (or the author of an answers
file). They name step ids, choice ids and allowed values, never the patient's own words.
"""

from __future__ import annotations

from collections.abc import Mapping


class EngineError(Exception):
    """An event cannot be applied to the session as it stands; nothing was changed.

    `message` says why. `index` is the position of the offending event when a whole event
    list was folded (None for a single `Session.apply`).
    """

    def __init__(self, message: str, *, index: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.index = index


class AnswerError(EngineError):
    """An answer value does not fit its step (wrong type, unknown choice, out of range...)."""


def quote(raw: object) -> str:
    """`'value'` for short one-line text and numbers; "this value" for anything longer.

    Used in messages so that an id or a number is shown, but never a patient's own words.
    """
    if isinstance(raw, bool):
        return "true" if raw else "false"
    if isinstance(raw, (int, float)):
        return str(raw)
    if isinstance(raw, str) and 0 < len(raw) <= 40 and raw.isprintable():
        return f"'{raw}'"
    return "this value"


def kind_of(raw: object) -> str:
    """What sort of value `raw` is, in words: "text", "a number", "a list"..."""
    if raw is None:
        return "nothing"
    if isinstance(raw, bool):
        return "true/false"
    if isinstance(raw, (int, float)):
        return "a number"
    if isinstance(raw, str):
        return "text"
    if isinstance(raw, (list, tuple)):
        return "a list"
    if isinstance(raw, Mapping):
        return "a mapping"
    return "something else"
