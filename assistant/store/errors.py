"""The store's exceptions: every one says what went wrong with the store, never what was said.

Messages name files, session ids, sequence numbers and SQLite error names. They never carry a
label, an answer, a note or a plan draft, so they are safe to show, log or print in a
traceback (requirement R10). Each exception has a stable `code` the UI can translate.

The store knows no language: `message` is English (logs, tests). `text(lang)` says it in the
user's language, from the catalogue (`catalogue.cli.RAISED` holds every message raised here
with its Danish); the faces show that.
"""

from __future__ import annotations

from dataclasses import dataclass


class StoreError(Exception):
    """Something went wrong in the session store; `message` says what, `code` says which kind."""

    code = "store_error"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def text(self, lang: str) -> str:
        """`message` in `lang` ("da" or "en"), for the user."""
        from assistant.catalogue.cli import translate

        return translate(self.message, lang)


class StoreDamaged(StoreError):
    """The store file is damaged (or is not a session store). Nothing more is written to it."""

    code = "damaged"


class StoreUnavailable(StoreError):
    """The store file cannot be opened or created at all (a folder, no permission, no space,
    a symbolic link where the store or its folder should be)."""

    code = "unavailable"


class NoAccessLog(StoreError):
    """The store keeps no access log: a store file is one person's own (a department
    server's store keeps one; `sdm audit` reads it)."""

    code = "no_access_log"


class StoreReadOnly(StoreError):
    """A write was attempted on a store that is open read-only (damaged, missing saved
    changes, in a folder that cannot be written, or newer); nothing was written."""

    code = "read_only"


class StoreWriteError(StoreError):
    """A write failed (disk full, I/O error, ...). Nothing of it was saved; earlier data is intact.

    `sqlite_error` is SQLite's error name (e.g. `SQLITE_FULL`), when there is one;
    `sqlstate` the PostgreSQL server's error code, when there is one.
    """

    code = "write_failed"

    def __init__(self, message: str, *, sqlite_error: str | None = None,
                 sqlstate: str | None = None) -> None:
        super().__init__(message)
        self.sqlite_error = sqlite_error
        self.sqlstate = sqlstate


class StoreBusy(StoreError):
    """Another program kept the store locked for longer than the busy timeout."""

    code = "store_busy"


class SessionNotFound(StoreError):
    """No session with this id is in the store."""

    code = "not_found"

    def __init__(self, session_id: str) -> None:
        super().__init__(f"no session with id {session_id!r} in the store")
        self.session_id = session_id


class InvalidSessionData(StoreError, ValueError):
    """An argument does not fit the store (an empty label, an unknown role or status...)."""

    code = "invalid"


@dataclass(frozen=True)
class LockHolder:
    """Who holds a session lock, as written into the lock file by the holder."""

    pid: int | None
    hostname: str | None
    started: str | None

    def describe(self) -> str:
        """`process 123 on host-a since 2026-05-01T10:00:00+00:00` (unknown parts left out)."""
        parts = [f"process {self.pid}" if self.pid is not None else "another process"]
        if self.hostname:
            parts.append(f"on {self.hostname}")
        if self.started:
            parts.append(f"since {self.started}")
        return " ".join(parts)


class SessionBusy(StoreError):
    """Another program is writing to this session; `holder` says who (None if unreadable)."""

    code = "session_busy"

    def __init__(self, session_id: str, holder: LockHolder | None) -> None:
        who = holder.describe() if holder is not None else "another process"
        super().__init__(f"session {session_id} is in use by {who}")
        self.session_id = session_id
        self.holder = holder


class PassphraseRequired(StoreError):
    """The store is encrypted and no passphrase was given (or the key was put away)."""

    code = "passphrase_required"


class WrongPassphrase(StoreError):
    """The passphrase does not open this store. Nothing was read or changed."""

    code = "wrong_passphrase"


class StoreNotEncrypted(StoreError):
    """A passphrase was given for a store that is not encrypted.

    Raised rather than ignored: the user expects encryption, so silently writing plain text
    would be worse than stopping.
    """

    code = "not_encrypted"


class CannotEncrypt(StoreError):
    """Encryption cannot be switched on for this store (it already holds unencrypted sessions,
    is encrypted already, or is open read-only)."""

    code = "cannot_encrypt"
