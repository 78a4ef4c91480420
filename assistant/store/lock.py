"""One writer per session (R3): an exclusive, non-blocking lock on a per-session lock file.

The lock is `assistant.system.lock_file` (`flock` on POSIX, `msvcrt.locking` on Windows). Why
such a lock: the operating system drops it when the holder's file is closed, which includes
the process dying by SIGKILL or a power cut of the terminal, so a crashed holder never blocks
the next start and there is no "stale lock" to guess about. The holder writes its PID, host name
and start time into the file so a second instance can say who has the session.

Lock files are only ever removed by their holder, while holding the lock. An opener that
gets the lock checks that the file it locked is still the one at the path (same inode); if the
holder removed it meanwhile, it tries again on the new file. So two instances can never both
believe they hold the same session. (On Windows, where an open file cannot be removed, the
holder closes it first: see `system.discard_lock_file`. The lock is per host: on a network
file system shared by several machines it may not exclude across them; the data directory is
per user and local.)
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import re
import socket
import stat
import time
from pathlib import Path
from types import TracebackType
from typing import Self

import assistant.system as system
from assistant.paths import PRIVATE_FILE_MODE, SymlinkRefused, make_private_dir, private_umask
from assistant.store.errors import InvalidSessionData, LockHolder, SessionBusy, StoreUnavailable

_SESSION_ID = re.compile(r"[0-9a-f]{32}")
_ATTEMPTS = 20  # rounds of "the file was replaced under us"; each takes microseconds
_HOLDER_WAIT_S = 0.3  # how long to wait for a brand-new holder to finish writing its info


def lock_path(lock_dir: Path, session_id: str) -> Path:
    """Where the lock file of `session_id` lives (the id must be a uuid4 hex)."""
    if not _SESSION_ID.fullmatch(session_id):
        raise InvalidSessionData("a session id is 32 lower-case hexadecimal characters")
    return lock_dir / f"{session_id}.lock"


def _read_holder(fd: int) -> LockHolder | None:
    deadline = time.monotonic() + _HOLDER_WAIT_S
    while True:
        raw = system.pread(fd, 4096, 0)
        try:
            data = json.loads(raw)
        except ValueError:
            data = None
        if isinstance(data, dict):
            pid = data.get("pid")
            return LockHolder(
                pid=pid if isinstance(pid, int) else None,
                hostname=str(data["hostname"]) if data.get("hostname") else None,
                started=str(data["started"]) if data.get("started") else None,
            )
        if time.monotonic() >= deadline:
            return None
        time.sleep(0.01)


class SessionLock:
    """The right to write to one session, held until `release` (or process exit).

    Use as a context manager, or call `acquire` / `release`. `acquire` never waits: it
    either takes the lock or raises `SessionBusy` naming the holder (within a second).
    """

    def __init__(self, lock_dir: Path, session_id: str) -> None:
        self._fd: int | None = None
        self.session_id = session_id
        self.path = lock_path(lock_dir, session_id)

    @property
    def held(self) -> bool:
        """True while this object holds the lock."""
        return self._fd is not None

    def acquire(self) -> Self:
        """Take the lock or raise `SessionBusy` at once. Returns self.

        Raises `StoreUnavailable` if the lock file cannot be created (a folder that cannot be
        written, a symbolic link in the way).
        """
        if self._fd is not None:
            return self
        for _ in range(_ATTEMPTS):
            fd = self._open()
            try:
                system.lock_file(fd, wait=False)
            except BlockingIOError:
                holder = _read_holder(fd)
                os.close(fd)
                raise SessionBusy(self.session_id, holder) from None
            except BaseException:
                os.close(fd)
                raise
            if self._same_file(fd):
                self._fd = fd
                self._write_holder(fd)
                return self
            os.close(fd)  # the holder removed the file as we opened it: try the new one
        raise SessionBusy(self.session_id, None)

    def _open(self) -> int:
        """The lock file, created private (0600) if needed; never through a symbolic link."""
        try:
            make_private_dir(self.path.parent, "the lock folder",
                             "remove the link; sdm-assistant creates the folder itself")
            with private_umask():
                fd = system.open_file(self.path, os.O_RDWR | os.O_CREAT, PRIVATE_FILE_MODE)
        except SymlinkRefused as exc:
            raise StoreUnavailable(str(exc)) from None
        except OSError as exc:
            raise StoreUnavailable(
                f"session {self.session_id} cannot be locked for writing: its lock file "
                f"{self.path} cannot be created ({exc.strerror or type(exc).__name__})"
            ) from None
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            os.close(fd)
            raise StoreUnavailable(f"the lock file {self.path} is not a regular file; remove "
                                   "it (sdm-assistant creates it itself)")
        return fd

    def _same_file(self, fd: int) -> bool:
        try:
            on_disk = os.stat(self.path, follow_symlinks=False)
        except FileNotFoundError:
            return False
        mine = os.fstat(fd)
        return (on_disk.st_dev, on_disk.st_ino) == (mine.st_dev, mine.st_ino)

    @staticmethod
    def _write_holder(fd: int) -> None:
        info = {
            "pid": os.getpid(),
            "hostname": socket.gethostname(),
            "started": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        }
        system.set_mode(fd, PRIVATE_FILE_MODE)
        os.ftruncate(fd, 0)
        system.pwrite(fd, json.dumps(info).encode("utf-8"), 0)

    def release(self) -> None:
        """Give the lock up and remove the lock file (it is ours while we hold it)."""
        fd, self._fd = self._fd, None
        if fd is None:
            return
        system.discard_lock_file(fd, self.path, lambda: self._same_file(fd))

    def __enter__(self) -> Self:
        return self.acquire()

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.release()

    def __del__(self) -> None:
        # A forgotten lock is dropped with the object (the kernel would at exit anyway).
        if self._fd is not None:
            with contextlib.suppress(OSError):
                os.close(self._fd)
