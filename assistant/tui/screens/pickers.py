"""Small modal pickers: an earlier answer to edit, someone to add to the conversation."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from assistant.guides.models import ROLES, Language, Role
from assistant.text import clean_text
from assistant.tui.strings import t
from assistant.wording import role_label

_CSS = """
StepPicker, RolePicker { align: center middle; }
StepPicker > Vertical, RolePicker > Vertical {
    width: 70; height: auto; max-height: 80%; border: round $accent; background: $surface;
    padding: 0 1;
}
StepPicker OptionList, RolePicker OptionList { height: auto; max-height: 20; border: none; }
"""


class StepPicker(ModalScreen[str | None]):
    """Pick one answered step (Enter), or Esc to cancel."""

    DEFAULT_CSS = _CSS
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


class RolePicker(ModalScreen[Role | None]):
    """Pick a role to add to the conversation."""

    DEFAULT_CSS = _CSS
    BINDINGS = [("escape", "dismiss(None)", "Cancel")]

    def __init__(self, lang: Language, exclude: list[Role]) -> None:
        super().__init__()
        self._lang = lang
        self._roles = [r for r in ROLES if r not in exclude] or list(ROLES)

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Content(t("add_participant", self._lang)))
            yield OptionList(*(Option(Content(role_label(r, self._lang)), id=r)
                               for r in self._roles))

    @on(OptionList.OptionSelected)
    def _picked(self, event: OptionList.OptionSelected) -> None:
        role = str(event.option.id)
        self.dismiss(next(r for r in self._roles if r == role))
