"""`sdm export SESSION`: a stored session's plan draft in any registered format (text,
Markdown, HTML, JSON, FHIR, ...); `sdm agenda GUIDE` and `sdm prep-summary SESSION`: the
network meeting's papers.

`register(sub)` adds the `export`, `agenda` and `prep-summary` commands; each sets `func`,
which takes the parsed arguments and returns the exit code. `args.store` (a path, or None for
the default data directory) chooses the store file. The `--format` choices are the export
registry's (`export.formats.names()`), read when the parser is built.

The draft is built from the session's stored events, replayed on the guide in the library
(answers that no longer fit a changed guide are left out, as on resume). The plan is the
guide's own (`plan:`) unless `--template` names another one it fills. The export goes to
`-o FILE` or to stdout (a binary format only to a file or a pipe, never to a terminal). A
file is written as `files.write_private` writes it: created new with mode 0600 (it holds
health data), an existing file replaced only with `--force`, a symlink, device, FIFO or
folder refused. An export written to a file is also recorded in the store as
a plan revision of kind `exported`; one printed to stdout is not (it may only have been
looked at).

A session id may be given whole or as a unique prefix of at least 6 characters, as in git.
Exit codes as for every `sdm` command: 0 done, 1 a problem (no such session, an ambiguous id
prefix, a plan the guide does not fill, the guide is no longer in the library, the store,
standard output or the file cannot be read or written, the file exists and `--force` was not
given, it is not a regular file), 2 wrong use (a folder given as the file, an id prefix
shorter than 6 characters, a date or a width that is not one).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from assistant.cli.common import (
    EXIT_OK,
    EXIT_PROBLEMS,
    EXIT_USAGE,
    SESSION_HELP,
    add_store_option,
    exit_code,
    fail,
    guard_stdout,
    language,
    note,
    os_reason,
    say,
    today,
)
from assistant.export import formats
from assistant.export.formats import DEFAULT_WIDTH, MIN_WIDTH

if TYPE_CHECKING:
    import datetime as dt

    from assistant.guides.models import Guide, Language

MAX_WIDTH = 400

__all__ = ["register", "write_stdout"]


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the `export`, `agenda` and `prep-summary` commands to `subparsers`."""
    p = subparsers.add_parser(
        "export", help="export a stored session's plan draft",
        description="Write the plan draft of a stored session as text (for the health "
                    "record), Markdown, HTML (to print), JSON, or FHIR R4 (a Bundle of the "
                    "guide's Questionnaire and the session's QuestionnaireResponse). Text and "
                    "HTML make one of two papers (--copy): the patient's copy (filled fields "
                    "in the patient's words, no gaps, no risk scores) or the health-record "
                    "copy (every required field, the gaps listed); Markdown makes the "
                    "health-record copy.")
    p.add_argument("session", metavar="SESSION", help=SESSION_HELP)
    p.add_argument("--format", dest="export_format", choices=formats.names(), default="text")
    _output_options(p)
    p.add_argument("--template", metavar="ID",
                   help="the plan template (default: the guide's plan; any plan it fills)")
    p.add_argument("--copy", dest="export_copy", choices=formats.COPIES,
                   help="whom the paper is for: patient (to take home) or record (the "
                        "health record; md makes only this); default: html patient, text "
                        "and md record")
    p.add_argument("--width", type=_width, default=None, metavar="N",
                   help="wrap the text format's lines at N columns (default: not wrapped; "
                        "the health record wraps them)")
    p.add_argument("--lang", dest="export_lang", choices=("da", "en"),
                   help="language of the export (default: the language given to sdm)")
    add_store_option(p)
    p.add_argument("--today", help=argparse.SUPPRESS)  # tests pin the date
    p.set_defaults(func=guard_stdout("sdm export", _cmd_export))
    _register_meeting(subparsers)


def _register_meeting(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = subparsers.add_parser(
        "agenda", help="the agenda of a network meeting",
        description="Write the agenda of a meeting guide: who takes part, the sections with "
                    "their questions and time boxes, and the total time; as text or as one "
                    "HTML page to print.")
    p.add_argument("guide", metavar="GUIDE", help="a meeting guide's id (see 'sdm list')")
    p.add_argument("--participants", type=_roles, default=(), metavar="ROLE,...",
                   help="who takes part, as roles (patient, relative, clinician, municipality, "
                        "housing, gp, peer_worker, other); default: the guide's suggestions")
    p.add_argument("--date", metavar="DATE",
                   help="the meeting's date: DD-MM-YYYY, DD.MM.YYYY or YYYY-MM-DD")
    _paper_options(p)
    p.set_defaults(func=guard_stdout("sdm agenda", _cmd_agenda))

    p = subparsers.add_parser(
        "prep-summary", help="the patient's points from a preparation session, on one page",
        description="Write 'Mine punkter til mødet' (my points for the meeting): the answers "
                    "of a stored preparation session (a patient with a peer worker), as text "
                    "or as one HTML page to print.")
    p.add_argument("session", metavar="SESSION", help=SESSION_HELP)
    _paper_options(p)
    add_store_option(p)
    p.set_defaults(func=guard_stdout("sdm prep-summary", _cmd_prep_summary))


def _paper_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--format", dest="paper_format", choices=("text", "html"), default="text")
    _output_options(p)
    p.add_argument("--width", type=_width, default=DEFAULT_WIDTH, metavar="N",
                   help=f"line width of the text format (default {DEFAULT_WIDTH})")
    p.add_argument("--lang", dest="paper_lang", choices=("da", "en"),
                   help="language (default: the language given to sdm)")


def _output_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("-o", "--output", type=Path, metavar="FILE",
                   help="write to FILE, a new file with mode 0600, instead of stdout")
    p.add_argument("--force", action="store_true",
                   help="replace FILE if it exists (a regular file only)")


def _roles(text: str) -> tuple[str, ...]:
    from assistant.guides.models import ROLES

    roles = tuple(r.strip() for r in text.split(",") if r.strip())
    bad = [r for r in roles if r not in ROLES]
    if bad or not roles:
        raise argparse.ArgumentTypeError(say("roles_are", roles=", ".join(ROLES)))
    return tuple(dict.fromkeys(roles))


def _date(text: str) -> dt.date | None:
    """A date as the chat accepts it (`parse_date`: DD-MM-YYYY, DD.MM.YYYY, YYYY-MM-DD)."""
    import datetime as dt

    from assistant.engine.values import parse_date

    iso = parse_date(text)
    return dt.date.fromisoformat(iso) if iso is not None else None


def _width(text: str) -> int:
    try:
        width = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(say("not_whole_number", text=text)) from None
    if not MIN_WIDTH <= width <= MAX_WIDTH:
        raise argparse.ArgumentTypeError(say("width_range", low=MIN_WIDTH, high=MAX_WIDTH))
    return width


def _not_encrypted_warning(command: str) -> None:
    """On stderr: the store is encrypted, but what this command writes is not (issue #7)."""
    print(f"sdm {command}: {say('not_encrypted')}", file=sys.stderr)


def _fail(message: str, code: int = EXIT_PROBLEMS, command: str = "export") -> int:
    return fail(command, message, code)


def write_stdout(command: str, data: bytes, *, binary: bool) -> int:
    """Print an export's bytes on standard output: a text format as text (so the guarded,
    UTF-8 stream writes it), a binary one as bytes, and never to a terminal."""
    if not binary:
        sys.stdout.write(data.decode("utf-8"))
        sys.stdout.flush()
        return EXIT_OK
    if sys.stdout.isatty():
        return _fail(say("not_text"), EXIT_USAGE, command)
    sys.stdout.flush()
    try:
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
    except OSError as exc:
        from assistant.cli.common import StdoutFailed

        raise StdoutFailed(exc.strerror or str(exc)) from None
    return EXIT_OK


# --- the command ------------------------------------------------------------------------------


def _cmd_export(args: argparse.Namespace) -> int:
    # Imported here: building the parser must stay cheap for every other `sdm` command.
    from assistant.cli.common import load_library_of
    from assistant.plans import PlanChoiceError
    from assistant.service.exports import export_session, read_state, save_revision
    from assistant.service.stores import open_any
    from assistant.store import StoreError
    from assistant.store.ids import resolve_session_id

    exporter = formats.get(args.export_format)
    copy: formats.Copy | None = args.export_copy
    if copy is not None and copy not in exporter.copies:
        made = ", ".join(e.id for e in formats.exporters() if copy in e.copies)
        return _fail(say("copy_refused", format=exporter.id, whom=say(f"copy_for.{copy}"),
                         made=made), EXIT_USAGE)
    output: Path | None = args.output
    refused = _refused("export", output, args.force)
    if refused is not None:
        return refused
    library = load_library_of(args)
    try:
        with open_any(getattr(args, "store", None), "sdm export",
                              lang=language()) as store:
            if store.damage:
                note("export", store.damage)
            session_id = resolve_session_id(store, args.session)
            if store.encrypted:
                _not_encrypted_warning("export")
            # The session service draws the paper (state, plan, format); this command
            # only says what went wrong in words and decides where the bytes go.
            try:
                paper = export_session(
                    store, library, session_id, exporter.id, today=today(args),
                    template=args.template, copy=copy, width=args.width,
                    lang=args.export_lang or getattr(args, "lang", None))
            except LookupError as exc:
                return _fail(str(exc))
            except PlanChoiceError as exc:
                guide = read_state(store, library, session_id, purpose="export").guide
                return _fail(_check_template(guide, args.template) or exc.message)
            _check_template(paper.state.guide, args.template)  # names the other plans
            if output is None:
                # Printed, perhaps only looked at: not a revision of the plan.
                return write_stdout("export", paper.data, binary=exporter.binary)
            written = _save("export", output, paper.data, args.force)
            if written != EXIT_OK:
                return written
            if store.read_only:
                print(f"sdm export: {say('read_only_not_recorded')}", file=sys.stderr)
            else:
                save_revision(store, session_id, paper.draft, "exported")
    except StoreError as exc:
        return _fail(exc.message, exit_code(exc))
    print(say("wrote", path=output), file=sys.stderr)
    return EXIT_OK


def _check_template(guide: Guide, wanted: str | None) -> str | None:
    """None if `wanted` (None: the guide's own plan) can be exported; else the message why
    not. Without `--template`, says on stderr which other plans the guide fills."""
    from assistant.guides.problems import did_you_mean
    from assistant.plans.draft import draft_templates

    fills = draft_templates(guide)
    if not fills:
        return None  # choose_template says it
    if wanted is None:
        others = fills[1:]
        if others:
            use = others[0] if len(others) == 1 else "ID"
            told = say("exporting_own_plan", plan=fills[0], others=", ".join(others), use=use)
            print(f"sdm export: {told}", file=sys.stderr)
        return None
    if wanted in fills:
        return None
    close = did_you_mean(wanted, fills)
    hint = say("did_you_mean", name=close) if close else ""
    return say("not_filled", guide=guide.id, plan=wanted, fills=", ".join(fills), hint=hint)


# --- the meeting's papers ---------------------------------------------------------------------


def _refused(command: str, output: Path | None, force: bool) -> int | None:
    """Before any work: the exit code if `output` will not be written (see `_save`)."""
    from assistant.export.files import target_problem

    if output is None:
        return None
    problem = target_problem(output, replace=force)
    if problem is None:
        return None
    return _fail(problem.message, EXIT_USAGE if problem.reason == "folder" else EXIT_PROBLEMS,
                 command)


def _save(command: str, output: Path, content: bytes | str, force: bool) -> int:
    """Write `content` (bytes, or text as UTF-8) to `output` (`files.write_private`: a new
    0600 file; an existing one replaced only with `--force`); the exit code, the reason on
    stderr when not written."""
    from assistant.export.files import WriteRefused, write_private

    try:
        write_private(output, content, replace=force)
    except WriteRefused as exc:
        return _fail(exc.message, EXIT_USAGE if exc.reason == "folder" else EXIT_PROBLEMS,
                     command)
    except OSError as exc:
        return _fail(say("cannot_write", path=output, reason=os_reason(exc)), command=command)
    return EXIT_OK


def _write(command: str, output: Path | None, text: str, force: bool) -> int:
    """Print `text`, or write it to `output` with mode 0600 (it may hold health data)."""
    if output is None:
        sys.stdout.write(text)
        sys.stdout.flush()
        return EXIT_OK
    written = _save(command, output, text, force)
    if written == EXIT_OK:
        print(say("wrote", path=output), file=sys.stderr)
    return written


def _cmd_agenda(args: argparse.Namespace) -> int:
    from assistant.cli.common import load_library_of
    from assistant.export.meeting import agenda
    from assistant.guides.models import MeetingGuide

    output: Path | None = args.output
    refused = _refused("agenda", output, args.force)
    if refused is not None:
        return refused
    loaded = load_library_of(args).guides.get(args.guide)
    guide = loaded.document if loaded is not None else None
    if not isinstance(guide, MeetingGuide):
        return _fail(say("not_meeting_guide", guide=args.guide), EXIT_USAGE, "agenda")
    date = None
    if args.date is not None:
        date = _date(args.date)
        if date is None:
            return _fail(say("not_a_date", text=args.date, formats=say("date_formats")),
                         EXIT_USAGE, "agenda")
    lang: Language = args.paper_lang or getattr(args, "lang", None) or guide.language
    page, text = agenda(guide, args.participants, date=date, lang=lang, width=args.width)
    return _write("agenda", output, page if args.paper_format == "html" else text, args.force)


def _cmd_prep_summary(args: argparse.Namespace) -> int:
    from assistant.cli.common import load_library_of
    from assistant.export.meeting import preparation_summary
    from assistant.service.exports import read_state
    from assistant.service.stores import open_with_prompt
    from assistant.store import StoreError
    from assistant.store.ids import resolve_session_id

    command = "prep-summary"
    output: Path | None = args.output
    refused = _refused(command, output, args.force)
    if refused is not None:
        return refused
    library = load_library_of(args)
    try:
        with open_with_prompt(getattr(args, "store", None), f"sdm {command}",
                              lang=language()) as store:
            if store.damage:
                note(command, store.damage)
            if store.encrypted and output is not None:
                _not_encrypted_warning(command)
            session_id = resolve_session_id(store, args.session)
            try:
                state = read_state(store, library, session_id, purpose="export")
            except LookupError as exc:
                return _fail(str(exc), command=command)
    except StoreError as exc:
        return _fail(exc.message, exit_code(exc), command=command)
    lang: Language = args.paper_lang or getattr(args, "lang", None) or state.guide.language
    try:
        page, text = preparation_summary(state, lang=lang, width=args.width)
    except ValueError:
        return _fail(say("not_preparation"), EXIT_USAGE, command)
    return _write(command, output, page if args.paper_format == "html" else text, args.force)
