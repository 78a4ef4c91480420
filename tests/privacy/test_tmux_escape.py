"""Typed escape sequences cannot take over the terminal (issue #7), in a real terminal: tmux.

`sdm` runs in a detached tmux session with a private HOME and store. An answer is typed that
holds terminal control sequences (set the window title, clear the screen); if the app ever
echoed them raw, tmux would apply them. Afterwards the pane's title must not be the payload's
and the screen must still show the app. A control run first proves that this tmux does apply
such a title when a program prints one, so the check can fail.

Every wait polls with a deadline (a loaded 2-core machine may take many seconds to start the
app); nothing sleeps for a fixed time.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.conftest import ROOT

TMUX = shutil.which("tmux")
pytestmark = pytest.mark.skipif(TMUX is None, reason="tmux is not installed: the real-terminal "
                                "escape test needs it (CI installs it in .ci/run)")

PAYLOAD = "\x1b]0;PWNED\x07\x1b[2J\x1b]2;PWNED\x1b\\"
END = "SLUT-MARK"  # typed after the payload: shows that the answer arrived
START_TIMEOUT = 90.0
STEP_TIMEOUT = 45.0


class Tmux:
    """A private tmux server (its own socket name) with one detached session."""

    def __init__(self) -> None:
        assert TMUX is not None
        self.socket = f"sdm-test-{uuid.uuid4().hex[:12]}"
        self.env = {k: v for k, v in os.environ.items() if k != "TMUX"}

    def __call__(self, *args: str, check: bool = True) -> str:
        assert TMUX is not None
        done = subprocess.run([TMUX, "-L", self.socket, *args], env=self.env, text=True,
                              capture_output=True, timeout=30, check=False)
        if check and done.returncode != 0:
            raise AssertionError(f"tmux {args[0]} failed: {done.stderr.strip()}")
        return done.stdout

    def screen(self, target: str) -> str:
        return self("capture-pane", "-p", "-t", target)

    def title(self, target: str) -> str:
        return self("display-message", "-p", "-t", target, "#{pane_title}").strip()

    def wait_for(self, what: str, check: Callable[[], bool], timeout: float,
                 target: str = "app") -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if check():
                return
            time.sleep(0.1)
        raise AssertionError(f"timed out waiting for {what}; the screen shows:\n"
                             f"{self.screen(target)}")

    def kill(self) -> None:
        self("kill-server", check=False)


@pytest.fixture
def tmux() -> Iterator[Tmux]:
    server = Tmux()
    try:
        yield server
    finally:
        server.kill()


def _script(tmp_path: Path) -> Path:
    """A shell script that starts `sdm` with a private home, store and temp folder."""
    home, work, tmp = tmp_path / "home", tmp_path / "cwd", tmp_path / "tmp"
    for folder in (home, work, tmp):
        folder.mkdir()
    env = {
        "HOME": home, "TMPDIR": tmp, "XDG_DATA_HOME": home / "data",
        "XDG_CACHE_HOME": home / "cache", "XDG_STATE_HOME": home / "state",
        "XDG_CONFIG_HOME": home / "config", "PYTHONPATH": ROOT, "PYTHONDONTWRITEBYTECODE": 1,
        "TERM": "xterm-256color", "COLORTERM": "truecolor",
    }
    lines = ["#!/bin/sh", f"cd {shlex.quote(str(work))}"]
    lines += [f"export {k}={shlex.quote(str(v))}" for k, v in env.items()]
    lines.append(f"exec {shlex.quote(sys.executable)} -m assistant --lock-after 0 "
                 f"--store {shlex.quote(str(tmp_path / 'store.sqlite3'))}")
    script = tmp_path / "start-sdm.sh"
    script.write_text("\n".join(lines) + "\n", encoding="utf-8")
    script.chmod(0o700)
    return script


def test_control_a_printed_title_does_change_the_pane_title(tmux: Tmux) -> None:
    """The check below can fail: a program that prints a title sequence changes it."""
    tmux("new-session", "-d", "-s", "control", "-x", "80", "-y", "10",
         "printf '\\033]2;CONTROL-TITLE\\033\\\\'; sleep 60")
    tmux.wait_for("the control title", lambda: tmux.title("control") == "CONTROL-TITLE",
                  STEP_TIMEOUT, target="control")


def test_typed_escape_sequences_stay_text(tmux: Tmux, tmp_path: Path) -> None:
    script = _script(tmp_path)
    tmux("new-session", "-d", "-s", "app", "-x", "110", "-y", "34", str(script))
    tmux("set-option", "-t", "app", "remain-on-exit", "on")  # keep the pane to read a failure
    shows = lambda text: (lambda: text in tmux.screen("app"))  # noqa: E731

    tmux.wait_for("the home screen", shows("Beslutningshjælpere"), START_TIMEOUT)
    title_before = tmux.title("app")
    assert "PWNED" not in title_before

    # Open the blitz meeting guide: search, Enter; the setup screen: a label, Enter starts.
    tmux("send-keys", "-t", "app", "-l", "blitz")
    tmux.wait_for("the search result", shows("Kort netværksmøde"), STEP_TIMEOUT)
    tmux("send-keys", "-t", "app", "Enter")
    tmux.wait_for("the setup screen", shows("Annullér"), STEP_TIMEOUT)
    # Start has the focus. Without a label (required with a store) it says so and moves
    # the focus to the label field.
    tmux("send-keys", "-t", "app", "Enter")
    tmux.wait_for("the label request", shows("Giv samtalen et navn"), STEP_TIMEOUT)
    tmux("send-keys", "-t", "app", "-l", "AB")
    tmux.wait_for("the label", shows("AB"), STEP_TIMEOUT)
    tmux("send-keys", "-t", "app", "Enter")
    tmux.wait_for("the first step", shows("15 minutter"), STEP_TIMEOUT)
    tmux("send-keys", "-t", "app", "Enter")
    tmux.wait_for("the long-text question", shows("op til indlæggelsen"), STEP_TIMEOUT)

    # The answer: the payload's raw bytes, then a marker, saved with Ctrl+S.
    tmux("send-keys", "-t", "app", "-l", f"svar {PAYLOAD} {END}")
    tmux.wait_for("the typed answer", shows(END), STEP_TIMEOUT)
    tmux("send-keys", "-t", "app", "C-s")
    tmux.wait_for("the next question", shows("brug for lige nu"), STEP_TIMEOUT)

    # The next question can show before the footer is redrawn (a busy machine): wait for it.
    tmux.wait_for("the footer", lambda: "Afslut" in tmux.screen("app").splitlines()[-1],
                  STEP_TIMEOUT)
    screen = tmux.screen("app")
    assert END in screen  # the saved answer is on screen, as text
    assert "PWNED" not in tmux.title("app")
    assert tmux.title("app") == title_before
    # Not cleared: still the app, its heading at the top and its keys at the bottom.
    assert "Kort netværksmøde" in screen.splitlines()[0]
    assert "Afslut" in screen.splitlines()[-1]
    assert "\x1b" not in screen

    tmux("send-keys", "-t", "app", "C-q")
    tmux.wait_for("the app to quit", lambda: tmux("display-message", "-p", "-t", "app",
                                                  "#{pane_dead}").strip() == "1",
                  STEP_TIMEOUT)
    assert "PWNED" not in tmux.title("app")
