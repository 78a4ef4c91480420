"""`sdm store ...`: the session store itself, as a whole.

    sdm store copy --to ADDRESS [--session ID ...]   a store file's sessions to a server
    sdm store migrate                                bring the store's schema up to date
    sdm store check                                  is it whole, are its guards on?

`register(sub)` adds the `store` command group; each subcommand is added by a function of
its own (`_add_copy`, ...) and sets `func`, which takes the parsed arguments and returns the
exit code. Building the parser imports no store: a subcommand's work is imported when it
runs.

`copy` (issue 19, item 5, "moving in"): the sessions of the store file given with the global
`--store` (default: the user's own; an encrypted one's passphrase is asked for on the
terminal) are copied to the department's PostgreSQL store named by `--to`, and each is read
back from the server and checked (counts and digest: `service.copying`). One line per
session, a line of totals, and — only when every session is on the server and checked — a
line saying the local file was left as it was and how to delete it later. The file itself is
only read: never changed, never deleted. Copying again is safe: what is there already is
said so and not written twice. Exit codes as for every `sdm` command (`common`): 0 every
session copied and checked, 1 a problem (a session not copied or not read back the same, a
store that cannot be opened), 2 wrong use (a server given as the source, an address that
names no server, an id prefix too short).

Messages name session ids and counts, never a label, an answer or a draft; and never the
address given, which could hold a password (one is refused before anything is sent).
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from assistant.cli.common import (
    EXIT_OK,
    EXIT_PROBLEMS,
    EXIT_USAGE,
    SESSION_HELP,
    Handler,
    count,
    exit_code,
    fail,
    guard_stdout,
    language,
    note,
    say,
    spoken,
    store_parent,
)

if TYPE_CHECKING:
    from assistant.service.copying import CopyReport, SessionCopied

__all__ = ["register"]

def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the `store` command group and its subcommands (`copy`)."""
    store = subparsers.add_parser(
        "store", help="the session store as a whole: copy to a server, migrate, check",
        description="The session store as a whole. 'copy' copies the sessions of a store "
                    "file to a department server and checks each one there; 'migrate' brings "
                    "a store's schema up to date; 'check' looks the whole store over.")
    sub = store.add_subparsers(dest="store_command", metavar="SUBCOMMAND")
    store.set_defaults(func=guard_stdout("sdm store", _usage(store, sub)))
    _add_copy(sub)
    _add_migrate(sub)
    _add_check(sub)


def _usage(parser: argparse.ArgumentParser,
           sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> Handler:
    """`sdm store` without a subcommand: the usage, and which subcommands there are."""
    def show(_args: argparse.Namespace) -> int:
        parser.print_usage(sys.stderr)
        commands = ", ".join(sub.choices)  # read when run: every subcommand added by then
        print(f"sdm store: {say('store.choose', commands=commands)}", file=sys.stderr)
        return EXIT_USAGE
    return show


# --- store copy --------------------------------------------------------------------------------


def _add_copy(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    # `--store` is accepted after the subcommand too (`sdm store copy --store F --to ...`).
    store_opt = store_parent("the store file to copy from (default: your own)")
    p = sub.add_parser(
        "copy", parents=[store_opt],
        help="copy the sessions of a store file to a department server, and check them there",
        description="Copy every session of the store file (--store, default: your own) to "
                    "the department's PostgreSQL store, with its events, plan revisions and "
                    "kept guides, then read each back from the server and check it. The file "
                    "is only read, never changed or deleted; copying again is safe.")
    p.add_argument("--to", required=True, metavar="ADDRESS",
                   help="the server: postgresql://… or service=NAME (no password in it: "
                        "~/.pgpass or a service file keeps that)")
    p.add_argument("--session", dest="sessions", action="append", default=[], metavar="ID",
                   help=f"copy only this session ({SESSION_HELP}); may be given more than "
                        "once")
    p.set_defaults(func=guard_stdout("sdm store", _cmd_copy))


def _fail(message: str, code: int = EXIT_PROBLEMS) -> int:
    return fail("store copy", message, code)


def _source_path(given: Path | None) -> Path:
    """The store file to copy from: the one given, else the user's own."""
    if given is not None:
        return given.expanduser()
    from assistant.paths import data_dir
    from assistant.store.db import DB_NAME

    return data_dir(create=False) / DB_NAME


def _cmd_copy(args: argparse.Namespace) -> int:
    from assistant.service.copying import copy_sessions, open_target
    from assistant.service.stores import is_server_address, open_with_prompt
    from assistant.store.errors import StoreError
    from assistant.store.ids import resolve_session_id

    given = getattr(args, "store", None)
    if isinstance(given, str):  # a server's address (`--store` or SDM_STORE)
        return _fail(say("store.copy_source_server"), EXIT_USAGE)
    if not is_server_address(args.to):
        return _fail(say("store.copy_to_not_server"), EXIT_USAGE)
    path = _source_path(given)
    # Opening a store file creates it when missing: checked first, so nothing is made.
    if not os.path.lexists(path):
        return _fail(say("store.copy_no_source", path=path))
    try:
        # The server first: an address it refuses (a password in it) is refused before a
        # passphrase is asked for.
        with (open_target(args.to) as target,
              open_with_prompt(path, "sdm store copy", lang=language()) as source):
            if source.damage:
                note("store copy", source.damage)
            only = [resolve_session_id(source, text) for text in args.sessions]
            # A line per session as soon as it is done: a whole store takes a while.
            report = copy_sessions(source, target, only=only,
                                   each=lambda copied: print(_line(copied), flush=True))
    except StoreError as exc:
        return _fail(exc.message, exit_code(exc))
    return _said(report, path)


def _said(report: CopyReport, path: Path) -> int:
    """After the sessions' lines: the totals and what to do with the file; the exit code."""
    if not report.sessions:
        print(say("store.copy_nothing", path=path))
        return EXIT_OK
    print(say("store.copy_summary", sessions=count(len(report.sessions), "store.sessions"),
              copied=report.count("copied"), present=report.count("present"),
              failed=report.count("failed")))
    if not report.ok:
        # Not a word about deleting: the file is all there is of what did not arrive.
        return _fail(say("store.copy_not_all", sessions=count(
            len([s for s in report.sessions if not s.verified]), "store.sessions")))
    print(say("store.copy_left_as_it_was", path=path))
    return EXIT_OK


def _line(copied: SessionCopied) -> str:
    """One session's line: what became of it, its id, and what it holds (or why it failed)."""
    if copied.outcome == "failed":
        return say("store.copy_failed", session=copied.session_id,
                   reason=spoken(copied.reason or ""))
    held = say("store.copy_counts", events=count(copied.events, "events"),
               revisions=count(copied.revisions, "store.revisions"),
               documents=count(copied.documents, "store.documents"))
    key = "store.copy_copied" if copied.outcome == "copied" else "store.copy_present"
    return say(key, session=copied.session_id, counts=held)


# --- store migrate and check -------------------------------------------------------------------


def _add_migrate(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    store_opt = store_parent("the store: a file, or postgresql://… / service=NAME")
    p = sub.add_parser(
        "migrate", parents=[store_opt],
        help="bring the store's schema up to date (on a server: run by its operator)",
        description="Bring the session store's schema to the version this program knows, "
                    "in one transaction (every version in assistant/store/migrations.py, for "
                    "both backends). On a department server the tables' owner runs it: the "
                    "app's roles may not change the schema. Running it again changes nothing.")
    p.set_defaults(func=guard_stdout("sdm store", _cmd_migrate))


def _cmd_migrate(args: argparse.Namespace) -> int:
    from assistant.service.stores import open_any
    from assistant.store.errors import StoreError
    from assistant.store.migrations import SCHEMA_VERSION

    given = getattr(args, "store", None)
    try:
        with open_any(given, "sdm store migrate", lang=language()) as store:
            where = _where(store, given)
            if store.read_only_reason == "newer_version":
                return fail("store migrate", say("store.newer", where=where))
            if store.damage:
                return fail("store migrate", store.damage)
            before = store.migrated_from
    except StoreError as exc:
        return fail("store migrate", exc.message, exit_code(exc))
    key = "store.up_to_date" if before == SCHEMA_VERSION else "store.migrated"
    print(say(key, where=where, before=before, after=SCHEMA_VERSION))
    return EXIT_OK


def _where(store: object, given: Path | str | None) -> str:
    """Where the store is, for a line of output: a server's description (no password),
    else the file's path."""
    described = getattr(store, "where", None)
    if isinstance(described, str):
        return described
    path = getattr(store, "path", None)
    return str(path if path is not None else given)


def _add_check(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    store_opt = store_parent("the store: a file, or postgresql://… / service=NAME")
    p = sub.add_parser(
        "check", parents=[store_opt],
        help="look the whole store over: schema, integrity, access rules, access log",
        description="Look the whole session store over: its schema version; every "
                    "session's events numbered 1..n and readable; the append-only rules; "
                    "for a file, that only you can read it; for a department server, "
                    "row-level security by unit, the roles' rights, and an access log the "
                    "app's roles can only add to (run it as the server's operator). Exit "
                    "code 1 when anything fails.")
    p.add_argument("--format", choices=("text", "json"), default="text",
                   help="text (default) or json")
    p.set_defaults(func=guard_stdout("sdm store", _cmd_check))


def _cmd_check(args: argparse.Namespace) -> int:
    import json

    from assistant.service.stores import open_any
    from assistant.store.errors import StoreError

    try:
        with open_any(getattr(args, "store", None), "sdm store check",
                      lang=language()) as store:
            findings = store.check()
    except StoreError as exc:
        return fail("store check", exc.message, exit_code(exc))
    bad = [f for f in findings if not f.ok]
    if args.format == "json":
        json.dump({"ok": not bad, "checks": [
            {"name": f.name, "ok": f.ok, "detail": f.detail} for f in findings]},
            sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        for finding in findings:
            mark = "✓" if finding.ok else "✗"
            verdict = say("store.check_ok" if finding.ok else "store.check_bad")
            print(f"{mark} {say(f'store.check.{finding.name}')}: {verdict} "
                  f"({spoken(finding.detail)})")
        print(say("store.check_summary_bad", bad=len(bad), n=len(findings)) if bad
              else say("store.check_summary_ok", n=len(findings)))
    return EXIT_PROBLEMS if bad else EXIT_OK
