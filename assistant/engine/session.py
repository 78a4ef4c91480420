"""A session: a guide, its append-only event log, and the state the log gives.

The UI (and the CLI, and the store) talk to the engine through this class: `apply` an event,
read `state`. An event is checked against the current state before anything changes, so a
refused event leaves both the log and the state exactly as they were.
"""

from __future__ import annotations

from collections.abc import Iterable

from assistant.engine.errors import EngineError
from assistant.engine.events import Event
from assistant.engine.state import SessionState, advance, fold, with_language
from assistant.guides.models import Guide, Language

__all__ = ["EngineError", "Session"]


class Session:
    """One conversation about one guide.

    Args:
        guide: the decision aid or meeting guide.
        events: events recorded earlier (resuming is replaying them).
        language: the language texts are shown in (default: the guide's language).

    Raises:
        EngineError: one of `events` cannot be applied (`index` says which).
    """

    def __init__(
        self, guide: Guide, events: Iterable[Event] = (), *, language: Language | None = None
    ) -> None:
        recorded = tuple(events)
        self._guide = guide
        self._state = fold(guide, recorded, language=language)
        self._events = recorded

    @property
    def guide(self) -> Guide:
        """The guide this session follows."""
        return self._guide

    @property
    def state(self) -> SessionState:
        """The state after every event so far."""
        return self._state

    @property
    def events(self) -> tuple[Event, ...]:
        """Every event applied, in order, undone ones and Undo events included."""
        return self._events

    def check(self, event: Event) -> None:
        """Raise EngineError if `event` cannot be applied now; change nothing either way."""
        advance(self._state, event)

    def apply(self, event: Event) -> SessionState:
        """Check `event`, append it to the log, and return the new state.

        Raises:
            EngineError: the event does not fit the current state (`AnswerError` for a bad
                value); the log and the state are unchanged.
        """
        state = advance(self._state, event)
        self._events = (*self._events, event)
        self._state = state
        return state

    def set_language(self, language: Language) -> SessionState:
        """Show the session in another language (not an event: it changes no answer)."""
        self._state = with_language(self._state, language)
        return self._state
