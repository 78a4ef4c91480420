"""`Store`: the session store with all its parts (sessions, revisions, retention)."""

from __future__ import annotations

from pathlib import Path

from assistant.store.db import Clock, utc_now
from assistant.store.retention import RetentionMixin
from assistant.store.revisions import RevisionsMixin
from assistant.store.sessions import SessionsMixin


class Store(SessionsMixin, RevisionsMixin, RetentionMixin):
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
    """


def open_store(
    path: Path | str | None = None, *, passphrase: str | None = None, clock: Clock = utc_now
) -> Store:
    """`Store.open(path, passphrase=...)`: the store at `path`, or in the user's data
    directory if None; `passphrase` only for an encrypted store (see `Store.open`)."""
    return Store.open(path, passphrase=passphrase, clock=clock)
