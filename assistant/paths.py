"""Where the app keeps its files, and how it makes them private.

Everything the app writes about a patient lives under one directory that only the user can
enter (0700), in files only the user can read (0600), whatever the user's umask says
(requirement R11). `data_dir()` is the per-user data folder platformdirs gives on every
platform; on Linux that honours `XDG_DATA_HOME`, which is how the tests keep their data in a
temporary folder. The modes are set through `assistant.system`: on Windows, which has no mode
bits, that per-user folder's access list is what keeps the files private (see there).

Symbolic links are not followed: a folder or file the app keeps health data in must be the
real thing where it is expected, not a link to somewhere else (where the app would then
create files, or tighten the permissions of something it does not own). `refuse_symlink`
raises `SymlinkRefused` with a message naming the path and what to do; `make_private_dir`
refuses a link itself; `make_private_file` never changes anything through a link. Only the
last component of a path is checked: a link higher up (say, a home folder on another disk)
is the user's own arrangement.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import threading
from collections.abc import Iterator
from pathlib import Path

import assistant.system as system

APP_NAME = "sdm-assistant"

#: Modes the app gives what it creates: no access at all for group and others.
PRIVATE_DIR_MODE = 0o700
PRIVATE_FILE_MODE = 0o600

# os.umask is process-wide and has no "read without setting" call, so every change goes
# through this lock; otherwise two threads could each restore the other's value.
_UMASK_LOCK = threading.RLock()


@contextlib.contextmanager
def private_umask() -> Iterator[None]:
    """While inside, files and folders are created without group or other permissions.

    SQLite creates its -wal and -shm files itself, with modes derived from the umask and the
    database file, so the umask is tightened around anything that may create them. The
    previous umask is restored on the way out, even on error.
    """
    with _UMASK_LOCK:
        previous = os.umask(0o077)
        try:
            yield
        finally:
            os.umask(previous)


class SymlinkRefused(OSError):
    """A path the app keeps data in is a symbolic link; the message says which, and what to do."""

    def __init__(self, path: Path, what: str, advice: str) -> None:
        super().__init__(f"{what} {path} is a symbolic link, and sdm-assistant does not follow "
                         f"links where it keeps health data; {advice}")
        self.path = path


_DIR_ADVICE = "put the real folder there instead of the link"


def refuse_symlink(path: Path, what: str, advice: str = _DIR_ADVICE) -> None:
    """Raise `SymlinkRefused` if `path` itself is a symbolic link (a missing path is fine)."""
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return
    if stat.S_ISLNK(info.st_mode):
        raise SymlinkRefused(path, what, advice)


def make_private_dir(path: Path, what: str = "the folder", advice: str = _DIR_ADVICE) -> Path:
    """Create `path` (and missing parents) and make `path` itself mode 0700.

    An existing directory we own loses any access for group and others as well: a data
    directory left world-readable by an older version or a careless copy is closed on the
    next start. `path` must not be a symbolic link: that raises `SymlinkRefused` (`what`
    and `advice` word its message), and nothing is created or changed through it. Returns
    `path`.
    """
    refuse_symlink(path, what, advice)
    with private_umask():
        path.mkdir(mode=PRIVATE_DIR_MODE, parents=True, exist_ok=True)
    try:
        system.restrict_folder(path, PRIVATE_DIR_MODE)
    except OSError as exc:
        if exc.errno == errno.ELOOP:  # replaced by a link since it was checked
            raise SymlinkRefused(path, what, advice) from None
        raise
    return path


def make_private_file(path: Path) -> None:
    """Take group and other access away from an existing regular file of ours.

    A no-op if it is gone, not ours, not a regular file, or a symbolic link (never followed:
    the file it points to is left as it is). Never raises: this is tidying up, and the
    reason it could not be done (a read-only disk, say) is reported where it matters.
    """
    with contextlib.suppress(OSError):
        system.restrict_file(path, PRIVATE_FILE_MODE)


def data_dir(*, create: bool = True) -> Path:
    """The user's data directory for sdm-assistant, created 0700 unless `create` is False.

    Linux: `$XDG_DATA_HOME/sdm-assistant` (default `~/.local/share/sdm-assistant`);
    macOS: `~/Library/Application Support/sdm-assistant`; Windows:
    `%LOCALAPPDATA%\\sdm-assistant` (the local, not the roaming, profile: health data stays
    on this PC).
    Raises `SymlinkRefused` if the folder is a symbolic link (when `create` is True).
    """
    from platformdirs import user_data_dir  # when a folder is needed, not at every start

    path = Path(user_data_dir(APP_NAME, appauthor=False))
    if not create:
        return path
    return make_private_dir(path, "the data folder",
                            "put the real folder there instead of the link, or use --store "
                            "with the path of the real store file")
