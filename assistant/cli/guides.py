"""`sdm validate`, `lint`, `schema`, `new` and `list`: the guide authors' tools.

Exit codes (`common`): 0 clean, 1 problems found (errors; with `lint --strict`, warnings too),
2 the command itself was used wrongly (a file that exists already, an invalid id).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from assistant.cli.common import (
    EXIT_OK,
    EXIT_PROBLEMS,
    EXIT_USAGE,
    count,
    fail,
    guard_stdout,
    library_folders,
    load_library_of,
    os_reason,
    say,
)

if TYPE_CHECKING:
    from assistant.guides.loader import Replacement
    from assistant.guides.problems import Problem

__all__ = ["cmd_lint", "cmd_list", "cmd_new", "cmd_schema", "cmd_validate", "register"]


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `validate`, `lint`, `schema`, `new` and `list` to `subparsers`."""
    p = subparsers.add_parser("validate", help="check guide files: format and references")
    p.add_argument("paths", nargs="*", type=Path,
                   help="files or folders to check together with the bundled library "
                        "(a file's guide siblings in its folder join it, unchecked)")
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.add_argument("--no-bundled", action="store_true",
                   help="check only the given paths, without the bundled library")
    p.set_defaults(func=guard_stdout("sdm validate", cmd_validate))

    p = subparsers.add_parser("lint",
                              help="check decision aids against the IPDAS minimum standards")
    p.add_argument("paths", nargs="*", type=Path,
                   help="files or folders to lint (a file's guide siblings in its folder "
                        "join it, unlinted)")
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.add_argument("--strict", action="store_true", help="exit 1 on warnings too")
    p.add_argument("--today", help=argparse.SUPPRESS)  # tests pin the date
    p.set_defaults(func=guard_stdout("sdm lint", cmd_lint))

    p = subparsers.add_parser("schema", help="print the JSON Schema of the guide format")
    p.add_argument("--library", nargs="*", type=Path, metavar="DIR", dest="fills_from",
                   help="list the plan fields (template.field) of the bundled library and "
                        "of these folders or files as the values allowed in 'fills', for "
                        "an editor to offer")
    p.add_argument("-o", "--output", type=Path, help="write to this file instead of stdout")
    p.add_argument("--force", action="store_true", help="replace the file if it exists")
    p.set_defaults(func=guard_stdout("sdm schema", cmd_schema))

    p = subparsers.add_parser("new", help="write a commented scaffold for a new guide")
    p.add_argument("kind", choices=("decision-aid", "meeting-guide", "plan-template"))
    p.add_argument("id", help="the new guide's id, e.g. min-kriseplan")
    p.add_argument("-o", "--output", type=Path,
                   help="file to write (default: ID.yaml); the schema its first line names, "
                        "sdm-guide.schema.json, is written beside it if it is not there")
    p.set_defaults(func=guard_stdout("sdm new", cmd_new))

    p = subparsers.add_parser("list", help="list the guides and plan templates in the library")
    p.add_argument("paths", nargs="*", type=Path)
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.set_defaults(func=guard_stdout("sdm list", cmd_list))


def _print_problems(problems: Sequence[object], fmt: str, summary: str) -> None:
    import json

    from assistant.guides.problems import Problem

    items = [_spoken(p) for p in problems if isinstance(p, Problem)]
    if fmt == "json":
        json.dump({"problems": [p.as_dict() for p in items], "summary": summary},
                  sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return
    for p in items:
        print(p.format())
    print(summary)


def cmd_validate(args: argparse.Namespace) -> int:
    """`sdm validate [PATH ...]`: every problem of the library and the given files.

    A file given joins with the guide documents beside it (`load_library(siblings=True)`),
    as `sdm lint FILE` does: so an aid's own plan template is found. Those are not checked."""
    library = load_library_of(args, args.paths, include_bundled=not args.no_bundled,
                              siblings=True)
    for replaced in library.replaced:  # a bundled document replaced on purpose: said
        print(f"sdm validate: {replaced_line(replaced)}", file=sys.stderr)
    errors = library.errors
    files = len({d.file for d in library.documents if not d.beside}
                | {p.file for p in library.problems})
    checked = count(files, "files")
    summary = (say("checked_clean", files=checked) if not errors
               else say("checked_problems", files=checked,
                        problems=count(len(errors), "problems")))
    _print_problems(library.problems, args.format, summary)
    return EXIT_PROBLEMS if errors else EXIT_OK


def cmd_lint(args: argparse.Namespace) -> int:
    """`sdm lint [PATH ...]`: the IPDAS checks, and each guide's readability (LIX).

    The library is loaded as `sdm validate` loads it (a file's siblings join it)."""
    import datetime as dt

    from assistant.guides.lint import lint_library

    today = dt.date.fromisoformat(args.today) if args.today else dt.date.today()
    library = load_library_of(args, args.paths, siblings=True)
    problems = list(library.problems)
    selected = {Path(p).resolve() for p in args.paths}
    report = lint_library(library, today=today, only=selected or None)
    problems += report.problems
    errors = [p for p in problems if p.severity == "error"]
    warnings = [p for p in problems if p.severity == "warning"]
    summary = (say("linted", guides=count(report.checked, "guides"),
                   errors=count(len(errors), "errors"),
                   warnings=count(len(warnings), "warnings"))
               + "".join(f"\n  LIX {lix:5.1f}  {gid}" for gid, lix in sorted(report.lix.items())))
    _print_problems(problems, args.format, summary)
    if errors or (args.strict and warnings):
        return EXIT_PROBLEMS
    return EXIT_OK


def cmd_schema(args: argparse.Namespace) -> int:
    """`sdm schema [--library [DIR ...]] [-o FILE]`: the JSON Schema of the guide format; with
    `--library`, `fills` allows exactly the plan fields of the library (and of the DIRs)."""
    from assistant.guides.schema import plan_fields, schema_json

    fills = None
    if args.fills_from is not None:
        from assistant.guides.loader import NO_SUCH_PATH, load_library

        library = load_library(args.fills_from, check=False,
                               folders=[f.path for f in library_folders(args)])
        missing = [p for p in library.problems if p.message == NO_SUCH_PATH]
        for problem in missing:
            print(_spoken(problem).format(), file=sys.stderr)
        if missing:
            return EXIT_USAGE
        fills = plan_fields(library)
    text = schema_json(fills)
    if args.output:
        return _write_schema("schema", args.output, text, replace=args.force)
    sys.stdout.write(text)
    return EXIT_OK


def _write_schema(command: str, path: Path, text: str, *, replace: bool) -> int:
    from assistant.export.files import WriteRefused, write_private

    try:  # no health data: an ordinary file (0666 less the umask), written as every file
        write_private(path, text, replace=replace, mode=0o666)
    except WriteRefused as exc:
        return fail(command, exc.message, EXIT_USAGE if exc.reason == "folder" else EXIT_PROBLEMS)
    except OSError as exc:
        return fail(command, say("cannot_write_short", path=path, reason=os_reason(exc)))
    return EXIT_OK


def cmd_new(args: argparse.Namespace) -> int:
    """`sdm new KIND ID`: a commented scaffold for a new guide, and beside it the schema file
    its first line names (for the editor), unless there is one already."""
    from assistant.guides.models import slug_ok
    from assistant.guides.scaffold import scaffold
    from assistant.guides.schema import SCHEMA_FILE, schema_json

    if not slug_ok(args.id):
        return fail("new", say("bad_id", id=args.id), EXIT_USAGE)
    target: Path = args.output or Path(f"{args.id}.yaml")
    if target.exists():
        return fail("new", say("exists", path=target), EXIT_USAGE)
    target.write_text(scaffold(args.kind.replace("-", "_"), args.id), encoding="utf-8")
    print(say("wrote_check", path=target))
    schema = target.parent / SCHEMA_FILE
    if schema.exists() or schema.is_symlink():  # one made with `sdm schema --library`, say
        return EXIT_OK
    code = _write_schema("new", schema, schema_json(), replace=False)
    if code == EXIT_OK:
        print(say("wrote", path=schema))
    return code


def _spoken(problem: Problem) -> Problem:
    """`problem` as printed: a path given that does not exist said in the CLI's language.
    The other located problems stay in the authors' English (docs/authoring.md)."""
    import dataclasses

    from assistant.guides.loader import NO_SUCH_PATH

    if problem.message != NO_SUCH_PATH:
        return problem
    return dataclasses.replace(problem, message=say("no_such_path"))


def replaced_line(replaced: Replacement) -> str:
    """A bundled document replaced by a library folder's, in the CLI's language."""
    return say("replaced", file=replaced.file, what=say(f"replaced_what.{replaced.kind}"),
               id=replaced.id)


def cmd_list(args: argparse.Namespace) -> int:
    """`sdm list [PATH ...]`: the guides and plan templates in the library."""
    import json

    from assistant.guides.catalog import catalog

    folders = library_folders(args)
    library_rows, problems, notices = catalog(args.paths, folders=[f.path for f in folders])
    if args.format == "json":
        json.dump(library_rows, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        for row in library_rows:
            unused = "" if row["in_use"] else f"  ({say('list_not_used')})"
            print(f"{row['id']:<40} {row['kind']:<14} {','.join(row['audience']):<12} "
                  f"{row['version']:<8} {row['reviewed'] or '':<10}  {row['title']}"
                  f"  [{row['origin']}]{unused}")
        # Where the library is read from: the folders by name and path (the per-user one
        # too, so an author knows where to put a guide).
        for folder in folders:
            print(say(f"library_folder.{folder.source}", name=folder.name, path=folder.path),
                  file=sys.stderr)
    for replaced in notices:
        print(f"sdm list: {replaced_line(replaced)}", file=sys.stderr)
    # A reused id is said whatever the format: the author should know which file is read.
    for row in library_rows:
        if not row["in_use"]:
            line = say("list_duplicate", file=row["file"], id=row["id"], used=row["used_file"])
            print(f"sdm list: {line}", file=sys.stderr)
    for p in problems:
        print(_spoken(p).format(), file=sys.stderr)
    return EXIT_PROBLEMS if problems else EXIT_OK
