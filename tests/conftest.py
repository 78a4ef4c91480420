"""Shared fixtures: paths to the example guides, and isolation of user directories."""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

ROOT = Path(__file__).resolve().parent.parent

# pytest-xdist's workers run with COLUMNS=80 and LINES=24 in their environment; Textual takes
# those as the terminal's size, so an `sdm` started in a 110-column tmux pane would draw 80
# columns. The real-terminal tests must see the pane's own size.
for _name in ("COLUMNS", "LINES"):
    os.environ.pop(_name, None)
EXAMPLES = ROOT / "docs" / "examples"

if TYPE_CHECKING:
    import datetime as dt

    from assistant.pgstore.store import PgStore
    from assistant.store import Store

    #: A store of either backend, with its parts (`db`) for tests that look inside.
    AnyStore = Store | PgStore
else:
    AnyStore = Any  # psycopg is imported only by the tests that use the server
BUNDLED = ROOT / "decision_aids"


@pytest.fixture(autouse=True)
def _private_dirs(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Point data, config and cache directories at a temporary folder for every test."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("TZ", "UTC")  # times shown in the UI are local: make them fixed
    time.tzset()
    for var in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"):
        monkeypatch.setenv(var, str(home / var.lower()))
    # Saving a file starts in the documents folder (tui/saving.py): never the real one.
    documents = home / "documents"
    documents.mkdir()
    monkeypatch.setattr("platformdirs.user_documents_dir", lambda: str(documents))


@pytest.fixture(scope="session", autouse=True)
def _quick_pilot() -> Iterator[None]:
    """Pilot waits for an idle app in short looks, not 20 ms ones (see tests/pilot_pace.py)."""
    from tests import pilot_pace

    with pytest.MonkeyPatch.context() as patch:
        pilot_pace.install(patch)
        yield


@pytest.fixture
def example_aid_text() -> str:
    return (EXAMPLES / "eksempel-beslutning.yaml").read_text(encoding="utf-8")


@pytest.fixture
def example_plan_text() -> str:
    return (EXAMPLES / "eksempel-plan.yaml").read_text(encoding="utf-8")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Start the long tests first (real terminals, crash loops, Pilot conversations).

    The workers share the tests in collection order and steal from each other at the end; a
    one-minute test that starts last decides how long the whole run takes, so the tests that
    wait longest go first and the many short ones fill the gaps. Order never matters for
    correctness: every test runs in its own folders.
    """

    def weight(item: pytest.Item) -> int:
        if item.get_closest_marker("terminal") or item.get_closest_marker("slow"):
            return 0
        if {"tui", "privacy", "terminal"} & set(item.path.parts):
            return 1
        return 2

    items.sort(key=weight)  # stable: the order within each weight is kept


@pytest.fixture(scope="session")
def pg_server() -> Iterator[Any]:
    """A throw-away PostgreSQL server for this test process (tests/pgserver.py: Unix socket
    only, stopped and removed at the end); skipped, saying why, where none can be started."""
    from tests import pgserver

    why = pgserver.unavailable()
    if why is not None:
        pytest.skip(f"PostgreSQL backend not tested: {why}")
    server = pgserver.PgServer.start()
    try:
        yield server
    finally:
        server.stop()


BACKENDS = ("sqlite", "postgresql")


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def make_store(backend: str, tmp_path: Path,
               request: pytest.FixtureRequest) -> Iterator[Callable[..., AnyStore]]:
    """Opens a store of `backend` (each call another connection to the same store), with an
    optional `clock=`; all are closed (and a server's database dropped) afterwards."""
    opened: list[Any] = []
    conninfo = ""
    server: Any = None
    if backend == "postgresql":
        server = request.getfixturevalue("pg_server")
        conninfo = server.new_database()

    def make(clock: Callable[[], dt.datetime] | None = None) -> AnyStore:
        from assistant.store.db import utc_now

        clock = clock or utc_now
        if backend == "sqlite":
            from assistant.store import Store

            store: AnyStore = Store.open(tmp_path / "store" / "sessions.sqlite3",
                                         clock=clock)
        else:
            from assistant.pgstore.store import PgStore

            store = PgStore.open(conninfo, clock=clock)
        opened.append(store)
        assert not store.read_only, store.damage
        return store

    try:
        yield make
    finally:
        for store in opened:
            store.close()
        if server is not None:
            server.drop_database(conninfo)
