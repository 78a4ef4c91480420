"""The `sdm` command line: the chat UI with no arguments, authoring tools as subcommands.

One module per command group, each with `register(subparsers)` that adds its commands and
sets each one's `func` (the parsed arguments in, the exit code out, standard output guarded):

    guides    validate, lint, schema, new, list
    replay    replay
    export    export, agenda, prep-summary
    sessions  sessions list/show/revisions/delete/purge

Exit codes, for every command (`common`): 0 clean, 1 problems found (errors; with `lint
--strict`, warnings too), 2 the command itself was used wrongly (unknown option, missing
file). Building the parser is cheap: a command's work is imported only when it runs, so
`sdm --help` and `sdm validate` load no Textual, and only the commands that need it the store.
"""

from __future__ import annotations

import argparse
import datetime as dt
from collections.abc import Sequence
from pathlib import Path

from assistant import __version__
from assistant.cli import export, guides, replay, sessions
from assistant.cli.common import EXIT_OK, fail

__all__ = ["main"]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="sdm",
        description="sdm-assistant: fælles beslutningstagning i psykiatrien / "
        "shared decision making in psychiatry. Without a command, the chat UI starts.",
    )
    parser.add_argument("--version", action="version", version=f"sdm-assistant {__version__}")
    parser.add_argument("--lang", choices=("da", "en"), default="da",
                        help="language of the user interface (default: da)")
    parser.add_argument("--store", type=Path, metavar="PATH",
                        help="the session store file (default: in the user's data directory)")
    parser.add_argument("--encrypt", action="store_true",
                        help="start a new session store encrypted (asks for a new passphrase "
                             "on the terminal); only with the chat UI")
    parser.add_argument("--lock-after", type=_minutes, default=5, metavar="MINUTES",
                        help="lock the screen after MINUTES without input (default: 5; 0: "
                             "never)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    guides.register(sub)
    replay.register(sub)
    sessions.register(sub)
    export.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run `sdm` with `argv` (default: the process's arguments); returns the exit code.

    An unexpected error ends in a generic message and a scrubbed report (exit code 70),
    never in a Python traceback: its message and values could hold health data (R10).
    Ordinary errors are not crashes: standard output that cannot be written (`> /dev/full`)
    and anything else the system refuses a command (an `OSError`) end in one line on stderr
    and exit code 1.
    """
    from assistant.hardening import protect_process  # health data: no core dumps

    protect_process()  # first, before anything is read
    from assistant.crash import install_excepthooks, report_crash

    parser = _parser()
    args = parser.parse_args(argv)
    if args.encrypt and args.command is not None:
        parser.error("--encrypt applies to the chat UI only: run 'sdm --encrypt' without a "
                     "command")
    install_excepthooks(args.lang)  # threads and "Exception ignored" messages too
    try:
        if args.command is None:
            from assistant.tui.run import run_app  # Textual only for the UI

            lock_after = dt.timedelta(minutes=args.lock_after) if args.lock_after else None
            return int(run_app(lang=args.lang, store=args.store, encrypt=args.encrypt,
                               lock_after=lock_after))
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
        return fail(args.command, f"{exc.strerror or type(exc).__name__}{where}")
    except Exception as exc:  # the guard: see the docstring
        return report_crash(exc, lang=args.lang)


def _minutes(text: str) -> float:
    try:
        minutes = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a number of minutes") from None
    if not 0 <= minutes <= 24 * 60:
        raise argparse.ArgumentTypeError("the minutes must be 0 (never) to 1440")
    return minutes
