"""A date: YYYY-MM-DD, or the Danish DD-MM-YYYY / DD.MM.YYYY, checked before it is sent."""

from __future__ import annotations

import datetime as dt
import re

from textual import on
from textual.app import ComposeResult
from textual.widgets import Input

from assistant.tui.answers.base import AnswerWidget
from assistant.tui.strings import t

_DANISH = re.compile(r"^(\d{1,2})[-./](\d{1,2})[-./](\d{4})$")


def parse_date(text: str) -> str | None:
    """The ISO date for `text` (YYYY-MM-DD, DD-MM-YYYY, DD.MM.YYYY, DD/MM/YYYY), or None."""
    text = text.strip()
    match = _DANISH.match(text)
    try:
        if match:
            day, month, year = (int(g) for g in match.groups())
            return dt.date(year, month, day).isoformat()
        return dt.date.fromisoformat(text).isoformat() if len(text) == 10 else None
    except ValueError:
        return None


class DateAnswer(AnswerWidget):
    """Enter a date."""

    HINT = "date_hint"

    def inputs(self) -> ComposeResult:
        value = self.initial if isinstance(self.initial, str) else ""
        yield Input(value=value, placeholder="ÅÅÅÅ-MM-DD", max_length=10, id="date")

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        iso = parse_date(event.value)
        if iso is None:
            self.show_error(t("date_invalid", self.lang))
            return
        self.submit(iso)
