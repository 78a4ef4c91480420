"""Fixtures for the privacy tests: encrypted stores with cheap key derivation, the canary."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant.guides.loader import Loaded, load_file
from assistant.store import Store
from assistant.store.crypto import Argon2idParams
from tests.conftest import EXAMPLES

CANARY = "CANARY-PHI-7f3a"
PASSPHRASE = "korrekt hest batteri hæfteklamme"
AT = dt.datetime(2026, 5, 1, 10, 0, tzinfo=dt.UTC)
#: Key derivation in milliseconds instead of a fifth of a second: the scheme is the same, and
#: the real settings are tested on their own (timing, the old-format fixture).
FAST_KDF = Argon2idParams(memory_kib=64, iterations=1, lanes=1)


@pytest.fixture
def guide() -> Loaded:
    loaded, problems = load_file(EXAMPLES / "eksempel-beslutning.yaml")
    assert loaded is not None, problems
    return loaded


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "data" / "sessions.sqlite3"


@pytest.fixture
def encrypted(db_path: Path) -> Iterator[Store]:
    with Store.create_encrypted(db_path, PASSPHRASE, kdf=FAST_KDF) as store:
        yield store


def files_containing(root: Path, needle: bytes) -> list[Path]:
    """Every regular file under `root` whose raw bytes contain `needle`."""
    return sorted(p for p in root.rglob("*") if p.is_file() and needle in p.read_bytes())
