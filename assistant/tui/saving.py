"""Saving a file from the UI: where it goes, why it was refused, and saying so on screen.

Files are written by `export.files.write_private`, as the CLI writes them (mode 0600; an
existing file is replaced only when the user confirmed it in the `ReplaceDialog`). Used by
the plan review, the summary ("my points for the meeting") and the setup screen (a
meeting's agenda).

Where: the folder the user last saved in (remembered in the settings file, `export_folder`),
else the user's documents folder (platformdirs), never the folder the app was started in.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual.screen import Screen

from assistant.language import Language
from assistant.tui.strings import has, t

if TYPE_CHECKING:
    from assistant.tui.dialogs.export import ExportRequest


def export_folder() -> Path:
    """The folder a save starts in: the one last saved in (the settings' `export_folder`)
    while it is still a folder; else the user's documents folder if there is one; else the
    home folder."""
    from platformdirs import user_documents_dir

    from assistant import settings

    remembered = settings.load().export_folder
    if remembered:
        folder = Path(remembered)
        if folder.is_absolute() and folder.is_dir():
            return folder
    documents = Path(user_documents_dir())
    return documents if documents.is_dir() else Path.home()


def remember_folder(folder: Path) -> None:
    """Remember `folder` as where the next save starts (a convenience: a settings file that
    cannot be written is no error, see `settings.save`)."""
    from assistant import settings

    current = settings.load()
    if current.export_folder != str(folder):
        settings.save(dataclasses.replace(current, export_folder=str(folder)))


def suggested_path(label: str, name: str, day: dt.date, suffix: str) -> Path:
    """Where a saved file goes unless changed: in `export_folder()`, named from the
    session's label (letters, digits, - and _ only), what it is, and the day."""
    stem = "".join(c if c.isalnum() or c in "-_" else "-" for c in label).strip("-")
    return export_folder() / f"{stem + '-' if stem else ''}{name}-{day.isoformat()}{suffix}"


def refused_text(reason: str, lang: Language) -> str:
    """Why `write_private` refused a file (`WriteRefused.reason`), in the UI's words."""
    ui = {"folder": "export_is_folder", "no_folder": "export_no_folder"}
    if reason in ui:
        return t(ui[reason], lang)
    key = f"refused.{reason}"
    return t(key if has(key) else "refused.not_regular", lang)


def write_export(screen: Screen[Any], path: Path, text: str | bytes,
                 lang: Language, *, replace: bool = False) -> bool:
    """Write an export (text, or a binary format's bytes) to `path` (mode 0600) and say so
    on `screen`; True when written.

    The file is written by `files.write_private`, as the CLI writes it: an existing file is
    replaced only when `replace` is True (the user confirmed it in the `ExportDialog`). A
    failure is a message (the reason), never a traceback, and leaves an existing file as
    it was.
    """
    from assistant.export.files import WriteRefused, write_private

    try:
        write_private(path, text, replace=replace)
    except WriteRefused as exc:
        screen.notify(f"{t('review_not_written', lang)}: {refused_text(exc.reason, lang)}",
                      severity="error", markup=False)
        return False
    except OSError as exc:
        screen.notify(f"{t('review_not_written', lang)} ({exc.strerror or type(exc).__name__})",
                      severity="error", markup=False)
        return False
    screen.notify(f"{t('review_written', lang)} {path}", markup=False)
    remember_folder(path.parent)
    return True


def save_page(screen: Screen[Any], lang: Language, *, title: str,
              label: str, name: str, encrypted: bool,
              make: Callable[[], tuple[str, str]]) -> None:
    """Ask where to save a one-page paper (HTML to print, or text) and save it there.

    `make()` gives (HTML page, plain text); the file is suggested from `label`, `name` and
    today's date.
    """
    today = dt.date.today()

    def path(fmt: str) -> Path:
        return suggested_path(label, name, today, ".html" if fmt == "html" else ".txt")

    def done(request: ExportRequest | None) -> None:
        if request is not None:
            page, text = make()
            write_export(screen, request.path, page if request.fmt == "html" else text, lang,
                         replace=request.replace)

    from assistant.tui.dialogs.export import ExportDialog

    formats = [("html", t("points_html", lang)), ("text", t("points_text", lang))]
    screen.app.push_screen(ExportDialog(lang, formats=formats, default_path=path,
                                        encrypted=encrypted, title=title), done)
