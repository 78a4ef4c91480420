"""`sdm replay GUIDE --answers FILE`: run a guide from an answers file, print the state.

The answers file is read and replayed by the engine (`engine.answersfile.replay_answers`);
this module is the command around it: the arguments, the files, the printing and the store.
With `--export FORMAT` (any registered format: `export.formats.names()`) the plan draft of
the guide's default plan (or of `--template ID`, another plan the guide fills) is printed
instead, as of the day of the last answer (so the output depends only on the files).

The library for the run is the bundled one, the guide file when GUIDE is a path with the plan
templates beside it (files in its folder that say `kind: plan_template`), and each file given
with `--with FILE`: never a folder's other files or subfolders, which may hold answers files,
drafts or a virtual environment's YAML (issue 18).

Exit codes follow the CLI (`common`): 0 the state (or export) was printed; 1 problems in the
library or the answers file (each printed as `file:line:col: message` on stderr, and nothing
is printed on stdout); 2 the command was used wrongly (no such guide or file, an unknown
export format, a guide that fills no plan).

With `--store PATH` the answers are written to the session store instead, through the code
the chat UI uses (the session service's `SessionService.start` / `resume`, then
`OpenSession.record_applied` for each event: checked, committed and synced, then applied),
and one JSON line is printed on stdout (and flushed) right after each event's commit, never
before:

    {"seq": 3, "step": "op-til", "session": "3f2a…", "type": "answer"}

`seq` is the event's number in the session as `sdm sessions show ID` lists it; `step` is null
for events about no step (a participant joining). Without `--session` a new session is started
(labelled with `--label`, or the answers file's name without its suffix) and holds exactly the
file's events, at the file's times: reading it back gives the state `sdm replay` prints.
With `--session ID` (or a unique prefix of at least 6 characters) the events are appended to
that session. Either way the whole file is checked first, and nothing is written when it has
a problem; for `--session`, also against the session as stored (a step answered there takes
`edit: true`). Exit codes: 0 every event stored, 1 a problem (nothing, or as the last line
says, only the events acknowledged on stdout were stored), 2 wrong use.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from assistant.cli.common import (
    EXIT_OK,
    EXIT_PROBLEMS,
    EXIT_USAGE,
    add_store_option,
    exit_code,
    fail,
    guard_stdout,
    language,
    note,
    os_reason,
    say,
    spoken,
)

if TYPE_CHECKING:
    from collections.abc import Sequence

    from assistant.engine.events import Event
    from assistant.engine.session import Session
    from assistant.engine.state import SessionState
    from assistant.guides.loader import Library
    from assistant.guides.models import Guide, Language
    from assistant.guides.problems import Problem
    from assistant.guides.yamlsubset import Path as YamlPath
    from assistant.guides.yamlsubset import Positions
    from assistant.service.sessions import OpenSession
    from assistant.store.contract import StoreContract

__all__ = ["cmd_replay", "register", "replay_command"]


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the `replay` command to `subparsers`."""
    p = subparsers.add_parser("replay",
                              help="run a guide from an answers file, without a terminal UI")
    p.add_argument("guide", help="a bundled guide's id, or a path to a guide file")
    p.add_argument("--answers", type=Path, required=True, help="the answers file (YAML)")
    p.add_argument("--format", choices=("json",), default="json")
    p.add_argument("--export", help="print the plan draft in this format instead")
    p.add_argument("--template", metavar="ID",
                   help="with --export: the plan to draft (default: the guide's own plan)")
    p.add_argument("--with", dest="with_files", type=Path, action="append", default=[],
                   metavar="FILE",
                   help="a guide or plan template file that joins the library for this run "
                        "(e.g. the aid's own plan); may be given more than once")
    add_store_option(p, help="write the answers to this session store, printing one JSON "
                             "line per stored event ({\"seq\", \"step\", \"session\", "
                             "\"type\"}) as soon as it is committed")
    p.add_argument("--session", metavar="ID",
                   help="with --store: append to this stored session (its id, or its first "
                        "6 or more characters) instead of starting a new one")
    p.add_argument("--label", help="with --store: the new session's label, a pseudonym or "
                                   "initials (default: the answers file's name)")
    p.set_defaults(func=guard_stdout("sdm replay", cmd_replay))


def cmd_replay(args: argparse.Namespace) -> int:
    """`sdm replay GUIDE --answers FILE`: the parsed arguments to `replay_command`."""
    from assistant.cli.common import library_folders

    return replay_command(args.guide, args.answers, export=args.export, store=args.store,
                          session=args.session, label=args.label, with_files=args.with_files,
                          template=args.template,
                          folders=[f.path for f in library_folders(args)])


def _fail(message: str) -> int:
    return fail("replay", message, EXIT_USAGE)


def _problem(message: str, code: int = EXIT_PROBLEMS) -> int:
    return fail("replay", message, code)


def _looks_like_path(guide: str) -> bool:
    from assistant.guides.loader import GUIDE_SUFFIXES

    return guide.endswith(GUIDE_SUFFIXES) or "/" in guide or "\\" in guide


def _library(guide: str, with_files: Sequence[Path],
             folders: Sequence[Path] = ()) -> tuple[Library, Path | None]:
    """The library for this run (the bundled one, the library `folders`, the guide file if
    GUIDE is a path, and the `--with` files), and the guide file if GUIDE is a path."""
    from assistant.guides.loader import load_library

    extra = [f.resolve() for f in with_files]
    if not _looks_like_path(guide):
        return load_library(extra, folders=folders), None
    path = Path(guide).resolve()
    beside = [f for f in _plan_templates_beside(path) if f not in extra]
    return load_library([path, *beside, *(f for f in extra if f != path)],
                        folders=folders), path


def _plan_templates_beside(guide: Path) -> list[Path]:
    """The plan templates in the guide file's own folder (not its subfolders): a file that
    says `kind: plan_template` on a line of its own. An aid's own plan usually lives beside
    it; answers files, drafts and whatever else is there are not read."""
    import re

    from assistant.guides.loader import GUIDE_SUFFIXES

    says = re.compile(r"^kind:[ \t]*[\"']?plan_template[\"']?[ \t]*(#.*)?$", re.MULTILINE)
    found = []
    for file in sorted(guide.parent.iterdir()):
        if file == guide or not file.name.endswith(GUIDE_SUFFIXES) or not file.is_file():
            continue
        try:
            head = file.read_bytes()[:65536].decode("utf-8", errors="replace")
        except OSError:
            continue
        if says.search(head):
            found.append(file.resolve())
    return found


def _find_guide(library: Library, guide: str, path: Path | None) -> Guide | str:
    """The guide to replay, or a usage message saying why there is none."""
    from assistant.guides.loader import display_name
    from assistant.guides.models import DecisionAid, MeetingGuide

    if path is not None:
        name = display_name(path)
        found = next((d for d in library.documents if d.file == name), None)
        if found is None:
            return say("not_loaded_as_guide", guide=guide)
    else:
        found = library.guides.get(guide) or library.templates.get(guide)
        if found is None:
            return say("no_guide", guide=guide, hint=_suggestion(guide, sorted(library.guides)))
    document = found.document
    if isinstance(document, (DecisionAid, MeetingGuide)):
        return document
    return say("template_not_guide", id=document.id)


def _blocked(library: Library, guide: Guide, path: Path | None,
             with_files: Sequence[Path]) -> bool:
    """True when `guide` may not be replayed: an error in its file or in a plan template it
    drafts (`status.is_blocked`, the home screen's rule), or in a file given with --with
    (named for this run, so it is checked as strictly as the guide)."""
    from assistant.guides.loader import display_name
    from assistant.guides.status import is_blocked

    named = {display_name(f.resolve()) for f in with_files}
    if any(problem.file in named for problem in library.errors):
        return True
    if path is not None:
        file = display_name(path)
    else:
        loaded = library.guides.get(guide.id)
        file = loaded.file if loaded is not None else ""
    return is_blocked(library, file, guide)


def _suggestion(word: str, candidates: Sequence[str]) -> str:
    """" — did you mean 'x'?", or the nearest known values, or "" (`problems.suggestion` in
    the CLI's language)."""
    from assistant.guides.problems import did_you_mean, nearest

    close = did_you_mean(word, candidates)
    if close is not None:
        return say("did_you_mean", name=close)
    if candidates:
        return say("nearest_known", known=", ".join(f"'{c}'" for c in nearest(word, candidates)))
    return ""


def replay_command(guide: str, answers: Path, export: str | None = None, *,
                   store: Path | None = None, session: str | None = None,
                   label: str | None = None, with_files: Sequence[Path] = (),
                   template: str | None = None, folders: Sequence[Path] = ()) -> int:
    """Replay `answers` against `guide` and print the final state as JSON on stdout.
    The library folders `folders` join the bundled library (`guides/folders.py`).

    Args:
        guide: a bundled guide's id, or a path to a guide file (it and the plan templates
            beside it join the bundled library for this run; nothing else in its folder does).
        answers: the answers file (see `answersfile` for the format).
        export: print the plan draft in this format instead (a registered format: `text`,
            `md`, `html`, `json`, or `fhir` for the Questionnaire and QuestionnaireResponse).
        store: write the events to this session store instead, printing one JSON line per
            committed event (see the module's docstring).
        session: with `store`: append to this stored session (its id or a unique prefix)
            instead of starting a new one.
        label: with `store`: the new session's label (default: the answers file's stem).
        with_files: guide or plan template files that join the library for this run.
        template: with `export`: the plan to draft (default: the guide's own plan).

    Returns:
        The exit code: 0, 1 (problems, printed on stderr) or 2 (usage).
    """
    import json

    from assistant.engine.answersfile import replay_answers
    from assistant.engine.errors import quote
    from assistant.engine.snapshot import state_to_json
    from assistant.export import formats
    from assistant.guides.loader import display_name
    from assistant.guides.problems import Problem, did_you_mean
    from assistant.guides.yamlsubset import YamlSubsetError, decode, read, read_file

    if store is None and (session is not None or label is not None):
        return _fail(say("session_needs_store"))
    if store is not None and export is not None:
        return _fail(say("export_with_store"))
    if session is not None and label is not None:
        return _fail(say("label_or_session"))
    if template is not None and export is None:
        return _fail(say("template_needs_export"))
    for extra in with_files:
        if not extra.is_file():
            return _fail(say("with_not_a_file", path=extra))
    known = formats.names()
    if export is not None and export not in known:
        close = did_you_mean(export, known)
        hint = say("did_you_mean", name=close) if close else ""
        return _fail(say("unknown_format", name=quote(export), hint=hint,
                         formats=", ".join(known)))
    if _looks_like_path(guide) and not Path(guide).is_file():
        return _fail(say("no_guide_file", path=guide))
    if not answers.exists():
        return _fail(say("no_answers_file", path=answers))

    library, path = _library(guide, with_files, folders)
    for problem in library.problems:
        print(problem.format(), file=sys.stderr)
    found = _find_guide(library, guide, path)
    if isinstance(found, str):
        # With errors printed, the guide may be in a file that could not be read: they say why.
        return EXIT_PROBLEMS if library.errors else _fail(found)
    # As on the home screen: an error elsewhere in a library folder (another author's file)
    # is printed but does not stop this guide; one in its own file, in a plan template it
    # drafts, or in a file named with --with does.
    if library.errors and _blocked(library, found, path, with_files):
        return EXIT_PROBLEMS

    file = display_name(answers.resolve())
    try:
        text = decode(read_file(answers))  # a regular file, and no more than the limit
        data, positions = read(text, positions=True)
    except OSError as exc:
        return _fail(say("cannot_read", path=answers, reason=os_reason(exc)))
    except YamlSubsetError as exc:
        problem = Problem(file, max(exc.line, 1), max(exc.column, 1), exc.message, code="yaml")
        print(problem.format(), file=sys.stderr)
        return EXIT_PROBLEMS

    state, problems = replay_answers(found, data, positions, file)
    if state is None:
        for problem in problems:
            print(problem.format(), file=sys.stderr)
        return EXIT_PROBLEMS
    if store is not None:
        return _record(library, found, _replayed(state, data, positions, file), store,
                       session, label if label is not None else answers.stem)
    if export is not None:
        return _export(library, state, export, template)
    json.dump(state_to_json(state), sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")
    return EXIT_OK


def _export(library: Library, state: SessionState, export: str,
            template_id: str | None = None) -> int:
    """Print the plan draft (or the FHIR Bundle) of a replayed session."""
    import json

    # Imported here: the plain replay needs none of the export machinery.
    from assistant.cli.export import write_stdout
    from assistant.engine.answersfile import START
    from assistant.export.fhir import fhir_bundle
    from assistant.export.formats import get, render
    from assistant.plans import PlanChoiceError, build_draft, choose_template

    if export == "fhir" and not state.plan_templates and template_id is None:
        # The session itself: no plan needed.
        json.dump(fhir_bundle(state), sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return EXIT_OK
    # A guide that fills a plan: FHIR carries the plan as well, as every format does.
    templates = {tid: t for tid in library.templates if (t := library.template(tid))}
    try:
        template = choose_template(state.guide, templates, template_id)
    except PlanChoiceError as exc:
        return _fail(exc.message)
    times = [e.at for e in state.effective_events]
    today = max(times).date() if times else START.date()
    draft = build_draft(state, template, today=today)
    return write_stdout("replay", render(export, draft, state), binary=get(export).binary)


# --- --store: the answers written to the session store ----------------------------------------


class _Located(NamedTuple):
    """One event of the answers file, and the entry it comes from (for a problem's place)."""

    event: Event
    path: YamlPath


class _Replayed(NamedTuple):
    """A replayed answers file: its events in order, its language, and where it is."""

    events: list[_Located]
    language: Language
    file: str
    positions: Positions


def _replayed(state: SessionState, data: dict[str, Any], positions: Positions | None,
              file: str) -> _Replayed:
    """The events of a replayed answers file, in order, each with the entry it comes from.

    `replay_answers` applies the participants, then the prepared answers, then the answers,
    one event per entry; none of them is undone, so the state's effective events are exactly
    these, in this order.
    """
    from assistant.guides.yamlsubset import Positions

    def count(key: str) -> int:
        value = data.get(key)
        return len(value) if isinstance(value, (list, dict)) else 0

    paths: list[YamlPath] = [("participants", i) for i in range(count("participants"))]
    prepared = data.get("prepared")
    paths += [("prepared", key) for key in (prepared if isinstance(prepared, dict) else {})]
    paths += [("answers", i) for i in range(count("answers"))]
    events = state.effective_events
    if len(paths) != len(events):  # not expected; then the file as a whole is the place
        paths = [()] * len(events)
    located = [_Located(event, path) for event, path in zip(events, paths, strict=True)]
    return _Replayed(located, state.language, file, positions or Positions())


def _step_of(event: Event) -> str | None:
    step = getattr(event, "step", None)
    return step if isinstance(step, str) else None


def _acknowledge(seq: int, event: Event, session_id: str) -> None:
    """One JSON line for an event that is committed: written and flushed at once.

    If standard output fails, the error goes on (the CLI reports it in one line) after a
    line on stderr saying what is stored: events up to this one."""
    import json

    line = {"seq": seq, "step": _step_of(event), "session": session_id, "type": event.type}
    try:
        sys.stdout.write(json.dumps(line, ensure_ascii=False) + "\n")
        sys.stdout.flush()
    except Exception:
        print(f"sdm replay: {say('replay_stopped', seq=seq, session=session_id)}",
              file=sys.stderr)
        raise


def _appendable(session: Session, replayed: _Replayed) -> tuple[list[Event], list[Problem]]:
    """For `--session`: the events to append to the stored `session` (a participant who
    takes part already is left out), and the problems they meet there, each at its entry.
    Nothing changes: the events are tried on a copy of the session."""
    import copy

    from assistant.engine.errors import AnswerError, EngineError
    from assistant.engine.events import AddParticipant
    from assistant.guides.problems import Problem

    trial = copy.copy(session)  # its state and log are immutable; `apply` replaces them
    todo: list[Event] = []
    problems: list[Problem] = []
    for item in replayed.events:
        event = item.event
        if isinstance(event, AddParticipant) and any(
                p.role == event.role and p.name == event.name
                for p in trial.state.participants):
            continue
        try:
            trial.apply(event)
        except EngineError as exc:
            path = item.path
            if _step_of(event) is not None and path[:1] == ("answers",):
                path = (*path, "value" if isinstance(exc, AnswerError) else "step")
            line, column = replayed.positions.of_value(path)
            problems.append(Problem(replayed.file, max(line, 1), max(column, 1),
                                    f"{exc.message} (in the stored session)"))
            continue
        todo.append(event)
    return todo, sorted(problems)


def _record(library: Library, guide: Guide, replayed: _Replayed, store_path: Path,
            session_ref: str | None, label: str) -> int:
    """Write the replayed events to the store; one JSON line per committed event."""
    from assistant.service.sessions import SessionService, SessionUnavailable
    from assistant.service.stores import open_any
    from assistant.store import StoreError
    from assistant.store.ids import resolve_session_id
    from assistant.store.labels import looks_like_cpr

    if session_ref is None and looks_like_cpr(label):
        return _fail(say("label_cpr"))
    try:
        store = open_any(store_path, "sdm replay", lang=language())
    except StoreError as exc:
        return _problem(exc.message, exit_code(exc))
    try:
        if store.damage:
            note("replay", store.damage)
        service = SessionService(store, library)
        try:
            if session_ref is None:
                before = 0
                opened = service.start(guide, label, [], replayed.language)
            else:
                session_id = resolve_session_id(store, session_ref)
                before = store.get_session(session_id).events
                opened = service.resume(session_id, replayed.language)
        except SessionUnavailable as exc:
            return _problem(exc.message)
        except StoreError as exc:
            return _problem(exc.message, exit_code(exc))
        try:
            return _append(store, opened, replayed, before, new=session_ref is None)
        except StoreError as exc:
            return _problem(say("partly_stored", reason=spoken(exc.message)))
        finally:
            opened.close()
    finally:
        store.close()


def _append(store: StoreContract, opened: OpenSession, replayed: _Replayed, before: int, *,
            new: bool) -> int:
    """Record the events in `opened` (its lock held), acknowledging each after its commit.

    `before`: how many events the session had before it was opened here."""
    from assistant.engine.errors import EngineError
    from assistant.engine.events import AddParticipant
    from assistant.service.sessions import SessionPaused

    session_id = opened.row.id
    if new:
        todo = [item.event for item in replayed.events]
        # Who takes part is stored with the session, as the UI's start does; their events
        # are the file's own (with names), recorded below in the file's order.
        present = list(dict.fromkeys(e.role for e in todo if isinstance(e, AddParticipant)))
        if present:
            opened.row = store.update_session(session_id, present=present)
    else:
        todo, problems = _appendable(opened.session, replayed)
        if problems:
            for problem in problems:
                print(problem.format(), file=sys.stderr)
            return EXIT_PROBLEMS
    # Opening a session stored before sessions recorded who takes part records them: those
    # are committed too, so they are acknowledged first.
    seq = store.get_session(session_id).events
    if seq > before:
        for number, event in enumerate(store.load_events(session_id)[before:seq],
                                       start=before + 1):
            _acknowledge(number, event, session_id)
    for event in todo:
        try:
            opened.record_applied(event)  # checked, committed and synced, then applied
        except (EngineError, SessionPaused) as exc:  # not expected: every event was tried
            return _problem(say("event_not_stored", n=seq + 1, reason=spoken(str(exc))))
        seq += 1  # the lock is held: nobody else appends to this session
        _acknowledge(seq, event, session_id)
    if store.get_session(session_id).events != seq:  # the numbering the store gave them
        return _problem(say("events_miscounted", session=session_id,
                            held=store.get_session(session_id).events, seq=seq))
    if opened.session.state.finished:
        opened.finish()  # as the UI does when a conversation ends
    print(f"sdm replay: {say('events_stored', n=len(todo), session=session_id)}",
          file=sys.stderr)
    return EXIT_OK
