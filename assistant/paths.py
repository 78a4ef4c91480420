"""Where the app keeps its files, and how it makes them private.

Everything the app writes about a patient lives under one directory that only the user can
enter (0700), in files only the user can read (0600), whatever the user's umask says
(requirement R11). `data_dir()` follows the platform's conventions via platformdirs; on Linux
that honours `XDG_DATA_HOME`, which is how the tests keep their data in a temporary folder.
"""

from __future__ import annotations

import contextlib
import os
import stat
import threading
from collections.abc import Iterator
from pathlib import Path

from platformdirs import user_data_dir

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


def make_private_dir(path: Path) -> Path:
    """Create `path` (and missing parents) and make `path` itself mode 0700.

    An existing directory we own is tightened to 0700 as well: a data directory left
    world-readable by an older version or a careless copy is closed on the next start.
    Returns `path`.
    """
    with private_umask():
        path.mkdir(mode=PRIVATE_DIR_MODE, parents=True, exist_ok=True)
    info = path.stat()
    if stat.S_IMODE(info.st_mode) != PRIVATE_DIR_MODE and info.st_uid == os.getuid():
        path.chmod(PRIVATE_DIR_MODE)
    return path


def make_private_file(path: Path) -> None:
    """Make an existing file mode 0600 (no-op if it is gone or not ours)."""
    with contextlib.suppress(FileNotFoundError, PermissionError):
        info = path.stat()
        if stat.S_IMODE(info.st_mode) != PRIVATE_FILE_MODE and info.st_uid == os.getuid():
            path.chmod(PRIVATE_FILE_MODE)


def data_dir(*, create: bool = True) -> Path:
    """The user's data directory for sdm-assistant, created 0700 unless `create` is False.

    Linux: `$XDG_DATA_HOME/sdm-assistant` (default `~/.local/share/sdm-assistant`);
    macOS and Windows: the platform's per-user application data folder.
    """
    path = Path(user_data_dir(APP_NAME, appauthor=False))
    return make_private_dir(path) if create else path
