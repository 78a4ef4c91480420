"""`--store postgresql://…` (and `SDM_STORE`) for the commands (issue 19, item 1): `sdm
replay --store`, `sdm sessions` and `sdm export` work on a department server as on a store
file — the same paper from the same answers —; a password in the address is refused before
anything is sent. (The chat on a server: tests/tui/test_server_store.py.)"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.cli.conftest import run_sdm as _sdm
from tests.pgserver import url as _url

ANSWERS = Path(__file__).resolve().parents[2] / "docs" / "answers" / "akut-medicin.yaml"


def _replayed(store: str) -> str:
    code, out, err = _sdm("--lang", "en", "--store", store, "replay", "akut-medicin",
                          "--answers", str(ANSWERS))
    assert code == 0, err
    return str(json.loads(out.splitlines()[-1])["session"])


def test_replay_sessions_and_export_on_a_server_as_on_a_file(pg_server: Any,
                                                             tmp_path: Path) -> None:
    server = _url(pg_server.new_database())
    on_server = _replayed(server)
    on_file = _replayed(str(tmp_path / "s.sqlite3"))

    code, out, err = _sdm("--store", server, "sessions", "list", "--format", "json")
    assert code == 0, err
    assert [row["id"] for row in json.loads(out)["sessions"]] == [on_server]
    papers = []
    for store, session in ((server, on_server), (str(tmp_path / "s.sqlite3"), on_file)):
        code, out, err = _sdm("--store", store, "export", session, "--today", "2026-12-02")
        assert code == 0, err
        papers.append(out)
    # The same answers make the same paper, whichever store holds them.
    assert papers[0] == papers[1]
    assert "Kriseplan" in papers[0]


def test_sdm_store_names_the_server(pg_server: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    server = _url(pg_server.new_database())
    session = _replayed(server)
    monkeypatch.setenv("SDM_STORE", server)
    code, out, err = _sdm("sessions", "list", "--format", "json")
    assert code == 0, err
    assert [row["id"] for row in json.loads(out)["sessions"]] == [session]


def test_a_password_in_the_address_is_refused_before_anything_is_sent(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    code, _out, err = _sdm("--lang", "en", "--store", "postgresql://nurse:s3cret@db.example/sdm",
                           "sessions", "list")
    assert code != 0 and "password" in err.lower()
    assert "s3cret" not in err


def test_encrypt_is_refused_for_a_server(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SystemExit) as stopped:
        _sdm("--lang", "en", "--encrypt", "--store", "postgresql:///sdm")
    assert stopped.value.code == 2
    assert list(tmp_path.iterdir()) == []  # no file named after the address
