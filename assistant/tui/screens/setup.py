"""Before a conversation: who is present, the language, and a label for the session.

For a meeting guide that names a preparation guide, and when the app keeps sessions, the
meeting can also be built on a stored preparation session ("Byg på forberedelse"). The newest
preparation with the same label that no meeting is built on yet is chosen by itself (again as
the label is typed, until someone picks a preparation by hand); a preparation chosen brings
its participants and the peer worker into the participant list.

Chosen and not chosen differ in glyph, not colour alone: ☑/☐ for participants, ●/○ for the
language and the preparation. The dialog opens with the keyboard in the first thing to fill:
the label (when a stored session needs one), else the participants.
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
from assistant.tui.widgets.toggles import CheckList, RadioChoice
from assistant.wording import role_label, youth

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
        #: The ids of preparations a stored meeting is already built on.
        self.used: set[str] = set()
        if service is not None:
            try:
                self.preparations = service.preparations(guide)[:MAX_PREPARATIONS]
                if self.preparations:
                    self.used = service.used_preparations(guide)
            except StoreError:
                self.preparations = []  # the home screen says what is wrong with the store
        #: True once someone picked a preparation themselves: the label no longer picks one.
        self._prep_by_hand = False
        #: The preparation button this screen pressed itself, until its change arrives.
        self._prep_pressing: str | None = None
        #: Roles a chosen preparation checked (and that were not checked before it).
        self._prep_roles: set[Role] = set()

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
            yield CheckList[str](*(
                Selection[str](Content(role_label(role, self.lang,
                                                  young=youth(self.guide.audience))),
                               role, role in chosen)
                for role in ROLES
            ), id="roles", chosen_word=t("chosen_word", self.lang))
            yield Static(Content(t("setup_language", self.lang)))
            with RadioSet(id="language"):
                yield RadioChoice(Content("Dansk"), value=self.lang == "da", id="lang-da")
                yield RadioChoice(Content("English"), value=self.lang == "en", id="lang-en")
            if self.preparations:
                yield Static(Content(t("setup_preparation", self.lang)))
                with RadioSet(id="preparation"):
                    yield RadioChoice(Content(t("no_preparation", self.lang)), value=True,
                                      id="prep-none")
                    for number, row in enumerate(self.preparations):
                        yield RadioChoice(self._preparation_label(row), id=f"prep-{number}")
                yield Static("", id="prep-note", markup=False)
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
        # The first thing to fill takes the keyboard: typing goes straight into the label.
        if self.label_required:
            self.query_one("#label", Input).focus()
        else:
            self.query_one("#roles", SelectionList).focus()
        self._match_preparation()

    # --- the preparation the meeting builds on ---------------------------------------------

    def matching_preparation(self, label: str) -> SessionRow | None:
        """The preparation the meeting should build on for `label`: the first (finished
        before unfinished, newest first) with the same label, ignoring case and spaces at
        the ends, that no stored meeting is built on yet; None for an empty label."""
        wanted = clean_text(label).strip().casefold()
        if not wanted:
            return None
        return next((row for row in self.preparations if row.id not in self.used
                     and clean_text(row.label).strip().casefold() == wanted), None)

    def _match_preparation(self) -> None:
        """Choose the preparation that matches the label (or none), unless one was chosen by
        hand."""
        if not self.preparations or self._prep_by_hand:
            return
        row = self.matching_preparation(self.query_one("#label", Input).value)
        target = "prep-none" if row is None else f"prep-{self.preparations.index(row)}"
        button = self.query_one(f"#{target}", RadioButton)
        if not button.value:
            self._prep_pressing = target
            button.value = True  # the RadioSet turns the others off and says it changed
        note = "" if row is None else t("preparation_matched", self.lang)
        self.query_one("#prep-note", Static).update(Content(note))

    @on(Input.Changed, "#label")
    def _label_changed(self) -> None:
        self._match_preparation()

    @on(RadioSet.Changed, "#preparation")
    def _preparation_changed(self, event: RadioSet.Changed) -> None:
        pressed = event.pressed.id
        if pressed == self._prep_pressing:
            self._prep_pressing = None
        else:
            self._prep_by_hand = True
            self.query_one("#prep-note", Static).update(Content(""))
        self._check_preparation_roles()

    def _check_preparation_roles(self) -> None:
        """Check the participants of the chosen preparation, and the peer worker who
        prepared with the patient; take back what an earlier choice checked."""
        roles = self.query_one("#roles", SelectionList)
        for role in self._prep_roles:
            roles.deselect(role)
        self._prep_roles = set()
        chosen = self._chosen_preparation()
        row = next((r for r in self.preparations if r.id == chosen), None)
        if row is None:
            return
        selected = set(roles.selected)
        for role in ROLES:
            if (role in row.present or role == "peer_worker") and role not in selected:
                roles.select(role)
                self._prep_roles.add(role)

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
