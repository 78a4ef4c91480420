"""A date: YYYY-MM-DD, or the Danish DD-MM-YYYY / DD.MM.YYYY, checked before it is sent."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.widgets import Input

from assistant.engine.values import parse_date  # the one date parser (the CLI uses it too)
from assistant.tui.answers.base import AnswerWidget
from assistant.tui.strings import t

__all__ = ["DateAnswer", "parse_date"]


class DateAnswer(AnswerWidget):
    """Enter a date."""

    HINT = "date_hint"

    def inputs(self) -> ComposeResult:
        value = self.initial if isinstance(self.initial, str) else ""
        placeholder = "DD.MM.ÅÅÅÅ" if self.lang == "da" else "DD.MM.YYYY"
        yield Input(value=value, placeholder=placeholder, max_length=10, id="date")

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        answer = self.collect()
        if answer is not None:
            self.submit(answer.value)

    def collect(self) -> AnswerWidget.Submitted | None:
        iso = parse_date(self.query_one(Input).value)
        if iso is None:
            self.show_error(t("date_invalid", self.lang))
            return None
        return self.Submitted(iso)

    def has_unsaved(self) -> bool:
        typed = self.query_one(Input).value.strip()
        return bool(typed) and typed != (self.initial if isinstance(self.initial, str) else "")
