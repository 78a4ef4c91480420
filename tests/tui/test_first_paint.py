"""The first screen before the library and the store (issue 16, item 1).

`sdm` draws the home screen from the shelf's cards, then checks the library and opens the
store in a thread. These tests hold the loader back to see the screen in between: the
guides are listed, nothing opens yet, and a guide chosen then opens once the loader is done.
A broken library file is shown on the home screen, and its guide cannot be opened. And the
first paint imports none of the heavy parts (checked in a fresh process).
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

from textual.widgets import OptionList, Static

from assistant.guides.loader import Library, load_library
from assistant.guides.status import LibraryStatus
from assistant.tui.app import Loaded, make_app
from assistant.tui.screens.home import HomeScreen
from assistant.tui.screens.setup import SetupScreen
from tests.conftest import ROOT
from tests.tui.conftest import FakeClock, temporary_service

from .driver import until


async def test_the_home_screen_is_drawn_before_the_library_is_checked(
        library: Library, tmp_path: Path) -> None:
    release = threading.Event()
    services = []

    def loader() -> Loaded:
        release.wait(10)
        services.append(temporary_service(library, tmp_path / "store"))
        return Loaded(library, services[-1])

    cards = LibraryStatus.from_library(library).cards
    app = make_app(None, service=None, status=LibraryStatus(cards), loader=loader,
                   clock=FakeClock())
    try:
        async with app.run_test(size=(100, 40)) as pilot:
            home = app.screen
            assert isinstance(home, HomeScreen)
            guides = home.query_one("#guides", OptionList)
            assert guides.option_count == len(cards)
            assert not home.query("#sessions")
            # Chosen before the library is checked: nothing opens yet …
            await pilot.press("enter")
            await pilot.pause()
            assert app.screen is home
            # … and it opens once the loader is done.
            release.set()
            await until(pilot, lambda: isinstance(app.screen, SetupScreen),
                        "the guide chosen early to open")
            assert app.service is services[0]
    finally:
        release.set()
        for service in services:
            service.store.close()


async def test_a_broken_file_is_shown_and_its_guide_cannot_be_opened(
        tmp_path: Path) -> None:
    folder = tmp_path / "guides"
    folder.mkdir()
    example = (ROOT / "docs" / "examples" / "eksempel-beslutning.yaml").read_text("utf-8")
    # A guide that loads but names a plan no template is: a problem in its own file.
    broken = example.replace("id: eksempel-beslutning", "id: brudt-guide", 1).replace(
        "plan: eksempel-plan", "plan: findes_ikke", 1)
    assert broken.count("findes_ikke") == 1
    (folder / "brudt.yaml").write_text(broken, encoding="utf-8")
    library = load_library([folder])
    assert library.errors and "brudt-guide" in library.guides
    status = LibraryStatus.from_library(library)
    assert status.blocked == {"brudt-guide"}
    service = temporary_service(library, tmp_path / "store")
    app = make_app(library, service=service, clock=FakeClock())
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            home = app.screen
            assert isinstance(home, HomeScreen)
            shown = str(home.query_one("#library-problems", Static).content)
            assert "brudt.yaml:" in shown and "findes_ikke" in shown
            assert "sdm validate" in shown
            guides = home.query_one("#guides", OptionList)
            index = next(i for i in range(guides.option_count)
                         if guides.get_option_at_index(i).id == "brudt-guide")
            assert "kan ikke åbnes" in str(guides.get_option_at_index(index).prompt)
            guides.focus()
            guides.highlighted = index
            await pilot.press("enter")
            await pilot.pause()
            assert app.screen is home  # refused: no setup screen
            assert any("kan ikke åbnes" in str(n.message) for n in app._notifications)
            # Another guide opens as before.
            other = next(i for i in range(guides.option_count) if i != index)
            guides.highlighted = other
            await pilot.press("enter")
            await until(pilot, lambda: isinstance(app.screen, SetupScreen), "another guide")
    finally:
        service.store.close()


#: Not imported when the first screen is drawn: the models and validation, the engine, the
#: store and its crypto, a server's driver, YAML, fuzzy matching, the session service, the
#: conversation and its answer widgets. (The service's `stores`, which tells a server's
#: address from a file's with no import of its own, is light.)
HEAVY = ("pydantic", "assistant.guides.models", "assistant.guides.loader", "assistant.engine",
         "assistant.store.store", "assistant.store.keys", "cryptography", "ruamel",
         "rapidfuzz", "assistant.tui.screens.conversation", "assistant.tui.answers",
         "assistant.service.sessions", "assistant.service.exports",
         "assistant.service.copying", "psycopg", "assistant.pgstore.db",
         "assistant.tui.widgets.chat_log",
         "assistant.tui.widgets.folded_log", "textual.widgets._text_area",
         "textual.document")

_FIRST_PAINT = """
import sys
from assistant.tui.run import run_app
code = run_app(store=sys.argv[1], headless=True, exit_when_painted=True, lock_after=None)
heavy = tuple(sys.argv[2].split(","))
print(code, *sorted(m for m in sys.modules if m.startswith(heavy)))
"""


def _start(tmp_path: Path, how: str) -> list[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    for var in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME"):
        env[var] = str(tmp_path / var.lower())
    code = _FIRST_PAINT.replace("exit_when_painted", how)
    done = subprocess.run([sys.executable, "-c", code, str(tmp_path / "store.sqlite3"),
                           ",".join(HEAVY)], capture_output=True, text=True, env=env,
                          timeout=60, stdin=subprocess.DEVNULL, check=False)
    assert done.returncode == 0, done.stderr
    return done.stdout.split()


def test_the_first_paint_imports_nothing_heavy(tmp_path: Path) -> None:
    # The very first start: no shelf, no store yet.
    assert _start(tmp_path, "exit_when_painted") == ["0"]
    # A start that gets as far as the loader: the library is checked (the models are
    # imported then), the store made, and the cards put on the shelf.
    ready = _start(tmp_path, "exit_when_ready")
    assert ready[0] == "0" and "pydantic" in ready
    assert (tmp_path / "xdg_cache_home" / "sdm-assistant" / "library-cards.json").is_file()
    # The next start draws from the shelf, with a store to look at: still nothing heavy.
    assert _start(tmp_path, "exit_when_painted") == ["0"]
