"""Encryption in the store: unlocking on open, switching it on, and sealing columns (R13).

An encrypted store has one row in the `encryption` table (see `crypto` for the scheme); a
store without that row is not encrypted and works exactly as before. In an encrypted store
every column that can hold health data is sealed with AES-256-GCM:

=========================  =============================================================
sealed                     ``sessions.label``, ``events.payload`` (answers, notes, every
                           event's content), ``plan_revisions.draft``,
                           ``plan_revisions.responsible``
in clear, and why          ids, event numbers (``seq``) and revision numbers: the rows'
                           identity, part of each record's associated data; times
                           (``created``, ``updated``, ``at``) and the due date: the store
                           sorts, purges and finds due plans in SQL; event ``type``,
                           ``status``, revision ``kind``, roles ``present``: fixed words from
                           the program, never typed text; guide id, version and hash: which
                           guide was used, needed to resume; with the label sealed they name
                           no one
=========================  =============================================================

The passphrase is never stored; the keys live only in this process's memory, in `bytearray`s
that `forget_key` overwrites with zeros (e.g. while the UI is locked, and on close). This object
keeps no reference to the passphrase: it is used to derive the key and dropped.
"""

from __future__ import annotations

import contextlib
import sqlite3
from pathlib import Path
from typing import Self

from assistant.paths import data_dir, make_private_file, private_umask
from assistant.store.crypto import (
    KEY_FORMAT,
    MIN_PASSPHRASE,
    BadPassphrase,
    KdfParams,
    KeyForgotten,
    KeyRecord,
    RecordCipher,
    Undecryptable,
    UnknownFormat,
    kdf_from_json,
    kdf_to_json,
    new_key,
    unlock,
)
from assistant.store.db import DB_NAME, Clock, Database, _Tx, sidecars, utc_now
from assistant.store.errors import (
    CannotEncrypt,
    InvalidSessionData,
    PassphraseRequired,
    StoreDamaged,
    StoreError,
    StoreNotEncrypted,
    StoreUnavailable,
    WrongPassphrase,
)

_KEY_COLUMNS = "format, key_id, kdf, salt, wrapped_key"


class KeyMixin(Database):
    """Opening with a passphrase, creating an encrypted store, and the sealing helpers."""

    # No key record: not encrypted. Set once on open (or by `create_encrypted`).
    _key: KeyRecord | None = None
    # The data key, while it is in memory: None if not encrypted or put away.
    _cipher: RecordCipher | None = None

    # --- opening ---------------------------------------------------------------------------

    @classmethod
    def open(
        cls, path: Path | str | None = None, *, passphrase: str | None = None,
        clock: Clock = utc_now,
    ) -> Self:
        """Open the store at `path` (see `Database.open`); `passphrase` if it is encrypted.

        Raises `PassphraseRequired` for an encrypted store opened without one,
        `WrongPassphrase` if it does not fit, and `StoreNotEncrypted` if a passphrase is given
        for a store that is not encrypted (use `create_encrypted` to start one). Deriving the
        key takes a fraction of a second on purpose.
        """
        store = super().open(path, clock=clock)
        try:
            store._load_key(passphrase)
        except BaseException:
            store.close()
            raise
        return store

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
            if store.read_only:
                raise CannotEncrypt(f"the session store {store.path} is open read-only, so "
                                    "encryption cannot be switched on")
            record, cipher = new_key(passphrase, kdf)  # slow on purpose: outside the lock
            with store._write() as tx:
                # Checked under the write lock: another program may have written meanwhile.
                if tx.execute("SELECT count(*) FROM encryption").fetchone()[0]:
                    raise CannotEncrypt(f"the session store {store.path} was encrypted by "
                                        "another program just now; open it with its "
                                        "passphrase")
                sessions = int(tx.execute("SELECT count(*) FROM sessions").fetchone()[0])
                if sessions:
                    raise CannotEncrypt(
                        f"the session store {store.path} already holds {sessions} "
                        "unencrypted sessions. Encryption can only be switched on for a "
                        "new store: choose another file with --store, or delete those "
                        "sessions first ('sdm sessions delete').")
                tx.execute(f"INSERT INTO encryption (one, {_KEY_COLUMNS}, created)"
                           " VALUES (1, ?, ?, ?, ?, ?, ?)",
                           (record.format, record.key_id, kdf_to_json(record.kdf),
                            record.salt, record.wrapped_key, store.now().isoformat()))
            with store._lock:
                store._key, store._cipher = record, cipher
        except BaseException:
            store.close()
            raise
        return store

    def _load_key(self, passphrase: str | None) -> None:
        try:
            record = self._read_key_record()
        except StoreDamaged:
            if not self.read_only:
                raise
            # So damaged that not even the schema reads: it is open read-only with `damage`
            # saying so, and every read will fail cleanly, encrypted or not.
            return
        with self._lock:
            self._key, self._cipher = record, None
        if record is None:
            if passphrase is not None:
                raise StoreNotEncrypted(f"the session store {self.path} is not encrypted, so "
                                        "it has no passphrase; nothing was opened")
            self._refuse_orphaned_ciphertext()
            return
        if passphrase is None:
            raise PassphraseRequired(f"the session store {self.path} is encrypted: its "
                                     "passphrase is needed to open it")
        self.unlock(passphrase)

    def _read_key_record(self) -> KeyRecord | None:
        tables = self._read("SELECT name FROM sqlite_master WHERE type = 'table'"
                            " AND name = 'encryption'")
        if not tables:  # a store from before schema 2, open read-only: never encrypted
            return None
        rows = self._read(f"SELECT {_KEY_COLUMNS} FROM encryption")
        if not rows:
            return None
        fmt, key_id, kdf, salt, wrapped = rows[0]
        if not (isinstance(key_id, bytes) and isinstance(salt, bytes)
                and isinstance(wrapped, bytes) and isinstance(kdf, str)):
            raise StoreDamaged(f"the key record of the session store {self.path} is damaged; "
                               "nothing was changed")
        try:
            params = kdf_from_json(kdf)
        except UnknownFormat:
            params = None
        if fmt != KEY_FORMAT or params is None:
            raise StoreUnavailable(f"the session store {self.path} is encrypted in a way this "
                                   "version of sdm-assistant does not know; nothing was "
                                   "changed")
        return KeyRecord(key_id=key_id, kdf=params, salt=salt, wrapped_key=wrapped, format=fmt)

    def _refuse_orphaned_ciphertext(self) -> None:
        """An unencrypted store must not hold sealed labels: that means its key record was
        removed, and new sessions must not then be written into it in the clear."""
        try:
            found = self._read("SELECT 1 FROM sessions WHERE typeof(label) = 'blob' LIMIT 1")
        except StoreDamaged:
            if self.read_only:
                return  # the damage message says it already; reading will fail clearly
            raise
        if found:
            raise StoreDamaged(f"the session store {self.path} holds encrypted sessions but its "
                               "key record is missing; nothing was changed")

    # --- the key while running -------------------------------------------------------------

    @property
    def encrypted(self) -> bool:
        """True if this store is encrypted (whether or not the key is in memory just now)."""
        return self._key is not None

    @property
    def key_loaded(self) -> bool:
        """True if the data key is in memory, so sealed columns can be read and written."""
        return self._cipher is not None

    def unlock(self, passphrase: str) -> None:
        """Load the data key with `passphrase` (again, after `forget_key`).

        Raises `WrongPassphrase` (the key stays as it was) or `StoreNotEncrypted`.
        """
        record = self._key
        if record is None:
            raise StoreNotEncrypted(f"the session store {self.path} is not encrypted")
        try:
            cipher = unlock(record, passphrase)
        except BadPassphrase:
            raise WrongPassphrase(f"the passphrase does not open the session store "
                                  f"{self.path}") from None
        except UnknownFormat:
            raise StoreUnavailable(f"the session store {self.path} is encrypted in a way this "
                                   "version of sdm-assistant does not know") from None
        with self._lock:
            old, self._cipher = self._cipher, cipher
        if old is not None:
            old.wipe()

    def forget_key(self) -> None:
        """Drop the data key from this object and overwrite it with zeros (e.g. while the UI
        is locked, and on close).

        Until `unlock`, reading or writing sealed columns raises `PassphraseRequired`. The key
        bytes this program holds are zeroed (`RecordCipher.wipe`); copies Python or OpenSSL
        made on the way are beyond reach, which is why the process writes no core dumps
        (`assistant.hardening`).
        """
        with self._lock:
            cipher, self._cipher = self._cipher, None
        if cipher is not None:
            cipher.wipe()

    def close(self) -> None:
        """Close the connection and drop the key."""
        self.forget_key()
        super().close()

    # --- sealing ---------------------------------------------------------------------------

    def _locked(self) -> PassphraseRequired:
        return PassphraseRequired(f"the session store {self.path} is locked: its passphrase "
                                  "is needed")

    def _needs_key(self) -> RecordCipher:
        cipher = self._cipher
        if cipher is None:
            raise self._locked()
        return cipher

    def _seal(self, tx: _Tx, text: str, *context: str | int) -> str | bytes:
        """`text` as it is to be stored in the column named by `context`, inside `tx`.

        Plain text in an unencrypted store. Checked in the transaction: if another program
        switched encryption on since this store was opened, nothing is written in the clear.
        """
        if self._key is None:
            if tx.execute("SELECT 1 FROM encryption LIMIT 1").fetchone() is not None:
                raise PassphraseRequired(f"the session store {self.path} was encrypted by "
                                         "another program; open it again with its passphrase")
            return text
        try:
            return self._needs_key().seal(text.encode("utf-8"), context)
        except KeyForgotten:  # locked by another thread between the two calls
            raise self._locked() from None

    def _unseal(self, raw: object, what: str, *context: str | int) -> str:
        """The text stored in a sealed column; `what` names the record for the error message
        (e.g. "event 3 of session ..."), since the content never appears in one."""
        if self._key is None:
            if isinstance(raw, str):
                return raw
            raise StoreDamaged(f"{what} is encrypted, but the session store has no key")
        cipher = self._needs_key()
        if not isinstance(raw, bytes):
            raise StoreDamaged(f"{what} is not encrypted in an encrypted session store: it "
                               "was changed outside sdm-assistant")
        try:
            return cipher.open(raw, context).decode("utf-8")
        except KeyForgotten:  # locked by another thread meanwhile
            raise self._locked() from None
        except (Undecryptable, UnicodeDecodeError):
            raise StoreDamaged(f"{what} cannot be decrypted: it was changed or damaged after "
                               "it was saved") from None


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
        return bool(probe._read("SELECT count(*) FROM sqlite_master WHERE type = 'table'"
                                " AND name = 'encryption'")[0][0]
                    and probe._read("SELECT count(*) FROM encryption")[0][0])
    except (StoreError, sqlite3.Error):
        return False
    finally:
        probe.close()
