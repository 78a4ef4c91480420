"""No health data in exceptions or logs (R10), and failed writes leave earlier data intact (R2)."""

from __future__ import annotations

import logging
import sqlite3
import traceback
from pathlib import Path
from typing import Any

import pytest

from assistant.engine.events import Note
from assistant.guides.loader import Loaded
from assistant.store import SessionNotFound, Store, StoreError, StoreWriteError
from tests.store.conftest import AT, CANARY, answer


def rendered(exc: BaseException) -> str:
    """Everything a traceback printer would show: message, chain, source lines."""
    return "".join(traceback.format_exception(exc)) + str(exc) + repr(exc)


@pytest.fixture(autouse=True)
def _all_logs(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)


def test_disk_full_message_and_logs_carry_no_canary(
    store: Store, guide: Loaded, caplog: pytest.LogCaptureFixture
) -> None:
    row = store.create_session(guide, "AB")
    store.append(row.id, answer())
    pages = store.db.read("PRAGMA page_count")[0][0]
    store.db.read(f"PRAGMA max_page_count = {pages}")  # the "disk" is now full
    big = Note(text=f"{CANARY} " * 600, speaker="patient", at=AT)
    with pytest.raises(StoreWriteError) as caught:
        store.append(row.id, big)
    assert caught.value.sqlite_error == "SQLITE_FULL"
    assert "disk is full" in caught.value.message
    assert CANARY not in rendered(caught.value)
    assert CANARY not in caplog.text
    assert any("SQLITE_FULL" in r.getMessage() for r in caplog.records)
    # Nothing of the failed write was saved; what was saved before is intact; still usable.
    assert store.load_events(row.id) == [answer()]
    store.db.read("PRAGMA max_page_count = 1073741823")
    assert store.append(row.id, answer(value="next")) == 2


def test_not_found_carries_no_canary(store: Store, caplog: pytest.LogCaptureFixture) -> None:
    with pytest.raises(SessionNotFound) as caught:
        store.append("b" * 32, answer(value=CANARY))
    assert CANARY not in rendered(caught.value)
    assert CANARY not in caplog.text


class FailingConnection:
    """Wraps the real connection; the `fail_at`-th execute raises a disk I/O error."""

    def __init__(self, conn: sqlite3.Connection, fail_at: int) -> None:
        self._conn = conn
        self.fail_at = fail_at
        self.calls = 0

    def execute(self, sql: str, params: Any = ()) -> sqlite3.Cursor:
        self.calls += 1
        if self.calls == self.fail_at:
            exc = sqlite3.OperationalError("disk I/O error")
            exc.sqlite_errorname = "SQLITE_IOERR_WRITE"
            raise exc
        return self._conn.execute(sql, params)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._conn, name)


def test_io_error_at_every_step_of_an_append(
    db_path: Path, guide: Loaded, caplog: pytest.LogCaptureFixture
) -> None:
    with Store.open(db_path) as store:
        row = store.create_session(guide, "AB")
        store.append(row.id, answer(value="first"))
        real = store.db._conn
        counter = FailingConnection(real, fail_at=0)
        store.db._conn = counter  # type: ignore[assignment]
        store.append(row.id, answer(value="counted"))
        steps = counter.calls
        assert steps >= 4  # BEGIN, read seq, INSERT, UPDATE, COMMIT
        expected = [answer(value="first"), answer(value="counted")]
        for n in range(1, steps + 1):
            store.db._conn = FailingConnection(real, fail_at=n)  # type: ignore[assignment]
            with pytest.raises(StoreError) as caught:
                store.append(row.id, answer(value=f"{CANARY} {n}"))
            assert "disk reported an error" in caught.value.message
            assert CANARY not in rendered(caught.value)
            store.db._conn = real
            assert not real.in_transaction
            assert store.load_events(row.id) == expected, n
        assert store.append(row.id, answer(value="after")) == 3
    assert CANARY not in caplog.text
    with Store.open(db_path) as again:
        assert not again.read_only
        assert [e.value for e in again.load_events(row.id)] == [  # type: ignore[union-attr]
            "first", "counted", "after"]
