"""`sdm replay GUIDE --answers FILE`: run a guide from an answers file, print the state.

With `--export FORMAT` (text, md, html, json, fhir) the plan draft of the guide's default plan
is printed instead, as of the day of the last answer (so the output depends only on the
files). The only engine module that reads files or writes to the console. Exit codes follow
the CLI: 0 the state (or export) was printed; 1 problems in the library or the answers file
(each printed as `file:line:col: message` on stderr, and nothing is printed on stdout); 2 the
command was used wrongly (no such guide or file, an unknown export format, a guide that fills
no plan).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from assistant.engine.answersfile import START, replay_answers
from assistant.engine.errors import quote
from assistant.engine.snapshot import state_to_json
from assistant.engine.state import SessionState
from assistant.guides.loader import (
    GUIDE_SUFFIXES,
    Library,
    display_name,
    guide_files,
    load_library,
)
from assistant.guides.models import DecisionAid, Guide, MeetingGuide
from assistant.guides.problems import Problem, did_you_mean, suggestion
from assistant.guides.yamlsubset import YamlSubsetError, decode, read

__all__ = ["replay_command", "state_to_json"]

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2


def _fail(message: str) -> int:
    print(f"sdm replay: {message}", file=sys.stderr)
    return EXIT_USAGE


def _looks_like_path(guide: str) -> bool:
    return guide.endswith(GUIDE_SUFFIXES) or "/" in guide or "\\" in guide


def _library(guide: str, answers: Path) -> tuple[Library, Path | None]:
    """The library for this run, and the guide file if GUIDE is a path."""
    if not _looks_like_path(guide):
        return load_library(), None
    path = Path(guide).resolve()
    # The guide's folder joins the library; the answers file often lives there too and is
    # not a guide, so it is left out.
    skip = answers.resolve()
    extra = [f for f in guide_files([path.parent]) if f != skip]
    return load_library(extra), path


def _find_guide(library: Library, guide: str, path: Path | None) -> Guide | str:
    """The guide to replay, or a usage message saying why there is none."""
    if path is not None:
        name = display_name(path)
        found = next((d for d in library.documents if d.file == name), None)
        if found is None:
            return f"{guide} did not load as a guide"
    else:
        found = library.guides.get(guide) or library.templates.get(guide)
        if found is None:
            ids = sorted(library.guides)
            return f"no guide '{guide}' in the library{suggestion(guide, ids)}"
    document = found.document
    if isinstance(document, (DecisionAid, MeetingGuide)):
        return document
    return f"'{document.id}' is a plan template, not a guide"


def replay_command(guide: str, answers: Path, export: str | None = None) -> int:
    """Replay `answers` against `guide` and print the final state as JSON on stdout.

    Args:
        guide: a bundled guide's id, or a path to a guide file (the guides and plan
            templates in that file's folder then join the bundled library for this run).
        answers: the answers file (see `answersfile` for the format).
        export: print the plan draft in this format instead (`text`, `md`, `html`, `json`,
            or `fhir` for the Questionnaire and QuestionnaireResponse).

    Returns:
        The exit code: 0, 1 (problems, printed on stderr) or 2 (usage).
    """
    from assistant.export.formats import FORMATS

    if export is not None and export not in FORMATS:
        close = did_you_mean(export, FORMATS)
        hint = f" — did you mean '{close}'?" if close else ""
        return _fail(f"unknown export format {quote(export)}{hint} "
                     f"(formats: {', '.join(FORMATS)})")
    if _looks_like_path(guide) and not Path(guide).is_file():
        return _fail(f"no such guide file: {guide}")
    if not answers.is_file():
        return _fail(f"no such answers file: {answers}")

    library, path = _library(guide, answers)
    for problem in library.problems:
        print(problem.format(), file=sys.stderr)
    if library.errors:
        return EXIT_PROBLEMS
    found = _find_guide(library, guide, path)
    if isinstance(found, str):
        return _fail(found)

    file = display_name(answers.resolve())
    try:
        text = decode(answers.read_bytes())
        data, positions = read(text, positions=True)
    except OSError as exc:
        return _fail(f"cannot read {answers}: {exc.strerror or exc}")
    except YamlSubsetError as exc:
        problem = Problem(file, max(exc.line, 1), max(exc.column, 1), exc.message, code="yaml")
        print(problem.format(), file=sys.stderr)
        return EXIT_PROBLEMS

    state, problems = replay_answers(found, data, positions, file)
    if state is None:
        for problem in problems:
            print(problem.format(), file=sys.stderr)
        return EXIT_PROBLEMS
    if export is not None:
        return _export(library, state, export)
    json.dump(state_to_json(state), sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")
    return EXIT_OK


def _export(library: Library, state: SessionState, export: str) -> int:
    """Print the plan draft (or the FHIR Bundle) of a replayed session."""
    # Imported here: the plain replay needs none of the export machinery.
    from assistant.export.fhir import fhir_bundle
    from assistant.export.formats import FORMATS, render
    from assistant.plans import PlanChoiceError, build_draft, choose_template

    fmt = next(f for f in FORMATS if f == export)
    if fmt == "fhir" and not state.plan_templates:  # the session itself: no plan needed
        json.dump(fhir_bundle(state), sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return EXIT_OK
    # A guide that fills a plan: FHIR carries the plan as well, as every format does.
    templates = {tid: t for tid in library.templates if (t := library.template(tid))}
    try:
        template = choose_template(state.guide, templates)
    except PlanChoiceError as exc:
        return _fail(exc.message)
    times = [e.at for e in state.effective_events]
    today = max(times).date() if times else START.date()
    draft = build_draft(state, template, today=today)
    sys.stdout.write(render(fmt, draft, state))
    return EXIT_OK
