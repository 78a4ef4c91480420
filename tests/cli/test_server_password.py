"""Passwords for a department server (issue 19, item 1) never on the command line: libpq's
password file keeps one; else a person at a terminal types it when the server asks (not
echoed, never printed); without a terminal the command says where to keep it."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest

from tests.cli.conftest import run_sdm as _sdm

SECRET = "Hemmeligt-Kodeord-19"


@pytest.fixture
def address(pg_server: Any) -> Any:
    """A migrated store and the address of a role the server asks a password of."""
    from assistant.pgstore.store import PgStore

    conninfo = pg_server.new_database()
    PgStore.open(conninfo).close()
    role_info = pg_server.add_role(conninfo, ("psyk-a",))
    role = role_info.split("user=")[1]
    pg_server.require_password(role, SECRET)
    words = dict(part.split("=", 1) for part in role_info.split())
    yield f"postgresql:///{words['dbname']}?host={words['host']}&user={role}", words
    pg_server.drop_database(conninfo)


def test_without_a_terminal_it_says_where_to_keep_the_password(
        address: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("PGPASSFILE", str(tmp_path / "none"))
    monkeypatch.setattr(sys.stdin, "isatty", lambda: False)
    code, _out, err = _sdm("--lang", "da", "--store", address[0], "sessions", "list")
    assert code != 0 and "beder om en adgangskode" in err and "~/.pgpass" in err
    assert "Traceback" not in err


def test_at_a_terminal_it_is_asked_for_and_never_shown(
        address: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    asked: list[str] = []
    monkeypatch.setenv("PGPASSFILE", str(tmp_path / "none"))
    monkeypatch.setattr(sys.stdin, "isatty", lambda: True)
    monkeypatch.setattr("getpass.getpass", lambda prompt: asked.append(prompt) or SECRET)
    code, out, err = _sdm("--lang", "da", "--store", address[0], "sessions", "list")
    assert code == 0, err
    assert asked == ["Adgangskode til afdelingens server: "]
    assert SECRET not in out + err


def test_the_password_file_keeps_it(address: Any, monkeypatch: pytest.MonkeyPatch,
                                    tmp_path: Path) -> None:
    url, words = address
    passfile = tmp_path / "pgpass"
    passfile.write_text(f"*:*:{words['dbname']}:{url.rsplit('user=', 1)[1]}:{SECRET}\n")
    passfile.chmod(0o600)
    monkeypatch.setenv("PGPASSFILE", str(passfile))
    monkeypatch.setattr("getpass.getpass", lambda prompt: pytest.fail("asked"))
    code, _out, err = _sdm("--lang", "en", "--store", url, "sessions", "list")
    assert code == 0, err
