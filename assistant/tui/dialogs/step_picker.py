"""Pick one step from a list: an earlier answer to edit, a line of the plan, a question."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from assistant.language import Language
from assistant.text import clean_text
from assistant.tui.strings import t


class StepPicker(ModalScreen[str | None]):
    """Pick one answered step (Enter), or Esc to cancel."""

    # The pickers look alike: one style for both.
    CSS_PATH = "pickers.tcss"
    BINDINGS = [("escape", "dismiss(None)", "Cancel")]

    def __init__(self, choices: list[tuple[str, str]], lang: Language,
                 title: str | None = None) -> None:
        super().__init__()
        self._choices = choices
        self._lang = lang
        self._title = title or t("edit_pick", lang)

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Content(self._title))
            yield OptionList(*(Option(Content(clean_text(text)), id=step_id)
                               for step_id, text in self._choices))

    @on(OptionList.OptionSelected)
    def _picked(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(str(event.option.id))
