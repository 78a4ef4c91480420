"""After a preparation with a peer worker: "my points for the meeting" saved and copied from
the summary the conversation ends on."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from textual.widgets import Input

from assistant.guides.loader import Library, load_library
from assistant.tui.app import make_app
from assistant.tui.dialogs.export import ExportDialog
from assistant.tui.messages import GuideChosen
from assistant.tui.screens.summary import SummaryScreen
from tests.tui.conftest import FakeClock
from tests.tui.test_meeting_preparation import (
    STATEMENT,
    answer,
    open_setup,
    service_of,
    start_with_label,
)


@pytest.fixture(scope="module")
def library() -> Library:
    return load_library()


async def test_my_points_are_saved_and_copied_after_the_preparation(
        tmp_path: Path, library: Library, monkeypatch: pytest.MonkeyPatch) -> None:
    from assistant import settings

    settings.save(settings.Settings(export_folder=str(tmp_path)))  # the folder last saved in
    app = make_app(library, clock=FakeClock(),
                   service=service_of(library, tmp_path / "s.sqlite3"))
    async with app.run_test(size=(120, 45)) as pilot:
        await open_setup(pilot, "forberedelse-med-peer")
        screen = await start_with_label(pilot, "AB")
        while screen.state.current is not None:
            step = screen.state.current.id
            await answer(pilot, screen, STATEMENT if step == "personlig-udtalelse"
                         else f"Forberedt svar til {step}")
        for _ in range(3):
            await pilot.pause()
        summary = app.screen
        assert isinstance(summary, SummaryScreen) and summary.is_preparation
        await pilot.press("s")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ExportDialog)
        path = Path(dialog.query_one("#path", Input).value)
        assert path.parent == tmp_path and path.name.startswith("AB-mine-punkter-")
        assert path.suffix == ".html"
        await pilot.click("#save")
        await pilot.pause()
        assert app.screen is summary
        page = path.read_text(encoding="utf-8")
        assert "Mine punkter til mødet" in page and STATEMENT in page
        assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
        await pilot.press("c")
        await pilot.pause()
        assert STATEMENT in (app.clipboard or "")
        assert "<" not in app.clipboard  # the text version, not the page


async def test_other_summaries_have_no_points_keys(library: Library, tmp_path: Path) -> None:
    from tests.tui.driver import answer_current, start

    app = make_app(library, clock=FakeClock(),
                   service=service_of(library, tmp_path / "s.sqlite3"))
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await start(pilot, "paaroerende-inddragelse")
        await answer_current(pilot, screen)
        await pilot.press("f3")
        await pilot.pause()
        summary = app.screen
        assert isinstance(summary, SummaryScreen) and not summary.is_preparation
        await pilot.press("s")
        await pilot.pause()
        assert app.screen is summary
        assert all(b.binding.action not in ("save_points", "copy_points")
                   for b in summary.active_bindings.values() if b.enabled)


async def test_the_agenda_is_saved_from_setup_for_the_people_chosen(
        tmp_path: Path, library: Library, monkeypatch: pytest.MonkeyPatch) -> None:
    from textual.widgets import SelectionList

    from assistant.tui.screens.setup import SetupScreen

    monkeypatch.chdir(tmp_path)
    app = make_app(library, clock=FakeClock(),
                   service=service_of(library, tmp_path / "s.sqlite3"))
    async with app.run_test(size=(120, 45)) as pilot:
        await pilot.pause()
        app.post_message(GuideChosen(library.guides["forberedelse-med-peer"].document))
        await pilot.pause()
        assert isinstance(app.screen, SetupScreen) and not app.screen.query("#agenda")
        await pilot.press("escape")
        await pilot.pause()
        app.post_message(GuideChosen(library.guides["netvaerksmoede"].document))
        await pilot.pause()
        setup = app.screen
        assert isinstance(setup, SetupScreen)
        setup.query_one("#roles", SelectionList).select("municipality")
        await pilot.click("#agenda")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ExportDialog)
        await pilot.click("#format-text")
        await pilot.pause()
        path = Path(dialog.query_one("#path", Input).value)
        assert path.name.startswith("dagsorden-netvaerksmoede-") and path.suffix == ".txt"
        await pilot.click("#save")
        await pilot.pause()
        assert app.screen is setup  # back to choosing, nothing started
        text = path.read_text(encoding="utf-8")
        assert text.startswith("Dagsorden: ") and "Kommunen" in text
        assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
