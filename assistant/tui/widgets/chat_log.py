"""The scrolling chat log, pinned to its newest message."""

from __future__ import annotations

from textual.containers import VerticalScroll
from textual.events import Resize


class ChatLog(VerticalScroll):
    """A VerticalScroll pinned to the bottom, with an explicit way to pin it again.

    Textual's `anchor()` does not undo `release_anchor()` (the release lasts until the view
    happens to reach the bottom), and an anchored view does not follow when it *shrinks* — a
    taller answer widget below could hide the newest question. Both rely on Textual 8.2.8's
    anchor fields, which the exact pin in pyproject.toml keeps stable.
    """

    def pin(self) -> None:
        """Stay at the newest message from now on (after showing something from its top)."""
        self._anchor_released = False
        self.anchor()

    @property
    def pinned(self) -> bool:
        """True while the log follows its newest message."""
        return self._anchored and not self._anchor_released

    def on_resize(self, event: Resize) -> None:
        if self.pinned:
            self.scroll_end(animate=False, immediate=True)
