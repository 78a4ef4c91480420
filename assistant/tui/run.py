"""`sdm` with no arguments: build the app, run it; the library and the store come just after.

The first screen is drawn from the shelf (the library's cards, kept between starts) before
the library is validated or the store opened: both happen in a thread right after the first
paint (`_loader`), and no guide opens until they are done (issue 16). A broken library or a
store that cannot be opened is shown on the home screen.

An encrypted store's passphrase is asked for on the terminal before the UI starts (never from
an argument or the environment), so key derivation never runs on Textual's UI thread: such a
store, and `sdm --encrypt`, take the slower path of opening the store and loading the library
first. `sdm --encrypt` starts a new store encrypted, asking for a new passphrase twice.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import os
import signal
import sys
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, NoReturn

from assistant.language import Language
from assistant.system import (
    TerminalModes,
    exit_signals,
    restore_terminal_modes,
    terminal_modes,
)
from assistant.tui.strings import t

if TYPE_CHECKING:
    from assistant.store import Store
    from assistant.tui.app import Loaded

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
    exit_when_painted: bool = False,
    encrypt: bool = False,
    lock_after: dt.timedelta | None = DEFAULT_LOCK_AFTER,
    calm: bool | None = None,
    folders: Sequence[Path] = (),
) -> int:
    """Start the chat UI; returns the exit code. A broken library is reported, not a crash.

    Args:
        lang: the UI language.
        store: the session store file (default: in the user's data directory).
        headless: run without a terminal (benchmarks).
        exit_when_ready: quit as soon as the library is checked and the store open.
        exit_when_painted: quit as soon as the first screen is drawn (start-up benchmark).
        encrypt: start a new store encrypted (`sdm --encrypt`); refused for a store that
            already holds unencrypted sessions.
        lock_after: lock the screen after this long without input (None: never).
        calm: choose calm mode (`sdm --calm`, then remembered); None: as remembered.
        folders: library folders besides the bundled library (`guides/folders.py`).
    """
    from assistant.hardening import protect_process  # health data: no core dumps

    protect_process()  # first, before anything is read
    if not encrypt and not _maybe_encrypted(store):
        return _run_painted_first(lang, store, headless=headless, exit_when_ready=exit_when_ready,
                                  exit_when_painted=exit_when_painted, lock_after=lock_after,
                                  calm=calm, folders=folders)
    from assistant.guides.loader import load_library
    from assistant.service.stores import open_with_prompt
    from assistant.store import PassphraseRequired, Store, StoreError, open_store

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
            print(f"sdm: {exc.text(lang)}", file=sys.stderr)
            return 1
    else:
        opener.start()
    library = load_library(folders=folders)
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
    from assistant.service.sessions import SessionService
    from assistant.tui.app import make_app  # Textual only when the UI starts

    if opener.is_alive():
        opener.join()
    if opened and isinstance(opened[0], PassphraseRequired):
        # Encrypted: ask on the terminal, before Textual takes it over.
        try:
            opened[0] = open_with_prompt(store, "sdm", prompt=t("passphrase_prompt", lang),
                                         lang=lang)
        except StoreError as exc:
            opened[0] = exc
    opened_store = opened[0] if opened else None
    if not isinstance(opened_store, Store):
        message = opened_store.message if opened_store else "the store could not be opened"
        print(f"sdm: {message}", file=sys.stderr)
        return 1

    signals: ExitOnSignal | None = None
    try:
        app = make_app(library, lang=lang, service=SessionService(opened_store, library),
                       lock_after=lock_after, calm=calm)
        app.exit_when_ready = exit_when_ready or exit_when_painted
        if not headless:
            # SIGTERM, SIGHUP, SIGINT: Textual's own shutdown gives the terminal back, then
            # the screen is cleared of what the patient said (see ExitOnSignal).
            signals = ExitOnSignal(lambda code: app.exit(return_code=code)).install()
        app.run(headless=headless)
    finally:
        try:
            opened_store.close()
        finally:
            if signals is not None:
                signals.finish()
    return app.return_code or 0  # a crash sets a non-zero code; a signal 128 + its number


def _maybe_encrypted(store: Path | str | None) -> bool:
    """True when the store may be encrypted (its passphrase must be asked for first).

    A store file that does not exist yet is not; otherwise the store's own check says
    (SQLite only, no crypto library)."""
    from assistant.paths import data_dir
    from assistant.service.stores import is_server_address

    if is_server_address(store):
        return False  # a department server: its disks are the operator's to encrypt
    db = data_dir(create=False) / "sessions.sqlite3" if store is None else \
        Path(store).expanduser()
    if not db.exists():
        return False
    from assistant.store.probe import is_encrypted

    return is_encrypted(db)


def _run_painted_first(
    lang: Language,
    store: Path | str | None,
    *,
    headless: bool,
    exit_when_ready: bool,
    exit_when_painted: bool,
    lock_after: dt.timedelta | None,
    calm: bool | None,
    folders: Sequence[Path] = (),
) -> int:
    """`sdm` with an unencrypted (or new) store: the home screen first, from the shelf; the
    library and the store in a thread right after (`_loader`)."""
    from assistant.guides.shelf import read_shelf
    from assistant.guides.status import LibraryStatus
    from assistant.tui.app import make_app

    shelf = read_shelf()
    app = make_app(None, service=None, lang=lang, lock_after=lock_after, calm=calm,
                   status=LibraryStatus(shelf.cards), loader=lambda: _loader(store, folders))
    app.exit_when_ready = exit_when_ready
    app.exit_when_painted = exit_when_painted
    signals: ExitOnSignal | None = None
    try:
        if not headless:
            signals = ExitOnSignal(lambda code: app.exit(return_code=code)).install()
        app.run(headless=headless)
    finally:
        try:
            for opened in app.open_sessions:
                opened.close()
            if app._service is not None:
                app._service.store.close()
        finally:
            if signals is not None:
                signals.finish()
    if app.store_problem is not None:
        print(f"sdm: {app.store_problem}", file=sys.stderr)
        return app.return_code or 1
    return app.return_code or 0


def _loader(store: Path | str | None, folders: Sequence[Path] = ()) -> Loaded:
    """Check the library (keeping its cards on the shelf for the next start) and open the
    store; run in a thread after the first paint. A store that cannot be opened is not an
    exception here: the home screen says why (and, for a department server that cannot be
    reached, offers the local file instead: the user's choice, never a silent fallback)."""
    from assistant.guides.loader import load_library
    from assistant.guides.shelf import stamps_of, write_shelf
    from assistant.service.sessions import SessionService
    from assistant.service.stores import is_server_address, open_server
    from assistant.store import PassphraseRequired, StoreError, open_store
    from assistant.store.contract import StoreContract
    from assistant.tui.app import Loaded

    stamps = stamps_of()  # before reading: a file changed meanwhile is read again next time
    library = load_library(folders=folders)
    write_shelf(library, stamps)
    server = isinstance(store, str) and is_server_address(store)
    try:
        opened: StoreContract = open_server(str(store)) if server else open_store(store)
    except PassphraseRequired as exc:  # encrypted since the check a moment ago
        return Loaded(library, None, exc.message)
    except StoreError as exc:
        # Refused before connecting (a password in the address): no server was tried, so
        # there is nothing to fall back from; fix the address instead.
        return Loaded(library, None, exc.message,
                      can_use_local=server and exc.code != "address_refused")
    return Loaded(library, SessionService(opened, library))


def open_encrypting(store: Path | str | None, lang: Language = "da") -> Store:
    """`sdm --encrypt`: the store at `store`, encrypted; a new one asks for a new passphrase.

    An encrypted store is opened with its passphrase. A store that exists unencrypted is
    refused with `CannotEncrypt` if it holds sessions (an existing store cannot be encrypted
    in place); an empty one is encrypted like a new one. The passphrase is asked for twice on
    the terminal (at least `MIN_PASSPHRASE` characters), never read from anywhere else.
    Raises `StoreError`s with a message for the user.
    """
    from assistant.paths import data_dir
    from assistant.service.stores import open_with_prompt
    from assistant.store import DB_NAME, CannotEncrypt, PassphraseRequired, Store, is_encrypted

    db = data_dir(create=False) / DB_NAME if store is None else Path(store).expanduser()
    if is_encrypted(db):
        return open_with_prompt(store, "sdm", prompt=t("passphrase_prompt", lang), lang=lang)
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


# --- ending on a signal ------------------------------------------------------------------------

#: The signals that end the chat UI cleanly: `kill` (TERM), a terminal window or SSH connection
#: closed (HUP; POSIX only), and an interrupt sent from outside (INT; in the UI, Ctrl+C is a key).
EXIT_SIGNALS: tuple[signal.Signals, ...] = exit_signals()
#: How long Textual's own shutdown may take after a signal before the terminal is given back by
#: hand and the process ends at once.
SIGNAL_GRACE_S = 3.0
#: How long the fallback waits for its write to the terminal (a stopped or gone terminal can
#: block it) before the process ends anyway.
RESET_WRITE_WAIT_S = 1.0
#: Everything the UI may have switched on in the terminal, switched off again, as Textual's
#: `LinuxDriver.stop_application_mode` does: the kitty keyboard protocol, mouse reporting (all
#: modes), focus events, bracketed paste and in-band resize off; line wrap on; the alternate
#: screen left; the cursor shown.
TERMINAL_RESET = ("\x1b[<u"
                  "\x1b[?1000l\x1b[?1003l\x1b[?1015l\x1b[?1006l\x1b[?1016l"
                  "\x1b[?1004l\x1b[?2004l\x1b[?2048l"
                  "\x1b[?7h"
                  "\x1b[?1049l"
                  "\x1b[?25h")
#: Attributes reset, the screen and its scrollback erased, the cursor home: no patient text
#: stays in sight once the UI is gone (also where the terminal has no alternate screen).
CLEAR_SCREEN = "\x1b[0m\x1b[2J\x1b[3J\x1b[H"


class ExitOnSignal:
    """End the chat UI on SIGTERM, SIGHUP or SIGINT with the terminal given back and cleared.

    The first signal asks the app to exit (`request_exit(128 + signum)`, i.e. `App.exit`) on
    its own event loop, so Textual's shutdown runs as it does for Ctrl+Q: the open sessions
    are closed, and the driver leaves the alternate screen, switches mouse reporting off and
    shows the cursor. `finish()` (after `App.run` returns) then clears the screen. Nothing is
    asked and nothing is saved on the way out: every answer the screen called saved was
    committed before it was shown, and words not yet saved are not written anywhere.

    The fallback, when the orderly way cannot be trusted: a second signal, a signal when no
    event loop runs (before the UI started, or after it ended), or a shutdown that takes
    longer than `grace` seconds. Then `TERMINAL_RESET` and `CLEAR_SCREEN` are written to the
    terminal directly, its modes (echo, line editing) are restored as they were before the UI
    started, and the process ends with `os._exit(128 + signum)`; SQLite's commits are atomic,
    so a store write cut short is simply not there, as after a power cut.

    Install from the main thread, before `App.run`; call `finish()` when it has returned.
    """

    def __init__(self, request_exit: Callable[[int], object], *,
                 grace: float = SIGNAL_GRACE_S) -> None:
        self._request_exit = request_exit
        self._grace = grace
        self._fd = _terminal_fd()
        self._input, self._modes = _terminal_modes()
        self._previous: dict[int, object] = {}
        self._received: list[int] = []
        self._done = threading.Event()

    @property
    def received(self) -> int | None:
        """The first signal received, or None."""
        return self._received[0] if self._received else None

    def install(self) -> ExitOnSignal:
        """Handle `EXIT_SIGNALS` from now on (only the main thread can); returns self."""
        if threading.current_thread() is threading.main_thread():
            for sig in EXIT_SIGNALS:
                self._previous[sig] = signal.signal(sig, self._on_signal)
        return self

    def finish(self) -> None:
        """The UI has ended: after a signal, clear the screen; put the old handlers back."""
        self._done.set()
        if self._received:
            self._write_reset()
        for sig, previous in self._previous.items():
            with contextlib.suppress(TypeError, ValueError):
                signal.signal(sig, previous)  # type: ignore[arg-type]
        self._previous.clear()

    def _on_signal(self, signum: int, _frame: FrameType | None) -> None:
        self._received.append(signum)
        if len(self._received) > 1 or self._done.is_set():
            self.hard_exit(signum)
        try:
            loop = asyncio.get_running_loop()  # the UI's loop: it runs in the main thread
        except RuntimeError:
            self.hard_exit(signum)
        # As asyncio's own signal handling does: the callback runs on the loop, not here.
        loop.call_soon_threadsafe(self._request_exit, 128 + signum)
        threading.Thread(target=self._watch, args=(signum,), name="sdm-exit-on-signal",
                         daemon=True).start()

    def _watch(self, signum: int) -> None:
        if not self._done.wait(self._grace):
            self.hard_exit(signum)

    def _write_reset(self, fd: int | None = None) -> None:
        """`TERMINAL_RESET` and `CLEAR_SCREEN` to the terminal (on `fd`, default the one the
        UI draws on), and the terminal's modes as they were."""
        fd = self._fd if fd is None else fd
        if fd is None:
            return
        with contextlib.suppress(OSError):
            os.write(fd, (TERMINAL_RESET + CLEAR_SCREEN).encode("ascii"))
        if self._input is not None and self._modes is not None:
            restore_terminal_modes(self._input, self._modes)

    def _take_terminal(self) -> int | None:
        """A private descriptor of the terminal; the UI's own (stderr) now goes to /dev/null,
        so that nothing Textual's output thread still writes lands after the reset."""
        if self._fd is None:
            return None
        try:
            private = os.dup(self._fd)
        except OSError:
            return self._fd
        with contextlib.suppress(OSError):
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, self._fd)
            os.close(devnull)
        return private

    def hard_exit(self, signum: int) -> NoReturn:
        """Give the terminal back by writing to it directly, and end the process now."""
        fd = self._take_terminal()
        writer = threading.Thread(target=self._write_reset, args=(fd,),
                                  name="sdm-terminal-reset", daemon=True)
        writer.start()
        writer.join(RESET_WRITE_WAIT_S)  # a stopped terminal may block the write
        os._exit(128 + signum)


def _terminal_fd() -> int | None:
    """The file descriptor Textual draws on (stderr), if it is a terminal."""
    stream = sys.__stderr__
    try:
        return stream.fileno() if stream is not None and stream.isatty() else None
    except (OSError, ValueError):
        return None


def _terminal_modes() -> tuple[int | None, TerminalModes | None]:
    """The input terminal (stdin, as Textual reads it) and its modes before the UI changes
    them; (None, None) when it is no terminal (or the platform has no modes to restore)."""
    stream = sys.__stdin__
    try:
        if stream is None or not stream.isatty():
            return None, None
        fd = stream.fileno()
    except (OSError, ValueError):
        return None, None
    modes = terminal_modes(fd)
    return (fd, modes) if modes is not None else (None, None)
