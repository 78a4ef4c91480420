"""The append-only session store: SQLite, one file in the user's data directory.

    store = Store.open()                        # or Store.open(path)
    if store.read_only: show(store.damage)      # damaged file: opened read-only, untouched
    row = store.create_session(loaded_guide, "AB", ["patient", "clinician"])
    with store.lock(row.id):                    # one writer per session (SessionBusy if not)
        seq = store.append(row.id, event)       # committed and synced when this returns
    events = store.load_events(row.id)

Encrypted (optional, R13): `Store.create_encrypted(path, passphrase)` starts one;
`Store.open(path, passphrase=...)` opens one (`PassphraseRequired` without, `WrongPassphrase`
if it does not fit); `is_encrypted(path)` tells without opening. See keys.py and crypto.py.

No Textual here; nothing in this package writes health data to logs or exception messages.
"""

from __future__ import annotations

from assistant.store.db import DB_NAME
from assistant.store.errors import (
    CannotEncrypt,
    InvalidSessionData,
    LockHolder,
    PassphraseRequired,
    SessionBusy,
    SessionNotFound,
    StoreBusy,
    StoreDamaged,
    StoreError,
    StoreNotEncrypted,
    StoreReadOnly,
    StoreUnavailable,
    StoreWriteError,
    WrongPassphrase,
)
from assistant.store.keys import is_encrypted
from assistant.store.labels import looks_like_cpr
from assistant.store.lock import SessionLock
from assistant.store.models import Revision, RevisionKind, SessionRow, SessionStatus
from assistant.store.retention import PurgeResult
from assistant.store.store import Store, open_store

__all__ = [
    "DB_NAME",
    "CannotEncrypt",
    "InvalidSessionData",
    "LockHolder",
    "PassphraseRequired",
    "PurgeResult",
    "Revision",
    "RevisionKind",
    "SessionBusy",
    "SessionLock",
    "SessionNotFound",
    "SessionRow",
    "SessionStatus",
    "Store",
    "StoreBusy",
    "StoreDamaged",
    "StoreError",
    "StoreNotEncrypted",
    "StoreReadOnly",
    "StoreUnavailable",
    "StoreWriteError",
    "WrongPassphrase",
    "is_encrypted",
    "looks_like_cpr",
    "open_store",
]
