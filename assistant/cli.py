"""The `sdm` command line: the chat UI with no arguments, authoring tools as subcommands.

Exit codes, for every subcommand: 0 clean, 1 problems found (errors; with `lint --strict`,
warnings too), 2 the command itself was used wrongly (unknown option, missing file).
Subcommand modules are imported only when used, so `sdm validate` never loads Textual.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from assistant import __version__
from assistant.export.commands import register as register_export
from assistant.store.commands import register as register_store

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2
Handler = Callable[[argparse.Namespace], int]


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

    p = sub.add_parser("validate", help="check guide files: format and references")
    p.add_argument("paths", nargs="*", type=Path,
                   help="files or folders to check together with the bundled library")
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.add_argument("--no-bundled", action="store_true",
                   help="check only the given paths, without the bundled library")

    p = sub.add_parser("lint", help="check decision aids against the IPDAS minimum standards")
    p.add_argument("paths", nargs="*", type=Path)
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.add_argument("--strict", action="store_true", help="exit 1 on warnings too")
    p.add_argument("--today", help=argparse.SUPPRESS)  # tests pin the date

    p = sub.add_parser("schema", help="print the JSON Schema of the guide format")
    p.add_argument("-o", "--output", type=Path, help="write to this file instead of stdout")
    p.add_argument("--force", action="store_true", help="replace the file if it exists")

    p = sub.add_parser("new", help="write a commented scaffold for a new guide")
    p.add_argument("kind", choices=("decision-aid", "meeting-guide", "plan-template"))
    p.add_argument("id", help="the new guide's id, e.g. min-kriseplan")
    p.add_argument("-o", "--output", type=Path, help="file to write (default: ID.yaml)")

    p = sub.add_parser("list", help="list the guides and plan templates in the library")
    p.add_argument("paths", nargs="*", type=Path)
    p.add_argument("--format", choices=("text", "json"), default="text")

    p = sub.add_parser("replay", help="run a guide from an answers file, without a terminal UI")
    p.add_argument("guide", help="a bundled guide's id, or a path to a guide file")
    p.add_argument("--answers", type=Path, required=True, help="the answers file (YAML)")
    p.add_argument("--format", choices=("json",), default="json")
    p.add_argument("--export", help="print the plan draft in this format instead")
    p.add_argument("--store", type=Path, metavar="PATH", default=argparse.SUPPRESS,
                   help="write the answers to this session store, printing one JSON line "
                        "per stored event ({\"seq\", \"step\", \"session\", \"type\"}) as "
                        "soon as it is committed")
    p.add_argument("--session", metavar="ID",
                   help="with --store: append to this stored session (its id, or its first "
                        "6 or more characters) instead of starting a new one")
    p.add_argument("--label", help="with --store: the new session's label, a pseudonym or "
                                   "initials (default: the answers file's name)")

    register_store(sub)
    register_export(sub)
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
        if args.command not in _HANDLERS and hasattr(args, "func"):
            return int(args.func(args))
        handler = _HANDLERS[args.command]
        return handler(args)
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
        return _problem(args.command, f"{exc.strerror or type(exc).__name__}{where}")
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


def _print_problems(problems: Sequence[object], fmt: str, summary: str) -> None:
    from assistant.guides.problems import Problem

    items = [p for p in problems if isinstance(p, Problem)]
    if fmt == "json":
        json.dump({"problems": [p.as_dict() for p in items], "summary": summary},
                  sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return
    for p in items:
        print(p.format())
    print(summary)


def _cmd_validate(args: argparse.Namespace) -> int:
    from assistant.guides.loader import load_library

    library = load_library(args.paths, include_bundled=not args.no_bundled)
    errors = library.errors
    files = len({d.file for d in library.documents} | {p.file for p in library.problems})
    plural = "s" if len(errors) != 1 else ""
    summary = (f"{files} files checked: no problems" if not errors
               else f"{files} files checked: {len(errors)} problem{plural}")
    _print_problems(library.problems, args.format, summary)
    return EXIT_PROBLEMS if errors else EXIT_OK


def _cmd_lint(args: argparse.Namespace) -> int:
    import datetime as dt

    from assistant.guides.lint import lint_library
    from assistant.guides.loader import load_library

    today = dt.date.fromisoformat(args.today) if args.today else dt.date.today()
    library = load_library(args.paths)
    problems = list(library.problems)
    selected = {Path(p).resolve() for p in args.paths}
    report = lint_library(library, today=today, only=selected or None)
    problems += report.problems
    errors = [p for p in problems if p.severity == "error"]
    warnings = [p for p in problems if p.severity == "warning"]
    summary = (f"{report.checked} guides linted: {len(errors)} errors, {len(warnings)} warnings"
               + "".join(f"\n  LIX {lix:5.1f}  {gid}" for gid, lix in sorted(report.lix.items())))
    _print_problems(problems, args.format, summary)
    if errors or (args.strict and warnings):
        return EXIT_PROBLEMS
    return EXIT_OK


def _cmd_schema(args: argparse.Namespace) -> int:
    from assistant.guides.schema import schema_json

    text = schema_json()
    if args.output:
        from assistant.export.files import WriteRefused, write_private

        try:  # no health data: an ordinary file (0666 less the umask), written as every file
            write_private(args.output, text, replace=args.force, mode=0o666)
        except WriteRefused as exc:
            return _problem("schema", exc.message,
                            EXIT_USAGE if exc.reason == "folder" else EXIT_PROBLEMS)
        except OSError as exc:
            return _problem("schema", f"cannot write {args.output}: {exc.strerror or exc}")
    else:
        sys.stdout.write(text)
    return EXIT_OK


def _problem(command: str, message: str, code: int = EXIT_PROBLEMS) -> int:
    """`message` as one line on stderr; returns `code`."""
    print(f"sdm {command}: {message}", file=sys.stderr)
    return code


def _cmd_new(args: argparse.Namespace) -> int:
    from assistant.guides.models import slug_ok
    from assistant.guides.scaffold import scaffold

    if not slug_ok(args.id):
        print(f"sdm new: '{args.id}' is not a valid id: use lower-case letters, digits, "
              "'-' and '_'", file=sys.stderr)
        return EXIT_USAGE
    target: Path = args.output or Path(f"{args.id}.yaml")
    if target.exists():
        print(f"sdm new: {target} exists already; nothing was written", file=sys.stderr)
        return EXIT_USAGE
    target.write_text(scaffold(args.kind.replace("-", "_"), args.id), encoding="utf-8")
    print(f"wrote {target} — check it with: sdm validate {target}")
    return EXIT_OK


def _cmd_list(args: argparse.Namespace) -> int:
    from assistant.guides.catalog import catalog

    library_rows, problems = catalog(args.paths)
    if args.format == "json":
        json.dump(library_rows, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        for row in library_rows:
            print(f"{row['id']:<40} {row['kind']:<14} {','.join(row['audience']):<12} "
                  f"{row['version']:<8} {row['reviewed'] or '':<10}  {row['title']}")
    for p in problems:
        print(p.format(), file=sys.stderr)
    return EXIT_PROBLEMS if problems else EXIT_OK


def _cmd_replay(args: argparse.Namespace) -> int:
    from assistant.engine.replay import replay_command

    return int(replay_command(args.guide, args.answers, export=args.export,
                              store=args.store, session=args.session, label=args.label))


def _guarded(name: str, handler: Handler) -> Handler:
    """`handler` with standard output guarded: `sdm NAME > /dev/full` ends in one line on
    stderr and exit code 1, not a crash report (`store.commands.guard_stdout`)."""
    from assistant.store.commands import guard_stdout

    return guard_stdout(f"sdm {name}", handler)


_HANDLERS: dict[str, Handler] = {
    name: _guarded(name, handler) for name, handler in {
        "validate": _cmd_validate,
        "lint": _cmd_lint,
        "schema": _cmd_schema,
        "new": _cmd_new,
        "list": _cmd_list,
        "replay": _cmd_replay,
    }.items()
}
