"""Libraries beyond the package (issue 18, item 1): an author's flow on a fresh install.

An aid and its own plan template in a folder outside the package: `sdm --library DIR list`
shows both (and where they come from); the UI finds the aid and runs it to its end; its plan
exports; after the folder is deleted, the stored session still exports (the texts it was
made with are kept in the store). Also: `SDM_LIBRARY`, the per-user folder `sdm` creates and
names, and a bundled plan replaced on purpose (`replaces_bundled: true`) — said — or by
accident (the same id without it) — an error.
"""

from __future__ import annotations

import contextlib
import io
import shutil
from pathlib import Path

import pytest
from textual.widgets import OptionList

from assistant.cli import main
from assistant.guides.folders import library_folders
from assistant.guides.loader import load_library
from assistant.service.sessions import SessionService
from assistant.store import open_store
from assistant.tui.app import make_app
from assistant.tui.screens.conversation import ConversationScreen
from tests.tui.conftest import FakeClock
from tests.tui.driver import answer_current

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def own_folders(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh install: the user's folders are the test's own, no SDM_LIBRARY, C locale."""
    for var in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME"):
        monkeypatch.setenv(var, str(tmp_path / var.lower()))
    monkeypatch.delenv("SDM_LIBRARY", raising=False)
    monkeypatch.setenv("LC_ALL", "C")
    return tmp_path


def _region(tmp_path: Path, name: str = "Region-Nord") -> Path:
    folder = tmp_path / name
    folder.mkdir()
    for file in ("eksempel-beslutning.yaml", "eksempel-plan.yaml"):
        shutil.copy(ROOT / "docs" / "examples" / file, folder / file)
    return folder


def _sdm(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(argv))
    return code, out.getvalue(), err.getvalue()


def test_list_shows_a_folders_aid_and_plan_and_names_the_folders(tmp_path: Path) -> None:
    region = _region(tmp_path)
    code, out, err = _sdm("--lang", "en", "--library", str(region), "list")
    assert code == 0, err
    rows = {line.split()[0]: line for line in out.splitlines()}
    assert rows["eksempel-beslutning"].endswith("[Region-Nord]")
    assert rows["eksempel-plan"].endswith("[Region-Nord]")
    assert rows["kriseplan"].endswith("[bundled]")
    # The folders read, by name and path: the user's own (created) and the one given.
    user = tmp_path / "xdg_data_home" / "sdm-assistant" / "library"
    assert user.is_dir()
    assert f"library folder (your own): {user}" in err
    assert f"library folder Region-Nord (--library): {region}" in err
    # Without the option the folder's guides are not there.
    code, out, _err = _sdm("list")
    assert "eksempel-beslutning" not in out


def test_sdm_library_and_the_users_own_folder_are_read(tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    region = _region(tmp_path)
    other = tmp_path / "Afdeling-7"
    other.mkdir()
    monkeypatch.setenv("SDM_LIBRARY", f"{region}{__import__('os').pathsep}{other}")
    folders = library_folders()
    assert [(f.source, f.name) for f in folders] == [
        ("user", "library"), ("env", "Region-Nord"), ("env", "Afdeling-7")]
    code, out, _err = _sdm("list")
    assert code == 0 and "eksempel-beslutning" in out
    # A guide put in the user's own folder is found with no option at all.
    monkeypatch.delenv("SDM_LIBRARY")
    user = folders[0].path
    shutil.copytree(region, user, dirs_exist_ok=True)
    code, out, _err = _sdm("list")
    assert code == 0
    assert any(line.startswith("eksempel-beslutning") and line.endswith("[library]")
               for line in out.splitlines())


def test_a_bundled_plan_is_replaced_only_on_purpose_and_it_is_said(tmp_path: Path) -> None:
    region = tmp_path / "Region-Syd"
    region.mkdir()
    text = (ROOT / "decision_aids" / "plans" / "kriseplan.yaml").read_text("utf-8")
    (region / "kriseplan.yaml").write_text(text, encoding="utf-8")
    # The same id by accident: an error, as any duplicate.
    code, _out, err = _sdm("--lang", "en", "--library", str(region), "validate")
    assert code == 1 and "id 'kriseplan' is already used" in err + _out
    # On purpose: replaced, and said (validate, list; Danish by default on the home screen).
    (region / "kriseplan.yaml").write_text(
        text.replace("id: kriseplan\n", "id: kriseplan\nreplaces_bundled: true\n", 1),
        encoding="utf-8")
    code, _out, err = _sdm("--lang", "en", "--library", str(region), "validate")
    assert code == 0, err
    assert "replaces the bundled plan template 'kriseplan'" in err
    library = load_library(folders=[region])
    assert library.templates["kriseplan"].origin == "Region-Syd"
    code, _out, err = _sdm("--lang", "da", "--library", str(region), "list")
    assert "erstatter planskabelonen 'kriseplan'" in err


async def test_the_ui_runs_a_folders_aid_and_its_plan_exports_after_the_folder_is_gone(
        tmp_path: Path) -> None:
    region = _region(tmp_path)
    store_path = tmp_path / "store.sqlite3"
    library = load_library(folders=[region])
    assert library.ok, [p.format() for p in library.errors]
    service = SessionService(open_store(store_path, clock=FakeClock()), library)
    app = make_app(library, clock=FakeClock(), service=service)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press(*"Hvem skal")
        await pilot.pause()
        guides = app.screen.query_one("#guides", OptionList)
        found = [str(guides.get_option_at_index(i).id) for i in range(guides.option_count)]
        assert "eksempel-beslutning" in found
        prompt = guides.get_option_at_index(found.index("eksempel-beslutning")).prompt
        assert "Region-Nord" in str(prompt)  # where it comes from
        guides.focus()
        guides.highlighted = found.index("eksempel-beslutning")
        await pilot.press("enter")
        await pilot.pause()
        from textual.widgets import Input

        app.screen.query_one("#label", Input).value = "AB"
        await pilot.press("enter")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ConversationScreen)
        for _ in range(60):
            if screen.state.current is None:
                break
            await answer_current(pilot, screen, text="Min søster skal vide det")
        assert screen.state.finished
    service.store.close()
    with open_store(store_path) as store:
        (row,) = store.list_sessions()
        session = row.id
    code, before, err = _sdm("--library", str(region), "export", session, "--store",
                             str(store_path), "--today", "2026-12-02")
    assert code == 0, err
    assert "Hvem skal" in before  # the aid's own plan, drafted
    shutil.rmtree(region)
    code, after, err = _sdm("export", session, "--store", str(store_path), "--today",
                            "2026-12-02")
    assert code == 0, err
    assert after == before
