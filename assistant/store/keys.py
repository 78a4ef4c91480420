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
that `forget_key` overwrites with zeros (e.g. while the UI is locked, and on close). `Keys`
keeps no reference to the passphrase: it is used to derive the key and dropped.

`Keys` is the store's part that knows the key: the `Store` holds one, and so do the
repositories that seal columns (sessions, revisions).
"""

from __future__ import annotations

import threading

from assistant.store.crypto import (
    KEY_FORMAT,
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
from assistant.store.db import Database, Transaction
from assistant.store.errors import (
    CannotEncrypt,
    PassphraseRequired,
    StoreDamaged,
    StoreNotEncrypted,
    StoreUnavailable,
    WrongPassphrase,
)
from assistant.store.probe import is_encrypted as is_encrypted

_KEY_COLUMNS = "format, key_id, kdf, salt, wrapped_key"


class Keys:
    """The encryption of one open store: its key record, the data key while it is in memory,
    and sealing and unsealing columns. Built by `Store.open` on the store's `Database`."""

    def __init__(self, db: Database) -> None:
        self._db = db
        self._swap = threading.Lock()  # key and cipher change together
        # No key record: not encrypted. Set once on open (or by `switch_on`).
        self._key: KeyRecord | None = None
        # The data key, while it is in memory: None if not encrypted or put away.
        self._cipher: RecordCipher | None = None

    # --- opening ---------------------------------------------------------------------------

    def load(self, passphrase: str | None) -> None:
        """Read the key record of the store just opened, and unlock it with `passphrase`.

        Raises `PassphraseRequired` for an encrypted store without a passphrase,
        `WrongPassphrase` if it does not fit, and `StoreNotEncrypted` if a passphrase is given
        for a store that is not encrypted. A store too damaged to read is left as it is (it
        is open read-only, and its `damage` says why).
        """
        db = self._db
        try:
            record = self._read_key_record()
        except StoreDamaged:
            if not db.read_only:
                raise
            # So damaged that not even the schema reads: it is open read-only with `damage`
            # saying so, and every read will fail cleanly, encrypted or not.
            return
        with self._swap:
            self._key, self._cipher = record, None
        if record is None:
            if passphrase is not None:
                raise StoreNotEncrypted(f"the session store {db.path} is not encrypted, so "
                                        "it has no passphrase; nothing was opened")
            self._refuse_orphaned_ciphertext()
            return
        if passphrase is None:
            raise PassphraseRequired(f"the session store {db.path} is encrypted: its "
                                     "passphrase is needed to open it")
        self.unlock(passphrase)

    def switch_on(self, passphrase: str, kdf: KdfParams | None = None) -> None:
        """Encrypt this store, which holds no sessions yet, with a new key for `passphrase`.

        Raises `CannotEncrypt` if the store is read-only, holds unencrypted sessions, or was
        encrypted meanwhile by another program. `kdf` overrides the key-derivation settings
        (tests use cheap ones; the default is the real thing).
        """
        db = self._db
        if db.read_only:
            raise CannotEncrypt(f"the session store {db.path} is open read-only, so "
                                "encryption cannot be switched on")
        record, cipher = new_key(passphrase, kdf)  # slow on purpose: outside the lock
        with db.write() as tx:
            # Checked under the write lock: another program may have written meanwhile.
            if tx.execute("SELECT count(*) FROM encryption").fetchone()[0]:
                raise CannotEncrypt(f"the session store {db.path} was encrypted by "
                                    "another program just now; open it with its "
                                    "passphrase")
            sessions = int(tx.execute("SELECT count(*) FROM sessions").fetchone()[0])
            if sessions:
                raise CannotEncrypt(
                    f"the session store {db.path} already holds {sessions} "
                    "unencrypted sessions. Encryption can only be switched on for a "
                    "new store: choose another file with --store, or delete those "
                    "sessions first ('sdm sessions delete').")
            tx.execute(f"INSERT INTO encryption (one, {_KEY_COLUMNS}, created)"
                       " VALUES (1, ?, ?, ?, ?, ?, ?)",
                       (record.format, record.key_id, kdf_to_json(record.kdf),
                        record.salt, record.wrapped_key, db.now().isoformat()))
        with self._swap:
            self._key, self._cipher = record, cipher

    def _read_key_record(self) -> KeyRecord | None:
        db = self._db
        tables = db.read("SELECT name FROM sqlite_master WHERE type = 'table'"
                         " AND name = 'encryption'")
        if not tables:  # a store from before schema 2, open read-only: never encrypted
            return None
        rows = db.read(f"SELECT {_KEY_COLUMNS} FROM encryption")
        if not rows:
            return None
        fmt, key_id, kdf, salt, wrapped = rows[0]
        if not (isinstance(key_id, bytes) and isinstance(salt, bytes)
                and isinstance(wrapped, bytes) and isinstance(kdf, str)):
            raise StoreDamaged(f"the key record of the session store {db.path} is damaged; "
                               "nothing was changed")
        try:
            params = kdf_from_json(kdf)
        except UnknownFormat:
            params = None
        if fmt != KEY_FORMAT or params is None:
            raise StoreUnavailable(f"the session store {db.path} is encrypted in a way this "
                                   "version of sdm-assistant does not know; nothing was "
                                   "changed")
        return KeyRecord(key_id=key_id, kdf=params, salt=salt, wrapped_key=wrapped, format=fmt)

    def _refuse_orphaned_ciphertext(self) -> None:
        """An unencrypted store must not hold sealed labels: that means its key record was
        removed, and new sessions must not then be written into it in the clear."""
        db = self._db
        try:
            found = db.read("SELECT 1 FROM sessions WHERE typeof(label) = 'blob' LIMIT 1")
        except StoreDamaged:
            if db.read_only:
                return  # the damage message says it already; reading will fail clearly
            raise
        if found:
            raise StoreDamaged(f"the session store {db.path} holds encrypted sessions but its "
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
        record, path = self._key, self._db.path
        if record is None:
            raise StoreNotEncrypted(f"the session store {path} is not encrypted")
        try:
            cipher = unlock(record, passphrase)
        except BadPassphrase:
            raise WrongPassphrase(f"the passphrase does not open the session store "
                                  f"{path}") from None
        except UnknownFormat:
            raise StoreUnavailable(f"the session store {path} is encrypted in a way this "
                                   "version of sdm-assistant does not know") from None
        with self._swap:
            old, self._cipher = self._cipher, cipher
        if old is not None:
            old.wipe()

    def forget_key(self) -> None:
        """Drop the data key and overwrite it with zeros (e.g. while the UI is locked, and on
        close).

        Until `unlock`, reading or writing sealed columns raises `PassphraseRequired`. The key
        bytes this program holds are zeroed (`RecordCipher.wipe`); copies Python or OpenSSL
        made on the way are beyond reach, which is why the process writes no core dumps
        (`assistant.hardening`).
        """
        with self._swap:
            cipher, self._cipher = self._cipher, None
        if cipher is not None:
            cipher.wipe()

    # --- sealing ---------------------------------------------------------------------------

    def _locked(self) -> PassphraseRequired:
        return PassphraseRequired(f"the session store {self._db.path} is locked: its "
                                  "passphrase is needed")

    def _needs_key(self) -> RecordCipher:
        cipher = self._cipher
        if cipher is None:
            raise self._locked()
        return cipher

    def seal(self, tx: Transaction, text: str, *context: str | int) -> str | bytes:
        """`text` as it is to be stored in the column named by `context`, inside `tx`.

        Plain text in an unencrypted store. Checked in the transaction: if another program
        switched encryption on since this store was opened, nothing is written in the clear.
        """
        if self._key is None:
            if tx.execute("SELECT 1 FROM encryption LIMIT 1").fetchone() is not None:
                raise PassphraseRequired(f"the session store {self._db.path} was encrypted by "
                                         "another program; open it again with its passphrase")
            return text
        try:
            return self._needs_key().seal(text.encode("utf-8"), context)
        except KeyForgotten:  # locked by another thread between the two calls
            raise self._locked() from None

    def unseal(self, raw: object, what: str, *context: str | int) -> str:
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


