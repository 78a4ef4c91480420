"""Issue 13, item 4: a truncated or deleted write-ahead log is reported, never silent loss.

A writer in another process saves 200 answers (each acknowledged only after `append` has
returned, as the UI's "gemt") and is killed with SIGKILL, so they are still in the WAL. Then
the WAL is cut to half of what it holds, or deleted. `sdm sessions list` and `sessions show`
must say the store is damaged, the store must open read-only, and nothing may change any of
the store's files: not the listing, not a `delete --yes` (which must refuse), not a purge.
Without the cut, the same store opens read-write with all 200 answers (no false alarm).
"""

from __future__ import annotations

import hashlib
import json
import os
import signal
import struct
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant.guides.loader import load_file
from assistant.store import Store, StoreReadOnly
from tests.conftest import EXAMPLES, ROOT

ANSWERS = 200
TIMEOUT = 120  # seconds a subprocess may take before the test gives up (not a time check)

_WRITER = """
import datetime as dt, sys, time
from assistant.engine.events import Answer
from assistant.store import Store
store = Store.open(sys.argv[1])
lock = store.lock(sys.argv[2]).acquire()
at = dt.datetime(2026, 5, 1, 10, 0, tzinfo=dt.UTC)
for k in range(int(sys.argv[3])):
    seq = store.append(sys.argv[2], Answer(step="vigtigst", value=f"svar {k}",
                                           speaker="patient", at=at))
    print(seq, flush=True)
print("done", flush=True)
time.sleep(3600)  # killed here: the store is never closed, the WAL never folded in
"""


def sidecars(db: Path) -> list[Path]:
    """The database, its -wal and -shm: the files no command may change on a damaged store."""
    return [db, db.with_name(db.name + "-wal"), db.with_name(db.name + "-shm")]


def hashes(db: Path) -> dict[str, str | None]:
    """SHA-256 of the database, -wal and -shm (None for a file that is not there)."""
    return {f.name: hashlib.sha256(f.read_bytes()).hexdigest() if f.exists() else None
            for f in sidecars(db)}


def sdm(*argv: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """`sdm ARGV...` in its own process, as a user would run it."""
    return subprocess.run([sys.executable, "-m", "assistant", *argv], capture_output=True,
                          text=True, cwd=ROOT, timeout=TIMEOUT, stdin=subprocess.DEVNULL,
                          env=env or {**os.environ, "PYTHONPATH": str(ROOT)})


def killed_writer(db: Path, answers: int = ANSWERS) -> str:
    """A session with `answers` acknowledged answers, its writer killed by SIGKILL."""
    loaded, problems = load_file(EXAMPLES / "eksempel-beslutning.yaml")
    assert loaded is not None, problems
    with Store.open(db) as store:
        session_id = store.create_session(loaded, "AB").id
    proc = subprocess.Popen([sys.executable, "-c", _WRITER, str(db), session_id, str(answers)],
                            stdout=subprocess.PIPE, text=True, cwd=ROOT,
                            env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert proc.stdout is not None
    acknowledged = []
    try:
        for line in proc.stdout:
            if line.strip() == "done":
                break
            acknowledged.append(int(line))
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.communicate(timeout=TIMEOUT)
    assert acknowledged == list(range(1, answers + 1))
    return session_id


def live_frames(wal: Path) -> tuple[int, int]:
    """(frames of the WAL's current generation from its start, size of one frame)."""
    data = wal.read_bytes()
    page_size, salts = struct.unpack(">I", data[8:12])[0], data[16:24]
    frame = 24 + page_size
    count = 0
    while 32 + (count + 1) * frame <= len(data):
        start = 32 + count * frame
        if data[start + 8:start + 16] != salts:
            break
        count += 1
    return count, frame


def events_listed(db: Path, session_id: str) -> tuple[int, str]:
    """How many events `sdm sessions list --format json` shows for the session, and stderr."""
    done = sdm("sessions", "list", "--format", "json", "--store", str(db))
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    rows = {s["id"]: s for s in json.loads(done.stdout)["sessions"]}
    return int(rows[session_id]["events"]), done.stderr


@pytest.fixture
def killed(tmp_path: Path) -> Iterator[tuple[Path, str]]:
    db = tmp_path / "store" / "sessions.sqlite3"
    yield db, killed_writer(db)


def assert_damaged_and_untouched(db: Path, session_id: str) -> None:
    """Every command reports the damage, and not one byte of db, -wal or -shm changes."""
    before = hashes(db)
    shown, err = events_listed(db, session_id)
    assert shown < ANSWERS  # the loss is real ...
    assert "damaged" in err and "read-only" in err  # ... and it is said
    assert "missing" in err
    assert hashes(db) == before

    show = sdm("sessions", "show", session_id, "--format", "json", "--store", str(db))
    assert "damaged" in show.stderr and "Traceback" not in show.stderr
    assert hashes(db) == before

    delete = sdm("sessions", "delete", session_id, "--yes", "--store", str(db))
    assert delete.returncode == 1, delete.stdout
    assert "read-only" in delete.stderr and "nothing was changed" in delete.stderr
    assert "deleted session" not in delete.stdout
    assert hashes(db) == before

    purge = sdm("sessions", "purge", "--older-than", "0", "--yes", "--today", "2100-01-01",
                "--store", str(db))
    assert purge.returncode == 1
    assert hashes(db) == before

    with Store.open(db) as store:
        assert store.read_only and store.damage is not None
        assert str(db) in store.damage
        with pytest.raises(StoreReadOnly):
            store.append(session_id, store.load_events(session_id)[0])
    assert hashes(db) == before
    # Still damaged the next time: nothing "repaired" the loss away.
    assert "damaged" in events_listed(db, session_id)[1]
    assert hashes(db) == before


def test_wal_cut_to_half_is_reported_damaged(killed: tuple[Path, str]) -> None:
    db, session_id = killed
    wal = sidecars(db)[1]
    frames, frame = live_frames(wal)
    assert frames > 10
    with wal.open("r+b") as f:
        f.truncate(32 + frames // 2 * frame)
    assert_damaged_and_untouched(db, session_id)


def test_wal_deleted_is_reported_damaged(killed: tuple[Path, str]) -> None:
    db, session_id = killed
    sidecars(db)[1].unlink()
    assert_damaged_and_untouched(db, session_id)
    assert not sidecars(db)[1].exists()


def test_wal_of_a_killed_writer_is_not_a_false_alarm(killed: tuple[Path, str]) -> None:
    db, session_id = killed
    shown, err = events_listed(db, session_id)
    assert shown == ANSWERS
    assert "damaged" not in err
    with Store.open(db) as store:
        assert not store.read_only, store.damage
        assert len(store.load_events(session_id)) == ANSWERS


def test_the_user_decides_to_go_on_without_the_lost_answers(killed: tuple[Path, str]) -> None:
    """The message says how to accept the store as it is; until then it stays read-only."""
    db, session_id = killed
    sidecars(db)[1].unlink()
    with Store.open(db) as store:
        assert store.read_only and store.damage is not None
        marks = [p for p in db.parent.iterdir()
                 if str(p) in store.damage and p not in sidecars(db)]
    assert marks, "the message names the file to remove to accept the loss"
    for mark in marks:
        mark.unlink()
    with Store.open(db) as store:
        assert not store.read_only, store.damage
        assert len(store.load_events(session_id)) < ANSWERS
