"""`sdm sessions ...`: list, show, delete and purge stored sessions from the command line.

`register(sub)` adds the `sessions` command; each subcommand sets `func`, which takes the
parsed arguments and returns the exit code. `args.store` (a path, or None for the default
data directory) chooses the store file; an encrypted one's passphrase is asked for on the
terminal (`service.stores.open_with_prompt`).

A session id may be given whole or as a unique prefix of at least 6 characters, as in git
(`assistant.store.ids`). Exit codes as for every `sdm` command (`common`): 0 done, 1 a
problem (no such session, an ambiguous id prefix, session in use, store damaged, standard
output cannot be written), 2 wrong use (e.g. deleting without --yes when nobody can be
asked, an id prefix shorter than 6 characters). The store is imported only when a subcommand
runs, so building the parser stays cheap. An encrypted store's passphrase is asked for on
the terminal.
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Any, NamedTuple

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
    today,
)

if TYPE_CHECKING:
    import datetime as dt

    from assistant.engine.events import Event
    from assistant.engine.state import SessionState
    from assistant.language import Language
    from assistant.store.contract import StoreContract
    from assistant.store.models import Revision, SessionRow

__all__ = ["register"]


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the `sessions` command (`list`, `show`, `revisions`, `delete`, `purge`)."""
    sessions = subparsers.add_parser(
        "sessions", help="list, show, delete or purge stored sessions",
        description="Stored sessions and their plans. The store is the file given with "
                    "--store, or sessions.sqlite3 in the user's data directory.")
    sessions.set_defaults(func=guard_stdout("sdm sessions", _usage(sessions)))
    sub = sessions.add_subparsers(dest="sessions_command", metavar="SUBCOMMAND")

    # `--store` is accepted after the subcommand too (`sdm sessions list --store F`).
    store_opt = store_parent()

    p = sub.add_parser("list", help="sessions, newest first, and plans due for revision",
                       parents=[store_opt])
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.add_argument("--unfinished", action="store_true", help="only sessions still in progress")
    p.add_argument("--today", help=argparse.SUPPRESS)  # tests pin the date
    p.set_defaults(func=guard_stdout("sdm sessions", _cmd_list))

    p = sub.add_parser("show", help="every stored event of a session, and its answers",
                       parents=[store_opt],
                       description="Every event stored for the session, in order, with its "
                                   "number, time and who spoke; then the answers as they "
                                   "stand. Events that were undone or no longer fit the guide "
                                   "are marked as not counting.")
    p.add_argument("id", help=SESSION_HELP)
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.set_defaults(func=guard_stdout("sdm sessions", _cmd_show))

    p = sub.add_parser("delete", help="delete a session and everything stored with it",
                       parents=[store_opt])
    p.add_argument("id", help=SESSION_HELP)
    p.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    p.set_defaults(func=guard_stdout("sdm sessions", _cmd_delete))

    p = sub.add_parser("revisions", help="a session's plan revisions: list, show or compare",
                       parents=[store_opt],
                       description="Each approval and each export of a plan is kept as a "
                                   "revision. Without options: list them.")
    p.add_argument("id", help=SESSION_HELP)
    group = p.add_mutually_exclusive_group()
    group.add_argument("--show", type=int, metavar="N", help="print revision N as text")
    group.add_argument("--diff", type=int, nargs="+", metavar="N",
                       help="compare revision N with revision M (default: the latest)")
    p.set_defaults(func=guard_stdout("sdm sessions", _cmd_revisions))

    p = sub.add_parser("purge", help="delete every session not updated for DAYS days",
                       parents=[store_opt])
    p.add_argument("--older-than", type=_days, required=True, metavar="DAYS")
    p.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    p.add_argument("--dry-run", action="store_true", help="only list what would be deleted")
    p.add_argument("--today", help=argparse.SUPPRESS)
    p.set_defaults(func=guard_stdout("sdm sessions", _cmd_purge))


def _days(text: str) -> int:
    try:
        days = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(say("not_days", text=text)) from None
    if days < 0:
        raise argparse.ArgumentTypeError(say("days_range"))
    return days


def _usage(parser: argparse.ArgumentParser) -> Handler:
    def show(_args: argparse.Namespace) -> int:
        parser.print_usage(sys.stderr)
        print(f"sdm sessions: {say('choose_subcommand')}", file=sys.stderr)
        return EXIT_USAGE
    return show


def _fail(message: str, code: int = EXIT_PROBLEMS) -> int:
    return fail("sessions", message, code)


def _status(status: str) -> str:
    """A session's status in the CLI's language ("i gang"; in English its name)."""
    return say(f"status.{status}")


def _open(args: argparse.Namespace) -> StoreContract:
    from assistant.service.stores import open_any

    store = open_any(getattr(args, "store", None), lang=language())
    if store.damage:
        note("sessions", store.damage)
    return store


def _confirm(question: str, args: argparse.Namespace) -> int | None:
    """None to go ahead; else the exit code to stop with."""
    if args.yes:
        return None
    if not sys.stdin.isatty():
        return _fail(say("refuse_delete"), EXIT_USAGE)
    answer = input(f"{question} {say('yes_no_prompt')} ").strip().lower()
    if answer in ("y", "yes", "j", "ja"):
        return None
    print(say("nothing_deleted"))
    return EXIT_OK


def _session_dict(row: SessionRow) -> dict[str, Any]:
    return {
        "id": row.id, "label": row.label, "guide": row.guide_id,
        "guide_version": row.guide_version, "status": row.status,
        "present": list(row.present), "events": row.events,
        "created": row.created.isoformat(), "updated": row.updated.isoformat(),
    }


class _Approval(NamedTuple):
    """A plan approved in a session: its latest `approved` revision."""

    template: str | None  # None: the revision's draft is in a format this version cannot read
    title: str | None
    approved_at: dt.datetime
    next_revision_due: dt.date | None

    def as_dict(self) -> dict[str, Any]:
        return {"template": self.template, "title": self.title,
                "approved_at": self.approved_at.isoformat(),
                "next_revision_due": (self.next_revision_due.isoformat()
                                      if self.next_revision_due else None)}

    def describe(self) -> str:
        """`Kriseplan approved 2026-12-01, revision due 2027-12-01` (in the CLI's language)."""
        due = (say("plan_revision_due", date=self.next_revision_due)
               if self.next_revision_due else "")
        name = self.title or self.template or say("a_plan")
        return say("plan_approved", name=name, date=f"{self.approved_at.astimezone():%Y-%m-%d}",
                   due=due)


def _approvals(store: StoreContract, lang: Language | None) -> dict[str, list[_Approval]]:
    """Per session id, the plans approved in it: one per plan template (its latest approved
    revision), in the order first approved. Titles in `lang` (default: the draft's)."""
    from pydantic import ValidationError

    from assistant.export.jsonfile import load_json

    out: dict[str, dict[str | None, _Approval]] = {}
    for rev in store.list_revisions():  # oldest first within each session: the latest wins
        if rev.kind != "approved":
            continue
        try:
            draft = load_json(rev.draft)
        except ValidationError:
            approval = _Approval(None, None, rev.created, rev.next_revision_due)
        else:
            approval = _Approval(draft.template.id, draft.title(lang),
                                 draft.revision.approved or rev.created,
                                 rev.next_revision_due)
        out.setdefault(rev.session_id, {})[approval.template] = approval
    return {session: list(by_template.values()) for session, by_template in out.items()}


def _due_dict(rev: Revision, label: str | None) -> dict[str, Any]:
    return {
        "session": rev.session_id, "label": label, "revision": rev.revision, "kind": rev.kind,
        "due": rev.next_revision_due.isoformat() if rev.next_revision_due else None,
        "responsible": rev.responsible,
    }


def _cmd_list(args: argparse.Namespace) -> int:
    import json

    from assistant.store.errors import StoreError

    try:
        with _open(args) as store:
            rows = store.list_sessions(unfinished_only=args.unfinished)
            due = store.revisions_due(today(args))
            approved = _approvals(store, getattr(args, "lang", None))
    except StoreError as exc:
        return _fail(exc.message)
    labels = {r.id: r.label for r in rows}
    if args.format == "json":
        sessions = [{**_session_dict(r),
                     "approved": [a.as_dict() for a in approved.get(r.id, [])]} for r in rows]
        json.dump({"sessions": sessions,
                   "revisions_due": [_due_dict(d, labels.get(d.session_id)) for d in due]},
                  sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return EXIT_OK
    if not rows:
        print(say("no_sessions"))
    for r in rows:
        print(f"{r.id}  {r.updated.astimezone():%Y-%m-%d %H:%M}  {_status(r.status):<13} "
              f"{r.guide_id:<32} {r.label}")
        for approval in approved.get(r.id, []):
            print(f"    {approval.describe()}")
    if due:
        print("\n" + say("plans_due"))
        for d in due:
            line = say("due_line", session=d.session_id, date=d.next_revision_due,
                       n=d.revision)
            print(f"{line}  {labels.get(d.session_id, '')}  {d.responsible or ''}".rstrip())
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

    from assistant.catalogue import t
    from assistant.store.errors import StoreError
    from assistant.store.ids import resolve_session_id
    from assistant.store.models import REVISION_KINDS

    try:
        with _open(args) as store:
            row = store.get_session(resolve_session_id(store, args.id))
            # --show and --diff print the plan's drafts: a read of its content, logged so on
            # a department server; the plain list shows numbers, kinds and dates only.
            shown = args.show is not None or args.diff is not None
            revisions = store.list_revisions(row.id, purpose="show" if shown else None)
    except StoreError as exc:
        return _fail(exc.message, exit_code(exc))
    by_number = {r.revision: r for r in revisions}
    wanted = [args.show] if args.show is not None else list(args.diff or [])
    if args.diff is not None and len(args.diff) == 1 and revisions:
        wanted.append(revisions[-1].revision)
    if args.diff is not None and len(wanted) != 2:
        return _fail(say("diff_numbers"), EXIT_USAGE)
    missing = [n for n in wanted if n not in by_number]
    if missing:
        known = ", ".join(str(n) for n in by_number) or say("none")
        return _fail(say("no_such_revision", session=row.id, n=missing[0], known=known))
    if not wanted:
        kinds = {kind: t(f"revision_{kind}", language()) for kind in REVISION_KINDS}
        width = max(len(word) for word in kinds.values())
        if not revisions:
            print(say("no_revisions", session=row.id))
        for r in revisions:
            due = (say("due", date=r.next_revision_due) if r.next_revision_due
                   else say("no_due_date"))
            print(f"{r.revision:>3}  {r.created.astimezone():%Y-%m-%d %H:%M}  "
                  f"{kinds[r.kind]:<{width}}  {due}  {r.responsible or ''}".rstrip())
        return EXIT_OK
    texts = [_revision_text(by_number[n]) for n in wanted]
    for number, text in zip(wanted, texts, strict=True):
        if text is None:
            return _fail(say("revision_unreadable", n=number))
    if args.show is not None:
        print("\n".join(texts[0] or []))
        return EXIT_OK
    old, new = texts
    diff = list(difflib.unified_diff(old or [], new or [], say("revision_n", n=wanted[0]),
                                     say("revision_n", n=wanted[1]), lineterm=""))
    print("\n".join(diff) if diff else say("revisions_same", a=wanted[0], b=wanted[1]))
    return EXIT_OK


# --- sessions show ---------------------------------------------------------------------------


def _counting(events: list[Event], state: SessionState | None) -> list[bool | None]:
    """For each stored event: does it count in the replayed `state` (not undone, still fits
    the guide)? An Undo counts: what it took back is gone from the state. None for all when
    there is no state (the guide is gone)."""
    from assistant.engine.events import Undo

    if state is None:
        return [None] * len(events)
    effective = state.effective_events  # the stored events that count, in stored order
    out: list[bool | None] = []
    position = 0
    for event in events:
        counts = position < len(effective) and effective[position] == event
        position += counts
        out.append(counts or isinstance(event, Undo))
    return out


def _event_dict(seq: int, event: Event, counts: bool | None) -> dict[str, Any]:
    from assistant.engine.events import EVENT_ADAPTER

    data = {k: v for k, v in EVENT_ADAPTER.dump_python(event, mode="json").items()
            if v is not None}
    head = {"seq": seq, "type": data.pop("type")}
    tail = {} if counts is None else {"counts": counts}
    return {**head, **data, **tail}


def _answers_dict(state: SessionState) -> dict[str, dict[str, Any]]:
    from assistant.engine.values import plain

    return {step: {"value": plain(record.value), "speaker": record.speaker,
                   "at": record.at.isoformat(), "prepared": record.prepared}
            for step, record in state.answers.items()}


def _shown(value: object) -> str:
    """A value on the terminal: text as it is (cleaned of control characters), else JSON."""
    import json

    from assistant.text import clean_text

    if isinstance(value, list):  # people and tasks: only the parts given
        value = [{k: v for k, v in item.items() if v is not None}
                 if isinstance(item, dict) else item for item in value]
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return clean_text(text).replace("\n", "\n" + " " * 8)


def _event_line(item: dict[str, Any]) -> str:
    """One event of `_event_dict` as a line: number, time, kind, what about, who, what said."""
    import datetime as dt

    rest = dict(item)
    seq, kind, counts = rest.pop("seq"), rest.pop("type"), rest.pop("counts", None)
    at = dt.datetime.fromisoformat(rest.pop("at")).astimezone()
    template, field = rest.pop("template", None), rest.pop("field", None)
    about = rest.pop("step", None) or ".".join(x for x in (template, field) if x)
    who = rest.pop("speaker", None) or rest.pop("role", None)
    said = [_shown(rest.pop(key)) for key in ("value", "text", "level", "name") if key in rest]
    if rest.pop("prepared", False):
        said.append(say("prepared"))
    said += [f"{key}={_shown(value)}" for key, value in rest.items()]
    if counts is False:
        said.append(say("does_not_count"))
    who_text = f"[{who}]" if who else ""
    return (f"{seq:>5}  {at:%Y-%m-%d %H:%M:%S}  {kind:<15} {_shown(about):<28} {who_text:<14} "
            + "  ".join(said)).rstrip()


def _cmd_show(args: argparse.Namespace) -> int:
    import json

    from assistant.cli.common import load_library_of
    from assistant.service.exports import read_state
    from assistant.store.errors import StoreError
    from assistant.store.ids import resolve_session_id

    try:
        with _open(args) as store:
            row = store.get_session(resolve_session_id(store, args.id))
            events = store.load_events(row.id, purpose="show")
            try:
                state: SessionState | None = read_state(store, load_library_of(args), row.id,
                                                        events=events)
            except LookupError as exc:  # the guide is no longer in the library
                print(f"sdm sessions: {say('guide_gone', reason=spoken(str(exc)))}",
                      file=sys.stderr)
                state = None
    except StoreError as exc:
        return _fail(exc.message, exit_code(exc))
    # Stored events are numbered 1, 2, 3 ... in the order appended, and never renumbered.
    items = [_event_dict(seq, event, counts) for seq, (event, counts)
             in enumerate(zip(events, _counting(events, state), strict=True), start=1)]
    answers = None if state is None else _answers_dict(state)
    if args.format == "json":
        session = {k: v for k, v in _session_dict(row).items() if k != "events"}
        json.dump({**session, "events": items, "answers": answers},
                  sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return EXIT_OK
    print(f"{say('show_session', session=row.id)}  {_shown(row.label)}")
    print(say("show_guide", guide=row.guide_id, version=row.guide_version,
              status=_status(row.status), events=count(len(events), "events"),
              date=f"{row.updated.astimezone():%Y-%m-%d %H:%M}"))
    print()
    for item in items:
        print(_event_line(item))
    if answers is not None:
        print("\n" + (say("answers_heading") if answers else say("no_answers")))
        for step, answer in answers.items():
            prepared = f" {say('prepared')}" if answer["prepared"] else ""
            print(f"  {step} [{answer['speaker']}]{prepared}: {_shown(answer['value'])}")
    return EXIT_OK


def _cmd_delete(args: argparse.Namespace) -> int:
    from assistant.store.errors import StoreError
    from assistant.store.ids import resolve_session_id

    try:
        with _open(args) as store:
            row = store.get_session(resolve_session_id(store, args.id))
            stop = _confirm(say("delete_session_question", session=row.id, label=row.label,
                                guide=row.guide_id, events=count(row.events, "events")), args)
            if stop is not None:
                return stop
            erased = store.delete_session(row.id)
    except StoreError as exc:
        return _fail(exc.message, exit_code(exc))
    print(say("deleted_session", session=row.id))
    if not erased:
        print(say("still_open_note"), file=sys.stderr)
    return EXIT_OK


def _cmd_purge(args: argparse.Namespace) -> int:
    import datetime as dt

    from assistant.store.errors import StoreError

    day = today(args)
    try:
        cutoff = day - dt.timedelta(days=args.older_than)
    except OverflowError:  # further back than any calendar date: nothing is that old
        cutoff = dt.date.min
    try:
        with _open(args) as store:
            old = [r for r in store.list_sessions() if r.updated.date() < cutoff]
            if not old:
                print(say("none_older", days=args.older_than))
                return EXIT_OK
            for r in old:
                print(f"{r.id}  {r.updated.astimezone():%Y-%m-%d}  {r.label}")
            if args.dry_run:
                print(say("would_delete", n=len(old)))
                return EXIT_OK
            stop = _confirm(say("delete_question", n=len(old)), args)
            if stop is not None:
                return stop
            result = store.purge(args.older_than, day)
    except StoreError as exc:
        return _fail(exc.message)
    print(say("deleted_n", n=len(result.deleted)))
    for session_id in result.busy:
        print(say("skipped_open", session=session_id), file=sys.stderr)
    return EXIT_PROBLEMS if result.busy else EXIT_OK
