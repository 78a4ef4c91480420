"""The CLI's guard (R10): an unexpected error in `sdm ...` gives a generic message and a
scrubbed report, never a Python traceback with the exception's message or values."""

from __future__ import annotations

import argparse
import gc
import logging
import stat
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant import cli
from assistant.crash import CRASH_DIR, EXIT_CRASH, MESSAGES, scrubbed_report
from assistant.paths import data_dir
from tests.privacy.conftest import CANARY


@pytest.fixture(autouse=True)
def _restore_hooks() -> Iterator[None]:
    """`main` installs process-wide hooks; put the previous ones back after each test."""
    saved = sys.excepthook, threading.excepthook, sys.unraisablehook, logging.lastResort
    yield
    sys.excepthook, threading.excepthook, sys.unraisablehook, logging.lastResort = saved


def _boom(args: argparse.Namespace) -> int:
    answer = CANARY  # a value in a local, as a real handler would hold it
    try:
        raise KeyError(answer)
    except KeyError as exc:
        raise RuntimeError(f"failed to handle {answer}") from exc


def _reports() -> list[Path]:
    return sorted((data_dir(create=False) / CRASH_DIR).glob("crash-*.txt"))


@pytest.mark.parametrize("lang", ["da", "en"])
def test_unexpected_error_gives_message_and_scrubbed_report(
    lang: str, monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr("assistant.cli.guides.cmd_validate", _boom)
    assert cli.main(["--lang", lang, "validate"]) == EXIT_CRASH
    out, err = capfd.readouterr()
    assert CANARY not in out + err and "Traceback" not in err
    assert MESSAGES[lang] in err
    (report,) = _reports()
    assert str(report) in err
    assert stat.S_IMODE(report.stat().st_mode) == 0o600
    text = report.read_text(encoding="utf-8")
    assert CANARY not in text and "failed to handle" not in text
    assert "exception: builtins.RuntimeError" in text
    assert "raised from: builtins.KeyError" in text
    assert "assistant/cli/__init__.py:" in text and " in main" in text


def test_subcommand_errors_are_guarded_too(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    from assistant.cli import sessions as commands

    monkeypatch.setattr(commands, "_open", _boom)  # fails inside `sdm sessions list`
    code = cli.main(["sessions", "list", "--store", str(tmp_path / "s.sqlite3")])
    out, err = capfd.readouterr()
    assert code == EXIT_CRASH
    assert CANARY not in out + err


def test_keyboard_interrupt_is_still_130(monkeypatch: pytest.MonkeyPatch) -> None:
    def interrupted(args: argparse.Namespace) -> int:
        raise KeyboardInterrupt

    monkeypatch.setattr("assistant.cli.guides.cmd_validate", interrupted)
    assert cli.main(["validate"]) == 130
    assert _reports() == []


def test_thread_and_unraisable_errors_are_scrubbed(
    monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr("assistant.cli.guides.cmd_validate", lambda args: 0)
    assert cli.main(["validate"]) == 0  # installs the hooks

    def worker() -> None:
        raise ValueError(CANARY)

    thread = threading.Thread(target=worker)
    thread.start()
    thread.join()

    class Leaky:
        def __repr__(self) -> str:
            return CANARY

        def __del__(self) -> None:
            raise ValueError(CANARY)

    Leaky()
    gc.collect()
    out, err = capfd.readouterr()
    assert CANARY not in out + err
    assert len(_reports()) == 2
    assert all(CANARY not in r.read_text(encoding="utf-8") for r in _reports())


def test_report_of_an_exception_group_and_a_cycle() -> None:
    inner = ValueError(CANARY)
    group = ExceptionGroup(CANARY, [inner, TypeError(CANARY)])
    inner.__context__ = group  # a cycle must not loop
    text = scrubbed_report(group)
    assert CANARY not in text
    assert "builtins.ExceptionGroup" in text and "builtins.TypeError" in text


LOGGING = """
import asyncio, logging, sys
from assistant.crash import install_excepthooks

install_excepthooks("en")
secret = sys.argv[1]
logging.getLogger("assistant.store").warning("the store is read-only")
try:
    raise ValueError(secret)
except ValueError:
    logging.getLogger("some.library").exception("failed on %s", secret)

async def lost() -> None:
    raise ValueError(secret)

async def main() -> None:
    asyncio.get_running_loop().create_task(lost())  # never awaited: asyncio logs it
    await asyncio.sleep(0.05)

asyncio.run(main())
"""


def test_log_records_reaching_stderr_are_scrubbed(tmp_path: Path) -> None:
    import os
    import subprocess

    env = dict(os.environ, XDG_DATA_HOME=str(tmp_path / "data"))
    run = subprocess.run([sys.executable, "-c", LOGGING, CANARY], capture_output=True,
                         text=True, env=env, timeout=60, check=False)
    assert run.returncode == 0, run.stderr
    assert CANARY not in run.stdout + run.stderr
    assert "sdm-assistant: the store is read-only" in run.stderr  # our own, safe messages
    assert "error from some.library" in run.stderr
    assert "error from asyncio" in run.stderr  # "Task exception was never retrieved"
    reports = list((tmp_path / "data" / "sdm-assistant" / CRASH_DIR).glob("crash-*.txt"))
    assert reports and all(CANARY not in r.read_text(encoding="utf-8") for r in reports)
