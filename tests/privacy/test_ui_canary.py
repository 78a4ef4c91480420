"""The chat UI leaves no health data outside the store and the exports asked for (issue #7).

One run per store kind (plain, encrypted), with a private HOME, XDG folders, TMPDIR and
working directory:

1. The real app, headless under Pilot, in this process: a whole network meeting is held with
   the canary typed into every kind of free-text answer (text, long text, people, tasks) and
   the session's label; the screen is locked and unlocked on the way. Everything this process
   writes to stdout/stderr (file descriptors, not just Python's streams) is captured.
2. A subprocess starts the app on the same store and an error is forced inside it, with the
   stored answers in its message and locals: the crash-handler path.
3. `sdm export` writes every format to an explicit file, in subprocesses.

Then the canary may be in no output stream and in no file under the test's folder except the
store's own files and the export files; with an encrypted store, in no file of the data
directory at all.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from textual.pilot import Pilot

from assistant.export.formats import names
from assistant.guides.loader import load_library
from assistant.paths import data_dir
from assistant.service.sessions import SessionService
from assistant.store import DB_NAME, Store
from assistant.store.db import sidecars
from assistant.tui.app import make_app
from assistant.tui.screens.conversation import ConversationScreen
from assistant.tui.screens.lock import LockScreen
from assistant.tui.screens.setup import Setup
from tests.conftest import ROOT
from tests.privacy.conftest import CANARY, FAST_KDF, PASSPHRASE, files_containing
from tests.tui.conftest import FakeClock
from tests.tui.driver import answer_current

NEEDLE = CANARY.encode()
GUIDE = "netvaerksmoede"  # text, long text, people, tasks, date, single, yes/no, info

# Starts the app on the store and fails inside it, as a bug in a handler would: the stored
# answers are in the error's message and in the locals of the failing frame.
CRASHING_APP = """
import sys
from assistant.crash import install_excepthooks
from assistant.guides.loader import load_library
from assistant.service.sessions import SessionService
from assistant.store import Store
from assistant.tui.app import make_app
from assistant.tui.screens.home import HomeScreen

install_excepthooks("da")
store = Store.open(sys.argv[1], passphrase=sys.argv[2] or None)
library = load_library()

def boom():
    row = store.list_sessions()[0]
    answers = [getattr(event, "value", None) for event in store.load_events(row.id)]
    raise RuntimeError(f"cannot show {row.label}: {answers}")

shown = HomeScreen.on_mount

def on_mount(self):
    shown(self)
    self.set_timer(0.05, boom)

HomeScreen.on_mount = on_mount
app = make_app(library, service=SessionService(store, library))
app.run(headless=True, size=(100, 36))
store.close()
raise SystemExit(app.return_code or 0)
"""

# `sdm ...` on an encrypted store, with a stand-in terminal typing the passphrase.
WITH_PASSPHRASE = """
import getpass, sys
from assistant import cli
sys.stdin.isatty = lambda: True
getpass.getpass = lambda prompt="": sys.argv[1]
raise SystemExit(cli.main(sys.argv[2:]))
"""


async def _answer_with_canary(pilot: Pilot[None], screen: ConversationScreen) -> None:
    """Answer the current step; every free-text field gets the canary."""
    current = screen.state.current
    assert current is not None
    kind = current.step.type
    await pilot.pause()
    if kind == "text":
        await pilot.press(*f"{CANARY} tekst", "enter")
    elif kind == "longtext":
        await pilot.press(*f"{CANARY} lang tekst", "ctrl+s")
    elif kind == "people":
        await pilot.press(*CANARY, "tab", *"mor", "enter", "ctrl+s")
    elif kind == "tasks":
        await pilot.press(*CANARY, "tab", *"Kontaktperson", "enter", "ctrl+s")
    else:
        await answer_current(pilot, screen)
        return
    await pilot.pause()
    assert CANARY in str(screen.state.answers[current.id].value), kind


async def _hold_the_meeting(store: Store) -> tuple[str, set[str]]:
    """Run the whole guide in the UI; returns the session id and the kinds answered."""
    library = load_library()
    service = SessionService(store, library)
    app = make_app(library, clock=FakeClock(), service=service)
    kinds: set[str] = set()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        guide = library.guides[GUIDE].document
        screen = app.start_conversation(
            Setup(guide, ["patient", "clinician", "relative"], "da", CANARY))
        assert screen is not None
        await pilot.pause()
        turn = 0
        while screen.state.current is not None:
            kinds.add(screen.state.current.step.type)
            await _answer_with_canary(pilot, screen)
            turn += 1
            if turn == 3:  # lock and unlock on the way
                await pilot.press("ctrl+l")
                await pilot.pause()
                assert isinstance(app.screen, LockScreen)
                assert CANARY not in app.export_screenshot()
                if store.encrypted:
                    await pilot.press(*PASSPHRASE, "enter")
                    await app.workers.wait_for_complete()
                else:
                    await pilot.press("enter")
                await pilot.pause()
                assert app.screen is screen
            assert turn < 100, "the guide does not end"
        await pilot.press("f3")  # the summary shows every answer
        await pilot.pause()
        session_id = app.open_sessions[0].row.id
    return session_id, kinds


def _private_env(home: Path, tmp: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("XDG_", "PYTEST"))}
    env.update(HOME=str(home), TMPDIR=str(tmp), XDG_DATA_HOME=str(home / "data"),
               XDG_CACHE_HOME=str(home / "cache"), XDG_STATE_HOME=str(home / "state"),
               XDG_CONFIG_HOME=str(home / "config"), PYTHONDONTWRITEBYTECODE="1",
               PYTHONPATH=str(ROOT))
    return env


@pytest.mark.parametrize("kind", ["plain", "encrypted"])
async def test_canary_only_in_the_store_and_the_exports(
    kind: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capfd: pytest.CaptureFixture[str],
) -> None:
    home, work, tmp, exports = (tmp_path / n for n in ("home", "cwd", "tmp", "exports"))
    for folder in (home, work, tmp, exports):
        folder.mkdir()
    env = _private_env(home, tmp)
    for name in ("HOME", "TMPDIR", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME",
                 "XDG_CONFIG_HOME"):
        monkeypatch.setenv(name, env[name])
    monkeypatch.delenv("XDG_RUNTIME_DIR", raising=False)
    monkeypatch.setattr(tempfile, "tempdir", None)  # read TMPDIR again
    monkeypatch.chdir(work)
    data = data_dir()
    assert data.is_relative_to(home)
    store_path = data / DB_NAME
    encrypted = kind == "encrypted"

    # 1. The whole flow in the UI, in this process.
    store = (Store.create_encrypted(store_path, PASSPHRASE, kdf=FAST_KDF) if encrypted
             else Store.open(store_path))
    with store:
        session_id, kinds = await _hold_the_meeting(store)
    assert {"text", "longtext", "people", "tasks", "date"} <= kinds
    out, err = capfd.readouterr()
    assert CANARY not in out + err

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, *args], cwd=work, env=env, text=True,
                              capture_output=True, timeout=180, check=False)

    def sdm(*args: str) -> subprocess.CompletedProcess[str]:
        if encrypted:
            return run("-c", WITH_PASSPHRASE, PASSPHRASE, *args)
        return run("-m", "assistant", *args)

    # 2. An error inside the running app.
    crash = run("-c", CRASHING_APP, str(store_path), PASSPHRASE if encrypted else "")
    assert crash.returncode != 0, crash.stderr
    assert "Traceback" not in crash.stderr
    assert "stopped because of an error" in crash.stderr or "fejl" in crash.stderr
    reports = list((data / "crash").glob("crash-*.txt"))
    assert len(reports) == 1, crash.stderr
    assert "RuntimeError" in reports[0].read_text(encoding="utf-8")

    # 3. Every export format, to a file.
    runs = {"crash": crash}
    written: list[Path] = []
    for fmt in names():
        target = exports / f"plan-{fmt}.out"
        runs[fmt] = sdm("export", session_id, "--format", fmt, "-o", str(target))
        assert runs[fmt].returncode == 0, runs[fmt].stderr
        assert NEEDLE in target.read_bytes(), fmt  # the answers are in it, as asked
        assert ("NOT encrypted" in runs[fmt].stderr) is encrypted
        written.append(target)
    for name, done in runs.items():
        assert CANARY not in done.stdout + done.stderr, name

    # Everything under tmp_path: home (data, cache, state, config), cwd, TMPDIR, exports.
    found = set(files_containing(tmp_path, NEEDLE))
    allowed = set(written) | (set() if encrypted else set(sidecars(store_path)))
    assert found <= allowed, sorted(map(str, found - allowed))
    assert set(written) <= found
    if encrypted:
        assert not files_containing(data, NEEDLE)
    else:
        assert store_path in found  # the search does find it in a plain store
