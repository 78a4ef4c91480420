"""`sdm preview FILE`: an aid or meeting guide in the chat UI, read again each time the file is
saved — the authors' edit–look loop (the UI is `tui/preview.py`; nothing is stored).

Exit codes (`common`): 0 when the preview was ended, 2 when FILE is not there or not a file.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from assistant.cli.common import EXIT_USAGE, fail, language, say

__all__ = ["cmd_preview", "register"]


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `preview` to `subparsers`."""
    p = subparsers.add_parser(
        "preview", help="open a guide file in the chat UI and read it again each time it is "
                        "saved; nothing is stored")
    p.add_argument("file", type=Path, metavar="FILE",
                   help="a decision aid or meeting guide (the plan templates and guides "
                        "beside it join the library, as with 'sdm validate FILE')")
    p.set_defaults(func=cmd_preview)


def cmd_preview(args: argparse.Namespace) -> int:
    """`sdm preview FILE` (with the top-level `--lang`, `--calm`, `--lock-after`)."""
    import datetime as dt

    from assistant.catalogue import t

    path: Path = args.file
    if not path.exists():
        return fail("preview", f"{say('no_such_path')}: {path}", EXIT_USAGE)
    if not path.is_file():
        return fail("preview", t("preview_not_a_file", language()).format(path=path),
                    EXIT_USAGE)
    from assistant.tui.preview import run_preview  # Textual only when the UI starts

    lock_after = dt.timedelta(minutes=args.lock_after) if args.lock_after else None
    from assistant.cli.common import library_folders

    return run_preview(path, lang=args.lang, lock_after=lock_after, calm=args.calm or None,
                       folders=[f.path for f in library_folders(args)])
