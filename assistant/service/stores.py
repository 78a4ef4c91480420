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
