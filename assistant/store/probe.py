"""Is a store encrypted? Told without opening it, and without importing the crypto library.

`sdm` asks for an encrypted store's passphrase on the terminal before the UI starts; this is
the check that decides, and it runs before the first screen, so it imports only SQLite's
wrapper (`store.db`), not `cryptography` (issue 16).
"""

from __future__ import annotations

import contextlib
import sqlite3
from pathlib import Path

from assistant.paths import data_dir, make_private_file, private_umask
from assistant.store.db import DB_NAME, Database, sidecars
from assistant.store.errors import StoreError


def is_encrypted(path: Path | str | None = None) -> bool:
    """True if the store at `path` (default: in the data directory) exists and is encrypted.

    Reads only: creates no file and changes nothing (a missing or unreadable file is simply
    not encrypted; opening it will say what is wrong).
    """
    db_path = data_dir(create=False) / DB_NAME if path is None else Path(path).expanduser()
    if not db_path.is_file():
        return False
    try:
        with private_umask():  # a read-only open of a WAL store may create its -shm file
            probe = Database(db_path, Database._connect_ro(db_path), damage="probe")
    except StoreError:
        return False
    try:
        with contextlib.suppress(FileNotFoundError):
            for file in sidecars(db_path)[1:]:
                make_private_file(file)
        return bool(probe.read("SELECT count(*) FROM sqlite_master WHERE type = 'table'"
                                " AND name = 'encryption'")[0][0]
                    and probe.read("SELECT count(*) FROM encryption")[0][0])
    except (StoreError, sqlite3.Error):
        return False
    finally:
        probe.close()
