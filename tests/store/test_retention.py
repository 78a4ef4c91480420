"""Deleting sessions: the data must be gone from the database, -wal and -shm files (R12)."""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from assistant.engine.events import Note
from assistant.guides.loader import Loaded
from assistant.store import InvalidSessionData, SessionBusy, SessionNotFound, Store
from assistant.store.db import sidecars
from tests.store.conftest import AT, CANARY, AnyStore, answer, both
from tests.store.test_sessions import Clock


def occurrences(path: Path, needle: str = CANARY) -> int:
    """How often the canary's bytes occur in the store's three files (raw, not via SQLite)."""
    total = 0
    for file in sidecars(path):
        if file.exists():
            data = file.read_bytes()
            total += data.count(needle.encode("utf-8"))
    return total


def fill_with_canary(store: AnyStore, guide: Loaded) -> str:
    row = store.create_session(guide, f"label {CANARY}")
    store.append(row.id, answer(value=f"svar {CANARY}"))
    # A long note spills into overflow pages; those must be wiped as well.
    big = f"{CANARY} " + "lang tekst " * 800
    store.append(row.id, Note(text=big, speaker="patient", at=AT))
    store.add_revision(row.id, "approved", f'{{"needs": "{CANARY}"}}',
                       responsible=f"ansvarlig {CANARY}")
    return row.id


def test_canary_is_gone_after_delete(store: Store, guide: Loaded, db_path: Path) -> None:
    keep = store.create_session(guide, "keep")
    store.append(keep.id, answer(value="bliver"))
    session_id = fill_with_canary(store, guide)
    assert occurrences(db_path) > 0  # the test can see it while it is there
    assert store.delete_session(session_id) is True
    assert occurrences(db_path) == 0
    with pytest.raises(SessionNotFound):
        store.get_session(session_id)
    assert store.db.read("SELECT count(*) FROM events WHERE session_id = ?",
                       (session_id,))[0][0] == 0
    assert store.load_events(keep.id) == [answer(value="bliver")]
    store.close()
    assert occurrences(db_path) == 0
    assert occurrences(db_path, "bliver") > 0  # other sessions are untouched


def test_canary_gone_even_after_checkpointed_pages(db_path: Path, guide: Loaded) -> None:
    """The canary has reached the main file (checkpointed) before it is deleted."""
    with Store.open(db_path) as store:
        session_id = fill_with_canary(store, guide)
        assert store.checkpoint()
        assert db_path.read_bytes().count(CANARY.encode()) > 0
    with Store.open(db_path) as store:
        store.delete_session(session_id)
    assert occurrences(db_path) == 0


def test_delete_refuses_a_session_open_elsewhere(make_store: Callable[..., AnyStore],
                                                guide: Loaded) -> None:
    store, other = make_store(), make_store()
    row = store.create_session(guide, "AB")
    with store.lock(row.id):
        with pytest.raises(SessionBusy) as busy:
            other.delete_session(row.id)
        assert busy.value.message.startswith(f"session {row.id} is in use by process ")
        with pytest.raises(SessionBusy):  # a second lock object of the same store, too
            store.delete_session(row.id)
    assert store.get_session(row.id)


@both
def test_delete_with_the_callers_own_lock(store: AnyStore, guide: Loaded) -> None:
    row = store.create_session(guide, "AB")
    other = store.create_session(guide, "CD")
    with store.lock(row.id) as held:
        with pytest.raises(InvalidSessionData):
            store.delete_session(other.id, lock=held)
        store.delete_session(row.id, lock=held)
        assert held.held
    assert [r.id for r in store.list_sessions()] == [other.id]


@both
def test_delete_unknown(store: AnyStore) -> None:
    with pytest.raises(SessionNotFound):
        store.delete_session("a" * 32)
    with pytest.raises(InvalidSessionData):
        store.delete_session("../../etc/passwd")


def test_delete_reports_a_reader_that_blocks_the_truncate(
    store: Store, guide: Loaded, db_path: Path
) -> None:
    row = store.create_session(guide, "AB")
    store.append(row.id, answer(value=CANARY))
    reader = sqlite3.connect(db_path, isolation_level=None)
    reader.execute("BEGIN")
    reader.execute("SELECT count(*) FROM events").fetchone()  # holds a snapshot
    store.db.read("PRAGMA busy_timeout = 50")
    try:
        assert store.delete_session(row.id) is False
    finally:
        reader.execute("COMMIT")
        reader.close()
        store.db.read("PRAGMA busy_timeout = 5000")
    assert store.checkpoint() is True
    assert occurrences(db_path) == 0


def test_purge(make_store: Callable[..., AnyStore], db_path: Path, guide: Loaded) -> None:
    clock = Clock(dt.datetime(2026, 1, 1, 12, tzinfo=dt.UTC))
    with make_store(clock=clock) as store:
        old = fill_with_canary(store, guide)
        old_busy = store.create_session(guide, "busy").id
        clock.now = dt.datetime(2026, 3, 1, 12, tzinfo=dt.UTC)
        recent = store.create_session(guide, "recent").id
        today = dt.date(2026, 3, 2)
        with make_store() as other, other.lock(old_busy):
            result = store.purge(30, today)
        assert result.deleted == [old]
        assert result.busy == [old_busy]
        assert result.erased
        assert {r.id for r in store.list_sessions()} == {old_busy, recent}
        if isinstance(store, Store):  # the bytes on disk: SQLite's files
            assert occurrences(db_path) == 0
        assert store.purge(0, today).deleted == [old_busy, recent]
        with pytest.raises(InvalidSessionData):
            store.purge(-1, today)


def test_purge_boundary_is_the_start_of_the_cutoff_day(make_store: Callable[..., AnyStore],
                                                       guide: Loaded) -> None:
    clock = Clock(dt.datetime(2026, 1, 31, 0, 0, tzinfo=dt.UTC))
    with make_store(clock=clock) as store:
        row = store.create_session(guide, "AB")
        assert store.purge(30, dt.date(2026, 3, 2)).deleted == []  # cutoff 2026-01-31
        assert store.purge(30, dt.date(2026, 3, 3)).deleted == [row.id]  # cutoff 2026-02-01
