"""The patient's own step in approving the plan: "I recognise my words"."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Button, Static

from assistant.language import Language
from assistant.plans.models import PlanDraft
from assistant.text import clean_text
from assistant.tui.approval import approval_word
from assistant.tui.dialogs.base import Dialog


class ConfirmDialog(Dialog[bool]):
    """The patient's own step: "the plan has been gone through with me, and I recognise my
    words". True when the patient confirms."""

    CSS_PATH = ["dialog.tcss", "confirm.tcss"]
    BINDINGS = [Binding("escape", "dismiss(False)", "Annullér")]

    def __init__(self, draft: PlanDraft, lang: Language, *, voided: bool = False) -> None:
        super().__init__()
        self.draft = draft
        self.lang = lang
        self.voided = voided

    def compose(self) -> ComposeResult:
        lang = self.lang
        with Vertical():
            yield Static(Content(clean_text(
                f"{approval_word('confirm_title', lang)} — {self.draft.title(lang)}")),
                classes="dialog-title")
            if self.voided:
                yield Static(Content(approval_word("confirm_voided", lang)), classes="warning")
            yield Static(Content(approval_word("confirm_text", lang)), id="confirm-text")
            yield Static(Content(approval_word("confirm_next", lang)))
            with Horizontal():
                yield Button(Content(approval_word("confirm", lang)), id="confirm",
                             variant="primary")
                yield Button(Content(approval_word("not_yet", lang)), id="not-yet")

    def on_mount(self) -> None:
        self.query_one("#confirm", Button).focus()

    @on(Button.Pressed, "#confirm")
    def _confirm(self) -> None:
        self.dismiss(True)

    @on(Button.Pressed, "#not-yet")
    def _not_yet(self) -> None:
        self.dismiss(False)
