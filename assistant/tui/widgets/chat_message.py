"""One widget per chat message: the guide speaking, or an answer bubble with its speaker.

A message renders `Content` built from plain text, so neither a patient's answer nor an
author's text is ever parsed as markup (no `[@click=...]`, no `[/]` crash, no lost `[sic]`).
One light widget per message keeps appending a turn cheap (a Markdown widget is ~10× slower).
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.binding import Binding
from textual.content import Content
from textual.message import Message
from textual.widgets import Static

from assistant.text import clean_text
from assistant.tui.css import beside


def plain(text: str) -> Content:
    """User or author text as Content: cleaned of control characters, never markup."""
    return Content(clean_text(text))


class GuideMessage(Static):
    """The guide speaks: a prompt, with help and detail below it."""

    DEFAULT_CSS = beside(__file__, "guide_message")

    def __init__(self, text: str, *, detail: list[str] | None = None,
                 classes: str | None = None, step_id: str | None = None) -> None:
        body = plain(text)
        for extra in detail or []:
            if extra.strip():
                body = body + Content("\n") + plain(extra).stylize("dim")
        super().__init__(body, classes=classes, markup=False)
        self.step_id = step_id


class AnswerBubble(Static, can_focus=True):
    """An answer, labelled with who gave it; select it (click or Enter) to edit it."""

    DEFAULT_CSS = beside(__file__, "answer_bubble")
    BINDINGS = [Binding("enter", "edit", "Edit", show=False)]

    @dataclass
    class EditRequested(Message):
        """Someone asked to change this answer."""

        step_id: str
        """The step whose answer to change."""

    def __init__(self, step_id: str, speaker: str, text: str, *, when: str = "",
                 skipped: bool = False, verbatim: str | None = None,
                 note: str | None = None) -> None:
        head = Content(speaker).stylize("bold")
        if when:
            head = head + Content(" · ") + Content(when).stylize("dim")
        body = head + Content("\n") + plain(text)
        if verbatim:
            body = body + Content("\n") + (Content("“") + plain(verbatim) + Content("”")).stylize(
                "italic")
        if note:  # e.g. "forberedt med peer-medarbejder"
            body = body + Content("\n") + plain(note).stylize("dim")
        super().__init__(body, classes="-skipped" if skipped else None, markup=False)
        self.step_id = step_id

    def on_click(self) -> None:
        self.post_message(self.EditRequested(self.step_id))

    def action_edit(self) -> None:
        self.post_message(self.EditRequested(self.step_id))


class Notice(Static):
    """A short line from the app itself (saved, undone, routed back)."""

    DEFAULT_CSS = beside(__file__, "notice")

    def __init__(self, text: str, *, classes: str | None = None) -> None:
        super().__init__(plain(text), markup=False, classes=classes)
