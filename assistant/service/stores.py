"""Opening the session store for a person at a terminal: an encrypted store's passphrase is
asked for there, and nowhere else.

Shared by every `sdm` command that reads the store and by the chat UI's start (before
Textual takes the terminal); it sits in the service layer so that neither face imports the
other.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from assistant.store.store import Store

__all__ = ["PASSPHRASE_TRIES", "open_with_prompt"]

#: How often the passphrase of an encrypted store is asked for.
PASSPHRASE_TRIES = 3


def open_with_prompt(
    path: Path | str | None, prog: str = "sdm sessions", *,
    prompt: str = "Passphrase for the session store: ",
) -> Store:
    """Open the store at `path`; if it is encrypted, ask for its passphrase on the terminal.

    Never from an argument or the environment, where other programs and the shell history
    could read it. Three tries, then `WrongPassphrase`; with no terminal to ask on,
    `PassphraseRequired`. `prog` starts the line on stderr that asks to try again.
    """
    import getpass

    from assistant.store.errors import PassphraseRequired, WrongPassphrase
    from assistant.store.store import Store

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
            print(f"{prog}: that passphrase does not open the store; try again",
                  file=sys.stderr)
        except UnicodeError:  # e.g. "æ" from a Latin-1 terminal: not UTF-8, so no passphrase
            why = ("the passphrase typed is not UTF-8 text: set the terminal to UTF-8 "
                   "(e.g. LANG=da_DK.UTF-8)")
            if attempt == PASSPHRASE_TRIES:
                raise WrongPassphrase(why) from None
            print(f"{prog}: {why}; try again", file=sys.stderr)
    raise AssertionError("unreachable")
