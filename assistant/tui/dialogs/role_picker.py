"""Pick someone to add to the conversation."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from assistant.guides.models import ROLES, Language, Role
from assistant.tui.strings import t
from assistant.wording import role_label


class RolePicker(ModalScreen[Role | None]):
    """Pick a role to add to the conversation."""

    # The pickers look alike: one style for both.
    CSS_PATH = "pickers.tcss"
    BINDINGS = [("escape", "dismiss(None)", "Cancel")]

    def __init__(self, lang: Language, exclude: list[Role], *, young: bool = False) -> None:
        super().__init__()
        self._lang = lang
        self._young = young  # a guide for children and young people (`wording.youth`)
        self._roles = [r for r in ROLES if r not in exclude] or list(ROLES)

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Content(t("add_participant", self._lang)))
            yield OptionList(*(Option(Content(role_label(r, self._lang, young=self._young)), id=r)
                               for r in self._roles))

    @on(OptionList.OptionSelected)
    def _picked(self, event: OptionList.OptionSelected) -> None:
        role = str(event.option.id)
        self.dismiss(next(r for r in self._roles if r == role))
