"""`sdm sessions` on an encrypted store: the passphrase is asked for on the terminal only."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant import cli
from assistant.guides.loader import Loaded
from assistant.store import Store
from tests.privacy.conftest import CANARY, FAST_KDF, PASSPHRASE


@pytest.fixture
def store_path(tmp_path: Path, guide: Loaded) -> Path:
    path = tmp_path / "enc.sqlite3"
    with Store.create_encrypted(path, PASSPHRASE, kdf=FAST_KDF) as store:
        store.create_session(guide, f"{CANARY} AB")
    return path


def _terminal(monkeypatch: pytest.MonkeyPatch, answers: list[str]) -> None:
    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    monkeypatch.setattr("getpass.getpass", lambda prompt="": answers.pop(0))


def test_list_asks_for_the_passphrase(store_path: Path, monkeypatch: pytest.MonkeyPatch,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    _terminal(monkeypatch, ["wrong one", PASSPHRASE])
    assert cli.main(["sessions", "list", "--store", str(store_path)]) == 0
    out, err = capsys.readouterr()
    assert f"{CANARY} AB" in out  # the label, shown on purpose by `list`
    assert "try again" in err


def test_three_wrong_passphrases_end_cleanly(store_path: Path, monkeypatch: pytest.MonkeyPatch,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    _terminal(monkeypatch, ["a" * 8, "b" * 8, "c" * 8])
    assert cli.main(["sessions", "list", "--store", str(store_path)]) == 1
    out, err = capsys.readouterr()
    assert "passphrase does not open" in err
    assert "Traceback" not in err and CANARY not in out + err


def test_no_terminal_no_prompt(store_path: Path, monkeypatch: pytest.MonkeyPatch,
                               capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr("sys.stdin.isatty", lambda: False)
    assert cli.main(["sessions", "list", "--store", str(store_path)]) == 1
    assert "run this command in a terminal" in capsys.readouterr().err
