"""The `sdm` command line: the chat UI with no arguments, authoring tools as subcommands.

One module per command group, each with `register(subparsers)` that adds its commands and
sets each one's `func` (the parsed arguments in, the exit code out, standard output guarded):

    guides    validate, lint, schema, new, list
    replay    replay
    export    export, agenda, prep-summary
    sessions  sessions list/show/revisions/delete/purge
    preview   preview (the chat UI on one guide file, read again when saved)

Exit codes, for every command (`common`): 0 clean, 1 problems found (errors; with `lint
--strict`, warnings too), 2 the command itself was used wrongly (unknown option, missing
file). Building the parser is cheap: a command's work is imported only when it runs, so
`sdm --help` and `sdm validate` load no Textual, and only the commands that need it the store.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import cast

from assistant import __version__
from assistant.cli import audit, export, guides, preview, replay, sessions, store
from assistant.cli.common import (
    EXIT_OK,
    Parser,
    fail,
    language,
    os_reason,
    quiet_store_repeats,
    say,
    set_language,
    store_address,
    translate_help,
)

__all__ = ["main", "message_language"]


def _parser() -> argparse.ArgumentParser:
    parser = Parser(
        prog="sdm",
        description="sdm-assistant: fælles beslutningstagning i psykiatrien / "
        "shared decision making in psychiatry. Without a command, the chat UI starts.",
    )
    parser.add_argument("--version", action="version", version=f"sdm-assistant {__version__}")
    parser.add_argument("--lang", choices=("da", "en"), default=None,
                        help="language of the user interface and the messages (default: da "
                             "for the chat UI; the locale's for a command's messages)")
    parser.add_argument("--store", type=store_address, metavar="PATH",
                        help="the session store: a file (default: in the user's data "
                             "directory; also SDM_STORE), or a department server "
                             "(postgresql://… or service=NAME), for the chat and every "
                             "command")
    parser.add_argument("--library", type=Path, action="append", default=[], metavar="DIR",
                        help="a library folder of guides and plan templates besides the "
                             "bundled ones; may be given more than once (also: SDM_LIBRARY, "
                             "a path list, and your own folder, which 'sdm list' names)")
    parser.add_argument("--encrypt", action="store_true",
                        help="start a new session store encrypted (asks for a new passphrase "
                             "on the terminal); only with the chat UI")
    parser.add_argument("--lock-after", type=_minutes, default=5, metavar="MINUTES",
                        help="lock the screen after MINUTES without input (default: 5; 0: "
                             "never)")
    parser.add_argument("--calm", action="store_true",
                        help="calm mode: no animation, one question at a time; remembered "
                             "(the command palette switches it off); only with the chat UI")
    # The subcommands' parsers are `Parser`s too (argparse makes them of the parent's class).
    sub = cast("argparse._SubParsersAction[argparse.ArgumentParser]",
               parser.add_subparsers(dest="command", metavar="COMMAND"))
    guides.register(sub)
    replay.register(sub)
    sessions.register(sub)
    export.register(sub)
    preview.register(sub)
    store.register(sub)
    audit.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run `sdm` with `argv` (default: the process's arguments); returns the exit code.

    An unexpected error ends in a generic message and a scrubbed report (exit code 70),
    never in a Python traceback: its message and values could hold health data (R10).
    Ordinary errors are not crashes: standard output that cannot be written (`> /dev/full`)
    and anything else the system refuses a command (an `OSError`) end in one line on stderr
    and exit code 1.
    """
    arguments = list(sys.argv[1:] if argv is None else argv)
    set_language(message_language(_given_lang(arguments)))  # argparse's errors too
    try:
        parser = _parser()
        if language() == "da":
            translate_help(parser)
        args = parser.parse_args(arguments)  # `--help`, `--version` and mistakes end here
    except Exception as exc:  # the guard (see the docstring), here before it is installed
        from assistant.crash import report_crash

        return report_crash(exc, lang=message_language(_given_lang(arguments)))
    # Health data: no core dumps, from before anything is read. The arguments alone hold
    # none, so `sdm --help` does not pay for it (nor for the crash reporter: issue 16).
    from assistant.hardening import protect_process

    protect_process()
    from assistant.crash import install_excepthooks, report_crash
    # The chat UI and the papers stay Danish unless told (the patient's language); a
    # command's messages follow --lang, else the locale.
    set_language(message_language(args.lang))
    args.lang = args.lang or "da"
    if args.store is None and os.environ.get("SDM_STORE"):
        args.store = store_address(os.environ["SDM_STORE"])
    if args.encrypt and args.command is not None:
        parser.error(say("encrypt_ui_only"))
    if args.encrypt and isinstance(args.store, str):  # a server address, not a file
        parser.error(say("encrypt_file_only"))
    install_excepthooks(args.lang)  # threads and "Exception ignored" messages too
    if args.command is not None:
        quiet_store_repeats()  # a command says those itself, in its language
    try:
        if args.command is None:
            import datetime as dt

            from assistant.tui.run import run_app  # Textual only for the UI

            lock_after = dt.timedelta(minutes=args.lock_after) if args.lock_after else None
            from assistant.cli.common import library_folders

            return int(run_app(lang=args.lang, store=args.store, encrypt=args.encrypt,
                               lock_after=lock_after, calm=args.calm or None,
                               folders=[f.path for f in library_folders(args)]))
        return int(args.func(args))
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return EXIT_OK
    except OSError as exc:
        if args.command is None:
            return report_crash(exc, lang=args.lang)
        # A command the system refused (no such folder, no permission, a full disk) is an
        # ordinary error: one line with the system's reason and the path the user gave.
        where = f": {exc.filename}" if exc.filename else ""
        why = os_reason(exc) if exc.strerror else type(exc).__name__
        return fail(args.command, f"{why}{where}")
    except Exception as exc:  # the guard: see the docstring
        # A command's crash speaks as its messages do; the chat UI's as the UI.
        return report_crash(exc, lang=args.lang if args.command is None else language())


def _minutes(text: str) -> float:
    try:
        minutes = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(say("not_minutes", text=text)) from None
    if not 0 <= minutes <= 24 * 60:
        raise argparse.ArgumentTypeError(say("minutes_range"))
    return minutes


def _given_lang(argv: Sequence[str]) -> str | None:
    """The `--lang` in `argv` before it is parsed (so argparse's own errors can speak it)."""
    for i, arg in enumerate(argv):
        if arg == "--":
            break
        if arg == "--lang" and i + 1 < len(argv):
            return argv[i + 1] if argv[i + 1] in ("da", "en") else None
        if arg.startswith("--lang="):
            value = arg.split("=", 1)[1]
            return value if value in ("da", "en") else None
    return None


def message_language(given: str | None) -> str:
    """The language of the CLI's messages: `given` (`--lang`), else the locale's (LC_ALL,
    then LC_MESSAGES, then LANG, as POSIX reads them): Danish for "da…", else English."""
    if given in ("da", "en"):
        return given
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(var)
        if value:
            return "da" if value.lower().startswith("da") else "en"
    return "en"
