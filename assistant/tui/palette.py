"""Textual's command palette in the UI's language: its placeholder and its "no matches" line.

Textual writes both in English (the placeholder is a parameter; "No matches found" is set in
`CommandPalette._start_no_matches_countdown`). The palette here takes the words from the
catalogue. The override follows Textual's method line by line: Textual is pinned
(tests/test_pins.py), so a change there fails the pin before it reaches a ward.
"""

from __future__ import annotations

from rich.align import Align
from rich.text import Text
from textual.command import CommandList, CommandPalette, Provider
from textual.widgets.option_list import Option

from assistant.language import Language
from assistant.tui.strings import t

__all__ = ["LocalPalette"]


class LocalPalette(CommandPalette):
    """The command palette with its own words in `lang`."""

    def __init__(self, lang: Language, providers: list[type[Provider]] | None = None, *,
                 placeholder_key: str = "textual.palette_placeholder",
                 id: str | None = None) -> None:
        super().__init__(providers=providers, placeholder=t(placeholder_key, lang), id=id)
        self.lang = lang

    def _start_no_matches_countdown(self, search_value: str) -> None:
        """Show "no command fits" (in the palette's language) when a search finds nothing."""
        self._stop_no_matches_countdown()

        def _show_no_matches() -> None:
            if search_value:
                command_list = self.query_one(CommandList)
                command_list.add_option(
                    Option(
                        Align.center(Text(t("textual.palette_no_matches", self.lang),
                                          style="not bold")),
                        disabled=True,
                        id=self._NO_MATCHES,
                    )
                )
                self._list_visible = True
            else:
                self._list_visible = False

        self._no_matches_timer = self.set_timer(self._NO_MATCHES_COUNTDOWN, _show_no_matches)
