"""`sdm` with no arguments: load the library, build the app, run it."""

from __future__ import annotations

import sys
from pathlib import Path

from assistant.guides.loader import load_library
from assistant.guides.models import Language


def run_app(lang: Language = "da", store: Path | None = None) -> int:
    """Start the chat UI; returns the exit code. A broken library is reported, not a crash.

    Args:
        lang: the UI language.
        store: the session store file (default: in the user's data directory).
    """
    library = load_library()
    if library.errors:
        for problem in library.errors[:20]:
            print(problem.format(), file=sys.stderr)
        print("sdm: the guide library has errors; run 'sdm validate' for all of them",
              file=sys.stderr)
        return 1
    from assistant.sessions import SessionService
    from assistant.store import StoreError, open_store

    try:
        opened_store = open_store(store)
    except StoreError as exc:
        print(f"sdm: {exc.message}", file=sys.stderr)
        return 1
    from assistant.tui.app import make_app  # Textual only when the UI starts

    try:
        make_app(library, lang=lang, service=SessionService(opened_store, library)).run()
    finally:
        opened_store.close()
    return 0
