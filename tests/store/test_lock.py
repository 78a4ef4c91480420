"""One writer per session (R3): flock, told at once (the attempt never waits: every flock
is non-blocking), released on kill -9. No test compares a time with a limit: a hang is caught
by the subprocess timeout, and how long an attempt takes is not an outcome."""

from __future__ import annotations

import fcntl
import json
import os
import signal
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant.store import SessionBusy, SessionLock
from assistant.store.lock import lock_path
from tests.conftest import ROOT

SESSION = "0123456789abcdef0123456789abcdef"

HOLD = """
import sys, time
from pathlib import Path
from assistant.store.lock import SessionLock
lock = SessionLock(Path(sys.argv[1]), sys.argv[2]).acquire()
print("locked", flush=True)
time.sleep(60)
"""

TRY = """
import fcntl, json, sys
from pathlib import Path
from assistant.store import SessionBusy, SessionLock
calls = []
real_flock = fcntl.flock
def flock(fd, operation):
    calls.append(operation)
    return real_flock(fd, operation)
fcntl.flock = flock
try:
    lock = SessionLock(Path(sys.argv[1]), sys.argv[2]).acquire()
    result = {"got": True}
except SessionBusy as exc:
    h = exc.holder
    result = {"got": False, "message": exc.message,
              "pid": h.pid if h else None, "host": h.hostname if h else None}
result["flocks"] = len(calls)
result["nonblocking"] = all(op & fcntl.LOCK_NB for op in calls)
print(json.dumps(result), flush=True)
"""


def python(code: str, *args: str) -> list[str]:
    return [sys.executable, "-c", code, *args]


@pytest.fixture
def holder(tmp_path: Path) -> Iterator[subprocess.Popen[str]]:
    proc = subprocess.Popen(python(HOLD, str(tmp_path), SESSION), cwd=ROOT,
                            stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == "locked"
    yield proc
    proc.kill()
    proc.wait()


def attempt(lock_dir: Path) -> dict[str, object]:
    out = subprocess.run(python(TRY, str(lock_dir), SESSION), cwd=ROOT, capture_output=True,
                         text=True, timeout=30, check=True).stdout
    result: dict[str, object] = json.loads(out)
    return result


def test_second_process_is_told_who_holds_it(
    holder: subprocess.Popen[str], tmp_path: Path
) -> None:
    result = attempt(tmp_path)
    assert result["got"] is False
    assert result["pid"] == holder.pid
    assert result["host"] == socket.gethostname()
    assert f"process {holder.pid}" in str(result["message"])
    assert result["flocks"] == 1 and result["nonblocking"] is True  # told at once, no waiting


def test_kill_9_releases_the_lock(holder: subprocess.Popen[str], tmp_path: Path) -> None:
    os.kill(holder.pid, signal.SIGKILL)
    holder.wait()
    result = attempt(tmp_path)
    assert result["got"] is True
    assert result["flocks"] == 1 and result["nonblocking"] is True


def test_in_process_second_lock_is_busy(tmp_path: Path,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    operations: list[int] = []
    real_flock = fcntl.flock

    def flock(fd: int, operation: int) -> None:
        operations.append(operation)
        real_flock(fd, operation)

    monkeypatch.setattr(fcntl, "flock", flock)
    with SessionLock(tmp_path, SESSION) as first:
        assert first.held
        with pytest.raises(SessionBusy) as caught:
            SessionLock(tmp_path, SESSION).acquire()
        # Both attempts asked without waiting: a busy lock is reported, never waited for.
        assert len(operations) == 2 and all(op & fcntl.LOCK_NB for op in operations)
        assert caught.value.holder is not None
        assert caught.value.holder.pid == os.getpid()
        info = json.loads(lock_path(tmp_path, SESSION).read_text())
        assert set(info) == {"pid", "hostname", "started"}
    assert not first.held
    assert not lock_path(tmp_path, SESSION).exists()  # the holder cleans up its own file
    with SessionLock(tmp_path, SESSION):
        pass


def test_a_busy_opener_never_deletes_the_holders_file(tmp_path: Path) -> None:
    with SessionLock(tmp_path, SESSION):
        path = lock_path(tmp_path, SESSION)
        inode = path.stat().st_ino
        for _ in range(3):
            with pytest.raises(SessionBusy):
                SessionLock(tmp_path, SESSION).acquire()
        assert path.stat().st_ino == inode
        assert json.loads(path.read_text())["pid"] == os.getpid()


def test_stale_lock_file_from_a_crash_is_taken_over(tmp_path: Path) -> None:
    path = lock_path(tmp_path, SESSION)
    path.parent.mkdir(exist_ok=True)
    path.write_text('{"pid": 999999, "hostname": "gone", "started": "2020-01-01"}')
    with SessionLock(tmp_path, SESSION):
        assert json.loads(path.read_text())["pid"] == os.getpid()


def test_released_file_replaced_under_a_waiting_opener(tmp_path: Path) -> None:
    """The inode check: an opener whose file was unlinked by the holder retries on the new one."""
    first = SessionLock(tmp_path, SESSION).acquire()
    fd = os.open(first.path, os.O_RDWR)  # a racing opener that opened the old file
    first.release()  # unlinks the old file
    second = SessionLock(tmp_path, SESSION).acquire()  # makes a new file
    try:
        third = SessionLock(tmp_path, SESSION)
        assert not third._same_file(fd)  # the old inode is no longer the lock
        with pytest.raises(SessionBusy):
            third.acquire()
    finally:
        os.close(fd)
        second.release()


def test_bad_session_id_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        SessionLock(tmp_path, "../x")
