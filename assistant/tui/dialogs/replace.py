"""Before a save replaces a file: "The file exists already. Replace it?"

The export dialog asks this when the file it is about to write exists; only "Replace" lets
`files.write_private` put the new file in its place. The focus starts on "Keep the old
file", and Esc keeps it too: replacing is never what a stray Enter does.
"""

from __future__ import annotations

from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Button, Static

from assistant.language import Language
from assistant.tui.dialogs.base import Dialog
from assistant.tui.strings import t


class ReplaceDialog(Dialog[bool]):
    """Replace the existing file `path`? True only for "Replace"."""

    CSS_PATH = ["dialog.tcss"]
    BINDINGS = [Binding("escape", "dismiss(False)", "Annullér")]

    def __init__(self, path: Path, lang: Language) -> None:
        super().__init__()
        self.path = path
        self.lang = lang

    def compose(self) -> ComposeResult:
        lang = self.lang
        with Vertical():
            yield Static(Content(t("replace_title", lang)), classes="dialog-title")
            # The path is the user's text: a Content, never markup.
            yield Static(Content(str(self.path)), id="replace-path")
            yield Static(Content(t("replace_text", lang)), classes="warning")
            with Horizontal():
                yield Button(Content(t("replace_keep", lang)), id="keep", variant="primary")
                yield Button(Content(t("replace", lang)), id="replace", variant="error")

    def on_mount(self) -> None:
        self.query_one("#keep", Button).focus()

    @on(Button.Pressed, "#replace")
    def _replace(self) -> None:
        self.dismiss(True)

    @on(Button.Pressed, "#keep")
    def _keep(self) -> None:
        self.dismiss(False)
