"""`sdm` with no arguments: load the library, build the app, run it.

An encrypted store's passphrase is asked for on the terminal before the UI starts (never from
an argument or the environment), so key derivation never runs on Textual's UI thread.
`sdm --encrypt` starts a new store encrypted, asking for a new passphrase twice.
"""

from __future__ import annotations

import datetime as dt
import sys
import threading
from pathlib import Path
from typing import TYPE_CHECKING

from assistant.guides.loader import load_library
from assistant.guides.models import Language
from assistant.tui.strings import t

if TYPE_CHECKING:
    from assistant.store import Store

#: How often `sdm --encrypt` asks for a new passphrase (too short, or the two differ).
NEW_PASSPHRASE_TRIES = 5
#: `sdm --lock-after` by default (kept in step with assistant.tui.locking, which imports
#: Textual; this module must not before the UI starts).
DEFAULT_LOCK_AFTER = dt.timedelta(minutes=5)


def run_app(
    lang: Language = "da",
    store: Path | str | None = None,
    *,
    headless: bool = False,
    exit_when_ready: bool = False,
    encrypt: bool = False,
    lock_after: dt.timedelta | None = DEFAULT_LOCK_AFTER,
) -> int:
    """Start the chat UI; returns the exit code. A broken library is reported, not a crash.

    Args:
        lang: the UI language.
        store: the session store file (default: in the user's data directory).
        headless: run without a terminal (benchmarks).
        exit_when_ready: quit as soon as the home screen is up (start-up benchmark).
        encrypt: start a new store encrypted (`sdm --encrypt`); refused for a store that
            already holds unencrypted sessions.
        lock_after: lock the screen after this long without input (None: never).
    """
    from assistant.store import PassphraseRequired, Store, StoreError, open_store
    from assistant.store.commands import open_with_prompt

    # Open the store (its integrity check is mostly I/O in SQLite, which releases the GIL)
    # while this thread loads the library and imports Textual.
    opened: list[Store | StoreError] = []

    def _open() -> None:
        try:
            opened.append(open_store(store))
        except StoreError as exc:
            opened.append(exc)

    opener = threading.Thread(target=_open, name="open-store")
    if encrypt:
        try:
            opened.append(open_encrypting(store, lang))
        except StoreError as exc:
            print(f"sdm: {exc.message}", file=sys.stderr)
            return 1
    else:
        opener.start()
    library = load_library()
    if library.errors:
        if opener.is_alive():
            opener.join()
        if opened and isinstance(opened[0], Store):
            opened[0].close()
        for problem in library.errors[:20]:
            print(problem.format(), file=sys.stderr)
        print("sdm: the guide library has errors; run 'sdm validate' for all of them",
              file=sys.stderr)
        return 1
    from assistant.sessions import SessionService
    from assistant.tui.app import make_app  # Textual only when the UI starts

    if opener.is_alive():
        opener.join()
    if opened and isinstance(opened[0], PassphraseRequired):
        # Encrypted: ask on the terminal, before Textual takes it over.
        try:
            opened[0] = open_with_prompt(store, "sdm", prompt=t("passphrase_prompt", lang))
        except StoreError as exc:
            opened[0] = exc
    opened_store = opened[0] if opened else None
    if not isinstance(opened_store, Store):
        message = opened_store.message if opened_store else "the store could not be opened"
        print(f"sdm: {message}", file=sys.stderr)
        return 1

    try:
        app = make_app(library, lang=lang, service=SessionService(opened_store, library),
                       lock_after=lock_after)
        app.exit_when_ready = exit_when_ready
        app.run(headless=headless)
    finally:
        opened_store.close()
    return app.return_code or 0  # a crash sets a non-zero code


def open_encrypting(store: Path | str | None, lang: Language = "da") -> Store:
    """`sdm --encrypt`: the store at `store`, encrypted; a new one asks for a new passphrase.

    An encrypted store is opened with its passphrase. A store that exists unencrypted is
    refused with `CannotEncrypt` if it holds sessions (an existing store cannot be encrypted
    in place); an empty one is encrypted like a new one. The passphrase is asked for twice on
    the terminal (at least `MIN_PASSPHRASE` characters), never read from anywhere else.
    Raises `StoreError`s with a message for the user.
    """
    from assistant.paths import data_dir
    from assistant.store import DB_NAME, CannotEncrypt, PassphraseRequired, Store, is_encrypted
    from assistant.store.commands import open_with_prompt

    db = data_dir(create=False) / DB_NAME if store is None else Path(store).expanduser()
    if is_encrypted(db):
        return open_with_prompt(store, "sdm", prompt=t("passphrase_prompt", lang))
    if db.is_file():
        with Store.open(db) as existing:
            count = len(existing.list_sessions())
        if count:
            raise CannotEncrypt(
                f"the session store {db} already holds {count} unencrypted sessions, and an "
                "existing store cannot be encrypted in place. Start an encrypted store in "
                "another file ('sdm --encrypt --store PATH'), or delete those sessions first "
                "('sdm sessions delete'). Nothing was changed.")
    if not sys.stdin.isatty():
        raise PassphraseRequired("sdm --encrypt asks for a new passphrase on the terminal: "
                                 "run it in a terminal. Nothing was changed.")
    passphrase = ask_new_passphrase(lang)
    if passphrase is None:
        raise CannotEncrypt("no passphrase was chosen, so nothing was encrypted or changed")
    opened = Store.create_encrypted(store, passphrase)
    del passphrase
    print(t("store_now_encrypted", lang).format(path=opened.path), file=sys.stderr)
    return opened


def ask_new_passphrase(lang: Language = "da", tries: int = NEW_PASSPHRASE_TRIES) -> str | None:
    """A new passphrase typed twice on the terminal, or None after `tries` failed rounds."""
    import getpass

    from assistant.store.crypto import MIN_PASSPHRASE

    for _ in range(tries):
        first = getpass.getpass(t("new_passphrase_prompt", lang).format(n=MIN_PASSPHRASE))
        if len(first) < MIN_PASSPHRASE:
            print(t("passphrase_too_short", lang).format(n=MIN_PASSPHRASE), file=sys.stderr)
            continue
        if getpass.getpass(t("repeat_passphrase_prompt", lang)) != first:
            print(t("passphrase_mismatch", lang), file=sys.stderr)
            continue
        return first
    return None
