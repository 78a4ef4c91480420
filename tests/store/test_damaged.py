"""A damaged store is opened read-only, says so clearly, and is never changed (R2)."""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant.guides.loader import Loaded
from assistant.store import Store, StoreDamaged, StoreReadOnly, StoreUnavailable
from assistant.store.db import Database, sidecars
from assistant.store.walcheck import scan_wal
from tests.store.conftest import answer, sha256

EVENTS = 20


def hashes(path: Path) -> dict[str, str | None]:
    """SHA-256 of the database, its WAL and its -shm index (None where there is none). A
    read-only open creates none of them and changes none (issue 13, item 5)."""
    return {f.name: sha256(f) if f.exists() else None for f in sidecars(path)}


def flip(path: Path, offset: int, count: int = 1) -> None:
    data = bytearray(path.read_bytes())
    for i in range(offset, offset + count):
        data[i] ^= 0xFF
    path.write_bytes(bytes(data))


@pytest.fixture
def closed_store(db_path: Path, guide: Loaded) -> Path:
    """A healthy store with one session of EVENTS answers, closed (WAL folded in)."""
    with Store.open(db_path) as store:
        row = store.create_session(guide, "AB")
        for i in range(EVENTS):
            store.append(row.id, answer(value=f"svar {i}"))
    assert not sidecars(db_path)[1].exists()
    return db_path


@pytest.fixture
def live_store(db_path: Path, guide: Loaded) -> Iterator[tuple[Path, Store, str]]:
    """A store still open, its answers only in the WAL (as after a crash)."""
    with Store.open(db_path) as store:
        row = store.create_session(guide, "AB")
        for i in range(EVENTS):
            store.append(row.id, answer(value=f"svar {i}"))
        yield db_path, store, row.id


def copy_store(src: Path, dest_dir: Path) -> Path:
    dest_dir.mkdir()
    for file in sidecars(src)[:2]:  # the database and its WAL (SQLite rebuilds -shm)
        if file.exists():
            shutil.copy2(file, dest_dir / file.name)
    return dest_dir / src.name


def assert_read_only_and_untouched(path: Path, before: dict[str, str], guide: Loaded) -> Store:
    store = Store.open(path)
    assert store.read_only
    assert store.damage is not None
    assert "damaged" in store.damage and "read-only" in store.damage
    assert str(path) in store.damage
    with pytest.raises(StoreReadOnly):
        store.create_session(guide, "new")
    with pytest.raises(StoreReadOnly):
        store.delete_session("a" * 32)
    assert store.checkpoint() is False
    store.close()
    assert hashes(path) == before
    # Opening again does not "repair" anything either.
    Store.open(path).close()
    assert hashes(path) == before
    return store


def test_flipped_header(closed_store: Path, tmp_path: Path, guide: Loaded) -> None:
    path = copy_store(closed_store, tmp_path / "copy")
    flip(path, 0, 16)  # "SQLite format 3\0"
    before = hashes(path)
    assert_read_only_and_untouched(path, before, guide)
    with Store.open(path) as store, pytest.raises(StoreDamaged) as caught:
        store.list_sessions()
    assert "damaged" in caught.value.message


def test_flipped_page(closed_store: Path, tmp_path: Path, guide: Loaded) -> None:
    path = copy_store(closed_store, tmp_path / "copy")
    with Store.open(path) as store:
        root = store.db.read("SELECT rootpage FROM sqlite_master WHERE name = 'events'")[0][0]
        page_size = store.db.read("PRAGMA page_size")[0][0]
    flip(path, (root - 1) * page_size, 8)  # the b-tree page header of the events table
    before = hashes(path)
    assert_read_only_and_untouched(path, before, guide)
    with Store.open(path) as store:
        assert store.read_only
        # What can still be read is readable: the sessions table is intact.
        assert [r.label for r in store.list_sessions()] == ["AB"]


def test_flipped_wal_frame(
    live_store: tuple[Path, Store, str], tmp_path: Path, guide: Loaded
) -> None:
    src, _, _ = live_store
    path = copy_store(src, tmp_path / "copy")
    wal = sidecars(path)[1]
    assert scan_wal(wal).frames > 10
    page_size = 4096
    flip(wal, 32 + 3 * (24 + page_size) + 24 + 100)  # inside frame 4's page
    verdict = scan_wal(wal)
    assert verdict.damaged and verdict.first_bad == 4
    before = hashes(path)
    assert_read_only_and_untouched(path, before, guide)


def test_crash_copy_with_intact_wal_is_healthy(
    live_store: tuple[Path, Store, str], tmp_path: Path
) -> None:
    src, _, session_id = live_store
    path = copy_store(src, tmp_path / "copy")
    with Store.open(path) as store:
        assert not store.read_only
        assert len(store.load_events(session_id)) == EVENTS


def test_torn_tail_is_not_damage(
    live_store: tuple[Path, Store, str], tmp_path: Path
) -> None:
    """A crash mid-write leaves a torn last transaction: it was never acknowledged."""
    src, _, session_id = live_store
    path = copy_store(src, tmp_path / "copy")
    wal = sidecars(path)[1]
    data = wal.read_bytes()
    wal.write_bytes(data[:-2000])  # cut into the last frame
    with Store.open(path) as store:
        assert not store.read_only
        assert len(store.load_events(session_id)) == EVENTS - 1


def test_not_a_database(tmp_path: Path, guide: Loaded) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("dette er ikke en database\n" * 100)
    before = hashes(path)
    assert_read_only_and_untouched(path, before, guide)


def test_a_folder_is_refused(tmp_path: Path) -> None:
    with pytest.raises(StoreUnavailable):
        Store.open(tmp_path)


def test_read_only_location_opens_read_only(
    closed_store: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A healthy file that cannot be written (read-only medium) is readable, not 'damaged'."""
    def refuse(path: Path) -> sqlite3.Connection:
        raise sqlite3.OperationalError("attempt to write a readonly database")

    monkeypatch.setattr(Database, "_connect_rw", staticmethod(refuse))
    with Store.open(closed_store) as store:
        assert store.read_only
        assert store.damage is not None and "cannot be written" in store.damage
        assert [r.label for r in store.list_sessions()] == ["AB"]
