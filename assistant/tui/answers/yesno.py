"""Yes or no: J/Y or N, or the buttons."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.content import Content
from textual.events import Key
from textual.widgets import Button

from assistant.tui.answers.base import AnswerWidget
from assistant.tui.css import beside
from assistant.tui.strings import t


class YesNoAnswer(AnswerWidget):
    """Answer yes or no."""

    HINT = "yesno_hint"
    DEFAULT_CSS = beside(__file__)
    REUSABLE = True  # the same two buttons for every yes/no question

    def inputs(self) -> ComposeResult:
        with Horizontal():
            yield Button(Content(t("yes", self.lang)), id="yes", compact=True)
            yield Button(Content(t("no", self.lang)), id="no", compact=True)

    def on_key(self, event: Key) -> None:
        key = (event.character or "").lower()
        if key in ("j", "y"):
            event.stop()
            self.submit(True)
        elif key == "n":
            event.stop()
            self.submit(False)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.submit(event.button.id == "yes")
