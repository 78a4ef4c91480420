"""`sdm audit`: the access log of a department server, for the data controller.

    sdm --store postgresql://… audit [--session ID] [--user ROLE] [--format text|json]

Lists who read or deleted which session, when, from which program (sundhedsloven § 42 a):
one line per row, oldest first; no session content (there is none in the log). Only the
server's operator or a role in `sdm_auditor` may read the log: a clinician's role is told
so. A store file keeps no log (it is one person's own), which is said too.
"""

from __future__ import annotations

import argparse
import sys

from assistant.cli.common import (
    EXIT_OK,
    exit_code,
    fail,
    guard_stdout,
    language,
    say,
    store_parent,
)

__all__ = ["register"]


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `sdm audit`."""
    store_opt = store_parent("the department server: postgresql://… or service=NAME")
    p = subparsers.add_parser(
        "audit", parents=[store_opt],
        help="the access log of a department server: who read or deleted which session",
        description="List the access log of the department server's session store: when, "
                    "which database role, from which program, which session and what was "
                    "done (opened, showed, exported, read, copied, checked, deleted, "
                    "purged). Readable by the operator and roles in sdm_auditor only.")
    p.add_argument("--session", metavar="ID", help="only this session (its full id)")
    p.add_argument("--user", metavar="ROLE", help="only what this database role did")
    p.add_argument("--format", choices=("text", "json"), default="text",
                   help="text (default) or json")
    p.set_defaults(func=guard_stdout("sdm audit", _cmd_audit))


def _cmd_audit(args: argparse.Namespace) -> int:
    import json

    from assistant.service.stores import open_any
    from assistant.store.errors import StoreError

    try:
        with open_any(getattr(args, "store", None), "sdm audit", lang=language()) as store:
            entries = store.access_log(session_id=args.session, role=args.user)
    except StoreError as exc:
        return fail("audit", exc.message, exit_code(exc))
    if args.format == "json":
        json.dump([{"at": e.at.isoformat(timespec="seconds"), "role": e.role,
                    "client": e.client, "session": e.session_id, "action": e.action}
                   for e in entries], sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return EXIT_OK
    if not entries:
        print(say("audit.none"))
        return EXIT_OK
    print(say("audit.header"))
    for e in entries:
        action = say(f"audit.action.{e.action}")
        print(f"{e.at:%Y-%m-%d %H:%M:%S}  {e.role:<15.15}  {action:<8}  {e.session_id}"
              f"  {e.client}")
    return EXIT_OK
