"""Save to a file: choose what to save (a paper and its format) and where; warns that the file
leaves the store's protection, and asks before it replaces a file (`ReplaceDialog`)."""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Button, Input, RadioButton, RadioSet, Static

from assistant.language import Language
from assistant.tui.dialogs.base import Dialog
from assistant.tui.saving import refused_text
from assistant.tui.strings import t


@dataclass(frozen=True)
class ExportRequest:
    """Save the draft as `fmt` (the key of one of the dialog's `formats`) to `path`;
    `replace`: the user confirmed replacing the file there."""

    fmt: str
    path: Path
    replace: bool = False


class ExportDialog(Dialog[ExportRequest | None]):
    """Choose a format and a file; warns that the file is outside the store's protection."""

    CSS_PATH = ["dialog.tcss", "export.tcss"]
    BINDINGS = [Binding("escape", "dismiss(None)", "Annullér")]

    def __init__(self, lang: Language, *, formats: Sequence[tuple[str, str]],
                 default_path: Callable[[str], Path], encrypted: bool,
                 title: str | None = None) -> None:
        """`formats`: (key, label) pairs, the first chosen; `default_path(key)`: the file
        suggested for it (a name typed without a folder goes in the suggested folder)."""
        super().__init__()
        self.lang = lang
        self.formats = list(formats)
        self.default_path = default_path
        self.encrypted = encrypted
        self.title_text = title or t("export_title", lang)
        self.fmt = self.formats[0][0]
        #: A button's id for each key ("html/patient" → "format-html-patient").
        self._ids = {key: "format-" + "".join(c if c.isalnum() or c in "-_" else "-"
                                              for c in key) for key, _label in self.formats}

    def compose(self) -> ComposeResult:
        lang = self.lang
        with Vertical():
            yield Static(Content(self.title_text), classes="dialog-title")
            with RadioSet(id="formats"):
                for fmt, label in self.formats:
                    yield RadioButton(Content(label), value=fmt == self.fmt, id=self._ids[fmt])
            yield Static(Content(t("export_path", lang)))
            yield Input(str(self.default_path(self.fmt)), id="path")
            note = t("export_private", lang)
            if self.encrypted:
                note = t("export_not_encrypted", lang) + " " + note
            yield Static(Content(note), classes="warning" if self.encrypted else "")
            yield Static("", id="export-error", classes="error", markup=False)
            with Horizontal():
                yield Button(Content(t("save", lang)), id="save", variant="primary")
                yield Button(Content(t("cancel", lang)), id="cancel")

    @on(RadioSet.Changed, "#formats")
    def _format(self, event: RadioSet.Changed) -> None:
        fmt = next((key for key, id_ in self._ids.items() if id_ == event.pressed.id),
                   self.formats[0][0])
        path_input = self.query_one("#path", Input)
        # Follow the format's file ending while the path is still the suggested one.
        if path_input.value == str(self.default_path(self.fmt)):
            path_input.value = str(self.default_path(fmt))
        self.fmt = fmt

    @on(Button.Pressed, "#cancel")
    def _cancel(self) -> None:
        self.dismiss(None)

    @on(Button.Pressed, "#save")
    @on(Input.Submitted, "#path")
    def _save(self) -> None:
        error = self.query_one("#export-error", Static)
        raw = self.query_one("#path", Input).value.strip()
        if not raw:
            error.update(Content(t("export_need_path", self.lang)))
            return
        path = Path(raw).expanduser()
        if not path.is_absolute():
            # Beside the suggested file, never in the folder the app happened to start in.
            path = self.default_path(self.fmt).parent / path
        from assistant.export.files import target_problem

        # The rules of `files.write_private`: a symlink, folder or device is refused here
        # already; an existing file is replaced only after the user said so.
        problem = target_problem(path, replace=True)
        if problem is not None:
            error.update(Content(refused_text(problem.reason, self.lang)))
            return
        error.update("")
        if not os.path.lexists(path):
            self.dismiss(ExportRequest(self.fmt, path))
            return
        from assistant.tui.dialogs.replace import ReplaceDialog

        fmt = self.fmt

        def answered(replace: bool | None) -> None:
            if replace:
                self.dismiss(ExportRequest(fmt, path, replace=True))
            else:  # kept: back to the file name, to choose another
                self.query_one("#path", Input).focus()

        self.app.push_screen(ReplaceDialog(path, self.lang), answered)
