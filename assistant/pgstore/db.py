"""The connection to the PostgreSQL store: opening, migrations, transactions, advisory locks.

Durability: the connection is in autocommit mode, and every write runs in its own
transaction (`write`, `run`) or is one statement (`call`), committed before the call
returns, so an answer is on the server (with the server's `synchronous_commit`, on by
default) before the screen says saved.

A lost connection (the server restarted, the network gone a moment) is not the end:
`read`, `run` and `call` connect again (for up to `RECONNECT_S` seconds), take the session
locks this store held back, and run the work once more. That is safe because the work given
to them is idempotent (an append names the number it expects; see PgSessions.append).
`reconnects` counts the times, so the UI can say it happened. If a lock was taken by
someone else meanwhile, nothing is written and the error says so.

Only these run the store's SQL: `read` (queries), `call` (one statement) and
`Transaction.execute` (inside `write` / `run`); the advisory locks and migrations are the
others, each in one place here.

Errors: psycopg's become the store's own (`StoreUnavailable`, `StoreWriteError`,
`StoreDamaged`), naming the SQLSTATE, never a row's content. (psycopg's messages can quote
values, e.g. of a violated constraint: they are never passed on.)
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import os
import socket
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from types import TracebackType
from typing import Any, Self, TypeVar

import psycopg
import psycopg.errors
from psycopg.conninfo import make_conninfo
from psycopg.rows import dict_row

from assistant.pgstore.address import check_address, parse_address
from assistant.pgstore.schema import MIGRATION_LOCK, STEPS
from assistant.store.contract import ReadOnlyReason
from assistant.store.errors import (
    InvalidSessionData,
    LockHolder,
    StoreDamaged,
    StoreReadOnly,
    StoreUnavailable,
    StoreWriteError,
)
from assistant.store.migrations import SCHEMA_VERSION, steps_for

log = logging.getLogger("assistant.pgstore")

Clock = Callable[[], dt.datetime]
Row = dict[str, Any]
T = TypeVar("T")
#: Seconds to wait for the server when connecting.
CONNECT_TIMEOUT_S = 10
#: Seconds to keep trying to connect again after the connection was lost (a server restart
#: takes a few); then the error reaches the user, and their answer is still on the screen.
RECONNECT_S = 20.0
_APP = "sdm-assistant"


def utc_now() -> dt.datetime:
    """The current time, timezone-aware, in UTC (the store's default clock)."""
    return dt.datetime.now(dt.UTC)


def describe(conninfo: str) -> str:
    """Where the store is, for messages: database and host, never a password."""
    params = parse_address(conninfo)
    if "service" in params:
        return f"service {params['service']}"
    db, host = params.get("dbname", ""), params.get("host", "")
    return " on ".join(part for part in (f"database {db}" if db else "", host) if part) \
        or "the PostgreSQL server"


def lock_key(session_id: str) -> int:
    """The advisory lock key of a session: its id's first 64 bits, as a signed bigint."""
    return int.from_bytes(bytes.fromhex(session_id[:16]), "big", signed=True)


def _sqlstate(exc: psycopg.Error) -> str:
    return exc.sqlstate or type(exc).__name__


class Transaction:
    """The open write transaction: the only way the store changes the database."""

    def __init__(self, cursor: psycopg.Cursor[Row]) -> None:
        self._cursor = cursor

    def execute(self, sql: str, params: Sequence[object] = ()) -> psycopg.Cursor[Row]:
        """Run one statement inside the transaction (`%s` placeholders)."""
        return self._cursor.execute(sql, params or None)  # None: a literal % is plain text


class PgDatabase:
    """An open connection to the store's database, its migrations and its health.

    One instance may be shared between threads: every call is serialised by a lock.
    """

    def __init__(self, conn: psycopg.Connection[Row], where: str, *, clock: Clock = utc_now,
                 damage: str | None = None, reason: ReadOnlyReason | None = None) -> None:
        self._conn = conn
        self._lock = threading.RLock()
        self._clock = clock
        self._held: set[str] = set()
        #: How to connect again (conninfo, unit, password); None: this connection only.
        self._address: tuple[str, str | None, str | None] | None = None
        #: How often the connection was lost and made again.
        self.reconnects = 0
        #: The schema version found on opening (before any migration ran).
        self.migrated_from = SCHEMA_VERSION
        #: Where the store is, in words (database and host; never a password).
        self.where = where
        self.damage = damage
        self.read_only_reason: ReadOnlyReason | None = reason

    # --- opening ---------------------------------------------------------------------------

    @classmethod
    def open(cls, conninfo: str, *, clock: Clock = utc_now, unit: str | None = None,
             password: str | None = None) -> Self:
        """Connect to the store at `conninfo` (a URI or `service=NAME`) and bring its schema
        up to date. `unit`: the unit new sessions belong to, for a role of several units;
        `password`: typed by the user at a prompt (never from the command line). Raises
        `AddressRefused` (a password in the address, a remote host without verified TLS),
        `PasswordRequired` (the server asks for one and none was found) and
        `StoreUnavailable` (the server cannot be reached or refuses). A schema newer than
        this program opens read-only."""
        check_address(conninfo)
        where = describe(conninfo)
        conn = _connect(conninfo, where, unit, password)
        try:
            found = cls.schema_version(conn)
            newer = cls._migrate(conn)
        except BaseException:
            conn.close()
            raise
        if newer:
            damage = (f"The session store ({where}) was written by a newer version of "
                      "sdm-assistant. It has been opened read-only: sessions can be read, "
                      "but nothing new can be saved.")
            log.warning("session store opened read-only: a newer schema")
            db = cls(conn, where, clock=clock, damage=damage, reason="newer_version")
        else:
            db = cls(conn, where, clock=clock)
        db._address = (conninfo, unit, password)
        db.migrated_from = found
        return db

    @staticmethod
    def _migrate(conn: psycopg.Connection[Row]) -> bool:
        """Run the migrations not yet run, in one transaction; True if the schema is newer
        than this program knows."""
        version = PgDatabase.schema_version(conn)
        if version == SCHEMA_VERSION:  # the usual case: nothing to do, nothing to lock
            return False
        if version > SCHEMA_VERSION:
            return True
        try:
            with conn.transaction():
                conn.execute("SELECT pg_advisory_xact_lock(%s)", (MIGRATION_LOCK,))
                conn.execute("CREATE TABLE IF NOT EXISTS sdm_schema ("
                             " version integer PRIMARY KEY CHECK (version >= 1),"
                             " applied timestamptz NOT NULL DEFAULT now())")
                row = conn.execute("SELECT coalesce(max(version), 0) AS v FROM sdm_schema"
                                   ).fetchone()
                version = int(row["v"]) if row else 0
                if version > SCHEMA_VERSION:
                    return True
                with conn.cursor() as cursor:
                    tx = Transaction(cursor)
                    steps = steps_for("postgresql", STEPS)
                    for number in range(version + 1, SCHEMA_VERSION + 1):
                        step = steps[number - 1]
                        if step is not None:
                            step(tx)
                        tx.execute("INSERT INTO sdm_schema (version) VALUES (%s)", (number,))
        except psycopg.errors.InsufficientPrivilege:
            raise StoreUnavailable(
                f"the session store's schema is at version {version} and this program needs "
                f"version {SCHEMA_VERSION}; this role may not change it (that takes the "
                "tables' owner, allowed to create roles): the store's operator runs "
                "'sdm store migrate'") from None
        except psycopg.Error as exc:
            raise StoreUnavailable(f"the session store's schema could not be brought up to "
                                   f"date ({_sqlstate(exc)})") from None
        return False

    @staticmethod
    def schema_version(conn: psycopg.Connection[Row]) -> int:
        """The schema version of the store on `conn` (0: none yet)."""
        try:
            found = conn.execute("SELECT to_regclass('sdm_schema') IS NOT NULL AS made"
                                 ).fetchone()
            if not (found and found["made"]):
                return 0
            row = conn.execute("SELECT coalesce(max(version), 0) AS v FROM sdm_schema"
                               ).fetchone()
        except psycopg.Error as exc:
            raise StoreUnavailable(f"the session store's schema version could not be read "
                                   f"({_sqlstate(exc)})") from None
        return int(row["v"]) if row else 0

    # --- health ----------------------------------------------------------------------------

    @property
    def read_only(self) -> bool:
        """True when the schema is newer than this program: reads only."""
        return self.damage is not None

    @property
    def damaged(self) -> bool:
        """True when it is read-only because it is damaged (never, so far, on a server)."""
        return self.read_only_reason in ("damaged", "missing_commits")

    def refuse_if_read_only(self) -> None:
        """Raise `StoreReadOnly` when nothing may be written."""
        if self.read_only:
            raise StoreReadOnly(f"the session store ({self.where}) is open read-only because "
                                "it was written by a newer version of sdm-assistant, so "
                                "nothing was changed")

    def now(self) -> dt.datetime:
        """The store's clock (UTC, timezone-aware); tests replace it."""
        return self._clock()

    def close(self) -> None:
        """Close the connection (which also releases every advisory lock it holds)."""
        with self._lock:
            self._held.clear()
            self._conn.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    # --- the two doors to SQL --------------------------------------------------------------

    def read(self, sql: str, params: Sequence[object] = ()) -> list[Row]:
        """Run one query and return all rows as dicts (again, once connected again, if the
        connection was lost)."""
        assert sql.lstrip().upper().startswith(("SELECT", "WITH")), "writes go through write"

        def query(conn: psycopg.Connection[Row]) -> list[Row]:
            try:
                return conn.execute(sql, params or None).fetchall()
            except psycopg.DataError as exc:
                raise StoreDamaged(f"the session store ({self.where}) could not be read "
                                   f"({_sqlstate(exc)})") from None

        try:
            return self._again_if_lost(query)
        except psycopg.OperationalError as exc:
            raise StoreUnavailable(f"the session store ({self.where}) could not be read: "
                                   f"the connection failed ({_sqlstate(exc)})") from None
        except psycopg.Error as exc:
            raise StoreUnavailable(f"the session store ({self.where}) could not be read: "
                                   f"the server refused it ({_sqlstate(exc)})") from None

    def call(self, sql: str, params: Sequence[object] = ()) -> list[Row]:
        """Run one statement that writes (a function call, one INSERT), committed on its own
        before returning; tried again after a lost connection, so it must be idempotent.
        Errors as `write`'s."""
        self.refuse_if_read_only()
        try:
            return self._again_if_lost(lambda conn: _rows(conn.execute(sql, params or None)))
        except psycopg.Error as exc:
            raise self._write_error(exc) from None

    def run(self, work: Callable[[Transaction], T]) -> T:
        """`work` in one write transaction, committed before returning (as `write`); after a
        lost connection it runs again in a new transaction, so it must be idempotent."""
        self.refuse_if_read_only()

        def attempt(conn: psycopg.Connection[Row]) -> T:
            with conn.transaction(), conn.cursor() as cursor:
                return work(Transaction(cursor))

        try:
            return self._again_if_lost(attempt)
        except psycopg.Error as exc:
            raise self._write_error(exc) from None

    def _again_if_lost(self, work: Callable[[psycopg.Connection[Row]], T]) -> T:
        with self._lock:
            try:
                return work(self._conn)
            except psycopg.OperationalError:
                if self._address is None or not (self._conn.broken or self._conn.closed):
                    raise
            self._reconnect()
            return work(self._conn)

    def _reconnect(self) -> None:
        """Connect again (for up to `RECONNECT_S` seconds) and take back the session locks
        this store held. Raises `StoreUnavailable` if the server stays away, and
        `StoreWriteError` if another writer took one of the sessions meanwhile."""
        assert self._address is not None
        conninfo, unit, password = self._address
        deadline = time.monotonic() + RECONNECT_S
        pause = 0.1
        while True:
            try:
                conn = _connect(conninfo, self.where, unit, password)
                break
            except StoreUnavailable:
                if time.monotonic() + pause > deadline:
                    raise
                time.sleep(pause)
                pause = min(pause * 2, 1.0)
        with contextlib.suppress(psycopg.Error):
            self._conn.close()
        self._conn = conn
        self.reconnects += 1
        log.warning("session store: the connection was lost and made again")
        lost = [sid for sid in sorted(self._held) if not self._relock(sid)]
        if lost:
            self._held.difference_update(lost)
            raise StoreWriteError(
                f"could not save: the connection to the server was lost, and session "
                f"{lost[0]} was opened by someone else meanwhile; nothing more is saved here")

    def _relock(self, session_id: str) -> bool:
        row = self._conn.execute("SELECT pg_try_advisory_lock(%s) AS got",
                                 (lock_key(session_id),)).fetchone()
        return bool(row and row["got"])

    @contextlib.contextmanager
    def write(self) -> Iterator[Transaction]:
        """One write transaction, committed when the `with` block ends without error; on any
        error everything is rolled back. psycopg's errors become `StoreWriteError` (naming
        the SQLSTATE, never the data)."""
        self.refuse_if_read_only()
        with self._lock:
            try:
                with self._conn.transaction(), self._conn.cursor() as cursor:
                    yield Transaction(cursor)
            except psycopg.Error as exc:
                raise self._write_error(exc) from None

    def _write_error(self, exc: psycopg.Error) -> StoreWriteError:
        state = _sqlstate(exc)
        if state == "42501":
            # Not allowed: the server's own words (a table, a role, a unit; never row data)
            why = exc.diag.message_primary or "permission denied"
            log.error("session store write refused: not allowed (%s)", state)
            return StoreWriteError(f"could not save: the server does not allow it: {why} "
                                   f"({state}); nothing of this change was saved",
                                   sqlstate=state)
        reason = ("the connection to the server failed" if isinstance(
                      exc, psycopg.OperationalError)
                  else "the data did not fit the store's rules" if isinstance(
                      exc, psycopg.IntegrityError)
                  else "the server refused it")
        if not state.startswith("SD"):  # the store's own refusals are said by the caller
            log.error("session store write failed: %s (%s)", reason, state)
        return StoreWriteError(f"could not save: {reason} ({state}); nothing of this change "
                               "was saved, and what was saved before is intact",
                               sqlstate=state)

    # --- advisory locks: one writer per session --------------------------------------------

    def try_lock(self, session_id: str) -> bool:
        """Take the session's advisory lock on this connection; False if another connection
        (or another lock object of this store) has it. The server drops it when this
        connection ends, however it ends."""
        with self._lock:
            if session_id in self._held:
                return False
            try:
                got = self._again_if_lost(lambda conn: self._relock(session_id))
            except psycopg.Error as exc:
                raise StoreUnavailable(f"session {session_id} cannot be locked for writing: "
                                       f"the server did not answer ({_sqlstate(exc)})") from None
            if not got:
                return False
            self._held.add(session_id)
            return True

    def unlock(self, session_id: str) -> None:
        """Give the session's advisory lock up (nothing if this store does not hold it)."""
        with self._lock:
            if session_id not in self._held:
                return
            self._held.discard(session_id)
            with contextlib.suppress(psycopg.Error):  # a lost connection dropped it already
                self._conn.execute("SELECT pg_advisory_unlock(%s)", (lock_key(session_id),))

    def lock_holder(self, session_id: str) -> LockHolder | None:
        """Who holds the session's lock, from the server's list of connections (None if it
        cannot tell: another role's connections are hidden from a plain user)."""
        if session_id in self._held:
            return LockHolder(os.getpid(), socket.gethostname(), None)
        key = lock_key(session_id) & 0xFFFF_FFFF_FFFF_FFFF
        try:
            rows = self.read(
                "SELECT a.application_name AS app, a.backend_start AS since FROM pg_locks l"
                " JOIN pg_stat_activity a ON a.pid = l.pid WHERE l.locktype = 'advisory'"
                " AND l.granted AND l.objsubid = 1 AND l.classid::bigint = %s"
                " AND l.objid::bigint = %s AND l.database = (SELECT oid FROM pg_database"
                " WHERE datname = current_database())", (key >> 32, key & 0xFFFF_FFFF))
        except StoreUnavailable:
            return None
        if not rows:
            return None
        app, since = str(rows[0]["app"] or ""), rows[0]["since"]
        started = (since.astimezone(dt.UTC).isoformat(timespec="seconds")
                   if isinstance(since, dt.datetime) else None)
        name, _, who = app.partition(" ")
        pid_text, _, host = who.partition("@")
        if name != _APP or not pid_text.isdigit():
            return LockHolder(None, None, started)
        return LockHolder(int(pid_text), host or None, started)


def _rows(cursor: psycopg.Cursor[Row]) -> list[Row]:
    """The rows a statement returned (none for one that returns none)."""
    return cursor.fetchall() if cursor.description is not None else []


def _connect(conninfo: str, where: str, unit: str | None,
             password: str | None = None) -> psycopg.Connection[Row]:
    """A new connection in autocommit mode, its clock in UTC; `StoreUnavailable` if not."""
    name = f"{_APP} {os.getpid()}@{socket.gethostname()}"[:63]  # who holds a lock
    # The unit rides on the connection (`sdm.unit`), read by the server's sdm_my_unit().
    if unit:
        conninfo = make_conninfo(conninfo, options=f"-c sdm.unit={_option_value(unit)}")
    if password is not None:  # in memory only: never in an argument or the environment
        conninfo = make_conninfo(conninfo, password=password)
    try:
        conn = psycopg.connect(conninfo, autocommit=True, row_factory=dict_row,
                               connect_timeout=CONNECT_TIMEOUT_S, application_name=name)
    except psycopg.Error as exc:
        # libpq's first line says why (host unknown, refused, authentication) and names
        # hosts and users only.
        why = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        if "no password supplied" in why:
            raise PasswordRequired(
                f"the session store ({where}) asks for a password: keep it in libpq's "
                "password file (~/.pgpass) or a service file, or type it when asked (in a "
                "terminal)") from None
        raise StoreUnavailable(f"the session store ({where}) cannot be reached: "
                               f"{why}") from None
    try:
        conn.execute("SET TIME ZONE 'UTC'")
    except psycopg.Error as exc:
        conn.close()
        raise StoreUnavailable(f"the session store ({where}) cannot be used: "
                               f"{_sqlstate(exc)}") from None
    return conn


def _option_value(text: str) -> str:
    """`text` as a value in libpq's `options` (spaces and backslashes escaped)."""
    return text.replace("\\", "\\\\").replace(" ", "\\ ")


class PasswordRequired(StoreUnavailable):
    """The server asks for a password and libpq found none (no ~/.pgpass entry, no service
    file): a person at a terminal may type it (`service.stores.open_server`)."""

    code = "password_required"


def check_session_id(session_id: str) -> str:
    """`session_id` if it is a session id (32 lower-case hex characters)."""
    if len(session_id) != 32 or any(c not in "0123456789abcdef" for c in session_id):
        raise InvalidSessionData("a session id is 32 lower-case hexadecimal characters")
    return session_id
