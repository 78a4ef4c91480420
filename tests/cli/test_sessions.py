"""`sdm sessions list | delete | purge`, wired the way `assistant.cli` wires it."""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from assistant.cli.sessions import register
from assistant.guides.loader import Loaded
from assistant.store import DB_NAME, Store
from tests.conftest import ROOT
from tests.store.conftest import CANARY, answer
from tests.store.test_retention import occurrences
from tests.store.test_sessions import Clock


def sdm(*argv: str, store: Path | None) -> int:
    """Parse like `sdm [--store PATH] sessions ...` and run the chosen subcommand."""
    parser = argparse.ArgumentParser(prog="sdm")
    parser.add_argument("--store", type=Path, default=None)
    sub = parser.add_subparsers(dest="command")
    register(sub)
    args = parser.parse_args([*(["--store", str(store)] if store else []), "sessions", *argv])
    code: int = args.func(args)
    return code


@pytest.fixture
def filled(db_path: Path, guide: Loaded) -> dict[str, str]:
    clock = Clock(dt.datetime(2026, 1, 1, 9, tzinfo=dt.UTC))
    with Store.open(db_path, clock=clock) as store:
        old = store.create_session(guide, "old one")
        store.append(old.id, answer(value=CANARY))
        store.add_revision(old.id, "approved", "{}", next_revision_due=dt.date(2026, 2, 1),
                           responsible="Team Nord")
        clock.now = dt.datetime(2026, 3, 1, 9, tzinfo=dt.UTC)
        new = store.create_session(guide, "new one", ["patient"])
    return {"old": old.id, "new": new.id}


@pytest.fixture
def no_tty(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))


class Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_list_text(db_path: Path, filled: dict[str, str], capsys: pytest.CaptureFixture[str]
                   ) -> None:
    assert sdm("list", "--today", "2026-03-02", store=db_path) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert lines[0].startswith(filled["new"]) and lines[1].startswith(filled["old"])
    assert "plans due for revision:" in out
    assert "due 2026-02-01" in out and "Team Nord" in out
    assert CANARY not in out  # answers are never listed


def test_list_json(db_path: Path, filled: dict[str, str], capsys: pytest.CaptureFixture[str]
                   ) -> None:
    assert sdm("list", "--format", "json", "--today", "2026-01-15", store=db_path) == 0
    data = json.loads(capsys.readouterr().out)
    assert [s["id"] for s in data["sessions"]] == [filled["new"], filled["old"]]
    assert data["sessions"][1]["status"] == "plan_approved"
    assert data["sessions"][1]["events"] == 1
    assert data["revisions_due"] == []  # not due yet on 15 January
    assert sdm("list", "--format", "json", "--unfinished", "--today", "2026-03-02",
               store=db_path) == 0
    data = json.loads(capsys.readouterr().out)
    assert [s["id"] for s in data["sessions"]] == [filled["new"]]
    assert data["revisions_due"][0] == {
        "session": filled["old"], "label": None, "revision": 1, "kind": "approved",
        "due": "2026-02-01", "responsible": "Team Nord"}


def test_list_empty_default_store(capsys: pytest.CaptureFixture[str]) -> None:
    assert sdm("list", store=None) == 0
    assert "no sessions stored" in capsys.readouterr().out
    assert (Path(os.environ["XDG_DATA_HOME"]) / "sdm-assistant" / DB_NAME).exists()


@pytest.mark.usefixtures("no_tty")
def test_delete_refuses_without_yes_when_nobody_can_be_asked(
    db_path: Path, filled: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert sdm("delete", filled["old"], store=db_path) == 2
    assert "--yes" in capsys.readouterr().err
    with Store.open(db_path) as store:
        assert store.get_session(filled["old"])


@pytest.mark.usefixtures("no_tty")
def test_delete_yes(db_path: Path, filled: dict[str, str], capsys: pytest.CaptureFixture[str]
                    ) -> None:
    assert sdm("delete", filled["old"], "--yes", store=db_path) == 0
    assert f"deleted session {filled['old']}" in capsys.readouterr().out
    assert occurrences(db_path) == 0
    with Store.open(db_path) as store:
        assert [r.id for r in store.list_sessions()] == [filled["new"]]


@pytest.mark.parametrize(("reply", "deleted"), [("y", True), ("ja", True), ("", False),
                                                ("n", False)])
def test_delete_asks_when_interactive(
    db_path: Path, filled: dict[str, str], monkeypatch: pytest.MonkeyPatch, reply: str,
    deleted: bool, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(sys, "stdin", Tty(reply + "\n"))
    assert sdm("delete", filled["old"], store=db_path) == 0
    assert "old one" in capsys.readouterr().out  # the question names the session
    with Store.open(db_path) as store:
        assert (filled["old"] not in {r.id for r in store.list_sessions()}) is deleted


@pytest.mark.usefixtures("no_tty")
def test_delete_problems(db_path: Path, filled: dict[str, str],
                         capsys: pytest.CaptureFixture[str]) -> None:
    assert sdm("delete", "c" * 32, "--yes", store=db_path) == 1
    assert "no session" in capsys.readouterr().err
    with Store.open(db_path) as store, store.lock(filled["new"]):
        assert sdm("delete", filled["new"], "--yes", store=db_path) == 1
        assert f"process {os.getpid()}" in capsys.readouterr().err


@pytest.mark.usefixtures("no_tty")
def test_purge(db_path: Path, filled: dict[str, str], capsys: pytest.CaptureFixture[str]
               ) -> None:
    today = ["--today", "2026-03-02"]
    assert sdm("purge", "--older-than", "30", *today, store=db_path) == 2
    assert sdm("purge", "--older-than", "30", "--dry-run", *today, store=db_path) == 0
    assert "1 sessions would be deleted" in capsys.readouterr().out
    assert sdm("purge", "--older-than", "30", "--yes", *today, store=db_path) == 0
    assert "deleted 1 sessions" in capsys.readouterr().out
    assert occurrences(db_path) == 0
    assert sdm("purge", "--older-than", "30", "--yes", *today, store=db_path) == 0
    assert "no sessions older than 30 days" in capsys.readouterr().out


def test_usage_errors(db_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert sdm(store=db_path) == 2
    with pytest.raises(SystemExit) as caught:
        sdm("purge", "--older-than", "-3", store=db_path)
    assert caught.value.code == 2
    capsys.readouterr()


def test_damaged_store_is_reported(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "broken.sqlite3"
    path.write_bytes(b"not a database at all" * 100)
    assert sdm("list", store=path) == 1
    assert "damaged" in capsys.readouterr().err
    assert path.read_bytes() == b"not a database at all" * 100


def test_store_does_not_import_textual() -> None:
    code = ("import sys, assistant.store, assistant.cli.sessions; "
            "print(','.join(sorted(m for m in sys.modules if m.split('.')[0] == 'textual')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         cwd=ROOT, check=True).stdout.strip()
    assert out == ""
