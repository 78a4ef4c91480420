"""Fixtures for the store tests: a guide, a fresh store, and event makers."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant.engine.events import Answer, Event, Note
from assistant.guides.loader import Loaded, load_file
from assistant.store import Store
from tests.conftest import EXAMPLES

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


@pytest.fixture
def store(db_path: Path) -> Iterator[Store]:
    with Store.open(db_path) as opened:
        assert not opened.read_only, opened.damage
        yield opened


def answer(step: str = "vigtigst", value: object = "at blive hørt", at: dt.datetime = AT) -> Event:
    return Answer(step=step, value=value, speaker="patient", at=at)


def note(text: str, at: dt.datetime = AT) -> Event:
    return Note(text=text, speaker="clinician", at=at)


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()
