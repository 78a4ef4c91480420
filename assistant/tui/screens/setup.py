"""Before a conversation: who is present, the language, and a label for the session."""

from __future__ import annotations

from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Button, Input, RadioButton, RadioSet, SelectionList, Static
from textual.widgets.selection_list import Selection

from assistant.guides.models import ROLES, Guide, Language, MeetingGuide, Role, text_in
from assistant.store.labels import looks_like_cpr
from assistant.text import clean_text
from assistant.tui.strings import t
from assistant.wording import role_label


@dataclass
class Setup:
    """What the setup screen decided."""

    guide: Guide
    present: list[Role]
    language: Language
    label: str


class SetupScreen(ModalScreen[Setup | None]):
    """Choose who is present and the language; Start opens the conversation."""

    CSS_PATH = "setup.tcss"
    BINDINGS = [("escape", "cancel", "Cancel")]

    @dataclass
    class Started(Message):
        """The conversation can start."""

        setup: Setup

    def __init__(self, guide: Guide, lang: Language) -> None:
        super().__init__()
        self.guide = guide
        self.lang = lang

    def _default_roles(self) -> set[Role]:
        roles: set[Role] = {"patient", "clinician"}
        if isinstance(self.guide, MeetingGuide):
            roles |= {p.role for p in self.guide.participants if p.required}
        return roles

    def compose(self) -> ComposeResult:
        chosen = self._default_roles()
        with Vertical(id="setup"):
            yield Static(Content(clean_text(text_in(self.guide.title, self.lang))), id="title")
            yield Static(Content(t("setup_title", self.lang)))
            yield SelectionList[str](*(
                Selection(Content(role_label(role, self.lang)), role, role in chosen)
                for role in ROLES
            ), id="roles")
            yield Static(Content(t("setup_language", self.lang)))
            with RadioSet(id="language"):
                yield RadioButton(Content("Dansk"), value=self.lang == "da", id="lang-da")
                yield RadioButton(Content("English"), value=self.lang == "en", id="lang-en")
            yield Input(placeholder=t("setup_label", self.lang), id="label", max_length=80)
            yield Static("", id="setup-error", markup=False)
            with Horizontal(id="buttons"):
                yield Button(Content(t("start", self.lang)), id="start", variant="primary")
                yield Button(Content(t("cancel", self.lang)), id="cancel")

    def on_mount(self) -> None:
        self.query_one("#start", Button).focus()

    @on(Button.Pressed, "#start")
    @on(Input.Submitted, "#label")
    def _start(self) -> None:
        roles = self.query_one("#roles", SelectionList).selected
        present: list[Role] = [r for r in ROLES if r in roles]
        if not present:
            self.query_one("#setup-error", Static).update(Content(t("need_someone", self.lang)))
            return
        language: Language = "en" if self.query_one("#lang-en", RadioButton).value else "da"
        label = clean_text(self.query_one("#label", Input).value).strip()
        if looks_like_cpr(label):
            # A session label is shown on screen and in lists: never a CPR number.
            self.query_one("#setup-error", Static).update(Content(t("cpr_warning", self.lang)))
            return
        self.dismiss(Setup(self.guide, present, language, label))

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
