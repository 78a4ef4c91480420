"""`Store`: the session store, made of its parts (database, keys, sessions, revisions, retention).

The parts are small classes, each given what it needs in its constructor: the `Database`
(connection, read-only state, the two doors to SQL), the `Keys` (encryption), and the
repositories `Sessions`, `Revisions` and `Retention`. `Store` opens and closes them together
and answers every call by handing it to the part that owns it.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Self

from assistant.paths import data_dir
from assistant.store.composed import ComposedStore
from assistant.store.contract import StoreContract
from assistant.store.crypto import MIN_PASSPHRASE, KdfParams
from assistant.store.db import DB_NAME, Clock, Database, ReadOnlyReason, utc_now
from assistant.store.errors import (
    CannotEncrypt,
    InvalidSessionData,
    NoAccessLog,
    PassphraseRequired,
)
from assistant.store.keys import Keys
from assistant.store.lock import SessionLock
from assistant.store.models import (
    AccessEntry,
    CheckFinding,
)
from assistant.store.retention import Retention
from assistant.store.revisions import Revisions
from assistant.store.sessions import Sessions


class Store(ComposedStore[SessionLock]):
    """The append-only session store in one SQLite file. Open with `Store.open(path)`.

    A store opened on a damaged file has `read_only` True and `damage` set to a message for
    the user; reading works as far as the file allows, and every write raises `StoreReadOnly`.
    Its files are then never touched (reads come from a copy in memory). `damaged` tells a
    damaged store (or one missing acknowledged commits, after its WAL was cut or deleted)
    from one that is only read-only (a folder that cannot be written, a newer schema);
    `read_only_reason` gives the kind as a code.

    Encryption (optional): `Store.create_encrypted(path, passphrase)` starts an encrypted
    store, `Store.open(path, passphrase=...)` opens one, `is_encrypted(path)` tells without
    opening, and `encrypted` / `key_loaded` / `forget_key` / `unlock` serve a lock screen.

    Its parts: `db` (`Database`), `keys` (`Keys`), `sessions` (`Sessions`), `revisions`
    (`Revisions`) and `retention` (`Retention`); the methods it shares with the server's
    store (`ComposedStore`) hand each call to one.
    """

    def __init__(self, db: Database, keys: Keys) -> None:
        """Assemble a store on an open `db` whose `keys` are loaded (use `Store.open`)."""
        self.db = db
        self.keys = keys
        self.sessions: Sessions = Sessions(db, keys)
        self.revisions = Revisions(db, keys)
        self.retention = Retention(db)

    # --- opening and closing ---------------------------------------------------------------

    @classmethod
    def open(
        cls, path: Path | str | None = None, *, passphrase: str | None = None,
        clock: Clock = utc_now,
    ) -> Self:
        """Open (creating if needed) the store at `path`, default `data_dir()/sessions.sqlite3`;
        `passphrase` if it is encrypted.

        Never modifies a damaged file (see `Database.open`: it is opened read-only, with
        `damage` saying why). Raises `StoreBusy`, `StoreUnavailable` (see `Database.open`),
        `PassphraseRequired` for an encrypted store opened without a passphrase,
        `WrongPassphrase` if it does not fit, and `StoreNotEncrypted` if a passphrase is given
        for a store that is not encrypted (use `create_encrypted` to start one). Deriving the
        key takes a fraction of a second on purpose.
        """
        db = Database.open(path, clock=clock)
        keys = Keys(db)
        try:
            keys.load(passphrase)
        except BaseException:
            keys.forget_key()
            db.close()
            raise
        return cls(db, keys)

    @classmethod
    def create_encrypted(
        cls, path: Path | str | None, passphrase: str, *, kdf: KdfParams | None = None,
        clock: Clock = utc_now,
    ) -> Self:
        """Open the store at `path` with encryption switched on, creating it if needed.

        Works on a new file or a store with no sessions yet. Raises `CannotEncrypt` if the
        store holds unencrypted sessions, is encrypted already, or is damaged (read-only);
        `InvalidSessionData` for a passphrase shorter than 8 characters. `kdf` overrides the
        key-derivation settings (tests use cheap ones; the default is the real thing).
        """
        if len(passphrase) < MIN_PASSPHRASE:
            raise InvalidSessionData(f"a passphrase needs at least {MIN_PASSPHRASE} characters")
        try:
            store = cls.open(path, clock=clock)
        except PassphraseRequired:
            where = data_dir(create=False) / DB_NAME if path is None else path
            raise CannotEncrypt(f"the session store {where} is encrypted already; open it "
                                "with its passphrase") from None
        try:
            store.keys.switch_on(passphrase, kdf)
        except BaseException:
            store.close()
            raise
        return store

    def close(self) -> None:
        """Drop the key and close the connection (the last one to close folds the WAL into
        the file)."""
        self.keys.forget_key()
        self.db.close()

    # --- the database: where it is, and whether it may be written -------------------------

    @property
    def path(self) -> Path:
        """The store file."""
        return self.db.path

    @property
    def damage(self) -> str | None:
        """Why the store is read-only, in words for the user; None when it is healthy."""
        return self.db.damage

    @property
    def read_only_reason(self) -> ReadOnlyReason | None:
        """Why the store is read-only, as a code (see `ReadOnlyReason`); None when healthy."""
        return self.db.read_only_reason

    @property
    def read_only(self) -> bool:
        """True when the store is damaged, cannot be written, or is newer: reads only."""
        return self.db.read_only

    @property
    def damaged(self) -> bool:
        """True when it is read-only because it is damaged or misses saved changes."""
        return self.db.damaged

    @property
    def lock_dir(self) -> Path:
        """The folder of this store's per-session lock files."""
        return self.db.lock_dir

    @property
    def reconnects(self) -> int:
        """Always 0: a file has no connection to lose."""
        return 0

    @property
    def shared(self) -> bool:
        """A file: one person's own, on this machine."""
        return False

    @property
    def migrated_from(self) -> int:
        return self.db.migrated_from

    def check(self) -> list[CheckFinding]:
        """See `assistant.store.check`."""
        from assistant.store.check import check_file

        return check_file(self)

    def access_log(self, *, session_id: str | None = None,
                   role: str | None = None) -> list[AccessEntry]:
        """Raises `NoAccessLog`: a store file is one person's own, on their own machine."""
        raise NoAccessLog(f"the session store {self.path} keeps no access log: a store file "
                          "is one person's own; a department server's store keeps one")

    def now(self) -> dt.datetime:
        """The store's clock (UTC, timezone-aware); tests replace it."""
        return self.db.now()

    def checkpoint(self) -> bool:
        """Fold the WAL into the database and truncate it; see `Database.checkpoint`."""
        return self.db.checkpoint()

    # --- the key ---------------------------------------------------------------------------

    @property
    def encrypted(self) -> bool:
        """True if this store is encrypted (whether or not the key is in memory just now)."""
        return self.keys.encrypted

    @property
    def key_loaded(self) -> bool:
        """True if the data key is in memory, so sealed columns can be read and written."""
        return self.keys.key_loaded

    def unlock(self, passphrase: str) -> None:
        """Load the data key again; see `Keys.unlock`."""
        self.keys.unlock(passphrase)

    def forget_key(self) -> None:
        """Drop the data key and overwrite it with zeros; see `Keys.forget_key`."""
        self.keys.forget_key()

    # --- locks and deletion ----------------------------------------------------------------


def open_store(
    path: Path | str | None = None, *, passphrase: str | None = None, clock: Clock = utc_now
) -> Store:
    """`Store.open(path, passphrase=...)`: the store at `path`, or in the user's data
    directory if None; `passphrase` only for an encrypted store (see `Store.open`)."""
    return Store.open(path, passphrase=passphrase, clock=clock)


if TYPE_CHECKING:
    def _satisfies_the_contract(store: Store) -> StoreContract:
        return store  # mypy --strict assistant fails here if Store drifts from the contract
