"""`sdm export SESSION`: a stored session's plan draft as text, Markdown, HTML, JSON or FHIR.

Wiring (in assistant/cli.py): `register(sub)` adds the `export` command; it sets `func`,
which takes the parsed arguments and returns the exit code. `args.store` (a path, or None for
the default data directory) chooses the store file.

The draft is built from the session's stored events, replayed on the guide in the library
(answers that no longer fit a changed guide are left out, as on resume). The export goes to
`-o FILE` (created with mode 0600: it holds health data) or to stdout. Each export is also
recorded in the store as a plan revision of kind `exported`.

Exit codes as for every `sdm` command: 0 done, 1 a problem (no such session, the guide is no
longer in the library, the store cannot be read or written), 2 wrong use (a template the
guide does not fill, a width out of range).
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from assistant.export.formats import DEFAULT_WIDTH, FORMATS, MIN_WIDTH, Format

if TYPE_CHECKING:
    from assistant.guides.models import Language

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2
MAX_WIDTH = 400

__all__ = ["register"]


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the `export` command to `subparsers`."""
    p = subparsers.add_parser(
        "export", help="export a stored session's plan draft",
        description="Write the plan draft of a stored session as text (for the health "
                    "record), Markdown, HTML (to print), JSON, or FHIR R4 (a Bundle of the "
                    "guide's Questionnaire and the session's QuestionnaireResponse).")
    p.add_argument("session", metavar="SESSION", help="the session's id (see 'sdm sessions list')")
    p.add_argument("--format", dest="export_format", choices=FORMATS, default="text")
    p.add_argument("-o", "--output", type=Path, metavar="FILE",
                   help="write to FILE (mode 0600) instead of stdout")
    p.add_argument("--template", metavar="ID",
                   help="the plan template (default: the guide's plan; any plan it fills)")
    p.add_argument("--width", type=_width, default=DEFAULT_WIDTH, metavar="N",
                   help=f"line width of the text format (default {DEFAULT_WIDTH})")
    p.add_argument("--lang", dest="export_lang", choices=("da", "en"),
                   help="language of the export (default: the language given to sdm)")
    p.add_argument("--store", type=Path, metavar="PATH", default=argparse.SUPPRESS,
                   help="the session store file")
    p.add_argument("--today", help=argparse.SUPPRESS)  # tests pin the date
    p.set_defaults(func=_cmd_export)


def _width(text: str) -> int:
    try:
        width = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number") from None
    if not MIN_WIDTH <= width <= MAX_WIDTH:
        raise argparse.ArgumentTypeError(f"the width must be {MIN_WIDTH} to {MAX_WIDTH}")
    return width


def _fail(message: str, code: int = EXIT_PROBLEMS) -> int:
    print(f"sdm export: {message}", file=sys.stderr)
    return code


# --- the command ------------------------------------------------------------------------------


def _cmd_export(args: argparse.Namespace) -> int:
    # Imported here: building the parser must stay cheap for every other `sdm` command.
    from assistant.export.files import plan_templates, read_state, save_revision, write_private
    from assistant.export.formats import render
    from assistant.guides.loader import load_library
    from assistant.plans import PlanChoiceError, build_draft, choose_template
    from assistant.store import Store, StoreError

    fmt: Format = args.export_format
    today = dt.date.fromisoformat(args.today) if args.today else dt.date.today()
    output: Path | None = args.output
    if output is not None and output.is_dir():
        return _fail(f"{output} is a folder: give a file name", EXIT_USAGE)
    library = load_library()
    try:
        with Store.open(getattr(args, "store", None)) as store:
            if store.damage:
                print(f"sdm export: {store.damage}", file=sys.stderr)
            if getattr(store, "encrypted", False):
                print("sdm export: note: the store is encrypted, the export is not: keep "
                      "the file safe and delete it when it is no longer needed",
                      file=sys.stderr)
            try:
                state = read_state(store, library, args.session)
            except LookupError as exc:
                return _fail(str(exc))
            lang: Language = args.export_lang or getattr(args, "lang", None) or (
                state.guide.language)
            try:
                template = choose_template(state.guide, plan_templates(library),
                                           args.template)
            except PlanChoiceError as exc:
                return _fail(exc.message, EXIT_USAGE)
            draft = build_draft(state, template, today=today, lang=lang)
            text = render(fmt, draft, state, width=args.width, lang=lang)
            if output is None:
                sys.stdout.write(text)
                sys.stdout.flush()
            else:
                try:
                    write_private(output, text)
                except OSError as exc:
                    return _fail(f"cannot write {output}: {exc.strerror or exc}")
            if store.read_only:
                print("sdm export: the store is read-only: this export is not recorded as a "
                      "plan revision", file=sys.stderr)
            else:
                save_revision(store, args.session, draft, "exported")
    except StoreError as exc:
        return _fail(exc.message)
    if output is not None:
        print(f"wrote {output}", file=sys.stderr)
    return EXIT_OK
