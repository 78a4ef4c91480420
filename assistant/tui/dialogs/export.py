"""Save to a file: choose a format and where; warns that the file leaves the store's protection."""

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

from assistant.guides.models import Language
from assistant.tui.dialogs.base import Dialog
from assistant.tui.saving import refused_text
from assistant.tui.strings import t


@dataclass(frozen=True)
class ExportRequest:
    """Save the draft in `fmt` to `path`; `replace`: the user confirmed overwriting it."""

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
        """`formats`: (format, label) pairs, the first chosen; `default_path(format)`: the
        file suggested for it."""
        super().__init__()
        self.lang = lang
        self.formats = list(formats)
        self.default_path = default_path
        self.encrypted = encrypted
        self.title_text = title or t("export_title", lang)
        self.fmt = self.formats[0][0]
        self._confirm_overwrite: Path | None = None

    def compose(self) -> ComposeResult:
        lang = self.lang
        with Vertical():
            yield Static(Content(self.title_text), classes="dialog-title")
            with RadioSet(id="formats"):
                for fmt, label in self.formats:
                    yield RadioButton(Content(label), value=fmt == self.fmt, id=f"format-{fmt}")
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
        fmt = (event.pressed.id or "").removeprefix("format-") or self.formats[0][0]
        path_input = self.query_one("#path", Input)
        # Follow the format's file ending while the path is still the suggested one.
        if path_input.value == str(self.default_path(self.fmt)):
            path_input.value = str(self.default_path(fmt))
        self.fmt = fmt
        self._confirm_overwrite = None

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
            path = Path.cwd() / path
        from assistant.export.files import target_problem

        # The rules of `files.write_private`: a symlink, folder or device is refused here
        # already; an existing file is replaced only after "save again".
        problem = target_problem(path, replace=True)
        if problem is not None:
            error.update(Content(refused_text(problem.reason, self.lang)))
            return
        exists = os.path.lexists(path)
        if exists and self._confirm_overwrite != path:
            self._confirm_overwrite = path
            error.update(Content(t("export_exists", self.lang)))
            return
        self.dismiss(ExportRequest(self.fmt, path, replace=exists))
