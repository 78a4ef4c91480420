"""A footer that redraws its keys only when the keys shown actually change.

Textual's Footer recomposes on every bindings update, and every focus change publishes one:
in a chat where each answer moves the focus, that was most of the time of a turn. The keys on
show rarely change, so this footer compares them first.
"""

from __future__ import annotations

from textual.screen import Screen
from textual.widgets import Footer


class KeyFooter(Footer):
    """Footer that skips recomposing when the visible bindings are the same as last time."""

    _shown: tuple[tuple[str, str, bool], ...] | None = None
    _pending = False

    def _visible(self) -> tuple[tuple[str, str, bool], ...]:
        return tuple(
            (binding.key, binding.description, enabled)
            for (_node, binding, enabled, _tooltip) in self.screen.active_bindings.values()
            if binding.show
        )

    def bindings_changed(self, screen: Screen[object]) -> None:
        self._bindings_ready = True
        if not screen.app.app_focus or not self.is_attached or screen is not self.screen:
            return
        if not self._pending:
            self._pending = True
            self.call_after_refresh(self._maybe_recompose)

    async def _maybe_recompose(self) -> None:
        self._pending = False
        if not self.is_attached:
            return
        shown = self._visible()
        if shown != self._shown:
            self._shown = shown
            await self.recompose()
