"""Fixtures for the store tests: a guide, a fresh store, and event makers.

`store` is a SQLite store by default (for the tests of what only SQLite has: its files, WAL, commit
mark, encryption format). `make_store` and `any_store` are parametrised over both backends,
SQLite and PostgreSQL (a throw-away server, `tests/pgserver.py`, started once per test
process and stopped at its end; skipped with the reason where no server binary exists):
the tests of the store's contract use those, or take `store` and are marked `@both`."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from assistant.engine.events import Answer, Event, Note
from assistant.guides.loader import Loaded, load_file
from assistant.store import Store
from tests import pgserver
from tests.conftest import BACKENDS, EXAMPLES
from tests.conftest import AnyStore as AnyStore

CANARY = "CANARY-PHI-7f3a"
AT = dt.datetime(2026, 5, 1, 10, 0, tzinfo=dt.UTC)


@pytest.fixture
def guide() -> Loaded:
    loaded, problems = load_file(EXAMPLES / "eksempel-beslutning.yaml")
    assert loaded is not None, problems
    return loaded


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "store" / "sessions.sqlite3"




def answer(step: str = "vigtigst", value: object = "at blive hørt", at: dt.datetime = AT) -> Event:
    return Answer(step=step, value=value, speaker="patient", at=at)


def note(text: str, at: dt.datetime = AT) -> Event:
    return Note(text=text, speaker="clinician", at=at)


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def store(request: pytest.FixtureRequest, db_path: Path) -> Iterator[Any]:
    """A fresh SQLite store; of each backend for a test marked `@both`."""
    backend = getattr(request, "param", "sqlite")
    if backend == "sqlite":
        with Store.open(db_path) as opened:
            assert not opened.read_only, opened.damage
            yield opened
        return
    from assistant.pgstore.store import PgStore

    server: pgserver.PgServer = request.getfixturevalue("pg_server")
    conninfo = server.new_database()
    try:
        with PgStore.open(conninfo) as pg:
            yield pg
    finally:
        server.drop_database(conninfo)


#: Runs a test that takes `store` against each backend.
both = pytest.mark.parametrize("store", BACKENDS, indirect=True)


@pytest.fixture
def conninfo(pg_server: Any) -> Iterator[str]:
    """An empty database of its own on the test process's throw-away PostgreSQL server
    (tests/pgserver.py), dropped afterwards; skipped where no server can be started."""
    info = pg_server.new_database()
    try:
        yield info
    finally:
        pg_server.drop_database(info)
