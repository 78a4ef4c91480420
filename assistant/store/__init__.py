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

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from assistant.store.db import DB_NAME as DB_NAME
    from assistant.store.errors import CannotEncrypt as CannotEncrypt
    from assistant.store.errors import InvalidSessionData as InvalidSessionData
    from assistant.store.errors import LockHolder as LockHolder
    from assistant.store.errors import NoAccessLog as NoAccessLog
    from assistant.store.errors import PassphraseRequired as PassphraseRequired
    from assistant.store.errors import SessionBusy as SessionBusy
    from assistant.store.errors import SessionNotFound as SessionNotFound
    from assistant.store.errors import StoreBusy as StoreBusy
    from assistant.store.errors import StoreDamaged as StoreDamaged
    from assistant.store.errors import StoreError as StoreError
    from assistant.store.errors import StoreNotEncrypted as StoreNotEncrypted
    from assistant.store.errors import StoreReadOnly as StoreReadOnly
    from assistant.store.errors import StoreUnavailable as StoreUnavailable
    from assistant.store.errors import StoreWriteError as StoreWriteError
    from assistant.store.errors import WrongPassphrase as WrongPassphrase
    from assistant.store.labels import looks_like_cpr as looks_like_cpr
    from assistant.store.lock import SessionLock as SessionLock
    from assistant.store.models import Revision as Revision
    from assistant.store.models import RevisionKind as RevisionKind
    from assistant.store.models import SessionRow as SessionRow
    from assistant.store.models import SessionStatus as SessionStatus
    from assistant.store.models import StoredDocument as StoredDocument
    from assistant.store.probe import is_encrypted as is_encrypted
    from assistant.store.retention import PurgeResult as PurgeResult
    from assistant.store.store import Store as Store
    from assistant.store.store import open_store as open_store

#: Where each public name lives. The package is lazy (PEP 562): `import assistant.store`, or
#: one light name from it, does not import SQLite's wrapper, the crypto library and the rest
#: (the first screen and `sdm --help` need none of them; issue 16).
_WHERE: dict[str, str] = {
    "CannotEncrypt": "assistant.store.errors",
    "DB_NAME": "assistant.store.db",
    "InvalidSessionData": "assistant.store.errors",
    "LockHolder": "assistant.store.errors",
    "PassphraseRequired": "assistant.store.errors",
    "PurgeResult": "assistant.store.retention",
    "Revision": "assistant.store.models",
    "StoredDocument": "assistant.store.models",
    "RevisionKind": "assistant.store.models",
    "NoAccessLog": "assistant.store.errors",
    "SessionBusy": "assistant.store.errors",
    "SessionLock": "assistant.store.lock",
    "SessionNotFound": "assistant.store.errors",
    "SessionRow": "assistant.store.models",
    "SessionStatus": "assistant.store.models",
    "Store": "assistant.store.store",
    "StoreBusy": "assistant.store.errors",
    "StoreDamaged": "assistant.store.errors",
    "StoreError": "assistant.store.errors",
    "StoreNotEncrypted": "assistant.store.errors",
    "StoreReadOnly": "assistant.store.errors",
    "StoreUnavailable": "assistant.store.errors",
    "StoreWriteError": "assistant.store.errors",
    "WrongPassphrase": "assistant.store.errors",
    "is_encrypted": "assistant.store.probe",
    "looks_like_cpr": "assistant.store.labels",
    "open_store": "assistant.store.store",
}


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value  # once: later lookups do not come back here
    return value


__all__ = [
    "DB_NAME",
    "CannotEncrypt",
    "InvalidSessionData",
    "LockHolder",
    "NoAccessLog",
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
    "StoredDocument",
    "WrongPassphrase",
    "is_encrypted",
    "looks_like_cpr",
    "open_store",
]
