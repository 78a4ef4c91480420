"""Issue 13, item 8: SIGTERM, SIGHUP and SIGINT give the terminal back and leave no patient
text on screen; answers already saved stay saved.

In a real terminal (tmux, see tests/terminal/harness.py): `sdm` runs a meeting guide, one
answer is saved (a canary), another is typed but not saved (a second canary); then the signal
is sent to the `sdm` process. It runs as the child of the pane's shell, which stays to report
`sdm`'s exit status and keeps the pane's modes readable (tmux reports a dead pane's cursor as
hidden). Afterwards the pane must be off the alternate screen (`#{alternate_on}` 0) with mouse
reporting off and the cursor shown, neither canary may be on the screen or in the pane's
scrollback, the process must have ended with 128 + the signal's number, and `sdm sessions
show ID --format json` must still hold the saved answer (and not the unsaved one).

A second signal during the shutdown takes the fallback (the terminal is reset by hand and the
process ends at once); the same must hold. Without tmux, a pseudo-terminal checks the fallback
for a shutdown that hangs: `ExitOnSignal` with an app that never exits still resets and
clears the terminal and ends with 128 + the signal's number.
"""

from __future__ import annotations

import os
import pty
import select
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import Any

import pytest

from tests.terminal.harness import STEP_TIMEOUT, Terminal, needs_terminal

SIGNALS = [pytest.param(signal.SIGTERM, id="SIGTERM"), pytest.param(signal.SIGHUP, id="SIGHUP"),
           pytest.param(signal.SIGINT, id="SIGINT")]
GUIDE = "blitzmoede"  # an information step, then free text


def _in_tmux(test: Any) -> Any:
    """The marks of the real-terminal tests: `terminal`, and skipped without tmux or `sdm`."""
    for mark in needs_terminal:
        test = mark(test)
    return test


ENDED = "SDM-ENDED-"


class _ShellTerminal(Terminal):
    """The harness's terminal, but `sdm` runs as the child of a shell that stays: once `sdm`
    has ended the pane is still alive, so its modes (alternate screen, mouse, cursor) are what
    `sdm` left, and the shell writes `sdm`'s exit status (`SDM-ENDED-143`)."""

    def _script(self) -> Path:
        script = super()._script()
        lines = script.read_text(encoding="utf-8").splitlines()
        assert lines[-1].startswith("exec ")
        lines[-1] = lines[-1].removeprefix("exec ")
        lines += [f'echo "{ENDED}$?"', "exec sleep 3600"]
        script.write_text("\n".join(lines) + "\n", encoding="utf-8")
        return script


def _flag(term: Terminal, name: str) -> str:
    return term.tmux("display-message", "-p", "-t", "app", f"#{{{name}}}").strip()


def _sdm_pid(term: Terminal) -> int:
    """The `sdm` process: the child of the pane's shell."""
    shell = int(_flag(term, "pane_pid"))
    children = Path(f"/proc/{shell}/task/{shell}/children").read_text().split()
    assert len(children) == 1, f"the pane's shell has the children {children}"
    pid = int(children[0])
    cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    assert "sdm" in cmdline, f"the pane runs {cmdline!r}, not sdm"
    return pid


def _signal_scenario(tmp_path: Path, signals: list[signal.Signals]) -> None:
    run = uuid.uuid4().hex[:6]
    saved = f"GEMT-{run} jeg sover daarligt om natten"
    unsaved = f"USAGT-{run} min bror ved ikke noget"
    with _ShellTerminal(tmp_path, 80, 24) as term:
        term.open_guide(GUIDE, f"T-SIG-{run}")
        session_id = term.session().id
        step = term.wait_asked(session_id)
        assert step is not None and step.step.type == "info"
        term.continue_info(session_id, step.id)
        step = term.wait_ready(session_id)
        assert step is not None and step.step.type == "longtext"
        term.answer_text(session_id, step.id, saved)
        next_step = term.wait_ready(session_id)
        assert next_step is not None and next_step.step.type in ("text", "longtext")
        term.type(unsaved)
        screen = term.wait_for(unsaved)
        assert f"GEMT-{run}" in screen, f"the saved answer should be in the chat:\n{screen}"
        assert _flag(term, "alternate_on") == "1"

        pid = _sdm_pid(term)
        for sig in signals:
            os.kill(pid, sig)
        screen = term.wait_until(lambda s: ENDED in s, f"sdm to end after {signals[0].name}")

        status = screen.split(ENDED, 1)[1].split()[0]
        assert status in {str(128 + sig) for sig in signals}, (
            f"sdm ended with status {status}:\n{screen}")
        assert _flag(term, "alternate_on") == "0", (
            f"after {signals[0].name} the pane is still on the alternate screen:\n{screen}")
        for flag in ("mouse_any_flag", "mouse_button_flag", "mouse_standard_flag",
                     "mouse_all_flag", "mouse_sgr_flag"):
            assert _flag(term, flag) in ("", "0"), f"mouse reporting left on: {flag}"
        assert _flag(term, "cursor_flag") == "1", "the cursor was left hidden"
        for marker in (f"GEMT-{run}", f"USAGT-{run}"):
            assert marker not in screen, (
                f"{marker!r} (patient text) is still on the screen after "
                f"{signals[0].name}:\n{screen}")
        history = term.tmux("capture-pane", "-p", "-t", "app", "-S", "-", "-E", "-")
        assert f"GEMT-{run}" not in history and f"USAGT-{run}" not in history, (
            "patient text is left in the pane's scrollback")

        shown = term.shown_session(session_id)
        assert shown is not None
        assert shown["answers"].get(step.id, {}).get("value") == saved, (
            f"the saved answer is not in the store: {shown['answers']!r}")
        values = [str(e.get("value")) for e in shown["events"]]
        assert not any(f"USAGT-{run}" in v for v in values), "unsaved words were stored"


@_in_tmux
@pytest.mark.parametrize("sig", SIGNALS)
def test_a_signal_restores_and_clears_the_terminal(tmp_path: Path, sig: signal.Signals) -> None:
    _signal_scenario(tmp_path, [sig])


@_in_tmux
def test_a_second_signal_still_restores_and_clears(tmp_path: Path) -> None:
    # Two different signals: two of the same kind may arrive as one.
    _signal_scenario(tmp_path, [signal.SIGTERM, signal.SIGHUP])


# --- the fallback, in a pseudo-terminal (no tmux needed) -----------------------------------

_HUNG_APP = """
import asyncio, sys
from assistant.tui.run import ExitOnSignal

async def main():
    handler = ExitOnSignal(lambda code: None, grace=float(sys.argv[1])).install()
    sys.stderr.write("\\x1b[?1049h\\x1b[?1000h\\x1b[?25lPATIENT-TEXT")
    sys.stderr.flush()
    print("ready", flush=True)
    await asyncio.sleep(600)  # an app whose shutdown never comes

asyncio.run(main())
"""


def _read_until_exit(master: int, process: subprocess.Popen[bytes], timeout: float) -> bytes:
    out = b""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        ready, _, _ = select.select([master], [], [], 0.1)
        if ready:
            try:
                chunk = os.read(master, 4096)
            except OSError:  # EIO: every writer of the terminal has closed it
                chunk = b""
            out += chunk
            if not chunk and process.poll() is not None:
                return out  # an ended pty stays "ready" with nothing to read
        if process.poll() is not None and not ready:
            return out
    return out


@pytest.mark.parametrize("sig", SIGNALS)
def test_a_hung_shutdown_still_resets_the_terminal_and_exits(sig: signal.Signals) -> None:
    master, slave = pty.openpty()
    process = subprocess.Popen([sys.executable, "-c", _HUNG_APP, "0.3"], stdin=slave,
                               stdout=subprocess.PIPE, stderr=slave, close_fds=True)
    os.close(slave)
    try:
        assert process.stdout is not None
        assert process.stdout.readline().strip() == b"ready"
        process.send_signal(sig)
        out = _read_until_exit(master, process, STEP_TIMEOUT)
        code = process.wait(timeout=STEP_TIMEOUT)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        os.close(master)
    assert code == 128 + sig, f"exit status {code}"
    tail = out.split(b"PATIENT-TEXT", 1)[-1]
    for sequence in (b"\x1b[?1049l", b"\x1b[?1000l", b"\x1b[?1003l", b"\x1b[?1006l",
                     b"\x1b[?25h", b"\x1b[2J", b"\x1b[3J"):
        assert sequence in tail, f"{sequence!r} was not written after the signal: {tail!r}"
    assert tail.index(b"\x1b[?1049l") < tail.index(b"\x1b[2J"), (
        "the screen must be cleared after leaving the alternate screen")
