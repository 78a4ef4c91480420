"""Detect a damaged write-ahead log before SQLite quietly drops part of it.

`PRAGMA quick_check` looks at the database as SQLite sees it. SQLite stops reading the WAL at
the first frame whose checksum fails and treats everything after it as never written; the
next checkpoint then makes that loss permanent. So a byte flipped in the middle of the WAL
would lose every answer saved after it without any error. This module reads the WAL itself
(format: https://www.sqlite.org/fileformat2.html#walformat) and reports that case, so the store
can open read-only and leave both files untouched (requirement R2).

A crash while a transaction is being written legitimately leaves a torn tail: only the last
transaction can be affected, and it was never acknowledged (with synchronous=FULL the append
returns only after the fsync). So the WAL counts as damaged only when at least two commit
frames of the current WAL generation follow the first bad frame. A flip inside the very last
transaction cannot be told apart from a torn write and is not reported.
"""

from __future__ import annotations

import struct
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

_MAGIC_LE, _MAGIC_BE = 0x377F0682, 0x377F0683
_WAL_VERSION = 3007000
_HEADER, _FRAME_HEADER = 32, 24


@dataclass(frozen=True)
class WalVerdict:
    """What a scan found: `damaged`, and where (frame numbers count from 1)."""

    damaged: bool
    frames: int = 0
    first_bad: int | None = None
    commits_after_bad: int = 0


def _checksum(data: bytes, s0: int, s1: int, endian: str) -> tuple[int, int]:
    words = struct.unpack(f"{endian}{len(data) // 4}I", data)
    for i in range(0, len(words), 2):
        s0 = (s0 + words[i] + s1) & 0xFFFFFFFF
        s1 = (s1 + words[i + 1] + s0) & 0xFFFFFFFF
    return s0, s1


def _frames(file: Path, frame_size: int) -> Iterator[bytes]:
    with file.open("rb") as f:
        f.seek(_HEADER)
        while len(frame := f.read(frame_size)) == frame_size:
            yield frame


def scan_wal(wal: Path) -> WalVerdict:
    """Scan one WAL file. A missing, empty or header-only WAL is not damaged."""
    try:
        with wal.open("rb") as f:
            header = f.read(_HEADER)
            has_frame = len(f.read(_FRAME_HEADER + 512)) == _FRAME_HEADER + 512
    except FileNotFoundError:
        return WalVerdict(False)
    if len(header) < _HEADER or not has_frame:
        return WalVerdict(False)
    magic, version, page_size, _seq, salt1, salt2, ck1, ck2 = struct.unpack(">8I", header)
    endian = ">" if magic == _MAGIC_BE else "<"
    valid_page = page_size in {512 << i for i in range(8)}  # 512 ... 65536
    if (magic not in (_MAGIC_LE, _MAGIC_BE) or version != _WAL_VERSION or not valid_page
            or _checksum(header[:24], 0, 0, endian) != (ck1, ck2)):
        # SQLite ignores a WAL with a bad header entirely. With synchronous=FULL the header
        # is synced before any frame is written, so frames behind a bad header mean damage.
        return WalVerdict(True, first_bad=0)
    s0, s1 = ck1, ck2
    frames = 0
    first_bad: int | None = None
    commits_after_bad = 0
    for frame in _frames(wal, _FRAME_HEADER + page_size):
        frames += 1
        pgno, commit, f_salt1, f_salt2, f_ck1, f_ck2 = struct.unpack(">6I", frame[:24])
        same_generation = (f_salt1, f_salt2) == (salt1, salt2)
        if first_bad is None:
            if same_generation and pgno:
                s0, s1 = _checksum(frame[:8], s0, s1, endian)
                s0, s1 = _checksum(frame[24:], s0, s1, endian)
                if (s0, s1) == (f_ck1, f_ck2):
                    continue
            first_bad = frames
        # After the first bad frame the checksum chain cannot be followed; count the commit
        # frames that still carry this generation's salts (older generations are leftovers).
        if same_generation and commit:
            commits_after_bad += 1
    damaged = first_bad is not None and commits_after_bad >= 2
    return WalVerdict(damaged, frames, first_bad, commits_after_bad)


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
