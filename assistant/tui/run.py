"""`sdm` with no arguments: load the library, build the app, run it."""

from __future__ import annotations

import sys
import threading
from pathlib import Path

from assistant.guides.loader import load_library
from assistant.guides.models import Language


def run_app(
    lang: Language = "da",
    store: Path | str | None = None,
    *,
    headless: bool = False,
    exit_when_ready: bool = False,
) -> int:
    """Start the chat UI; returns the exit code. A broken library is reported, not a crash.

    Args:
        lang: the UI language.
        store: the session store file (default: in the user's data directory).
        headless: run without a terminal (benchmarks).
        exit_when_ready: quit as soon as the home screen is up (start-up benchmark).
    """
    from assistant.store import Store, StoreError, open_store

    # Open the store (its integrity check is mostly I/O in SQLite, which releases the GIL)
    # while this thread loads the library and imports Textual.
    opened: list[Store | StoreError] = []

    def _open() -> None:
        try:
            opened.append(open_store(store))
        except StoreError as exc:
            opened.append(exc)

    opener = threading.Thread(target=_open, name="open-store")
    opener.start()
    library = load_library()
    if library.errors:
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

    opener.join()
    if not opened or isinstance(opened[0], StoreError):
        message = opened[0].message if opened else "the store could not be opened"
        print(f"sdm: {message}", file=sys.stderr)
        return 1
    opened_store = opened[0]

    try:
        app = make_app(library, lang=lang, service=SessionService(opened_store, library))
        app.exit_when_ready = exit_when_ready
        app.run(headless=headless)
    finally:
        opened_store.close()
    return app.return_code or 0  # a crash sets a non-zero code
