"""The commit counter and mark that reveal a lost WAL, and the read-only copy in memory."""

from __future__ import annotations

import logging
import os
import sqlite3
import stat
from pathlib import Path

import pytest

import assistant.store.walcheck as walcheck
from assistant.guides.loader import Loaded
from assistant.store import Store, StoreBusy, StoreDamaged, StoreReadOnly, StoreUnavailable
from assistant.store.db import Database, sidecars
from assistant.store.migrations import steps_for
from assistant.store.schema import COMMITS_TABLE, STEPS
from assistant.store.walcheck import CommitMark, MarkWriter, mark_path, read_mark
from tests.attacks.test_wal import hashes, killed_writer, live_frames
from tests.store.conftest import answer


def rows(conn: sqlite3.Connection) -> list[tuple[object, ...]]:
    return conn.execute("SELECT session_id, seq, type, payload, at FROM events "
                        "ORDER BY session_id, seq").fetchall()


def counter(store: Store) -> tuple[bytes, int]:
    row = store.db.read(f"SELECT store_id, n FROM {COMMITS_TABLE}")[0]
    return bytes(row[0]), int(row[1])


def test_the_copy_in_memory_reads_what_sqlite_reads(db_path: Path, guide: Loaded) -> None:
    with Store.open(db_path) as store:
        row = store.create_session(guide, "AB")
        for i in range(20):
            store.append(row.id, answer(value=f"svar {i}"))
        store.db._conn.execute("PRAGMA wal_checkpoint(PASSIVE)")  # some pages in the file ...
        for i in range(5):  # ... and a restarted WAL with older frames behind the new ones
            store.append(row.id, answer(value=f"mere {i}"))
        expected = rows(store.db._conn)
        before = hashes(db_path)
        copy = Database._connect_ro(db_path)
        assert rows(copy) == expected and len(expected) == 25
        with pytest.raises(sqlite3.OperationalError):  # read-only, and only in memory
            copy.execute("DELETE FROM events")
        copy.close()
        assert hashes(db_path) == before


def test_a_read_only_open_creates_no_file(db_path: Path, guide: Loaded) -> None:
    with Store.open(db_path) as store:
        store.create_session(guide, "AB")
    assert not sidecars(db_path)[1].exists()
    Database._connect_ro(db_path).close()
    assert not sidecars(db_path)[1].exists() and not sidecars(db_path)[2].exists()


def test_every_commit_raises_the_mark(store: Store, guide: Loaded, db_path: Path) -> None:
    row = store.create_session(guide, "AB")
    for i in range(3):
        store.append(row.id, answer(value=f"svar {i}"))
    store_id, n = counter(store)
    assert n == 4
    assert read_mark(db_path) == CommitMark(store_id, 4)
    assert stat.S_IMODE(mark_path(db_path).stat().st_mode) == 0o600


def test_the_mark_never_goes_back(tmp_path: Path) -> None:
    db = tmp_path / "s.sqlite3"
    writer = MarkWriter(db)
    writer.record(CommitMark(b"\x01" * 16, 7))
    writer.record(CommitMark(b"\x01" * 16, 5))  # a slower writer, done later
    assert read_mark(db) == CommitMark(b"\x01" * 16, 7)
    writer.record(CommitMark(b"\x02" * 16, 1))  # another store: replaced
    assert read_mark(db) == CommitMark(b"\x02" * 16, 1)
    writer.close()


def test_two_stores_on_one_file_share_the_mark(db_path: Path, guide: Loaded) -> None:
    with Store.open(db_path) as first, Store.open(db_path) as second:
        row = first.create_session(guide, "AB")
        for i in range(5):
            (first if i % 2 else second).append(row.id, answer(value=f"svar {i}"))
        assert read_mark(db_path) == CommitMark(*counter(first))
    with Store.open(db_path) as again:
        assert not again.read_only


def test_a_mark_left_from_a_deleted_store_is_ignored(db_path: Path, guide: Loaded) -> None:
    with Store.open(db_path) as store:
        row = store.create_session(guide, "AB")
        store.append(row.id, answer())
    old = read_mark(db_path)
    for file in sidecars(db_path):
        if file.exists():
            file.unlink()
    with Store.open(db_path) as store:  # a new store, beside the old mark
        assert not store.read_only, store.damage
        store.create_session(guide, "CD")
        new_id, _ = counter(store)
    assert old is not None and new_id != old.store_id
    assert read_mark(db_path) == CommitMark(new_id, 1)
    with Store.open(db_path) as store:
        assert not store.read_only


def test_a_torn_mark_is_no_alarm(store: Store, guide: Loaded, db_path: Path) -> None:
    store.create_session(guide, "AB")
    store.close()
    mark_path(db_path).write_bytes(b"sdm-commits 1 garbage")
    with Store.open(db_path) as again:
        assert not again.read_only
        again.create_session(guide, "CD")
        assert read_mark(db_path) == CommitMark(*counter(again))


def test_a_mark_that_cannot_be_written_does_not_unsave(
    store: Store, guide: Loaded, monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    def fail(self: MarkWriter, mark: CommitMark) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(MarkWriter, "record", fail)
    row = store.create_session(guide, "AB")
    assert store.append(row.id, answer(value="one")) == 1
    assert store.append(row.id, answer(value="two")) == 2
    assert len(store.load_events(row.id)) == 2
    warnings = [r for r in caplog.records if "commit mark" in r.getMessage()]
    assert len(warnings) == 1  # said once, not at every answer


def test_the_last_acknowledged_commit_cut_off_is_missing(tmp_path: Path) -> None:
    db = tmp_path / "s" / "sessions.sqlite3"
    killed_writer(db, 30)
    wal = sidecars(db)[1]
    frames, frame = live_frames(wal)
    data = wal.read_bytes()[:32 + frames * frame]
    wal.write_bytes(data[:-frame])  # the last frame: the commit frame of answer 30
    with Store.open(db) as store:
        assert store.read_only and store.damaged
        assert store.read_only_reason == "missing_commits"
        assert store.damage is not None and "1 saved change is missing" in store.damage


def test_a_store_from_schema_2_starts_counting(tmp_path: Path, guide: Loaded) -> None:
    path = tmp_path / "old.sqlite3"
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("BEGIN IMMEDIATE")
    for step in steps_for("sqlite", STEPS)[:2]:
        assert step is not None
        step(conn)
    conn.execute("PRAGMA user_version = 2")
    conn.execute("COMMIT")
    conn.close()
    with Store.open(path) as store:
        assert not store.read_only
        store.create_session(guide, "AB")
        assert counter(store)[1] == 1
        assert read_mark(path) == CommitMark(*counter(store))


def test_damage_found_later_turns_the_store_read_only(
    store: Store, guide: Loaded, monkeypatch: pytest.MonkeyPatch
) -> None:
    row = store.create_session(guide, "AB")
    real = store.db._conn

    class Broken:
        def __init__(self, name: str) -> None:
            self.name = name

        def execute(self, *args: object) -> object:
            exc = sqlite3.DatabaseError("...")
            exc.sqlite_errorname = self.name  # type: ignore[attr-defined]
            raise exc

        def __getattr__(self, name: str) -> object:
            return getattr(real, name)

    store.db._conn = Broken("SQLITE_ERROR")  # type: ignore[assignment]
    with pytest.raises(StoreDamaged) as caught:  # not damage: the store stays writable
        store.list_sessions()
    assert "read-only" not in caught.value.message and not store.read_only
    store.db._conn = Broken("SQLITE_CORRUPT")  # type: ignore[assignment]
    with pytest.raises(StoreDamaged) as caught:
        store.list_sessions()
    assert "Nothing more will be saved" in caught.value.message
    store.db._conn = real
    assert store.read_only and store.damaged
    with pytest.raises(StoreReadOnly):
        store.append(row.id, answer())


def test_files_that_keep_changing_are_busy(
    db_path: Path, guide: Loaded, monkeypatch: pytest.MonkeyPatch
) -> None:
    Store.open(db_path).close()
    digests = iter(range(1000))
    monkeypatch.setattr(walcheck, "_digest", lambda path: bytes([next(digests) % 256]))
    monkeypatch.setattr(walcheck, "_SNAPSHOT_ATTEMPTS", 3)
    with pytest.raises(StoreBusy):
        Store.open(db_path)


def test_a_store_path_that_is_no_file_is_refused_unchanged(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.sqlite3"
    os.mkfifo(fifo, 0o644)
    fifo.chmod(0o644)
    with pytest.raises(StoreUnavailable) as caught:
        Store.open(fifo)  # would hang if it were read like a file
    assert "not a regular file" in caught.value.message
    assert stat.S_IMODE(fifo.stat().st_mode) == 0o644


def test_no_warning_for_a_healthy_store(
    db_path: Path, guide: Loaded, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING):
        with Store.open(db_path) as store:
            store.create_session(guide, "AB")
        Store.open(db_path).close()
    assert caplog.records == []
