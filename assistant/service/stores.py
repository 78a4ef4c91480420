"""Opening the session store for a person at a terminal: an encrypted store's passphrase is
asked for there, and nowhere else; and choosing the backend from the address given.

`open_any(address)` opens a PostgreSQL store for `postgresql://...` or `service=NAME`
(refusing a password in the address, and a host on another machine without
`sslmode=verify-full`, before anything is sent), and the SQLite file at any other path.

Shared by every `sdm` command that reads the store and by the chat UI's start (before
Textual takes the terminal); it sits in the service layer so that neither face imports the
other.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from assistant.store.contract import StoreContract
    from assistant.store.store import Store

__all__ = ["PASSPHRASE_TRIES", "is_server_address", "open_any", "open_server",
           "open_with_prompt"]

#: How often the passphrase of an encrypted store is asked for.
PASSPHRASE_TRIES = 3


def open_with_prompt(
    path: Path | str | None, prog: str = "sdm sessions", *,
    prompt: str | None = None, lang: str = "en",
) -> Store:
    """Open the store at `path`; if it is encrypted, ask for its passphrase on the terminal.

    Never from an argument or the environment, where other programs and the shell history
    could read it. Three tries, then `WrongPassphrase`; with no terminal to ask on,
    `PassphraseRequired`. `prog` starts the line on stderr that asks to try again; `lang` is
    the language of that line and of the prompt (default: the catalogue's
    `passphrase_prompt`). The errors raised say why in English, as every store error does
    (`catalogue.cli.translate` puts them in the user's language).
    """
    import getpass

    from assistant.catalogue import t
    from assistant.catalogue.cli import translate
    from assistant.store.errors import PassphraseRequired, WrongPassphrase
    from assistant.store.store import Store

    if prompt is None:
        prompt = t("passphrase_prompt", lang)

    try:
        return Store.open(path)
    except PassphraseRequired:
        if not sys.stdin.isatty():
            raise PassphraseRequired("the session store is encrypted: run this command in a "
                                     "terminal to type its passphrase") from None
    for attempt in range(1, PASSPHRASE_TRIES + 1):
        try:
            return Store.open(path, passphrase=getpass.getpass(prompt))
        except WrongPassphrase:
            if attempt == PASSPHRASE_TRIES:
                raise
            print(f"{prog}: {t('cli.passphrase_again', lang)}", file=sys.stderr)
        except UnicodeError:  # e.g. "æ" from a Latin-1 terminal: not UTF-8, so no passphrase
            why = ("the passphrase typed is not UTF-8 text: set the terminal to UTF-8 "
                   "(e.g. LANG=da_DK.UTF-8)")
            if attempt == PASSPHRASE_TRIES:
                raise WrongPassphrase(why) from None
            again = t("cli.try_again", lang).format(reason=translate(why, lang))
            print(f"{prog}: {again}", file=sys.stderr)
    raise AssertionError("unreachable")


def is_server_address(address: Path | str | None) -> bool:
    """True if `address` (a `--store` value, or `SDM_STORE`) names a PostgreSQL server:
    `postgresql://...`, `postgres://...` or a libpq string with `service=NAME`."""
    from assistant.pgstore.address import is_server_address as names_a_server

    return isinstance(address, str) and names_a_server(address)


def open_server(address: str, *, ask: bool = False, lang: str = "en") -> StoreContract:
    """The PostgreSQL store at `address`. Refused before connecting (`AddressRefused`, a
    `StoreUnavailable`): a password in it (the password file, a service file or a client
    certificate keep it instead), a host on another machine without `sslmode=verify-full`.
    `StoreUnavailable` too when the PostgreSQL support is not installed. New sessions go to
    the unit `SDM_UNIT` names, for a role that belongs to several.

    With `ask` (a command run by a person), a server that asks for a password libpq did not
    find is given one typed on the terminal (never echoed, never kept beyond the process);
    without a terminal, or without `ask` (the chat UI, which has taken the terminal),
    `PasswordRequired` says where to keep it instead."""
    from assistant.pgstore.address import check_address
    from assistant.store.errors import StoreUnavailable

    check_address(address)  # before importing psycopg: refused the same way without it
    try:
        from assistant.pgstore.db import PasswordRequired
        from assistant.pgstore.store import PgStore
    except ImportError:
        raise StoreUnavailable("PostgreSQL support is not installed: pip install "
                               "'sdm-assistant[postgres]'") from None
    # A role of several units says which one new sessions belong to (SDM_UNIT); the
    # server checks the role belongs to it.
    unit = os.environ.get("SDM_UNIT") or None
    try:
        return PgStore.open(address, unit=unit)
    except PasswordRequired:
        if not (ask and sys.stdin.isatty()):
            raise
    import getpass

    from assistant.catalogue import t

    return PgStore.open(address, unit=unit, password=getpass.getpass(t("server_password",
                                                                         lang)))


def open_any(
    address: Path | str | None, prog: str = "sdm sessions", *,
    prompt: str | None = None, lang: str = "en",
) -> StoreContract:
    """The store `address` names, of its backend: a PostgreSQL server (`open_server`), or
    the SQLite file at that path (None: the user's own), asking for an encrypted file's
    passphrase on the terminal (`open_with_prompt`)."""
    if isinstance(address, str) and is_server_address(address):
        return open_server(address, ask=True, lang=lang)
    return open_with_prompt(address, prog, prompt=prompt, lang=lang)
