"""Before a conversation: who is present, the language, and a label for the session.

For a meeting guide that names a preparation guide, and when the app keeps sessions, the
meeting can also be built on a stored preparation session ("Byg på forberedelse").
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Button, Input, RadioButton, RadioSet, SelectionList, Static
from textual.widgets.selection_list import Selection

from assistant.guides.models import ROLES, Guide, Language, MeetingGuide, Role, text_in
from assistant.store.errors import StoreError
from assistant.store.labels import looks_like_cpr
from assistant.text import clean_text
from assistant.tui.strings import t
from assistant.wording import role_label

if TYPE_CHECKING:
    from assistant.service.sessions import SessionService
    from assistant.store.models import SessionRow

#: At most this many preparation sessions are offered (finished and newest first).
MAX_PREPARATIONS = 8


@dataclass
class Setup:
    """What the setup screen decided."""

    guide: Guide
    present: list[Role]
    language: Language
    label: str
    #: The id of a preparation session the meeting builds on, if any.
    preparation: str | None = None


class SetupScreen(ModalScreen[Setup | None]):
    """Choose who is present and the language; Start opens the conversation."""

    CSS_PATH = "setup.tcss"
    BINDINGS = [("escape", "cancel", "Cancel")]

    @dataclass
    class Started(Message):
        """The conversation can start."""

        setup: Setup

    def __init__(self, guide: Guide, lang: Language,
                 service: SessionService | None = None) -> None:
        super().__init__()
        self.guide = guide
        self.lang = lang
        #: A stored session needs a label, to be found again (never a CPR number).
        self.label_required = service is not None
        self.preparations: list[SessionRow] = []
        if service is not None:
            try:
                self.preparations = service.preparations(guide)[:MAX_PREPARATIONS]
            except StoreError:
                self.preparations = []  # the home screen says what is wrong with the store

    def _default_roles(self) -> set[Role]:
        roles: set[Role] = {"patient", "clinician"}
        if isinstance(self.guide, MeetingGuide):
            roles |= {p.role for p in self.guide.participants if p.required}
        return roles

    def compose(self) -> ComposeResult:
        chosen = self._default_roles()
        with VerticalScroll(id="setup"):
            yield Static(Content(clean_text(text_in(self.guide.title, self.lang))), id="title")
            yield Static(Content(t("setup_title", self.lang)))
            yield SelectionList[str](*(
                Selection[str](Content(role_label(role, self.lang)), role, role in chosen)
                for role in ROLES
            ), id="roles")
            yield Static(Content(t("setup_language", self.lang)))
            with RadioSet(id="language"):
                yield RadioButton(Content("Dansk"), value=self.lang == "da", id="lang-da")
                yield RadioButton(Content("English"), value=self.lang == "en", id="lang-en")
            if self.preparations:
                yield Static(Content(t("setup_preparation", self.lang)))
                with RadioSet(id="preparation"):
                    yield RadioButton(Content(t("no_preparation", self.lang)), value=True,
                                      id="prep-none")
                    for number, row in enumerate(self.preparations):
                        yield RadioButton(self._preparation_label(row), id=f"prep-{number}")
            yield Input(placeholder=t("setup_label", self.lang), id="label", max_length=80)
            yield Static("", id="setup-error", markup=False)
            with Horizontal(id="buttons"):
                if self.has_agenda:
                    yield Button(Content(t("agenda_button", self.lang)), id="agenda")
                yield Button(Content(t("start", self.lang)), id="start", variant="primary")
                yield Button(Content(t("cancel", self.lang)), id="cancel")

    @property
    def has_agenda(self) -> bool:
        """True for a network or blitz meeting: its agenda can be handed out beforehand."""
        return isinstance(self.guide, MeetingGuide) and self.guide.meeting_type != "preparation"

    def _present(self) -> list[Role]:
        roles = self.query_one("#roles", SelectionList).selected
        return [r for r in ROLES if r in roles]

    @on(Button.Pressed, "#agenda")
    def _save_agenda(self) -> None:
        """Save the agenda for the people chosen (HTML to print, or text), to hand out."""
        from assistant.export.meeting import agenda
        from assistant.tui.saving import save_page

        guide = self.guide
        assert isinstance(guide, MeetingGuide)
        language: Language = "en" if self.query_one("#lang-en", RadioButton).value else "da"
        present = self._present()
        # An agenda holds no answers, only the guide and the roles: nothing to warn about.
        save_page(self, self.lang, title=t("agenda_title", self.lang), label="",
                  name=f"{t('agenda_file', language)}-{guide.id}", encrypted=False,
                  make=lambda: agenda(guide, present, lang=language))

    def _preparation_label(self, row: SessionRow) -> Content:
        """A preparation session as offered: its label · its date (and if unfinished)."""
        when = row.updated.astimezone().strftime("%Y-%m-%d %H:%M")
        label = Content(clean_text(row.label or "–")) + Content(" · ") + Content(when)
        if not row.finished:
            label = label + Content(f" ({t('preparation_unfinished', self.lang)})").stylize(
                "dim")
        return label

    def _chosen_preparation(self) -> str | None:
        if not self.preparations:
            return None
        pressed = self.query_one("#preparation", RadioSet).pressed_button
        if pressed is None or pressed.id is None or pressed.id == "prep-none":
            return None
        return self.preparations[int(pressed.id.removeprefix("prep-"))].id

    def on_mount(self) -> None:
        self.query_one("#start", Button).focus()

    @on(Button.Pressed, "#start")
    @on(Input.Submitted, "#label")
    def _start(self) -> None:
        present = self._present()
        if not present:
            self.query_one("#setup-error", Static).update(Content(t("need_someone", self.lang)))
            return
        language: Language = "en" if self.query_one("#lang-en", RadioButton).value else "da"
        label = clean_text(self.query_one("#label", Input).value).strip()
        if looks_like_cpr(label):
            # A session label is shown on screen and in lists: never a CPR number.
            self.query_one("#setup-error", Static).update(Content(t("cpr_warning", self.lang)))
            return
        if not label and self.label_required:
            self.query_one("#setup-error", Static).update(Content(t("need_label", self.lang)))
            self.query_one("#label", Input).focus()
            return
        self.dismiss(Setup(self.guide, present, language, label, self._chosen_preparation()))

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
