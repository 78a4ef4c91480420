"""A visible meeting timer: time used of the meeting's time box (e.g. 15 minutes for a blitz).

It reads the time from the app's clock (injected, so tests move time without waiting) and
only shows: nothing stops when time is up — people decide that. A resumed meeting continues
from the time it had used when it was left (`already`); at the end of the meeting the
timer stops (`stop`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from textual.content import Content
from textual.timer import Timer
from textual.widgets import Static

from assistant.language import Language
from assistant.tui.css import beside
from assistant.tui.strings import t


class MeetingTimer(Static):
    """`Tid 04:12 / 15:00`, highlighted when the time box is used up."""

    DEFAULT_CSS = beside(__file__)

    def __init__(self, minutes: int, clock: Callable[[], dt.datetime], lang: Language, *,
                 already: dt.timedelta = dt.timedelta(0)) -> None:
        super().__init__("", markup=False)
        self.minutes = minutes
        self._clock = clock
        self._lang = lang
        self.started = clock() - max(dt.timedelta(0), already)
        #: The time used when the meeting ended; None while it runs.
        self.stopped: dt.timedelta | None = None
        self._ticking: Timer | None = None

    def on_mount(self) -> None:
        self.tick()
        self._ticking = self.set_interval(1.0, self.tick)

    @property
    def elapsed(self) -> dt.timedelta:
        """Time used by the meeting so far (frozen once it is stopped)."""
        if self.stopped is not None:
            return self.stopped
        return max(dt.timedelta(0), self._clock() - self.started)

    def stop(self, used: dt.timedelta | None = None) -> None:
        """Stop the clock at the end of the meeting (at `used`, default: now)."""
        if self.stopped is None:
            self.stopped = max(dt.timedelta(0), used) if used is not None else self.elapsed
        if self._ticking is not None:
            self._ticking.stop()
        if self.is_mounted:
            self.tick()

    @property
    def over(self) -> bool:
        """True once the time box is used up."""
        return self.elapsed >= dt.timedelta(minutes=self.minutes)

    def tick(self) -> None:
        """Show the time now."""
        seconds = int(self.elapsed.total_seconds())
        used = f"{seconds // 60:02d}:{seconds % 60:02d}"
        text = f"{t('timer', self._lang)} {used} / {self.minutes:02d}:00"
        if self.over:
            text += f" – {t('time_up', self._lang)}"
        self.set_class(self.over, "-over")
        self.update(Content(text))
