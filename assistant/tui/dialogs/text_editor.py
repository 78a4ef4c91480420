"""A small modal editor for one text: Ctrl+S saves, Esc cancels."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static, TextArea

from assistant.language import Language
from assistant.text import clean_text
from assistant.tui.answers.text import AnswerArea
from assistant.tui.strings import t


class TextEditor(ModalScreen[str | None]):
    """Edit `text`; dismisses with the cleaned text (Ctrl+S) or None (Esc)."""

    CSS_PATH = "text_editor.tcss"
    # Ctrl+S is the text area's own (AnswerArea): it runs after the keys typed before it.
    BINDINGS = [
        Binding("escape", "dismiss(None)", "Annullér"),
    ]

    def __init__(self, title: str, text: str, lang: Language, hint: str = "") -> None:
        super().__init__()
        self._title = title
        self._text = text
        self._lang = lang
        self._hint = hint

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Content(clean_text(self._title)), id="editor-title")
            if self._hint:
                yield Static(Content(self._hint), id="editor-hint")
            yield AnswerArea(self._text, id="editor", soft_wrap=True, show_line_numbers=False)
            yield Static(Content(t("editor_keys", self._lang)), id="editor-keys")

    def on_mount(self) -> None:
        area = self.query_one(TextArea)
        area.focus()
        area.move_cursor(area.document.end)

    @on(AnswerArea.SaveRequested)
    def _save_requested(self, event: AnswerArea.SaveRequested) -> None:
        event.stop()
        self.action_save()

    def action_save(self) -> None:
        """Save: the text, cleaned (escape sequences and control characters removed)."""
        self.dismiss(clean_text(self.query_one(TextArea).text))
