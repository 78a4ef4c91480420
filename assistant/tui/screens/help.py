"""The help overlay (F1): exactly the keys of the screen beneath it, in that screen's language,
then the three rules people rely on."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

from assistant.language import Language
from assistant.tui.bindings import ScreenKey, screen_keys
from assistant.tui.strings import t

#: The rules, as catalogue keys under `help.`: (title, text).
RULES: tuple[tuple[str, str], ...] = (
    ("rule_speaker_title", "rule_speaker"),
    ("rule_approval_title", "rule_approval"),
    ("rule_end_title", "rule_end"),
)

#: Room for the keys column: "F4 / Ctrl+Z" and its gap.
_KEY_COLUMN = 14


class HelpScreen(ModalScreen[None]):
    """Lists the keys of the screen beneath; any of Esc, F1 or q closes it."""

    CSS_PATH = "help.tcss"
    BINDINGS = [Binding("escape", "dismiss", "Luk"), Binding("f1", "dismiss", "Luk"),
                Binding("q", "dismiss", "Luk")]

    def __init__(self, lang: Language, beneath: Screen[object] | None = None) -> None:
        """`beneath`: the screen whose keys to list (default: the one under this overlay)."""
        super().__init__()
        self.lang = lang
        self._beneath = beneath

    def _keys(self) -> list[ScreenKey]:
        beneath = self._beneath
        if beneath is None:
            stack = self.app.screen_stack
            below = [s for s in stack if s is not self]
            beneath = below[-1] if below else None
        return screen_keys(beneath, self.lang) if beneath is not None else []

    def compose(self) -> ComposeResult:
        lines = Content(t("help.title", self.lang)).stylize("bold")
        for key in self._keys():
            column = f"{key.keys:<{_KEY_COLUMN - 1}} "
            if len(column) > _KEY_COLUMN:  # a long key list: the label on its own line
                column = f"{key.keys}\n{'':<{_KEY_COLUMN}}"
            lines = lines + Content("\n") + Content(column).stylize("bold") + Content(key.label)
        lines = lines + Content("\n") + Content(t("help.close", self.lang)).stylize("italic")
        for title, text in RULES:
            lines = (lines + Content("\n\n") + Content(t(f"help.{title}", self.lang)).stylize(
                "bold") + Content("\n" + t(f"help.{text}", self.lang)))
        with VerticalScroll():
            yield Static(lines, id="help-text")
