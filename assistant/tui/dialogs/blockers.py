"""What stands in the way of approving the plan now (the first of the approval's steps)."""

from __future__ import annotations

from collections.abc import Sequence

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Button, Static

from assistant.engine.records import ApprovalBlocker
from assistant.language import Language
from assistant.plans.models import PlanDraft
from assistant.text import clean_text
from assistant.tui.approval import approval_word, blocker_text
from assistant.tui.dialogs.base import Dialog


class BlockersDialog(Dialog[None]):
    """What stands in the way of approving the plan now, each with what to do about it."""

    CSS_PATH = ["dialog.tcss", "blockers.tcss"]
    BINDINGS = [Binding("escape", "dismiss(None)", "Tilbage")]

    def __init__(self, draft: PlanDraft, blockers: Sequence[ApprovalBlocker],
                 lang: Language) -> None:
        super().__init__()
        self.draft = draft
        self.blockers = list(blockers)
        self.lang = lang

    def compose(self) -> ComposeResult:
        lang = self.lang
        with Vertical():
            yield Static(Content(clean_text(
                f"{approval_word('blocked_title', lang)} — {self.draft.title(lang)}")),
                classes="dialog-title")
            for blocker in self.blockers:
                yield Static(Content("• " + clean_text(blocker_text(blocker, self.draft, lang))),
                             classes=f"blocker warning -{blocker.kind}")
            with Horizontal():
                yield Button(Content(approval_word("ok", lang)), id="ok", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#ok", Button).focus()

    @on(Button.Pressed, "#ok")
    def _ok(self) -> None:
        self.dismiss(None)
