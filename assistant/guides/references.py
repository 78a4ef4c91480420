"""Cross-reference checks: ids are unique, and every reference points at something real.

Within a guide: step, choice, option, section and source ids are unique; `enable_when` looks
back at an earlier step with an answer of the right kind; options cite the guide's sources.
Across the library: `plan` names a plan template and every `fills` target is a field of one;
document ids are unique. Each problem names the nearest existing ids.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from typing import assert_never

from assistant.guides import step_ids
from assistant.guides.flow import RESERVED_STEP_IDS, FlowStep, flow
from assistant.guides.loader import Library, Loaded
from assistant.guides.models import (
    AnyStep,
    Condition,
    DateStep,
    DecisionAid,
    DecisionFills,
    InfoStep,
    LongTextStep,
    MeetingGuide,
    MultiStep,
    PeopleStep,
    PlanTemplate,
    ScaleStep,
    SingleStep,
    TasksStep,
    TextStep,
    YesNoStep,
    choices_of,
)
from assistant.guides.problems import Problem, suggestion
from assistant.guides.yamlsubset import Path


def check_library(library: Library) -> list[Problem]:
    """Every reference problem in the library (documents that failed to load are skipped)."""
    problems: list[Problem] = []
    problems += _duplicate_documents(library.documents)
    for loaded in library.documents:
        doc = loaded.document
        if isinstance(doc, PlanTemplate):
            problems += _check_template(loaded, doc)
        else:
            problems += _check_guide(loaded, doc, library)
    return problems


def _duplicate_documents(documents: Iterable[Loaded]) -> Iterator[Problem]:
    first: dict[str, Loaded] = {}
    for loaded in documents:
        other = first.setdefault(loaded.id, loaded)
        if other is not loaded:
            yield loaded.problem(
                ("id",), f"id '{loaded.id}' is already used by {other.file}", code="ref",
                hint="every guide and plan template needs its own id",
            )


def _unique(
    loaded: Loaded, items: Iterable[tuple[str, Path]], what: str
) -> Iterator[Problem]:
    seen: dict[str, Path] = {}
    for item_id, path in items:
        if item_id in seen:
            line = loaded.positions.of_value(seen[item_id])[0]
            yield loaded.problem(
                path, f"duplicate {what} id '{item_id}' (first used at line {line})", code="ref"
            )
        else:
            seen[item_id] = path


def _check_template(loaded: Loaded, template: PlanTemplate) -> Iterator[Problem]:
    yield from _unique(
        loaded, ((f.id, ("fields", i, "id")) for i, f in enumerate(template.fields)), "field"
    )
    for i, f in enumerate(template.fields):
        if f.type == "choice" and len(f.choices) < 2:
            yield loaded.problem(("fields", i), f"field '{f.id}' of type choice needs 'choices'",
                                 code="ref")
        if f.choices and f.type != "choice":
            yield loaded.problem(("fields", i, "choices"),
                                 f"field '{f.id}' has choices but its type is '{f.type}'",
                                 code="ref", hint="set 'type: choice' or remove 'choices'")
        yield from _unique(
            loaded,
            ((c.id, ("fields", i, "choices", j, "id")) for j, c in enumerate(f.choices)),
            "choice",
        )


def _check_guide(
    loaded: Loaded, guide: DecisionAid | MeetingGuide, library: Library
) -> Iterator[Problem]:
    steps = flow(guide)
    authored = [s for s in steps if s.path is not None]

    for s in authored:
        assert s.path is not None
        if s.id in RESERVED_STEP_IDS:
            yield loaded.problem(
                (*s.path, "id"), f"step id '{s.id}' is reserved for a built-in step", code="ref",
                hint="choose another id; refer to the built-in step by this id instead",
            )
    yield from _unique(
        loaded, ((s.id, (*s.path, "id")) for s in authored if s.path is not None), "step"
    )
    for s in authored:
        assert s.path is not None
        yield from _unique(
            loaded,
            ((c.id, (*s.path, "choices", j, "id")) for j, c in enumerate(choices_of(s.step))),
            "choice",
        )

    yield from _check_conditions(loaded, steps)
    yield from _check_fills(loaded, guide, steps, library)

    if isinstance(guide, DecisionAid):
        yield from _unique(
            loaded, ((o.id, ("options", i, "id")) for i, o in enumerate(guide.options)), "option"
        )
        for i, option in enumerate(guide.options):
            if option.id == step_ids.NOT_YET:
                yield loaded.problem(("options", i, "id"),
                                     f"option id '{step_ids.NOT_YET}' is reserved for the "
                                     "'not yet' answer", code="ref")
        yield from _unique(
            loaded, ((s.id, ("sources", i, "id")) for i, s in enumerate(guide.sources)), "source"
        )
        source_ids = [s.id for s in guide.sources]
        for i, option in enumerate(guide.options):
            for j, ref in enumerate(option.sources):
                if ref not in source_ids:
                    yield loaded.problem(
                        ("options", i, "sources", j),
                        f"unknown source '{ref}'{suggestion(ref, source_ids)}", code="ref",
                        hint="add it under 'sources:' with an id and a citation",
                    )
    else:
        yield from _unique(
            loaded, ((s.id, ("sections", i, "id")) for i, s in enumerate(guide.sections)),
            "section",
        )
        yield from _check_preparation(loaded, guide, steps, library)
        yield from _unique(
            loaded, ((s.id, ("sources", i, "id")) for i, s in enumerate(guide.sources)), "source"
        )


def _check_preparation(
    loaded: Loaded, guide: MeetingGuide, steps: tuple[FlowStep, ...], library: Library
) -> Iterator[Problem]:
    prepared = [s for s in steps if s.step.prepared is not None and s.path is not None]
    if guide.preparation is None:
        for s in prepared:
            assert s.path is not None
            yield loaded.problem((*s.path, "prepared"),
                                 f"step '{s.id}' is 'prepared', but the guide names no "
                                 "'preparation' guide", code="ref")
        return
    found = library.guides.get(guide.preparation)
    prep = found.document if found is not None else None
    if not isinstance(prep, MeetingGuide) or prep.meeting_type != "preparation":
        names = sorted(g for g, d in library.guides.items()
                       if isinstance(d.document, MeetingGuide)
                       and d.document.meeting_type == "preparation")
        yield loaded.problem(("preparation",),
                             f"'{guide.preparation}' is not a preparation guide"
                             f"{suggestion(guide.preparation, names)}", code="ref")
        return
    prep_steps = {s.id: s.step for s in flow(prep)}
    prep_ids = list(prep_steps)
    for s in prepared:
        assert s.path is not None and s.step.prepared is not None
        source = prep_steps.get(s.step.prepared)
        if source is None:
            yield loaded.problem((*s.path, "prepared"),
                                 f"preparation guide '{prep.id}' has no step "
                                 f"'{s.step.prepared}'{suggestion(s.step.prepared, prep_ids)}",
                                 code="ref")
        elif not prepared_fits(source, s.step):
            yield loaded.problem((*s.path, "prepared"),
                                 f"step '{s.id}' ({s.step.type}) cannot take the answer to "
                                 f"'{source.id}' ({source.type}) in '{prep.id}': give it a "
                                 f"step of the same type", code="ref")


def prepared_fits(source: AnyStep, target: AnyStep) -> bool:
    """Whether the answer to preparation step `source` carries over, as it is, to `target`.

    An answer fits a step of the same type; a short text also fits a long one.
    """
    match source:
        case InfoStep():
            return False
        case TextStep():
            return isinstance(target, (TextStep, LongTextStep))
        case (SingleStep() | MultiStep() | ScaleStep() | YesNoStep() | LongTextStep()
              | DateStep() | PeopleStep() | TasksStep()):
            return type(target) is type(source)
        case _:
            assert_never(source)


def _check_fills(
    loaded: Loaded, guide: DecisionAid | MeetingGuide, steps: tuple[FlowStep, ...],
    library: Library,
) -> Iterator[Problem]:
    templates = library.templates
    names = sorted(templates)
    if guide.plan is not None and guide.plan not in templates:
        yield loaded.problem(("plan",), f"unknown plan template '{guide.plan}'"
                             f"{suggestion(guide.plan, names)}", code="ref")

    targets: list[tuple[str, Path]] = []
    for s in steps:
        if s.path is not None:
            base = (*s.path, "fills")
            targets += [(t, (*base, k)) for k, t in enumerate(s.step.fills)]
    if isinstance(guide, DecisionAid):
        fills = guide.decision.fills
        for name in DecisionFills.model_fields:
            base = ("decision", "fills", name)
            targets += [(t, (*base, k)) for k, t in enumerate(getattr(fills, name))]

    for target, path in targets:
        template_id, _, field_id = target.partition(".")
        found = templates.get(template_id)
        if found is None or not isinstance(found.document, PlanTemplate):
            yield loaded.problem(path, f"'{target}': unknown plan template '{template_id}'"
                                 f"{suggestion(template_id, names)}", code="ref")
            continue
        field_ids = [f.id for f in found.document.fields]
        if field_id not in field_ids:
            yield loaded.problem(
                path, f"'{target}': plan template '{template_id}' has no field '{field_id}'"
                f"{suggestion(field_id, field_ids)}", code="ref",
            )


def _check_conditions(loaded: Loaded, steps: tuple[FlowStep, ...]) -> Iterator[Problem]:
    order = {s.id: i for i, s in enumerate(steps)}
    all_ids = list(order)
    for index, s in enumerate(steps):
        if s.path is None:
            continue
        for k, cond in enumerate(s.step.enable_when):
            path = (*s.path, "enable_when", k)
            target_index = order.get(cond.question)
            if target_index is None:
                yield loaded.problem(
                    (*path, "question"),
                    f"condition refers to unknown step '{cond.question}'"
                    f"{suggestion(cond.question, all_ids)}", code="ref",
                )
                continue
            if target_index >= index:
                yield loaded.problem(
                    (*path, "question"),
                    f"condition refers to step '{cond.question}', which does not come before "
                    f"step '{s.id}': a condition can only look back", code="ref",
                )
                continue
            message = condition_mismatch(cond, steps[target_index].step)
            if message:
                yield loaded.problem((*path, "answer"), message, code="ref")


_ORDERED = (">", "<", ">=", "<=")


def condition_mismatch(cond: Condition, target: AnyStep) -> str | None:
    """Why `cond` cannot be asked of `target`'s answer, or None if it fits."""
    op, answer = cond.operator, cond.answer
    if op == "exists":
        return None if isinstance(answer, bool) else "with 'exists' the answer is true or false"
    match target:
        case InfoStep():
            return f"step '{target.id}' is information only: nobody answers it"
        case SingleStep() | MultiStep():
            ids = [c.id for c in target.choices]
            if op in _ORDERED:
                return f"choices cannot be compared with '{op}': use '=' or '!='"
            if not isinstance(answer, str) or answer not in ids:
                shown = answer if isinstance(answer, str) else str(answer)
                return (f"'{shown}' is not a choice of step '{target.id}'"
                        f"{suggestion(shown, ids)}")
            return None
        case ScaleStep():
            if isinstance(answer, bool) or not isinstance(answer, (int, float)):
                return f"step '{target.id}' is a scale: the answer must be a number"
            if not target.min <= answer <= target.max:
                return (f"{answer} is outside the scale of step '{target.id}' "
                        f"({target.min}–{target.max})")
            return None
        case YesNoStep():
            if op in _ORDERED:
                return f"yes/no answers cannot be compared with '{op}': use '=' or '!='"
            return None if isinstance(answer, bool) else (
                f"step '{target.id}' is yes/no: the answer must be true or false"
            )
        case DateStep():
            try:
                dt.date.fromisoformat(str(answer))
            except ValueError:
                return f"step '{target.id}' is a date: the answer must be YYYY-MM-DD"
            return None
        case PeopleStep() | TasksStep():
            return (f"step '{target.id}' is a list of {target.type}: only 'exists' can be "
                    "asked of it")
        case TextStep() | LongTextStep():
            if op in _ORDERED:
                return f"text answers cannot be compared with '{op}'"
            return None
        case _:
            assert_never(target)
