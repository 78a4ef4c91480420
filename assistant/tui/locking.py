"""Locking the chat UI: by key (Ctrl+L), from the command palette, and after inactivity.

`LockMixin` goes before `App` in the app's bases. Locking pushes a `LockScreen` over every
screen, pauses every open session (its recorder refuses, loudly, until unlocked) and, with an
encrypted store, puts the data key away (`Store.forget_key`), so even the program itself can
read nothing until the passphrase is typed again.

Inactivity is measured with an injected monotonic clock (`idle_clock`, seconds) and checked
by a Textual interval timer; tests move the clock and call `lock_if_idle()` instead of waiting.
Activity is any key press or mouse event that reaches the app.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from textual import events

from assistant.tui.screens.lock import LockScreen

if TYPE_CHECKING:
    from textual.app import App
    from textual.timer import Timer

    from assistant.language import Language
    from assistant.service.sessions import OpenSession, SessionService

    _AppBase = App[Any]
else:
    _AppBase = object

#: Lock after this long without a key press or mouse event (`sdm --lock-after MINUTES`).
DEFAULT_LOCK_AFTER = dt.timedelta(minutes=5)
#: How often inactivity is checked, at most (seconds).
IDLE_CHECK_EVERY = 1.0

IdleClock = Callable[[], float]


class LockMixin(_AppBase):
    """Lock screen, auto-lock and pausing the recorders. Put before `App` in the bases."""

    lang: Language
    #: None until the store is open (`sdm` opens it after the first paint).
    _service: SessionService | None
    open_sessions: list[OpenSession]

    #: None (or zero): no auto-lock.
    lock_after: dt.timedelta | None = DEFAULT_LOCK_AFTER
    idle_clock: IdleClock = staticmethod(time.monotonic)
    #: The interval timer that checks for inactivity (None when auto-lock is off).
    idle_timer: Timer | None = None
    _last_activity: float | None = None

    def configure_lock(
        self, lock_after: dt.timedelta | None, idle_clock: IdleClock | None = None
    ) -> None:
        """Set the inactivity limit (None or zero: off) and the clock it is measured with
        (default `time.monotonic`). Call before the app runs."""
        self.lock_after = lock_after if lock_after else None
        if idle_clock is not None:
            self.idle_clock = idle_clock

    @property
    def locked(self) -> bool:
        """True while a lock screen covers the app."""
        return any(isinstance(screen, LockScreen) for screen in self.screen_stack)

    # Textual calls the Mount handlers of every class in the MRO, so this runs as well as
    # the app's own `on_mount`.
    def _on_mount(self, _event: events.Mount) -> None:
        self._last_activity = self.idle_clock()
        if self.lock_after is not None:
            every = min(IDLE_CHECK_EVERY, self.lock_after.total_seconds() / 4)
            self.idle_timer = self.set_interval(every, self.lock_if_idle, name="auto-lock")

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, (events.Key, events.MouseEvent)) and not event.is_forwarded:
            self.note_activity()
        await super().on_event(event)

    def note_activity(self) -> None:
        """Someone is using the app: the inactivity limit starts again."""
        self._last_activity = self.idle_clock()

    def lock_if_idle(self) -> None:
        """Lock if nobody has used the app for `lock_after` (called by the interval timer)."""
        if self.lock_after is None or self.locked or self._last_activity is None:
            return
        if self.idle_clock() - self._last_activity >= self.lock_after.total_seconds():
            self.action_lock()

    def action_lock(self) -> None:
        """Cover every screen with the lock screen; pause recording; forget the key."""
        if self.locked:
            return
        for opened in self.open_sessions:
            opened.paused = True
        # An encrypted store is opened before the UI starts, so it is here when it matters.
        store = self._service.store if self._service is not None else None
        if store is not None and store.encrypted:
            store.forget_key()
        self.push_screen(LockScreen(self.lang, store), self._unlocked)

    def _unlocked(self, _result: bool | None) -> None:
        for opened in self.open_sessions:
            opened.paused = False
        self.note_activity()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """No command palette over the lock screen (its commands reach the screens below)."""
        if action == "command_palette" and self.locked:
            return False
        return super().check_action(action, parameters)
