"""The store's write-ahead log seen from outside SQLite: damage, loss, and a read-only copy.

**Damage.** SQLite stops reading the WAL at the first frame whose checksum fails and treats
everything after it as never written; the next checkpoint makes that loss permanent. So a
byte flipped in the middle of the WAL would lose every answer saved after it without any
error. This module reads the WAL itself (https://www.sqlite.org/fileformat2.html#walformat)
and reports that case. A crash while a transaction is being written legitimately leaves a
torn tail: only the last transaction can be affected, and it was never acknowledged (with
synchronous=FULL the append returns only after the fsync). So the WAL counts as damaged only
when at least two commit frames of the current WAL generation follow the first bad frame.

**Loss.** A WAL that is cut short at a frame boundary, or deleted, has no bad frame at all:
what is left looks like a smaller, healthy store. To see that, every write transaction
increments a counter in the database (`store_commits.n`, with a random `store_id`; see
schema.py), and after its COMMIT has returned the store records the pair in a small *commit
mark* file beside it, `sessions.sqlite3-commits` (0600, written in place, fsynced, under a
file lock so it never goes backwards when several programs write). Only then does the write
count as saved. On open, the mark is read *before* the database, so every commit it counts
was already durable in the database or its WAL: if the database (with what is left of its
WAL) holds a smaller count for the same `store_id`, acknowledged commits are missing and the
store is reported damaged. Why this design: it covers the whole life of the WAL, not only
the part since the last checkpoint (a checkpoint at session end would still leave the open
session's answers unprotected, and SQLite checkpoints whenever it likes); it costs one
64-byte write and one fsync per commit; and a crash between COMMIT and the mark's write
leaves the mark *behind* the database, which is never a false alarm. A mark of another
store (a different `store_id`, e.g. after the store was deleted and started anew) is
ignored and overwritten. Deleting the mark is how the user accepts a store as it is.

**A read-only copy.** Opening a WAL database with SQLite, even with `mode=ro`, may create or
rewrite its `-shm` file, and `immutable=1` ignores the WAL altogether. So a store that is to
be left untouched is not opened by SQLite at all: `read_snapshot` reads the database and WAL
bytes with plain reads (no symbolic links followed), applies the WAL's committed frames in
memory exactly as SQLite's recovery would, and the result is handed to SQLite with
`sqlite3_deserialize`. The files are never written, locked or truncated by that. The reads
are repeated until the database file did not change and the WAL was not restarted while
they ran, so a writer in another program cannot make the copy inconsistent.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import stat
import struct
import time
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import assistant.system as system
from assistant.paths import PRIVATE_FILE_MODE, private_umask

_MAGIC_LE, _MAGIC_BE = 0x377F0682, 0x377F0683
_WAL_VERSION = 3007000
_HEADER, _FRAME_HEADER = 32, 24
_DB_MAGIC = b"SQLite format 3\x00"

#: Suffix of the commit mark file beside the store (`sessions.sqlite3-commits`).
MARK_SUFFIX = "-commits"
#: The largest store (database plus WAL) that is read into memory to be checked.
MAX_SNAPSHOT_BYTES = 1 << 30
_SNAPSHOT_ATTEMPTS = 50
_CHUNK = 1 << 20


@dataclass(frozen=True)
class WalVerdict:
    """What a scan found: `damaged`, and where (frame numbers count from 1)."""

    damaged: bool
    frames: int = 0
    first_bad: int | None = None
    commits_after_bad: int = 0


@dataclass
class _Parsed:
    verdict: WalVerdict
    page_size: int = 0
    pages: dict[int, bytes] = field(default_factory=dict)  # committed: page number -> page
    db_pages: int = 0  # size of the database after the last valid commit, in pages


def _checksum(data: bytes, s0: int, s1: int, endian: str) -> tuple[int, int]:
    words = struct.unpack(f"{endian}{len(data) // 4}I", data)
    for i in range(0, len(words), 2):
        s0 = (s0 + words[i] + s1) & 0xFFFFFFFF
        s1 = (s1 + words[i + 1] + s0) & 0xFFFFFFFF
    return s0, s1


def _parse(data: bytes) -> _Parsed:
    """Follow the WAL's checksum chain as SQLite's recovery does; count what lies beyond."""
    has_frame = len(data) >= _HEADER + _FRAME_HEADER + 512
    if len(data) < _HEADER or not has_frame:
        return _Parsed(WalVerdict(False))
    header = data[:_HEADER]
    magic, version, page_size, _seq, salt1, salt2, ck1, ck2 = struct.unpack(">8I", header)
    endian = ">" if magic == _MAGIC_BE else "<"
    valid_page = page_size in {512 << i for i in range(8)}  # 512 ... 65536
    if (magic not in (_MAGIC_LE, _MAGIC_BE) or version != _WAL_VERSION or not valid_page
            or _checksum(header[:24], 0, 0, endian) != (ck1, ck2)):
        # SQLite ignores a WAL with a bad header entirely. With synchronous=FULL the header
        # is synced before any frame is written, so frames behind a bad header mean damage.
        return _Parsed(WalVerdict(True, first_bad=0))
    parsed = _Parsed(WalVerdict(False), page_size=page_size)
    s0, s1 = ck1, ck2
    frames = 0
    first_bad: int | None = None
    commits_after_bad = 0
    pending: dict[int, bytes] = {}
    size = _FRAME_HEADER + page_size
    for start in range(_HEADER, len(data) - size + 1, size):
        frame = data[start:start + size]
        frames += 1
        pgno, commit, f_salt1, f_salt2, f_ck1, f_ck2 = struct.unpack(">6I", frame[:24])
        same_generation = (f_salt1, f_salt2) == (salt1, salt2)
        if first_bad is None:
            if same_generation and pgno:
                s0, s1 = _checksum(frame[:8], s0, s1, endian)
                s0, s1 = _checksum(frame[24:], s0, s1, endian)
                if (s0, s1) == (f_ck1, f_ck2):
                    pending[pgno] = frame[24:]
                    if commit:
                        parsed.pages.update(pending)
                        pending.clear()
                        parsed.db_pages = commit
                    continue
            first_bad = frames
        # After the first bad frame the checksum chain cannot be followed; count the commit
        # frames that still carry this generation's salts (older generations are leftovers).
        if same_generation and commit:
            commits_after_bad += 1
    damaged = first_bad is not None and commits_after_bad >= 2
    parsed.verdict = WalVerdict(damaged, frames, first_bad, commits_after_bad)
    return parsed


def scan_wal(wal: Path) -> WalVerdict:
    """Scan one WAL file. A missing, empty or header-only WAL is not damaged."""
    try:
        data = wal.read_bytes()
    except FileNotFoundError:
        return WalVerdict(False)
    return _parse(data).verdict


def wal_damaged(wal: Path) -> bool:
    """True if the WAL holds committed transactions SQLite would silently ignore.

    A writer in another process may be appending while we read; a frame caught half-written
    looks bad for a moment. So a damaged verdict counts only when a second scan agrees.
    """
    first = scan_wal(wal)
    if not first.damaged:
        return False
    second = scan_wal(wal)
    return second.damaged and second.first_bad == first.first_bad


# --- the read-only copy ---------------------------------------------------------------------


class SnapshotUnstable(Exception):
    """The store's files kept changing while they were read (another program checkpointing)."""


class SnapshotTooLarge(Exception):
    """The store is larger than `MAX_SNAPSHOT_BYTES`."""


@dataclass(frozen=True)
class Snapshot:
    """A consistent copy of a store: the database as SQLite would see it, in memory.

    `image` is the database file with the WAL's committed frames applied (and marked as a
    rollback-journal database, which is what `sqlite3_deserialize` can open); `wal` is what
    the WAL scan found; `wal_bytes` how long the WAL file was (0 if there is none).
    """

    image: bytes
    wal: WalVerdict
    wal_bytes: int


def _open_regular(path: Path) -> int | None:
    """A read-only descriptor of the regular file at `path`; None if there is none.

    Never follows a symbolic link (ELOOP) and never blocks on a FIFO; anything that is not a
    regular file raises `OSError`.
    """
    try:
        fd = system.open_file(path, os.O_RDONLY)
    except FileNotFoundError:
        return None
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise OSError(errno.EINVAL, "not a regular file", str(path))
    return fd


def _chunks(fd: int) -> Iterator[bytes]:
    offset = 0
    while chunk := system.pread(fd, _CHUNK, offset):
        offset += len(chunk)
        yield chunk


def _read_all(path: Path, limit: int) -> bytes | None:
    fd = _open_regular(path)
    if fd is None:
        return None
    try:
        data = bytearray()
        for chunk in _chunks(fd):
            data += chunk
            if len(data) > limit:
                raise SnapshotTooLarge(str(path))
        return bytes(data)
    finally:
        os.close(fd)


def _digest(path: Path) -> bytes | None:
    fd = _open_regular(path)
    if fd is None:
        return None
    try:
        h = hashlib.blake2b()
        for chunk in _chunks(fd):
            h.update(chunk)
        return h.digest()
    finally:
        os.close(fd)


def _wal_header(wal: Path) -> bytes | None:
    fd = _open_regular(wal)
    if fd is None:
        return None
    try:
        return system.pread(fd, _HEADER, 0)
    finally:
        os.close(fd)


def replay(db: bytes, wal: bytes) -> tuple[bytes, WalVerdict]:
    """The database image SQLite would read from these database and WAL bytes.

    The image is marked as a rollback-journal database (header bytes 18 and 19 set to 1), so
    that it can be deserialized into memory; nothing else in it is changed.
    """
    parsed = _parse(wal)
    image = bytearray(db)
    if parsed.pages:
        size = parsed.db_pages * parsed.page_size
        if len(image) < size:
            image.extend(bytes(size - len(image)))
        del image[size:]
        for pgno, page in parsed.pages.items():
            if pgno <= parsed.db_pages:
                start = (pgno - 1) * parsed.page_size
                image[start:start + parsed.page_size] = page
    if image[:16] == _DB_MAGIC and len(image) >= 20 and image[18] == image[19] == 2:
        image[18] = image[19] = 1
    return bytes(image), parsed.verdict


def read_snapshot(db: Path) -> Snapshot:
    """A consistent in-memory copy of the store at `db`, its files untouched.

    Raises `OSError` if a file cannot be read (a symbolic link, not a regular file, no
    permission), `SnapshotTooLarge`, or `SnapshotUnstable` if another program kept
    checkpointing while the files were read.
    """
    wal = db.with_name(db.name + "-wal")
    for attempt in range(_SNAPSHOT_ATTEMPTS):
        data = _read_all(db, MAX_SNAPSHOT_BYTES) or b""
        log = _read_all(wal, MAX_SNAPSHOT_BYTES - len(data)) or b""
        # Consistent if the WAL was not restarted (its header is the same) and the database
        # file was not written (checkpointed) while they were read. Appends to the WAL are
        # harmless: the replay stops at the last complete commit.
        if (_wal_header(wal) or b"") == log[:_HEADER] and \
                _digest(db) == hashlib.blake2b(data).digest():
            image, verdict = replay(data, log)
            return Snapshot(image, verdict, len(log))
        time.sleep(0.002 * (attempt + 1))
    raise SnapshotUnstable(str(db))


# --- the commit mark --------------------------------------------------------------------------


@dataclass(frozen=True)
class CommitMark:
    """How many commits the store with `store_id` had acknowledged, as recorded beside it."""

    store_id: bytes
    commits: int


_MARK_FORMAT = "sdm-commits 1 {id} {n:020d} {crc:08x}\n"
_MARK_LENGTH = len(_MARK_FORMAT.format(id="0" * 32, n=0, crc=0))


def mark_path(db: Path) -> Path:
    """Where the commit mark of the store at `db` lives."""
    return db.with_name(db.name + MARK_SUFFIX)


def _format_mark(mark: CommitMark) -> bytes:
    body = f"sdm-commits 1 {mark.store_id.hex()} {mark.commits:020d}"
    return _MARK_FORMAT.format(id=mark.store_id.hex(), n=mark.commits,
                               crc=zlib.crc32(body.encode("ascii"))).encode("ascii")


def _parse_mark(raw: bytes) -> CommitMark | None:
    """The mark in `raw`; None if it is not one (empty, torn, or from something else)."""
    if len(raw) != _MARK_LENGTH:
        return None
    try:
        text = raw.decode("ascii")
        name, version, store_id, commits, crc = text.split()
        body = f"{name} {version} {store_id} {commits}"
        if (name, version) != ("sdm-commits", "1") or len(store_id) != 32 or \
                int(crc, 16) != zlib.crc32(body.encode("ascii")):
            return None
        return CommitMark(bytes.fromhex(store_id), int(commits))
    except ValueError:
        return None


def read_mark(db: Path) -> CommitMark | None:
    """The commit mark beside the store at `db`; None if there is none or it is unreadable.

    Raises `OSError` if it is a symbolic link or not a regular file.
    """
    fd = _open_regular(mark_path(db))
    if fd is None:
        return None
    try:
        return _parse_mark(system.pread(fd, _MARK_LENGTH + 1, 0))
    finally:
        os.close(fd)


class MarkWriter:
    """Records acknowledged commits in the mark file of one store (see the module docstring)."""

    def __init__(self, db: Path) -> None:
        self.path = mark_path(db)
        self._fd: int | None = None

    def _open(self) -> int:
        if self._fd is not None:
            return self._fd
        with private_umask():
            try:
                fd = system.open_file(self.path, os.O_RDWR | os.O_CREAT | os.O_EXCL,
                                      PRIVATE_FILE_MODE)
                created = True
            except FileExistsError:
                fd = system.open_file(self.path, os.O_RDWR)
                created = False
        try:
            if not stat.S_ISREG(os.fstat(fd).st_mode):
                raise OSError(errno.EINVAL, "not a regular file", str(self.path))
            if created:  # make the new name itself durable
                system.sync_folder(self.path.parent)
        except BaseException:
            os.close(fd)
            raise
        self._fd = fd
        return fd

    def record(self, mark: CommitMark) -> None:
        """Raise the mark to `mark` (never lower it for the same store); synced on return."""
        fd = self._open()
        try:
            system.lock_file(fd, wait=True)
        except OSError as exc:  # a file system without locks: record without the lock
            if exc.errno not in (errno.ENOLCK, errno.EOPNOTSUPP, errno.EINVAL):
                raise
        try:
            current = _parse_mark(system.pread(fd, _MARK_LENGTH + 1, 0))
            if (current is not None and current.store_id == mark.store_id
                    and current.commits >= mark.commits):
                return
            data = _format_mark(mark)
            system.pwrite(fd, data, 0)
            if os.fstat(fd).st_size != len(data):
                os.ftruncate(fd, len(data))
            os.fsync(fd)
        finally:
            with contextlib.suppress(OSError):
                system.unlock_file(fd)

    def close(self) -> None:
        """Close the mark file (it stays on disk)."""
        fd, self._fd = self._fd, None
        if fd is not None:
            with contextlib.suppress(OSError):
                os.close(fd)
