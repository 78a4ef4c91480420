"""Short text (Enter saves) and long text (Ctrl+S saves), kept verbatim."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Input, TextArea

from assistant.guides.models import LongTextStep, TextStep
from assistant.text import clean_text
from assistant.tui.answers.base import AnswerWidget
from assistant.tui.strings import t


class TextAnswer(AnswerWidget):
    """One line of text."""

    HINT = "text_hint"

    def inputs(self) -> ComposeResult:
        step = self.step
        limit = step.max_length if isinstance(step, TextStep) else 500
        value = self.initial if isinstance(self.initial, str) else ""
        yield Input(value=value, max_length=limit, id="text")

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        text = clean_text(event.value).strip()
        if not text:
            self.show_error(t("empty", self.lang))
            return
        self.submit(text)


class LongTextAnswer(AnswerWidget):
    """Several lines of text; Ctrl+S saves."""

    HINT = "longtext_hint"
    DEFAULT_CSS = """
    LongTextAnswer TextArea { height: 6; }
    """
    BINDINGS = [Binding("ctrl+s", "save", "Save", priority=True)]

    def inputs(self) -> ComposeResult:
        value = self.initial if isinstance(self.initial, str) else ""
        area = TextArea(value, id="longtext", soft_wrap=True, show_line_numbers=False)
        yield area

    def action_save(self) -> None:
        text = clean_text(self.query_one(TextArea).text).strip()
        if not text:
            self.show_error(t("empty", self.lang))
            return
        step = self.step
        if isinstance(step, LongTextStep) and len(text) > step.max_length:
            text = text[: step.max_length]
        self.submit(text)
