"""The SQLite connection under the store: opening, health check, migrations, transactions.

Durability (R1): WAL journal, `synchronous=FULL`, and every write in its own
`BEGIN IMMEDIATE ... COMMIT` that has finished (fsync included) before the write call returns.
`BEGIN IMMEDIATE` takes the write lock up front, so a transaction never starts as a reader and
then fails to upgrade ("database is locked" with no retry); `busy_timeout` makes the other
writer wait its turn instead of failing (R3).

Integrity (R2): before anything may write, the file is opened read-only and checked with
`PRAGMA quick_check`, and its WAL is scanned (see `walcheck`). A store that fails is kept open
read-only (`mode=ro`, `query_only`) and is never written, checkpointed or migrated, so the
files stay byte-for-byte as they were.

Privacy (R11, R12): the directory is 0700 and the database, -wal and -shm files 0600 whatever
the umask; `secure_delete` zeroes deleted content; temporary tables live in memory so no
temp file holds patient data.

Only two methods run SQL: `_read` (queries) and `_Tx.execute` (inside `_write`). A test
checks that no other code in the package calls `execute`.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import os
import sqlite3
import threading
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from types import TracebackType
from typing import Self

from assistant.paths import data_dir, make_private_dir, make_private_file, private_umask
from assistant.store.errors import (
    StoreBusy,
    StoreDamaged,
    StoreReadOnly,
    StoreUnavailable,
    StoreWriteError,
)
from assistant.store.schema import MIGRATIONS, SCHEMA_VERSION
from assistant.store.walcheck import wal_damaged

log = logging.getLogger("assistant.store")

#: File name of the store in the data directory.
DB_NAME = "sessions.sqlite3"
#: Milliseconds a writer waits for another writer before giving up.
BUSY_TIMEOUT_MS = 5000

Clock = Callable[[], dt.datetime]

_READ_PREFIXES = ("SELECT", "WITH", "PRAGMA")
_BUSY_ERRORS = {"SQLITE_BUSY", "SQLITE_LOCKED"}
_NO_ACCESS_ERRORS = {"SQLITE_CANTOPEN", "SQLITE_PERM", "SQLITE_AUTH"}


def utc_now() -> dt.datetime:
    """The current time, timezone-aware, in UTC (the store's default clock)."""
    return dt.datetime.now(dt.UTC)


def sidecars(path: Path) -> tuple[Path, Path, Path]:
    """The database file and the -wal and -shm files SQLite keeps beside it."""
    return path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")


def _damaged_message(path: Path, what: str) -> str:
    return (f"The session store {path} is damaged ({what}). It has been opened read-only: "
            "nothing in it will be changed, and what can be read is shown. Keep a copy of the "
            "file and the files next to it that end in -wal and -shm, and ask for help "
            "before deleting anything.")


def _read_only_message(path: Path, why: str) -> str:
    return (f"The session store {path} cannot be written ({why}). It has been opened "
            "read-only: sessions can be read, but nothing new can be saved.")


def _uri(path: Path, **params: str) -> str:
    query = "&".join(f"{k}={v}" for k, v in params.items())
    return f"{path.absolute().as_uri()}?{query}"


def _error_name(exc: sqlite3.Error) -> str:
    return str(getattr(exc, "sqlite_errorname", "") or type(exc).__name__)


class _Tx:
    """The open write transaction: the only way the store changes the database."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn

    def execute(self, sql: str, params: Sequence[object] = ()) -> sqlite3.Cursor:
        """Run one statement inside the transaction."""
        assert self._conn.in_transaction, "write outside BEGIN IMMEDIATE"
        return self._conn.execute(sql, params)


class Database:
    """An open store file. Use `Store.open` (which adds the session methods) rather than this.

    One instance may be shared between threads: every call is serialised by a lock. Separate
    instances (threads, processes) may write to the same file at the same time.
    """

    def __init__(
        self, path: Path, conn: sqlite3.Connection, *, damage: str | None = None,
        clock: Clock = utc_now,
    ) -> None:
        self.path = path
        self._conn = conn
        self._lock = threading.RLock()
        self._clock = clock
        self._permissions_checked = False
        #: Why the store is read-only, in words for the user; None when it is healthy.
        self.damage = damage

    # --- opening ---------------------------------------------------------------------------

    @classmethod
    def open(cls, path: Path | str | None = None, *, clock: Clock = utc_now) -> Self:
        """Open (creating if needed) the store at `path`, default `data_dir()/sessions.sqlite3`.

        Never modifies a damaged file: if the health check fails, the store is returned
        open read-only with `damage` set to a message for the user, and every write raises
        `StoreReadOnly`. Raises `StoreBusy` if another program holds the file locked for
        longer than the busy timeout, and `StoreUnavailable` if the path cannot be opened or
        created at all (a folder, no permission).
        """
        if path is None:
            db_path = data_dir() / DB_NAME
        else:
            db_path = Path(path).expanduser()
            if not db_path.parent.exists():
                make_private_dir(db_path.parent)
        if db_path.is_dir():
            raise StoreUnavailable(f"{db_path} is a folder, not a session store")
        cls._create_private(db_path)
        for file in sidecars(db_path):
            make_private_file(file)
        damage = cls._health(db_path)
        if damage is None:
            try:
                conn = cls._connect_rw(db_path)
            except sqlite3.DatabaseError as exc:
                if _error_name(exc) in _BUSY_ERRORS:
                    raise StoreBusy(f"the session store {db_path} is locked by another "
                                    "program") from None
                damage = _read_only_message(db_path, _error_name(exc))
            else:
                store = cls(db_path, conn, clock=clock)
                try:
                    newer = store._migrate()
                except BaseException:
                    store.close()
                    raise
                if newer is None:
                    store._fix_permissions()
                    return store
                store.close()
                damage = newer
        log.warning("session store opened read-only: %s", damage)
        return cls(db_path, cls._connect_ro(db_path), damage=damage, clock=clock)

    @staticmethod
    def _create_private(path: Path) -> None:
        """Create an empty database file 0600, so SQLite's -wal and -shm inherit 0600 too."""
        try:
            with private_umask():
                os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
        except FileExistsError:
            pass
        except OSError as exc:
            raise StoreUnavailable(f"the session store {path} cannot be created: "
                                   f"{exc.strerror or type(exc).__name__}") from None

    @staticmethod
    def _health(path: Path) -> str | None:
        """None if the file is fit to write to, else why not (a message for the user)."""
        try:
            conn = sqlite3.connect(_uri(path, mode="ro"), uri=True, isolation_level=None)
            try:
                conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
                result = [row[0] for row in conn.execute("PRAGMA quick_check").fetchall()]
            finally:
                conn.close()
        except sqlite3.Error as exc:
            name = _error_name(exc)
            if name in _BUSY_ERRORS:
                raise StoreBusy(f"the session store {path} is locked by another "
                                "program") from None
            if name in _NO_ACCESS_ERRORS:
                raise StoreUnavailable(f"the session store {path} cannot be opened "
                                       f"({name})") from None
            return _damaged_message(path, f"it is not a readable database: {name}")
        if result != ["ok"]:
            # quick_check names pages and tables, never row contents, so logging it is safe.
            log.warning("quick_check failed for %s: %s", path, "; ".join(result[:5]))
            return _damaged_message(path, "the integrity check failed")
        if wal_damaged(sidecars(path)[1]):
            return _damaged_message(path, "its write-ahead log is damaged, so recent "
                                          "answers may be missing from what is shown")
        return None

    @staticmethod
    def _connect_rw(path: Path) -> sqlite3.Connection:
        # isolation_level=None: the sqlite3 module must not open transactions on its own;
        # we issue BEGIN IMMEDIATE ourselves.
        with private_umask():
            conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
            try:
                conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
                mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
                if str(mode).lower() != "wal":
                    raise sqlite3.OperationalError(f"journal_mode is {mode}, not wal")
                conn.execute("PRAGMA synchronous = FULL")
                conn.execute("PRAGMA secure_delete = ON")
                conn.execute("PRAGMA foreign_keys = ON")
                conn.execute("PRAGMA temp_store = MEMORY")
                conn.execute("PRAGMA trusted_schema = OFF")
            except BaseException:
                conn.close()
                raise
        return conn

    @staticmethod
    def _connect_ro(path: Path) -> sqlite3.Connection:
        try:
            conn = sqlite3.connect(_uri(path, mode="ro"), uri=True, isolation_level=None,
                                   check_same_thread=False)
        except sqlite3.Error as exc:
            raise StoreUnavailable(f"the session store {path} cannot be opened "
                                   f"({_error_name(exc)})") from None
        with contextlib.suppress(sqlite3.DatabaseError):  # a file that is no database at all
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            conn.execute("PRAGMA query_only = ON")
            conn.execute("PRAGMA temp_store = MEMORY")
            conn.execute("PRAGMA trusted_schema = OFF")
        return conn

    def _migrate(self) -> str | None:
        """Run pending migrations; a message if the store is from a newer version, else None."""
        version = int(self._read("PRAGMA user_version")[0][0])
        if version == SCHEMA_VERSION:
            return None
        with self._write() as tx:
            # Read again under the write lock: another process may have migrated meanwhile.
            version = int(tx.execute("PRAGMA user_version").fetchone()[0])
            if version > SCHEMA_VERSION:
                return (f"The session store {self.path} was written by a newer version of "
                        f"sdm-assistant (schema {version}, this version knows "
                        f"{SCHEMA_VERSION}). It has been opened read-only.")
            for number, migration in enumerate(MIGRATIONS[version:], start=version + 1):
                migration(tx)
                tx.execute(f"PRAGMA user_version = {number}")
                log.info("session store migrated to schema %d", number)
        return None

    def _fix_permissions(self) -> None:
        """Make the database and its -wal and -shm files 0600 (once all of them exist)."""
        for file in sidecars(self.path):
            make_private_file(file)
        self._permissions_checked = all(file.exists() for file in sidecars(self.path))

    # --- life cycle ------------------------------------------------------------------------

    @property
    def read_only(self) -> bool:
        """True when the store is damaged or newer than this version: reads only."""
        return self.damage is not None

    def close(self) -> None:
        """Close the connection (the last one to close folds the WAL into the file)."""
        with self._lock:
            self._conn.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def now(self) -> dt.datetime:
        """The store's clock (UTC, timezone-aware); tests replace it."""
        return self._clock()

    @property
    def lock_dir(self) -> Path:
        """The folder of this store's per-session lock files."""
        return self.path.with_name(self.path.name + ".locks")

    # --- the two doors to SQL --------------------------------------------------------------

    def _read(self, sql: str, params: Sequence[object] = ()) -> list[sqlite3.Row]:
        """Run one query and return all rows (one statement, so one consistent snapshot)."""
        assert sql.lstrip().upper().startswith(_READ_PREFIXES), "writes go through _write"
        with self._lock:
            try:
                cursor = self._conn.execute(sql, params)
                cursor.row_factory = sqlite3.Row
                return cursor.fetchall()
            except sqlite3.DatabaseError as exc:
                if _error_name(exc) in _BUSY_ERRORS:
                    raise StoreBusy("the session store is locked by another program") from None
                raise StoreDamaged(self.damage or _damaged_message(
                    self.path, f"a read failed: {_error_name(exc)}")) from None

    @contextlib.contextmanager
    def _write(self) -> Iterator[_Tx]:
        """One write transaction: BEGIN IMMEDIATE, the caller's statements, COMMIT.

        When the `with` block ends without error the data is committed and synced to disk.
        On any error everything is rolled back; SQLite errors become `StoreWriteError`
        (whose message names the SQLite error, never the data), and the store stays usable.
        """
        if self.read_only:
            raise StoreReadOnly(self.damage or "the session store is open read-only")
        with self._lock:
            umask = private_umask() if not self._permissions_checked else contextlib.nullcontext()
            with umask:
                try:
                    self._conn.execute("BEGIN IMMEDIATE")
                    yield _Tx(self._conn)
                    self._conn.execute("COMMIT")
                except BaseException as exc:
                    if self._conn.in_transaction:
                        with contextlib.suppress(sqlite3.Error):
                            self._conn.execute("ROLLBACK")
                    if isinstance(exc, sqlite3.Error):
                        raise self._write_error(exc) from None
                    raise
            if not self._permissions_checked:
                # The -wal and -shm files exist now; make sure they are private.
                self._fix_permissions()

    def _write_error(self, exc: sqlite3.Error) -> StoreWriteError | StoreBusy:
        name = _error_name(exc)
        if name in _BUSY_ERRORS:
            return StoreBusy("the session store stayed locked by another program for "
                             f"{BUSY_TIMEOUT_MS // 1000} seconds; nothing was saved")
        # Extended names such as SQLITE_IOERR_FSYNC share the reason of their base code.
        base = "_".join(name.split("_")[:2])
        reason = {
            "SQLITE_FULL": "the disk is full",
            "SQLITE_IOERR": "the disk reported an error",
            "SQLITE_READONLY": "the file cannot be written",
            "SQLITE_CORRUPT": "the file is damaged",
            "SQLITE_CONSTRAINT": "the data did not fit the store's rules",
        }.get(base, "the database refused it")
        log.error("session store write failed: %s (%s)", reason, name)
        return StoreWriteError(f"could not save: {reason} ({name}); nothing of this change "
                               "was saved, and what was saved before is intact",
                               sqlite_error=name)

    def checkpoint(self) -> bool:
        """Copy the WAL into the database and truncate it to zero bytes.

        Returns True when that completed; False if another connection's reader kept part of
        the WAL in use (after waiting up to the busy timeout). Needed after deletions so the
        deleted bytes leave the -wal file too. This is the third place that runs SQL: a
        checkpoint cannot run inside a transaction.
        """
        if self.read_only:
            return False
        with self._lock:
            try:
                busy, _log_frames, _done = self._conn.execute(
                    "PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
            except sqlite3.Error as exc:
                log.warning("WAL checkpoint failed: %s", _error_name(exc))
                return False
        return int(busy) == 0
