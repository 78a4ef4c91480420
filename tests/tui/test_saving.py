"""Where a save starts (issue 15, item 8): the folder last saved in, else the documents
folder — never the folder the app was started in — and the folder is remembered."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from textual.app import App
from textual.widgets import Input

from assistant import settings
from assistant.tui import saving
from assistant.tui.dialogs.export import ExportDialog, ExportRequest

DAY = dt.date(2026, 3, 1)


@pytest.fixture
def documents(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A documents folder of its own; the working folder elsewhere."""
    folder = tmp_path / "Dokumenter"
    folder.mkdir()
    monkeypatch.setattr("platformdirs.user_documents_dir", lambda: str(folder))
    work = tmp_path / "git-checkout"
    work.mkdir()
    monkeypatch.chdir(work)
    return folder


def test_a_save_starts_in_the_documents_folder(documents: Path) -> None:
    path = saving.suggested_path("AB 12", "kriseplan-til-patienten", DAY, ".html")
    assert path == documents / "AB-12-kriseplan-til-patienten-2026-03-01.html"


def test_without_a_documents_folder_the_home_folder(documents: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    documents.rmdir()
    home = documents.parent / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    assert saving.export_folder() == home


def test_the_folder_last_saved_in_is_remembered(documents: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "udskrifter"
    elsewhere.mkdir()

    class Screen:  # what write_export needs of a screen: notify
        def notify(self, *_args: object, **_kw: object) -> None:
            pass

    assert saving.write_export(Screen(), elsewhere / "plan.txt", "tekst", "da")  # type: ignore[arg-type]
    assert settings.load().export_folder == str(elsewhere)
    assert saving.suggested_path("", "plan", DAY, ".txt").parent == elsewhere
    # A remembered folder that is gone: back to the documents folder.
    (elsewhere / "plan.txt").unlink()
    elsewhere.rmdir()
    assert saving.export_folder() == documents
    # Nothing about the session is in the settings file: only the folder.
    assert "tekst" not in settings.settings_path().read_text(encoding="utf-8")


async def test_a_name_without_a_folder_goes_in_the_suggested_folder(documents: Path) -> None:
    requests: list[ExportRequest | None] = []

    class Host(App[None]):
        def on_mount(self) -> None:
            self.push_screen(ExportDialog(
                "da", formats=[("text", "Tekst")], encrypted=False,
                default_path=lambda _fmt: saving.suggested_path("", "plan", DAY, ".txt")),
                requests.append)

    app = Host()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ExportDialog)
        field = dialog.query_one("#path", Input)
        assert field.value == str(documents / "plan-2026-03-01.txt")
        field.value = "min-plan.txt"
        field.focus()
        await pilot.press("enter")
        await pilot.pause()
    assert requests == [ExportRequest("text", documents / "min-plan.txt")]
