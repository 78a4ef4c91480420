"""`sdm sessions ...`: list, delete and purge stored sessions from the command line.

Wiring (in assistant/cli.py): `register(sub)` adds the `sessions` command; each subcommand
sets `func`, which takes the parsed arguments and returns the exit code. `args.store` (a path,
or None for the default data directory) chooses the store file.

Exit codes as for every `sdm` command: 0 done, 1 a problem (no such session, session in use,
store damaged), 2 wrong use (e.g. deleting without --yes when nobody can be asked).
The store is imported only when a subcommand runs, so building the parser stays cheap.
An encrypted store's passphrase is asked for on the terminal.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from assistant.store.models import Revision, SessionRow
    from assistant.store.store import Store

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2
#: How often `sdm sessions` asks for the passphrase of an encrypted store.
PASSPHRASE_TRIES = 3

Handler = Callable[[argparse.Namespace], int]


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the `sessions` command (with `list`, `delete`, `purge`) to `subparsers`."""
    sessions = subparsers.add_parser(
        "sessions", help="list, delete or purge stored sessions",
        description="Stored sessions and their plans. The store is the file given with "
                    "--store, or sessions.sqlite3 in the user's data directory.")
    sessions.set_defaults(func=_usage(sessions))
    sub = sessions.add_subparsers(dest="sessions_command", metavar="SUBCOMMAND")

    # `--store` is accepted after the subcommand too (`sdm sessions list --store F`).
    store_opt = argparse.ArgumentParser(add_help=False)
    store_opt.add_argument("--store", type=Path, metavar="PATH", default=argparse.SUPPRESS,
                           help="the session store file")

    p = sub.add_parser("list", help="sessions, newest first, and plans due for revision",
                       parents=[store_opt])
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.add_argument("--unfinished", action="store_true", help="only sessions still in progress")
    p.add_argument("--today", help=argparse.SUPPRESS)  # tests pin the date
    p.set_defaults(func=_cmd_list)

    p = sub.add_parser("delete", help="delete a session and everything stored with it",
                       parents=[store_opt])
    p.add_argument("id", help="the session's id (from 'sdm sessions list')")
    p.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    p.set_defaults(func=_cmd_delete)

    p = sub.add_parser("revisions", help="a session's plan revisions: list, show or compare",
                       parents=[store_opt],
                       description="Each approval and each export of a plan is kept as a "
                                   "revision. Without options: list them.")
    p.add_argument("id", help="the session's id (from 'sdm sessions list')")
    group = p.add_mutually_exclusive_group()
    group.add_argument("--show", type=int, metavar="N", help="print revision N as text")
    group.add_argument("--diff", type=int, nargs="+", metavar="N",
                       help="compare revision N with revision M (default: the latest)")
    p.set_defaults(func=_cmd_revisions)

    p = sub.add_parser("purge", help="delete every session not updated for DAYS days",
                       parents=[store_opt])
    p.add_argument("--older-than", type=_days, required=True, metavar="DAYS")
    p.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    p.add_argument("--dry-run", action="store_true", help="only list what would be deleted")
    p.add_argument("--today", help=argparse.SUPPRESS)
    p.set_defaults(func=_cmd_purge)


def _days(text: str) -> int:
    try:
        days = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number of days") from None
    if days < 0:
        raise argparse.ArgumentTypeError("the number of days must be 0 or more")
    return days


def _usage(parser: argparse.ArgumentParser) -> Handler:
    def show(_args: argparse.Namespace) -> int:
        parser.print_usage(sys.stderr)
        print("sdm sessions: choose a subcommand: list, revisions, delete or purge",
              file=sys.stderr)
        return EXIT_USAGE
    return show


def _fail(message: str, code: int = EXIT_PROBLEMS) -> int:
    print(f"sdm sessions: {message}", file=sys.stderr)
    return code


def _today(args: argparse.Namespace) -> dt.date:
    raw = getattr(args, "today", None)
    return dt.date.fromisoformat(raw) if raw else dt.date.today()


def _open(args: argparse.Namespace) -> Store:
    store = open_with_prompt(getattr(args, "store", None))
    if store.damage:
        print(f"sdm sessions: {store.damage}", file=sys.stderr)
    return store


def open_with_prompt(
    path: Path | str | None, prog: str = "sdm sessions", *,
    prompt: str = "Passphrase for the session store: ",
) -> Store:
    """Open the store at `path`; if it is encrypted, ask for its passphrase on the terminal.

    Never from an argument or the environment, where other programs and the shell history
    could read it. Three tries, then `WrongPassphrase`; with no terminal to ask on,
    `PassphraseRequired`. Other commands that open the store (`sdm export`) can use this too.
    """
    import getpass

    from assistant.store.errors import PassphraseRequired, WrongPassphrase
    from assistant.store.store import Store

    try:
        return Store.open(path)
    except PassphraseRequired:
        if not sys.stdin.isatty():
            raise PassphraseRequired("the session store is encrypted: run this command in a "
                                     "terminal to type its passphrase") from None
    for attempt in range(1, PASSPHRASE_TRIES + 1):
        passphrase = getpass.getpass(prompt)
        try:
            return Store.open(path, passphrase=passphrase)
        except WrongPassphrase:
            if attempt == PASSPHRASE_TRIES:
                raise
            print(f"{prog}: that passphrase does not open the store; try again",
                  file=sys.stderr)
    raise AssertionError("unreachable")


def _confirm(question: str, args: argparse.Namespace) -> int | None:
    """None to go ahead; else the exit code to stop with."""
    if args.yes:
        return None
    if not sys.stdin.isatty():
        return _fail("refusing to delete without --yes when no one can be asked", EXIT_USAGE)
    answer = input(f"{question} [y/N] ").strip().lower()
    if answer in ("y", "yes", "j", "ja"):
        return None
    print("nothing was deleted")
    return EXIT_OK


def _session_dict(row: SessionRow) -> dict[str, Any]:
    return {
        "id": row.id, "label": row.label, "guide": row.guide_id,
        "guide_version": row.guide_version, "status": row.status,
        "present": list(row.present), "events": row.events,
        "created": row.created.isoformat(), "updated": row.updated.isoformat(),
    }


def _due_dict(rev: Revision, label: str | None) -> dict[str, Any]:
    return {
        "session": rev.session_id, "label": label, "revision": rev.revision, "kind": rev.kind,
        "due": rev.next_revision_due.isoformat() if rev.next_revision_due else None,
        "responsible": rev.responsible,
    }


def _cmd_list(args: argparse.Namespace) -> int:
    from assistant.store.errors import StoreError

    try:
        with _open(args) as store:
            rows = store.list_sessions(unfinished_only=args.unfinished)
            due = store.revisions_due(_today(args))
    except StoreError as exc:
        return _fail(exc.message)
    labels = {r.id: r.label for r in rows}
    if args.format == "json":
        json.dump({"sessions": [_session_dict(r) for r in rows],
                   "revisions_due": [_due_dict(d, labels.get(d.session_id)) for d in due]},
                  sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return EXIT_OK
    if not rows:
        print("no sessions stored")
    for r in rows:
        print(f"{r.id}  {r.updated.astimezone():%Y-%m-%d %H:%M}  {r.status:<13} "
              f"{r.guide_id:<32} {r.label}")
    if due:
        print("\nplans due for revision:")
        for d in due:
            print(f"{d.session_id}  due {d.next_revision_due}  revision {d.revision}  "
                  f"{labels.get(d.session_id, '')}  {d.responsible or ''}".rstrip())
    return EXIT_OK


def _revision_text(revision: Revision) -> list[str] | None:
    """A stored revision's plan as the text export's lines; None if this version cannot
    read it."""
    from pydantic import ValidationError

    from assistant.export.jsonfile import load_json
    from assistant.export.text import export_text

    try:
        draft = load_json(revision.draft)
    except ValidationError:
        return None
    return export_text(draft, width=100).splitlines()


def _cmd_revisions(args: argparse.Namespace) -> int:
    import difflib

    from assistant.store.errors import StoreError

    try:
        with _open(args) as store:
            row = store.get_session(args.id)
            revisions = store.list_revisions(row.id)
    except StoreError as exc:
        return _fail(exc.message)
    by_number = {r.revision: r for r in revisions}
    wanted = [args.show] if args.show is not None else list(args.diff or [])
    if args.diff is not None and len(args.diff) == 1 and revisions:
        wanted.append(revisions[-1].revision)
    if args.diff is not None and len(wanted) != 2:
        return _fail("--diff takes one or two revision numbers", EXIT_USAGE)
    missing = [n for n in wanted if n not in by_number]
    if missing:
        known = ", ".join(str(n) for n in by_number) or "none"
        return _fail(f"session {row.id} has no revision {missing[0]} (it has: {known})")
    if not wanted:
        if not revisions:
            print(f"session {row.id} has no plan revisions yet (approving or exporting the "
                  "plan makes one)")
        for r in revisions:
            due = f"due {r.next_revision_due}" if r.next_revision_due else "no due date"
            print(f"{r.revision:>3}  {r.created.astimezone():%Y-%m-%d %H:%M}  {r.kind:<8}  "
                  f"{due}  {r.responsible or ''}".rstrip())
        return EXIT_OK
    texts = [_revision_text(by_number[n]) for n in wanted]
    for number, text in zip(wanted, texts, strict=True):
        if text is None:
            return _fail(f"revision {number} was stored in a plan format this version cannot "
                         "read")
    if args.show is not None:
        print("\n".join(texts[0] or []))
        return EXIT_OK
    old, new = texts
    diff = list(difflib.unified_diff(old or [], new or [], f"revision {wanted[0]}",
                                     f"revision {wanted[1]}", lineterm=""))
    print("\n".join(diff) if diff else f"revisions {wanted[0]} and {wanted[1]} are the same")
    return EXIT_OK


def _cmd_delete(args: argparse.Namespace) -> int:
    from assistant.store.errors import StoreError

    try:
        with _open(args) as store:
            row = store.get_session(args.id)
            stop = _confirm(f"Delete session {row.id} ({row.label}, {row.guide_id}, "
                            f"{row.events} events) for good?", args)
            if stop is not None:
                return stop
            erased = store.delete_session(row.id)
    except StoreError as exc:
        return _fail(exc.message)
    print(f"deleted session {args.id}")
    if not erased:
        print("note: another program is reading the store; the deleted data leaves the "
              "store's files completely when it closes", file=sys.stderr)
    return EXIT_OK


def _cmd_purge(args: argparse.Namespace) -> int:
    from assistant.store.errors import StoreError

    today = _today(args)
    cutoff = today - dt.timedelta(days=args.older_than)
    try:
        with _open(args) as store:
            old = [r for r in store.list_sessions() if r.updated.date() < cutoff]
            if not old:
                print(f"no sessions older than {args.older_than} days")
                return EXIT_OK
            for r in old:
                print(f"{r.id}  {r.updated.astimezone():%Y-%m-%d}  {r.label}")
            if args.dry_run:
                print(f"{len(old)} sessions would be deleted")
                return EXIT_OK
            stop = _confirm(f"Delete these {len(old)} sessions for good?", args)
            if stop is not None:
                return stop
            result = store.purge(args.older_than, today)
    except StoreError as exc:
        return _fail(exc.message)
    print(f"deleted {len(result.deleted)} sessions")
    for session_id in result.busy:
        print(f"skipped session {session_id}: it is open in another program", file=sys.stderr)
    return EXIT_PROBLEMS if result.busy else EXIT_OK
