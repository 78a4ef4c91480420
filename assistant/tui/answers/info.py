"""Information only: a Continue button (Enter)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.content import Content
from textual.widgets import Button

from assistant.tui.answers.base import AnswerWidget
from assistant.tui.strings import t


class InfoAnswer(AnswerWidget):
    """Nothing to answer: Enter moves on."""

    HINT = "info_hint"

    def inputs(self) -> ComposeResult:
        yield Button(Content(t("continue", self.lang)), id="continue", variant="primary",
                     compact=True)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.submit(None)
