"""The SQLite connection under the store: opening, health check, migrations, transactions.

Durability (R1): WAL journal, `synchronous=FULL`, and every write in its own
`BEGIN IMMEDIATE ... COMMIT` that has finished (fsync included) before the write call returns.
`BEGIN IMMEDIATE` takes the write lock up front, so a transaction never starts as a reader and
then fails to upgrade ("database is locked" with no retry); `busy_timeout` makes the other
writer wait its turn instead of failing (R3). Every commit also counts itself in
`store_commits` and, once committed, in the commit mark beside the store (see `walcheck`),
so a WAL that is later cut short or deleted is noticed.

Integrity (R2): before anything may write, the store is checked on a copy in memory
(`walcheck.read_snapshot`: the database and WAL read with plain reads, never opened by
SQLite): `PRAGMA integrity_check`, every row of the store's tables readable (text that is
UTF-8, event payloads that are JSON), a WAL without damage, and no acknowledged commit
missing. A store that fails is *truly* read-only: its reads are served from that copy, so
not one byte of the database, -wal or -shm file changes (no lock, no -shm index, no
checkpoint), and every write raises `StoreReadOnly`. The same holds for a healthy store that
cannot be written (its folder or file is read-only): that is said as such, not as damage.

Paths (no symbolic links): the data folder, the store file, its -wal, -shm and commit mark
and the lock folder must not be symbolic links; a link is refused with a message naming it.
Files are opened with `O_NOFOLLOW` (`system.open_file`) and never chmodded through a link, and
only a store that passed the check (a file that is this program's) is tightened to 0600.

Privacy (R11, R12): the directory is 0700 and the database, -wal and -shm files 0600 whatever
the umask; `secure_delete` zeroes deleted content; temporary tables live in memory so no
temp file holds patient data.

Only two methods run SQL: `read` (queries) and `Transaction.execute` (inside `write`). A test
checks that no other code in the package calls `execute`.

`Database` is the connection and its health (read-only, damage); the `Store` holds one and
builds its parts on it (keys, sessions, revisions, retention; see store.py).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import logging
import os
import sqlite3
import threading
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from types import TracebackType
from typing import Self

import assistant.system as system
from assistant.paths import (
    PRIVATE_FILE_MODE,
    SymlinkRefused,
    data_dir,
    make_private_dir,
    make_private_file,
    private_umask,
    refuse_symlink,
)
from assistant.store.contract import ReadOnlyReason as ReadOnlyReason
from assistant.store.errors import (
    StoreBusy,
    StoreDamaged,
    StoreReadOnly,
    StoreUnavailable,
    StoreWriteError,
)
from assistant.store.migrations import SCHEMA_VERSION, steps_for
from assistant.store.schema import COMMITS_TABLE, STEPS
from assistant.store.walcheck import (
    CommitMark,
    MarkWriter,
    Snapshot,
    SnapshotTooLarge,
    SnapshotUnstable,
    mark_path,
    read_mark,
    read_snapshot,
)

log = logging.getLogger("assistant.store")

#: File name of the store in the data directory.
DB_NAME = "sessions.sqlite3"
#: Milliseconds a writer waits for another writer before giving up.
BUSY_TIMEOUT_MS = 5000

Clock = Callable[[], dt.datetime]

_READ_PREFIXES = ("SELECT", "WITH", "PRAGMA")
_BUSY_ERRORS = {"SQLITE_BUSY", "SQLITE_LOCKED"}
#: Errors of a read that mean the file is damaged (extended names start with these).
_DAMAGE_ERRORS = ("SQLITE_CORRUPT", "SQLITE_NOTADB", "SQLITE_IOERR", "SQLITE_FORMAT")
#: The store's own tables: every row of these is read once when the store is checked.
_TABLES = ("sessions", "events", "plan_revisions", "encryption", COMMITS_TABLE)
_WHY_READ_ONLY: dict[str, str] = {
    "damaged": "because it is damaged",
    "missing_commits": "because saved changes are missing from it",
    "not_writable": "because it cannot be written",
    "newer_version": "because it was written by a newer version of sdm-assistant",
}
_LINK_ADVICE = "replace the link with the file it points to, or remove the link"


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


def _missing_message(path: Path, missing: int) -> str:
    wal, mark = sidecars(path)[1], mark_path(path)
    changes = "1 saved change is" if missing == 1 else f"{missing} saved changes are"
    return (f"The session store {path} is damaged: {changes} missing from it, because its "
            f"write-ahead log {wal} was cut short or deleted. It has been opened read-only: "
            "nothing in it will be changed, and what is left is shown. Keep a copy of every "
            f"file whose name begins with {path.name}, and ask for help before deleting "
            "anything: the missing answers may be in a backup of that log. To go on with "
            f"the store as it is, without them, delete {mark}; it then opens normally again.")


def _read_only_message(path: Path, why: str) -> str:
    return (f"The session store {path} cannot be written ({why}). It has been opened "
            "read-only: sessions can be read, but nothing new can be saved.")


def _folder_message(path: Path) -> str:
    return (f"The folder {path.parent} cannot be written, so the session store {path} has "
            "been opened read-only: sessions can be read, but nothing new can be saved. "
            "To save, make the folder writable for you, or copy the store to a folder you "
            "can write and point --store at the copy.")


def _error_name(exc: sqlite3.Error) -> str:
    return str(getattr(exc, "sqlite_errorname", "") or type(exc).__name__)


def _read_error(exc: sqlite3.Error) -> str:
    """What a failed read says about the file. (An error without a SQLite code, such as text
    that is not UTF-8, quotes the text in its message: that is never used.)"""
    return _error_name(exc) if getattr(exc, "sqlite_errorname", None) else "text that is not UTF-8"


class Transaction:
    """The open write transaction: the only way the store changes the database."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn

    def execute(self, sql: str, params: Sequence[object] = ()) -> sqlite3.Cursor:
        """Run one statement inside the transaction."""
        assert self._conn.in_transaction, "write outside BEGIN IMMEDIATE"
        return self._conn.execute(sql, params)


class Database:
    """An open store file: the connection, its health, and the two doors to SQL. The
    `Store` holds one (use `Store.open`, which adds the keys and the sessions).

    One instance may be shared between threads: every call is serialised by a lock. Separate
    instances (threads, processes) may write to the same file at the same time.
    """

    def __init__(
        self, path: Path, conn: sqlite3.Connection, *, damage: str | None = None,
        reason: ReadOnlyReason | None = None, clock: Clock = utc_now,
    ) -> None:
        self.path = path
        self._conn = conn
        self._lock = threading.RLock()
        self._clock = clock
        self._permissions_checked = False
        self._marks: MarkWriter | None = None  # set once the store counts its commits
        self._mark_warned = False
        #: Why the store is read-only, in words for the user; None when it is healthy.
        self.damage = damage
        #: Why the store is read-only, as a code (see `ReadOnlyReason`); None when healthy.
        self.read_only_reason: ReadOnlyReason | None = (
            reason or ("damaged" if damage is not None else None))
        #: The schema version found on opening (before any migration ran).
        self.migrated_from = SCHEMA_VERSION

    # --- opening ---------------------------------------------------------------------------

    @classmethod
    def open(cls, path: Path | str | None = None, *, clock: Clock = utc_now) -> Self:
        """Open (creating if needed) the store at `path`, default `data_dir()/sessions.sqlite3`.

        Never modifies a damaged file: if the health check fails, the store is returned
        open read-only with `damage` set to a message for the user, and every write raises
        `StoreReadOnly`. Raises `StoreBusy` if another program holds the file locked for
        longer than the busy timeout, and `StoreUnavailable` if the path cannot be opened or
        created at all (a folder, no permission, a symbolic link).
        """
        db_path = cls._resolve(path)
        created = cls._create_private(db_path)
        damage, reason, snapshot = cls._health(db_path, created=created)
        if damage is None:
            damage = cls._unwritable(db_path)
            reason = "not_writable" if damage is not None else None
        if damage is None:
            snapshot.close()
            make_private_file(db_path)  # it is a store: ours to keep private
            try:
                conn = cls._connect_rw(db_path)
            except sqlite3.DatabaseError as exc:
                name = _error_name(exc)
                if name in _BUSY_ERRORS:
                    raise StoreBusy(f"the session store {db_path} is locked by another "
                                    "program") from None
                damage, reason = (_folder_message(db_path) if name.endswith("_DIRECTORY")
                                  else _read_only_message(db_path, name)), "not_writable"
            else:
                store = cls(db_path, conn, clock=clock)
                try:
                    newer = store._migrate()
                    if newer is None:
                        store._start_counting()
                except BaseException:
                    store.close()
                    raise
                if newer is None:
                    store._fix_permissions()
                    return store
                store.close()
                damage, reason = newer, "newer_version"
            snapshot = cls._connect_ro(db_path)
        log.warning("session store opened read-only: %s", damage)
        return cls(db_path, snapshot, damage=damage, reason=reason, clock=clock)

    @staticmethod
    def _resolve(path: Path | str | None) -> Path:
        """The store's path, its folder created if needed; refuses symbolic links."""
        try:
            if path is None:
                db_path = data_dir() / DB_NAME
            else:
                db_path = Path(path).expanduser()
                if db_path.parent == data_dir(create=False):
                    refuse_symlink(db_path.parent, "the data folder")
                if not os.path.lexists(db_path.parent):
                    make_private_dir(db_path.parent)
            refuse_symlink(db_path, "the session store",
                           "point --store at the real file instead")
            for other in (*sidecars(db_path)[1:], mark_path(db_path)):
                refuse_symlink(other, "the file", _LINK_ADVICE)
            refuse_symlink(db_path.with_name(db_path.name + ".locks"), "the lock folder",
                           "remove the link; sdm-assistant creates the folder itself")
        except SymlinkRefused as exc:
            raise StoreUnavailable(str(exc)) from None
        except OSError as exc:
            raise StoreUnavailable(f"the folder of the session store cannot be created: "
                                   f"{exc.strerror or type(exc).__name__}") from None
        if db_path.is_dir():
            raise StoreUnavailable(f"{db_path} is a folder, not a session store")
        return db_path

    @staticmethod
    def _create_private(path: Path) -> bool:
        """Create an empty database file 0600, so SQLite's -wal and -shm inherit 0600 too.

        True if it was created now (a new store), False if it existed.
        """
        try:
            with private_umask():
                os.close(system.open_file(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL,
                                          PRIVATE_FILE_MODE))
        except FileExistsError:
            if os.path.islink(path):  # appeared since it was checked
                raise StoreUnavailable(f"the session store {path} is a symbolic link; point "
                                       "--store at the real file instead") from None
            return False
        except OSError as exc:
            why = exc.strerror or type(exc).__name__
            if exc.errno in (errno.EACCES, errno.EROFS, errno.EPERM):
                why = f"the folder {path.parent} cannot be written"
            raise StoreUnavailable(f"the session store {path} cannot be created: {why}") from None
        return True

    @staticmethod
    def _health(
        path: Path, *, created: bool = False
    ) -> tuple[str | None, ReadOnlyReason | None, sqlite3.Connection]:
        """Check the store on an in-memory copy; (why it is unfit, which kind, the copy).

        The first two are None if the store is fit to write to. The copy (a connection to
        an in-memory database) is what a read-only store reads from.
        """
        try:
            mark = read_mark(path)  # first: every commit it counts is on disk already
        except OSError as exc:
            raise StoreUnavailable(f"the commit mark {mark_path(path)} cannot be read: "
                                   f"{exc.strerror or type(exc).__name__}") from None
        snapshot = Database._snapshot(path)
        conn = Database._connect_ro(path, snapshot)

        def damaged(what: str) -> tuple[str, ReadOnlyReason, sqlite3.Connection]:
            return _damaged_message(path, what), "damaged", conn

        try:
            result = [row[0] for row in conn.execute("PRAGMA integrity_check").fetchall()]
        except sqlite3.Error as exc:
            return damaged(f"it is not a readable database: {_error_name(exc)}")
        if result != ["ok"]:
            # integrity_check names pages and tables, never row contents: safe to log.
            log.warning("integrity_check failed for %s: %s", path, "; ".join(result[:5]))
            return damaged("the integrity check failed")
        if snapshot.wal.damaged:
            return damaged("its write-ahead log is damaged, so recent answers may be missing "
                           "from what is shown")
        try:
            tables = {str(r[0]) for r in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()}
            for table in _TABLES:
                if table in tables:  # a fixed name, never one read from the file
                    for _row in conn.execute(f"SELECT * FROM {table}"):
                        pass  # reading is the check: a bad record or bad UTF-8 raises
            bad = conn.execute("SELECT session_id, seq FROM events WHERE typeof(payload) = "
                               "'text' AND NOT json_valid(payload) LIMIT 1").fetchone() \
                if "events" in tables else None
            held = (conn.execute(f"SELECT store_id, n FROM {COMMITS_TABLE}").fetchone()
                    if COMMITS_TABLE in tables else None)
        except sqlite3.Error as exc:
            return damaged(f"a record cannot be read: {_read_error(exc)}")
        if bad is not None:
            return damaged(f"event {bad[1]} of session {bad[0]} cannot be read")
        if mark is not None and not created:
            store_id = held[0] if held is not None and isinstance(held[0], bytes) else None
            count = held[1] if held is not None and isinstance(held[1], int) else 0
            if store_id is None or store_id == mark.store_id:
                missing = mark.commits - count
                if missing > 0:
                    return _missing_message(path, missing), "missing_commits", conn
        return None, None, conn

    @staticmethod
    def _unwritable(path: Path) -> str | None:
        """Why a healthy store cannot be written (a read-only folder or file); None if it can."""
        if not os.access(path.parent, os.W_OK):
            return _folder_message(path)
        for file in sidecars(path):
            if os.path.lexists(file) and not os.access(file, os.W_OK):
                return _read_only_message(path, f"{file.name} is read-only")
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
    def _snapshot(path: Path) -> Snapshot:
        """`walcheck.read_snapshot`, its failures as store errors."""
        try:
            return read_snapshot(path)
        except SnapshotUnstable:
            raise StoreBusy(f"the session store {path} kept changing while it was read "
                            "(another program is writing to it); try again") from None
        except SnapshotTooLarge:
            raise StoreUnavailable(f"the session store {path} is larger than sdm-assistant "
                                   "can check (1 GiB); nothing was changed") from None
        except OSError as exc:
            why = exc.strerror or type(exc).__name__
            if exc.errno == errno.ELOOP:
                why = "it or its -wal file is a symbolic link"
            raise StoreUnavailable(f"the session store {path} cannot be read ({why})") from None

    @staticmethod
    def _connect_ro(path: Path, snapshot: Snapshot | None = None) -> sqlite3.Connection:
        """A read-only view of the store: an in-memory copy, the files left untouched.

        SQLite never opens the files themselves (see `walcheck.read_snapshot`), so no -shm
        is created or rewritten, nothing is locked and nothing checkpointed. `snapshot` is
        the copy to use (default: read one now).
        """
        image = (snapshot or Database._snapshot(path)).image
        conn = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)
        with contextlib.suppress(sqlite3.DatabaseError):  # a file that is no database at all
            if image:  # (an empty file is an empty database, as the new one in memory)
                conn.deserialize(image)
            conn.execute("PRAGMA query_only = ON")
            conn.execute("PRAGMA temp_store = MEMORY")
            conn.execute("PRAGMA trusted_schema = OFF")
        return conn

    def _migrate(self) -> str | None:
        """Run pending migrations; a message if the store is from a newer version, else None."""
        version = int(self.read("PRAGMA user_version")[0][0])
        self.migrated_from = version
        if version == SCHEMA_VERSION:
            return None
        with self.write() as tx:
            # Read again under the write lock: another process may have migrated meanwhile.
            version = int(tx.execute("PRAGMA user_version").fetchone()[0])
            if version > SCHEMA_VERSION:
                return (f"The session store {self.path} was written by a newer version of "
                        f"sdm-assistant (schema {version}, this version knows "
                        f"{SCHEMA_VERSION}). It has been opened read-only.")
            for number, step in enumerate(steps_for("sqlite", STEPS)[version:], start=version + 1):
                if step is not None:
                    step(tx)
                tx.execute(f"PRAGMA user_version = {number}")
                log.info("session store migrated to schema %d", number)
        return None

    def _start_counting(self) -> None:
        """From now on, every commit is counted and recorded in the commit mark."""
        self._marks = MarkWriter(self.path)

    def _fix_permissions(self) -> None:
        """Make the database and its -wal and -shm files 0600 (once all of them exist)."""
        for file in sidecars(self.path):
            make_private_file(file)
        self._permissions_checked = all(file.exists() for file in sidecars(self.path))

    # --- life cycle ------------------------------------------------------------------------

    @property
    def read_only(self) -> bool:
        """True when the store is damaged, cannot be written, or is newer: reads only."""
        return self.damage is not None

    @property
    def damaged(self) -> bool:
        """True when the store is read-only because it is damaged or misses saved changes
        (not merely because it cannot be written or is from a newer version)."""
        return self.read_only_reason in ("damaged", "missing_commits")

    def refuse_if_read_only(self) -> None:
        """Raise `StoreReadOnly` (saying why) when nothing may be written."""
        if self.read_only:
            why = _WHY_READ_ONLY.get(self.read_only_reason or "damaged", "")
            raise StoreReadOnly(f"the session store {self.path} is open read-only {why}, so "
                                "nothing was changed")

    def close(self) -> None:
        """Close the connection (the last one to close folds the WAL into the file)."""
        with self._lock:
            self._conn.close()
            if self._marks is not None:
                self._marks.close()

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

    def read(self, sql: str, params: Sequence[object] = ()) -> list[sqlite3.Row]:
        """Run one query and return all rows (one statement, so one consistent snapshot)."""
        assert sql.lstrip().upper().startswith(_READ_PREFIXES), "writes go through write"
        with self._lock:
            try:
                cursor = self._conn.execute(sql, params)
                cursor.row_factory = sqlite3.Row
                return cursor.fetchall()
            except (sqlite3.ProgrammingError, sqlite3.InterfaceError):
                raise  # a mistake in the program, not in the file
            except sqlite3.DatabaseError as exc:
                name = _error_name(exc)
                if name in _BUSY_ERRORS:
                    raise StoreBusy("the session store is locked by another program") from None
                what = _read_error(exc)
                if self.damage is None:
                    if not name.startswith(_DAMAGE_ERRORS) and what == name:
                        raise StoreDamaged(f"the session store {self.path} could not be read "
                                           f"({name})") from None
                    # Damage the check on opening did not see (it came later): say so, and
                    # write nothing more, so the store is not changed further.
                    self.damage = (
                        f"The session store {self.path} is damaged (a read failed: {what}). "
                        "Nothing more will be saved to it from now on. Keep a copy of the file "
                        "and the files next to it that end in -wal and -shm, and ask for help "
                        "before deleting anything.")
                    self.read_only_reason = "damaged"
                    log.warning("session store %s turned read-only: a read failed (%s)",
                                self.path, what)
                raise StoreDamaged(self.damage) from None

    @contextlib.contextmanager
    def write(self) -> Iterator[Transaction]:
        """One write transaction: BEGIN IMMEDIATE, the caller's statements, COMMIT.

        When the `with` block ends without error the data is committed and synced to disk,
        and the commit is counted in the commit mark. On any error everything is rolled
        back; SQLite errors become `StoreWriteError` (whose message names the SQLite error,
        never the data), and the store stays usable.
        """
        self.refuse_if_read_only()
        with self._lock:
            umask = private_umask() if not self._permissions_checked else contextlib.nullcontext()
            counted: list[tuple[bytes, int]] = []
            with umask:
                try:
                    self._conn.execute("BEGIN IMMEDIATE")
                    yield Transaction(self._conn)
                    if self._marks is not None:
                        counted = [(bytes(r[0]), int(r[1])) for r in self._conn.execute(
                            f"UPDATE {COMMITS_TABLE} SET n = n + 1 RETURNING store_id, n"
                        ).fetchall()]
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
            self._record_commit(counted)

    def _record_commit(self, counted: list[tuple[bytes, int]]) -> None:
        """Raise the commit mark to the count just committed (see `walcheck`).

        The commit itself is done and durable; if the mark cannot be written, the write
        still counts as saved (raising would claim it was not), and only the detection of a
        later WAL loss is weaker for it.
        """
        if self._marks is None or not counted:
            return
        store_id, commits = counted[0]
        try:
            self._marks.record(CommitMark(store_id, commits))
        except OSError as exc:
            self._marks.close()  # opened again on the next commit
            if not self._mark_warned:  # once: the next commits would only repeat it
                self._mark_warned = True
                log.warning("the commit mark %s could not be written: %s", self._marks.path,
                            exc.strerror or type(exc).__name__)

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
