"""Keys typed while the next answer field is being built reach that field, in order.

People answer and go on typing: "n" for the next yes/no question the moment it shows. Textual
moves the keyboard focus to a new widget through the app's message queue (`Widget.focus` is
deferred), so a key pressed in between went to the old answer field, which was then removed:
the key was lost (a real-terminal test on a busy CI machine caught it). So while a new answer
widget is on its way (`hold`), the app keeps key presses back, in the order they came, and
hands them on once the new widget has the focus (`release`), or after `HOLD_AT_MOST` seconds
whatever happens.

`TypeAheadMixin` goes first in the app's bases; `hold` and `release` do nothing for an app
without it (a test's bare App).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual import events

if TYPE_CHECKING:
    from textual.app import App
    from textual.timer import Timer

    _AppBase = App[Any]
else:
    _AppBase = object

#: Seconds keys are held at most: should the new widget never take the focus, they still go
#: where the focus is then, rather than nowhere.
HOLD_AT_MOST = 1.0


class TypeAheadMixin(_AppBase):
    """Holds key presses back while a new answer field takes over. Put first in the bases."""

    _held_keys: list[events.Key] | None = None
    _hold_timer: Timer | None = None

    async def on_event(self, event: events.Event) -> None:
        if (self._held_keys is not None and isinstance(event, events.Key)
                and not event.is_forwarded):
            self._held_keys.append(event)
            return
        await super().on_event(event)

    def hold_keys(self) -> None:
        """Keep key presses back from now until `release_keys` (or `HOLD_AT_MOST`)."""
        if self._held_keys is None:
            self._held_keys = []
        if self._hold_timer is not None:
            self._hold_timer.stop()
        self._hold_timer = self.set_timer(HOLD_AT_MOST, self.release_keys, name="type-ahead")

    async def release_keys(self) -> None:
        """Hand the held key presses on, in order, to where the focus is now."""
        held, self._held_keys = self._held_keys, None
        if self._hold_timer is not None:
            self._hold_timer.stop()
            self._hold_timer = None
        # Handled here, one after the other, before any key that comes later: a key that
        # arrives meanwhile waits in the app's queue behind this call.
        for event in held or ():
            await self.on_event(event)


def hold(app: App[Any]) -> None:
    """A new answer field is on its way: hold key presses back (see the module)."""
    if isinstance(app, TypeAheadMixin):
        app.hold_keys()


async def release(app: App[Any]) -> None:
    """The new answer field has the focus: hand the held key presses to it."""
    if isinstance(app, TypeAheadMixin):
        await app.release_keys()
