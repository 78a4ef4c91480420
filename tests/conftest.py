"""Shared fixtures: paths to the example guides, and isolation of user directories."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent

# pytest-xdist's workers run with COLUMNS=80 and LINES=24 in their environment; Textual takes
# those as the terminal's size, so an `sdm` started in a 110-column tmux pane would draw 80
# columns. The real-terminal tests must see the pane's own size.
for _name in ("COLUMNS", "LINES"):
    os.environ.pop(_name, None)
EXAMPLES = ROOT / "docs" / "examples"
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
