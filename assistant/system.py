"""What differs between operating systems, in one place: locks, file modes, core dumps, terminals.

Every call the package makes that exists on POSIX only — file locks (`fcntl`), the core-dump
limit (`resource`) and Linux's `prctl`, terminal modes (`termios`), mode bits, `O_NOFOLLOW`,
`O_DIRECTORY`, `O_NONBLOCK`, files named relative to a folder (`dir_fd`), `pread`/`pwrite`, user
ids — goes through this module, and no other module names `fcntl`, `termios`, `resource` or
`prctl`, `O_NOFOLLOW` or `O_DIRECTORY`, or passes `dir_fd` (tests/test_platform_imports.py
checks that, and that every
module imports with `sys.platform` set to "win32" and those modules missing). The POSIX
modules are imported inside the functions that use them, never at module level.

**POSIX (Linux, macOS)** is the path CI tests (on Linux); each function says what it does there.

**Windows** (clinicians' PCs) has a real path where one is needed, and a documented no-op
where Windows has nothing to do:

* *Locks*: `msvcrt.locking` (standard library) on one byte far past the data, so what the
  holder writes at the start of the file stays readable to the process that is refused. The
  lock belongs to the open file and is released when it is unlocked, closed or the process
  ends, as a POSIX `flock` is. A file that is open cannot be removed on Windows, so a lock
  file is closed before it is removed (`discard_lock_file`).
* *Folders*: Windows has no `dir_fd` and cannot open a folder as a file, so `open_folder`
  gives a `Folder` that works with plain paths inside it: a new file is created with
  `O_EXCL`, put in place with `os.replace` (replacing) or `os.rename` (which refuses a name
  that exists there), and the folder is not `fsync`ed (NTFS journals its metadata).
* *Privacy of files*: Windows has no mode bits and no `O_NOFOLLOW`. What keeps the data
  private there is where it lives: the per-user local application data folder
  (`%LOCALAPPDATA%\\sdm-assistant`, from platformdirs), whose access control list gives
  access to the user, SYSTEM and administrators only; new files inherit it. Setting modes is
  a no-op; files are opened without newline translation and not inherited by child processes.
* *Core dumps*: no `RLIMIT_CORE`; crash dumps are written only where Windows Error
  Reporting's `LocalDumps` is configured, which is the machine's policy (`assistant.hardening`).
* *Terminal*: no termios (Textual's Windows driver gives the console back itself), and no
  SIGHUP.
"""

from __future__ import annotations

import abc
import contextlib
import errno
import os
import signal
import stat
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

# Flags added to every open of a file the app keeps data in: never through a symbolic link
# (POSIX: the open fails with ELOOP), not inherited by child processes, never blocking on a
# FIFO put in a file's place, and no newline translation (Windows). A flag the platform does
# not have is 0.
_SAFE_OPEN_FLAGS: int = (getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
                         | getattr(os, "O_NOINHERIT", 0) | getattr(os, "O_NONBLOCK", 0)
                         | getattr(os, "O_BINARY", 0))

# Flags of a new file `Folder.create` makes: exclusive (never an existing name, nor a symbolic
# link's target: POSIX `O_EXCL` fails on any link), not inherited, binary on Windows.
_NEW_FILE_FLAGS: int = (os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
                        | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_NOINHERIT", 0)
                        | getattr(os, "O_BINARY", 0))

# POSIX: a folder opened to name files relative to it (`dir_fd`).
_FOLDER_FLAGS: int = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | getattr(os, "O_CLOEXEC", 0)

# Flags of `open_for_reading`: like `_SAFE_OPEN_FLAGS` but following a symbolic link, and never
# making a terminal the controlling one (POSIX `O_NOCTTY`).
_READ_FLAGS: int = (os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
                    | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_NOINHERIT", 0)
                    | getattr(os, "O_BINARY", 0))

#: `link` errors that mean "this file system has no hard links", not "the name is taken".
_NO_HARD_LINKS = frozenset({errno.EPERM, errno.EOPNOTSUPP, errno.ENOTSUP, errno.EMLINK,
                            errno.EXDEV, errno.ENOSYS})

# Windows locks byte ranges, and a locked range cannot be read through another handle: the
# lock is taken on one byte far past anything written (lock files and the commit mark are a
# few hundred bytes), which Windows allows beyond the end of a file. Below 2 GiB, as the C
# runtime's `_locking` works with 32-bit positions.
_WINDOWS_LOCK_OFFSET = 0x7FFF_FFF0

# From <linux/prctl.h>.
_PR_GET_DUMPABLE = 3
_PR_SET_DUMPABLE = 4

#: What `terminal_modes` returns: the terminal's modes, as termios gives them.
TerminalModes = list[Any]


# --- files ----------------------------------------------------------------------------------


def open_file(path: Path | str, flags: int, mode: int = 0o777) -> int:
    """`os.open(path, flags, mode)` made safe for data files; returns the descriptor.

    Adds: never through a symbolic link (POSIX: `O_NOFOLLOW`, a link raises `OSError` with
    ELOOP), not inherited by child processes, never blocking on a FIFO, binary on Windows.
    `mode` only counts on POSIX (less the umask); Windows uses the folder's access list.
    """
    return os.open(path, flags | _SAFE_OPEN_FLAGS, mode)


def open_for_reading(path: str | os.PathLike[str]) -> int:
    """`os.open(path, O_RDONLY)` for reading a file the user named; returns the descriptor.

    Unlike `open_file`, a symbolic link is followed (the user may name a link to their
    file). Never blocks on a FIFO (POSIX `O_NONBLOCK`: check with `fstat` that what was
    opened is a regular file), never makes a terminal the controlling one (`O_NOCTTY`), not
    inherited by child processes, binary on Windows.
    """
    return os.open(path, _READ_FLAGS)


def pread(fd: int, size: int, offset: int) -> bytes:
    """Up to `size` bytes of `fd` from `offset` (POSIX `pread`; Windows: seek, then read)."""
    if sys.platform == "win32":
        os.lseek(fd, offset, os.SEEK_SET)
        return os.read(fd, size)
    else:
        return os.pread(fd, size, offset)


def pwrite(fd: int, data: bytes, offset: int) -> int:
    """Write `data` to `fd` at `offset`; returns the count written (POSIX `pwrite`; Windows:
    seek, then write)."""
    if sys.platform == "win32":
        os.lseek(fd, offset, os.SEEK_SET)
        return os.write(fd, data)
    else:
        return os.pwrite(fd, data, offset)


def sync_folder(path: Path) -> None:
    """Make the names in the folder `path` durable (fsync of the folder, after creating a
    file in it). Windows: a no-op; a folder cannot be opened as a file there, and NTFS
    journals its metadata itself."""
    if sys.platform == "win32":
        return
    fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class Folder(abc.ABC):
    """An open folder in which files are created, renamed and removed by their names in it
    (`open_folder`); close it, or use it in a `with` block.

    POSIX: the folder is opened once, and every call names files relative to that
    descriptor (`dir_fd`), so all of them happen in the same folder even if its path is
    renamed or replaced meanwhile. Windows: plain paths inside the folder (Windows has no
    `dir_fd`); each method says what differs.
    """

    def __init__(self, path: Path) -> None:
        self.path = path

    @abc.abstractmethod
    def create(self, name: str, mode: int) -> int:
        """Create the new file `name` for writing, permission bits `mode` (less the umask)
        from the start; returns its descriptor.

        Raises `FileExistsError` if the name exists in any form (a symbolic link included:
        nothing is created through one). Windows: `mode` does not count (the folder's access
        list does).
        """

    @abc.abstractmethod
    def replace(self, src: str, dst: str) -> None:
        """Rename `src` to `dst`, atomically replacing a file named `dst`."""

    @abc.abstractmethod
    def rename_new(self, src: str, dst: str) -> bool:
        """Rename `src` to `dst` only if `dst` does not exist, atomically: `FileExistsError`
        (and `src` left as it is) if it does. Returns False, having done nothing, if this
        file system cannot refuse atomically (then check, and `rename`).

        POSIX: a hard link `dst`, then `src` is removed; False where the file system has no
        hard links (FAT, some network shares). Windows: `os.rename`, which never replaces.
        """

    @abc.abstractmethod
    def rename(self, src: str, dst: str) -> None:
        """Rename `src` to `dst`. POSIX: a file named `dst` is replaced; Windows: it is not
        (`FileExistsError`). Check before, or use `replace` or `rename_new`."""

    @abc.abstractmethod
    def remove(self, name: str) -> None:
        """Remove the file `name` (`FileNotFoundError` if there is none)."""

    @abc.abstractmethod
    def sync(self) -> None:
        """Make the names in the folder durable (`fsync` of the folder; may raise `OSError`).
        Windows: a no-op, as in `sync_folder`."""

    @abc.abstractmethod
    def close(self) -> None:
        """Let go of the folder."""

    def __enter__(self) -> Folder:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def open_folder(path: Path) -> Folder:
    """The folder `path` opened as a `Folder` (POSIX: a descriptor of it, following a
    symbolic link to it; Windows: its path). Raises `OSError` if it is no folder, or cannot
    be opened."""
    if sys.platform == "win32":
        return _WindowsFolder(path)
    else:
        return _PosixFolder(path)


class _PosixFolder(Folder):
    """`Folder` on POSIX: names relative to a descriptor of the folder (`dir_fd`)."""

    def __init__(self, path: Path) -> None:
        super().__init__(path)
        self._fd = os.open(path, _FOLDER_FLAGS)

    def create(self, name: str, mode: int) -> int:
        return os.open(name, _NEW_FILE_FLAGS, mode, dir_fd=self._fd)

    def replace(self, src: str, dst: str) -> None:
        os.replace(src, dst, src_dir_fd=self._fd, dst_dir_fd=self._fd)

    def rename_new(self, src: str, dst: str) -> bool:
        try:
            os.link(src, dst, src_dir_fd=self._fd, dst_dir_fd=self._fd)
        except FileExistsError:
            raise
        except OSError as exc:
            if exc.errno in _NO_HARD_LINKS:
                return False
            raise
        os.unlink(src, dir_fd=self._fd)
        return True

    def rename(self, src: str, dst: str) -> None:
        os.rename(src, dst, src_dir_fd=self._fd, dst_dir_fd=self._fd)

    def remove(self, name: str) -> None:
        os.unlink(name, dir_fd=self._fd)

    def sync(self) -> None:
        os.fsync(self._fd)

    def close(self) -> None:
        if self._fd != -1:
            fd, self._fd = self._fd, -1
            os.close(fd)


class _WindowsFolder(Folder):
    """`Folder` on Windows: plain paths inside the folder. Written with calls that exist
    everywhere, so its logic is tested on Linux too (where `os.rename` does replace)."""

    def __init__(self, path: Path) -> None:
        super().__init__(path)
        if not stat.S_ISDIR(os.stat(path).st_mode):
            raise NotADirectoryError(errno.ENOTDIR, "not a folder", str(path))

    def create(self, name: str, mode: int) -> int:
        return os.open(self.path / name, _NEW_FILE_FLAGS, mode)

    def replace(self, src: str, dst: str) -> None:
        os.replace(self.path / src, self.path / dst)

    def rename_new(self, src: str, dst: str) -> bool:
        os.rename(self.path / src, self.path / dst)  # Windows: FileExistsError if dst exists
        return True

    def rename(self, src: str, dst: str) -> None:
        os.rename(self.path / src, self.path / dst)

    def remove(self, name: str) -> None:
        os.unlink(self.path / name)

    def sync(self) -> None:
        return

    def close(self) -> None:
        return


def owned_by_user(info: os.stat_result) -> bool:
    """True if the file `info` describes belongs to the user running this process.

    POSIX: its owner is our real user id. Windows: always True (ownership is in the access
    list, which `st_uid` does not show; there is nothing this module would change anyway).
    """
    if sys.platform == "win32":
        return True
    else:
        return info.st_uid == os.getuid()


def set_mode(fd: int, mode: int) -> None:
    """Give the open file `fd` the permission bits `mode` (POSIX `fchmod`). Windows: a no-op
    (the per-user folder's access list protects the file, see the module docstring)."""
    if sys.platform == "win32":
        return
    os.fchmod(fd, mode)


def restrict_folder(path: Path, mode: int) -> None:
    """Take every permission outside `mode` away from the folder `path`, if the user owns it.

    Never through a symbolic link: one raises `OSError` with ELOOP. A mode that cannot be
    changed (a read-only disk) is left as it is. Windows: a no-op (see the module docstring).
    """
    if sys.platform == "win32":
        return
    fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC)
    try:
        info = os.fstat(fd)
        current = stat.S_IMODE(info.st_mode)
        if current & ~mode and info.st_uid == os.getuid():
            with contextlib.suppress(OSError):
                os.fchmod(fd, current & mode)
    finally:
        os.close(fd)


def restrict_file(path: Path, mode: int) -> None:
    """Take every permission outside `mode` away from the regular file `path`, if the user
    owns it; nothing happens to anything else (a symbolic link is never followed).

    Raises `OSError` if it cannot be done (a missing file, a read-only disk). Windows: a no-op
    (see the module docstring).
    """
    if sys.platform == "win32":
        return
    info = os.lstat(path)
    if (not stat.S_ISREG(info.st_mode) or info.st_uid != os.getuid()
            or not stat.S_IMODE(info.st_mode) & ~mode & 0o777):
        return
    fd = open_file(path, os.O_RDONLY)
    try:
        now = os.fstat(fd)
        if (now.st_dev, now.st_ino) == (info.st_dev, info.st_ino):  # not replaced meanwhile
            os.fchmod(fd, stat.S_IMODE(now.st_mode) & mode)
    finally:
        os.close(fd)


# --- locks ----------------------------------------------------------------------------------


def lock_file(fd: int, *, wait: bool) -> None:
    """Take an exclusive lock on the open file `fd`.

    The lock belongs to this open file: another `open` of the same file, in this process or
    another, cannot take it too. It is released by `unlock_file`, by closing `fd`, or when
    the process ends in any way (kill -9 included), so a crashed holder never leaves a
    stale lock. With `wait` False, raises `BlockingIOError` at once if someone else holds
    it; with `wait` True, waits for it (Windows: up to about 10 seconds, then `OSError`).
    Other `OSError`s: the file system has no locks (ENOLCK, EOPNOTSUPP, EINVAL on POSIX).

    POSIX: `flock` (per host: on a network file system it may not exclude other machines).
    Windows: `msvcrt.locking` on one byte far past the data (see the module docstring).
    """
    if sys.platform == "win32":
        import msvcrt

        os.lseek(fd, _WINDOWS_LOCK_OFFSET, os.SEEK_SET)
        try:
            msvcrt.locking(fd, msvcrt.LK_LOCK if wait else msvcrt.LK_NBLCK, 1)
        except OSError as exc:
            if not wait and exc.errno in (errno.EACCES, errno.EDEADLOCK):
                raise BlockingIOError(errno.EAGAIN, "the file is locked by another holder",
                                      exc.filename) from None
            raise
    else:
        import fcntl

        fcntl.flock(fd, fcntl.LOCK_EX if wait else fcntl.LOCK_EX | fcntl.LOCK_NB)


def unlock_file(fd: int) -> None:
    """Release the lock `lock_file` took on `fd` (closing `fd` does as well)."""
    if sys.platform == "win32":
        import msvcrt

        os.lseek(fd, _WINDOWS_LOCK_OFFSET, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
    else:
        import fcntl

        fcntl.flock(fd, fcntl.LOCK_UN)


def discard_lock_file(fd: int, path: Path, still_ours: Callable[[], bool]) -> None:
    """Remove the lock file `path` its holder has open and locked as `fd`, and close `fd`
    (which releases the lock). Only the holder calls this. Never raises for a file that is
    already gone.

    POSIX: the file is removed while it is still locked (if `still_ours()`: it is the file
    at `path`), so an opener that locked the old file sees it is no longer at `path` and
    tries the new one. Windows: an open file cannot be removed, so the lock is released and
    `fd` closed first; the removal then fails, harmlessly, if another program opened the file
    meanwhile (it will lock this same file, which is still at `path`).
    """
    if sys.platform == "win32":
        try:
            with contextlib.suppress(OSError):
                unlock_file(fd)
        finally:
            os.close(fd)
        with contextlib.suppress(OSError):
            os.unlink(path)
    else:
        try:
            if still_ours():
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(path)
        finally:
            os.close(fd)  # closing drops the flock


# --- core dumps -----------------------------------------------------------------------------


def forbid_core_files() -> bool:
    """Set `RLIMIT_CORE` to 0, soft and hard (so nothing in the process can raise it again
    without privileges); True if the limit now reads (0, 0).

    POSIX only: raises `ImportError` where there is no `resource` module (Windows), and
    `OSError` or `ValueError` if the limit cannot be set.
    """
    if sys.platform == "win32":
        raise ImportError("Windows has no resource module (and no RLIMIT_CORE)")
    else:
        import resource

        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
        return resource.getrlimit(resource.RLIMIT_CORE) == (0, 0)


def make_undumpable() -> bool:
    """Linux: `prctl(PR_SET_DUMPABLE, 0)`; True if the call succeeded (it returned 0).

    Raises `OSError` or `AttributeError` where the C library has no such call (not Linux).
    """
    return _prctl(_PR_SET_DUMPABLE, 0) == 0


def dumpable_flag() -> int:
    """Linux: `prctl(PR_GET_DUMPABLE)` (0: not dumpable, 1: dumpable; -1: the call failed).

    Raises `OSError` or `AttributeError` where the C library has no such call (not Linux).
    """
    return _prctl(_PR_GET_DUMPABLE, 0)


def _prctl(option: int, arg: int) -> int:
    """Call libc's prctl(option, arg, 0, 0, 0); returns its result (-1 on failure)."""
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)  # the C library the interpreter runs on
    prctl = libc.prctl
    prctl.restype = ctypes.c_int
    prctl.argtypes = [ctypes.c_int, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong,
                      ctypes.c_ulong]
    return int(prctl(option, arg, 0, 0, 0))


# --- terminal -------------------------------------------------------------------------------


def exit_signals() -> tuple[signal.Signals, ...]:
    """The signals that ask a terminal program to end: SIGTERM (`kill`), SIGHUP (its terminal
    window or SSH connection closed; POSIX only, Windows has none) and SIGINT."""
    hangup = getattr(signal, "SIGHUP", None)
    return (signal.SIGTERM, *([hangup] if hangup is not None else []), signal.SIGINT)


def terminal_modes(fd: int) -> TerminalModes | None:
    """The modes of the terminal `fd` (termios `tcgetattr`), for `restore_terminal_modes`;
    None if `fd` is no terminal, or on Windows (Textual's Windows driver restores the
    console itself). Never raises."""
    if sys.platform == "win32":
        return None
    try:
        import termios

        return termios.tcgetattr(fd)
    except Exception:  # OSError, ValueError, termios.error (which is no OSError)
        return None


def restore_terminal_modes(fd: int, modes: TerminalModes) -> None:
    """Give the terminal `fd` the `modes` `terminal_modes` read, at once (termios
    `tcsetattr`, TCSANOW). Never raises; a no-op on Windows."""
    if sys.platform == "win32":
        return
    try:
        import termios

        termios.tcsetattr(fd, termios.TCSANOW, modes)
    except Exception:  # OSError, termios.error (no OSError), modes that are no modes
        return
