"""Short text (Enter saves) and long text (Ctrl+S saves), kept verbatim."""

from __future__ import annotations

from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.widgets import Input, TextArea

from assistant.guides.models import LongTextStep, TextStep
from assistant.text import clean_text
from assistant.tui.answers.base import AnswerWidget
from assistant.tui.css import beside
from assistant.tui.strings import t


class TextAnswer(AnswerWidget):
    """One line of text."""

    HINT = "text_hint"
    REUSABLE = True

    def _limit(self) -> int:
        return self.step.max_length if isinstance(self.step, TextStep) else 500

    def inputs(self) -> ComposeResult:
        value = self.initial if isinstance(self.initial, str) else ""
        # Editing adds to what was said: the cursor starts at the end of the old words.
        yield Input(value=value, max_length=self._limit(), id="text")

    def reset(self) -> None:
        field = self.query_one(Input)
        field.max_length = self._limit()
        field.value = self.initial if isinstance(self.initial, str) else ""
        field.cursor_position = len(field.value)

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        answer = self.collect()
        if answer is not None:
            self.submit(answer.value)

    def collect(self) -> AnswerWidget.Submitted | None:
        text = clean_text(self.query_one(Input).value).strip()
        if not text:
            self.show_error(t("empty", self.lang))
            return None
        return self.Submitted(text)

    def has_unsaved(self) -> bool:
        return _changed(self.query_one(Input).value, self.initial)


class AnswerArea(TextArea):
    """A text area that behaves like every other text field, and saves in order.

    Ctrl+S is an ordinary binding here, handled in this widget's own queue *after* the keys
    typed before it: a priority binding would run as soon as the key arrives and save the
    text without the keys still waiting to be handled (issue #12: a fast typist lost the
    last characters). Ctrl+Home / Ctrl+End go to the start / end of the text.
    """

    BINDINGS = [
        Binding("ctrl+s", "save", "Gem", show=False),
        Binding("ctrl+home", "document_start", show=False),
        Binding("ctrl+end", "document_end", show=False),
        Binding("ctrl+shift+home", "document_start(True)", show=False),
        Binding("ctrl+shift+end", "document_end(True)", show=False),
    ]

    @dataclass
    class SaveRequested(Message):
        """Ctrl+S in the area, after every key typed before it."""

    def on_mount(self) -> None:
        # Editing (F5) or prepared words add to what is there: start at the end.
        self.move_cursor(self.document.end)

    def action_save(self) -> None:
        self.post_message(self.SaveRequested())

    def action_document_start(self, select: bool = False) -> None:
        self.move_cursor((0, 0), select=select)

    def action_document_end(self, select: bool = False) -> None:
        self.move_cursor(self.document.end, select=select)


class LongTextAnswer(AnswerWidget):
    """Several lines of text; Ctrl+S saves."""

    HINT = "longtext_hint"
    DEFAULT_CSS = beside(__file__)
    REUSABLE = True

    def inputs(self) -> ComposeResult:
        value = self.initial if isinstance(self.initial, str) else ""
        yield AnswerArea(value, id="longtext", soft_wrap=True, show_line_numbers=False)

    def reset(self) -> None:
        area = self.query_one(AnswerArea)
        area.load_text(self.initial if isinstance(self.initial, str) else "")
        area.move_cursor(area.document.end)  # editing adds to what was said

    @on(AnswerArea.SaveRequested)
    def _save_requested(self, event: AnswerArea.SaveRequested) -> None:
        event.stop()
        self.action_save()

    def action_save(self) -> None:
        answer = self.collect()
        if answer is not None:
            self.submit(answer.value)

    def collect(self) -> AnswerWidget.Submitted | None:
        text = clean_text(self.query_one(TextArea).text).strip()
        if not text:
            self.show_error(t("empty", self.lang))
            return None
        step = self.step
        if isinstance(step, LongTextStep) and len(text) > step.max_length:
            text = text[: step.max_length]
        return self.Submitted(text)

    def has_unsaved(self) -> bool:
        return _changed(self.query_one(TextArea).text, self.initial)


def _changed(typed: str, initial: object) -> bool:
    """True when `typed` holds words that differ from what the field started with."""
    words = clean_text(typed).strip()
    start = clean_text(initial).strip() if isinstance(initial, str) else ""
    return bool(words) and words != start
