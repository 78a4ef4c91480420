"""Cross-reference checks: ids are unique, and every reference points at something real.

Within a guide: step, choice, option, section and source ids are unique; `enable_when` looks
back at an earlier step with an answer of the right kind; options cite the guide's sources.
Across the library: `plan` names a plan template and every `fills` target is a field of one;
document ids are unique. Each problem names the nearest existing ids.

The checks read an outline of each document (`_Guide`, `_Template`): taken from the model of a
document that validated, or read from the plain data of one whose shape is wrong (`Rejected`),
so a file's reference problems come in the same round as its shape problems (issue 18, item 6).
What cannot be read is skipped, and so is what would only repeat a shape problem: a step whose
own shape is wrong keeps its id (a condition on it is not "unknown"), but its answer is not
checked against it; while the id of some step, source, plan field or option cannot be read, a
reference is not called unknown (it may be that one); a document whose kind cannot be read
still makes its id known.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeGuard, TypeVar, assert_never, get_args

from pydantic import BaseModel, TypeAdapter, ValidationError

from assistant.guides import step_ids
from assistant.guides.flow import RESERVED_STEP_IDS, FlowStep, flow
from assistant.guides.loader import Library, Loaded, Rejected
from assistant.guides.models import (
    FILL_PATTERN,
    ID_PATTERN,
    AnyStep,
    Condition,
    DateStep,
    Decision,
    DecisionAid,
    DecisionFills,
    Framing,
    InfoStep,
    LongTextStep,
    MeetingGuide,
    MultiStep,
    Option,
    PeopleStep,
    PlanFieldType,
    PlanTemplate,
    ScaleStep,
    Section,
    SingleStep,
    Step,
    TasksStep,
    TextStep,
    YesNoStep,
    choices_of,
)
from assistant.guides.problems import Problem, suggestion
from assistant.guides.yamlsubset import Path

_Where = Loaded | Rejected


def check_library(library: Library) -> list[Problem]:
    """Every reference problem in the library: of the documents that loaded, and of those whose
    shape is wrong as far as they can be read (`library.rejected`). Documents joined beside a
    named file (`beside`) are known to the others, but not checked themselves."""
    index = _Index(library)
    problems: list[Problem] = list(_duplicate_documents(library))
    for loaded in library.documents:
        if loaded.beside:
            continue
        if isinstance(loaded.document, PlanTemplate):
            problems += _check_template(index.template_outline(loaded))
        else:
            problems += _check_guide(index.guide_outline(loaded), index)
    for rejected in library.rejected:
        if rejected.beside or rejected.kind is None:
            continue
        if rejected.kind == "plan_template":
            problems += _check_template(index.template_outline(rejected))
        else:
            problems += _check_guide(index.guide_outline(rejected), index)
    return problems


# --- outlines: what the checks read, from a model or from plain data --------------------------

_ID = re.compile(ID_PATTERN)
_FILL = re.compile(FILL_PATTERN)
_STEP: TypeAdapter[AnyStep] = TypeAdapter(Step)
_PLAN_FIELD_TYPES: frozenset[str] = frozenset(get_args(PlanFieldType))
_MEETING_TYPES = ("network", "blitz", "preparation")
#: The built-in decision steps' fills (`model_fields` is a property that builds a dict: once).
_DECISION_FILLS: tuple[str, ...] = tuple(DecisionFills.model_fields)


def _ok_id(value: object) -> TypeGuard[str]:
    """True for a valid id (as `models.Id` has it)."""
    return isinstance(value, str) and len(value) <= 80 and _ID.match(value) is not None


def _items(value: object) -> Iterable[tuple[int, Any]]:
    return enumerate(value) if isinstance(value, list) else ()


def _ok_fill(value: object) -> TypeGuard[str]:
    """True for a valid `fills` target (as `models.FillTarget` has it)."""
    return isinstance(value, str) and len(value) <= 161 and _FILL.match(value) is not None


def _as_list(value: object) -> list[Any]:
    """`fills` as a list: a single target may stand alone (as `models.FillList` reads it)."""
    return [value] if isinstance(value, str) else value if isinstance(value, list) else []


def _raw_fills(base: Path, value: object) -> list[tuple[Path, str]]:
    """The valid `fills` targets of plain data (a target or a list of them), with paths."""
    return [((*base, k), t) for k, t in enumerate(_as_list(value)) if _ok_fill(t)]


@dataclass(slots=True)
class _Step:
    """A step as the checks see it."""

    #: The id as written, when it is text.
    id: str | None
    #: The id is a valid one: checked for being unique and not reserved.
    id_ok: bool
    #: Where it is written; None for a built-in step.
    path: Path | None
    #: The step; None when its own shape is wrong (its kind of answer is then not known).
    step: AnyStep | None
    #: Its conditions, fills targets and choice ids, each None where it cannot be read (the
    #: index is its place in the file: paths are made only for a problem).
    conditions: Sequence[Condition | None] = ()
    fills: Sequence[str | None] = ()
    choices: Sequence[str | None] = ()
    prepared: str | None = None


def _model_step(f: FlowStep) -> _Step:
    s = f.step
    base = f.path
    if base is None:
        return _Step(s.id, True, None, s)
    # The model's own lists, no copies: a clean library is checked on every load.
    choices = choices_of(s)
    return _Step(s.id, True, base, s, s.enable_when, s.fills,
                 [c.id for c in choices] if choices else (), s.prepared)


def _raw_step(base: Path, value: object) -> _Step:
    """A step whose own shape is wrong, as far as it can be read."""
    raw: dict[str, Any] = value if isinstance(value, dict) else {}
    step_id, prepared = raw.get("id"), raw.get("prepared")
    conditions: list[Condition | None] = []
    for _k, item in _items(raw.get("enable_when")):
        try:
            conditions.append(Condition.model_validate(item))
        except ValidationError:
            conditions.append(None)  # its shape problem is reported
    choices = [c.get("id") if isinstance(c, dict) and _ok_id(c.get("id")) else None
               for _j, c in _items(raw.get("choices"))]
    fills = raw.get("fills")
    return _Step(
        step_id if isinstance(step_id, str) else None, _ok_id(step_id), base, None,
        conditions, [t if _ok_fill(t) else None for t in _as_list(fills)], choices,
        prepared if _ok_id(prepared) else None,
    )


@dataclass
class _Guide:
    """A decision aid or meeting guide as the checks see it."""

    where: _Where
    steps: tuple[_Step, ...]
    #: Every step's id could be read: an id not among them is unknown.
    steps_known: bool = True
    aid: bool = True
    options: list[tuple[Path, str]] = field(default_factory=list)
    options_known: bool = True
    option_sources: list[tuple[Path, str]] = field(default_factory=list)
    sources: list[tuple[Path, str]] = field(default_factory=list)
    sources_known: bool = True
    sections: list[tuple[Path, str]] = field(default_factory=list)
    plan: str | None = None
    preparation: str | None = None
    #: False when `preparation` is written but is not a valid id (a shape problem).
    preparation_known: bool = True
    #: None when it cannot be read.
    meeting_type: str | None = None
    decision_fills: list[tuple[Path, str]] = field(default_factory=list)


def _model_guide(loaded: Loaded, guide: DecisionAid | MeetingGuide) -> _Guide:
    outline = _Guide(loaded, tuple(_model_step(f) for f in flow(guide)), plan=guide.plan)
    outline.sources = [(("sources", i, "id"), s.id) for i, s in enumerate(guide.sources)]
    if isinstance(guide, DecisionAid):
        outline.options = [(("options", i, "id"), o.id) for i, o in enumerate(guide.options)]
        outline.option_sources = [(("options", i, "sources", j), ref)
                                  for i, o in enumerate(guide.options)
                                  for j, ref in enumerate(o.sources)]
        fills = guide.decision.fills
        outline.decision_fills = [(("decision", "fills", name, k), t)
                                  for name in _DECISION_FILLS
                                  for k, t in enumerate(getattr(fills, name))]
    else:
        outline.aid = False
        outline.sections = [(("sections", i, "id"), s.id) for i, s in enumerate(guide.sections)]
        outline.preparation = guide.preparation
        outline.meeting_type = guide.meeting_type
    return outline


_M = TypeVar("_M", bound=BaseModel)


def _skeleton(model: type[_M], **values: Any) -> _M:
    """A model made without validation, holding only what `flow` reads (never shown)."""
    return model.model_construct(**values)


class _RawSteps:
    """Reads the step lists of plain data: each step that validates on its own as its model,
    each other one as a stand-in (`_raw_step`, kept by path)."""

    def __init__(self) -> None:
        self.broken: dict[Path, _Step] = {}
        self.known = True

    def mapping(self, value: object) -> dict[str, Any]:
        if isinstance(value, dict):
            return value
        if value is not None:
            self.known = False
        return {}

    def at(self, base: Path, value: object) -> list[AnyStep]:
        if value is None:
            return []
        if not isinstance(value, list):
            self.known = False
            return []
        steps: list[AnyStep] = []
        for j, item in enumerate(value):
            try:
                steps.append(_STEP.validate_python(item))
            except ValidationError:
                spot = self.broken[(*base, j)] = _raw_step((*base, j), item)
                self.known = self.known and spot.id_ok
                steps.append(_skeleton(InfoStep, id=spot.id or "", type="info"))
        return steps


def _flag(mapping: dict[str, Any], key: str) -> bool:
    """A true/false switch that defaults to true (as those of `Framing` and `Decision` do)."""
    value = mapping.get(key, True)
    return value if isinstance(value, bool) else True


def _raw_guide(rejected: Rejected) -> _Guide:
    """A guide whose shape is wrong, as far as it can be read: its steps in conversation order
    come from `flow` over a skeleton of the guide (model_construct, never validated) holding
    the steps that validate on their own and stand-ins for the others."""
    data = rejected.data
    reader = _RawSteps()
    outline = _Guide(rejected, ())
    outline.sources, outline.sources_known = _raw_ids(data.get("sources"), ("sources",))
    plan = data.get("plan")
    outline.plan = plan if _ok_id(plan) else None
    skeleton: DecisionAid | MeetingGuide
    if rejected.kind == "decision_aid":
        framing = reader.mapping(data.get("framing"))
        decision = reader.mapping(data.get("decision"))
        outline.options, outline.options_known = _raw_ids(data.get("options"), ("options",))
        outline.option_sources = [
            (("options", i, "sources", j), ref)
            for i, o in _items(data.get("options")) if isinstance(o, dict)
            for j, ref in _items(o.get("sources")) if _ok_id(ref)]
        fills = decision.get("fills")
        if isinstance(fills, dict):
            outline.decision_fills = [
                t for name in _DECISION_FILLS
                for t in _raw_fills(("decision", "fills", name), fills.get(name))]
        skeleton = _skeleton(
            DecisionAid,
            framing=_skeleton(
                Framing,
                purpose="", invitation="",
                ask_information_level=_flag(framing, "ask_information_level"),
                ask_decision_role=_flag(framing, "ask_decision_role"),
                steps=reader.at(("framing", "steps"), framing.get("steps"))),
            preferences=reader.at(("preferences",), data.get("preferences")),
            options=[_skeleton(Option, id=o, title="–") for _p, o in outline.options],
            decision=_skeleton(
                Decision,
                sure=_flag(decision, "sure"), next_steps=_flag(decision, "next_steps"),
                allow_not_yet=_flag(decision, "allow_not_yet"), fills=DecisionFills(),
                steps=reader.at(("decision", "steps"), decision.get("steps"))),
            question=None)
    else:
        outline.aid = False
        outline.sections, _known = _raw_ids(data.get("sections"), ("sections",))
        sections = []
        for i, section in _items(data.get("sections")):
            raw = reader.mapping(section)
            sections.append(_skeleton(
                Section,
                id=str(raw.get("id", "")), title="–",
                steps=reader.at(("sections", i, "steps"), raw.get("steps"))))
        if data.get("sections") is not None and not isinstance(data.get("sections"), list):
            reader.known = False
        skeleton = _skeleton(MeetingGuide, sections=sections)
        preparation = data.get("preparation")
        outline.preparation = preparation if _ok_id(preparation) else None
        outline.preparation_known = preparation is None or _ok_id(preparation)
        meeting_type = data.get("meeting_type", "network")
        outline.meeting_type = (meeting_type if isinstance(meeting_type, str)
                                and meeting_type in _MEETING_TYPES else None)
    steps = []
    for f in flow(skeleton):
        spot = reader.broken.get(f.path) if f.path is not None else None
        if spot is None:
            spot = _model_step(f)
            if f.path is None and f.id == step_ids.CHOICE and not outline.options_known:
                spot = _Step(f.id, True, None, None)  # the options' ids are not all known
        steps.append(spot)
    outline.steps = tuple(steps)
    outline.steps_known = reader.known
    return outline


def _raw_ids(value: object, base: Path) -> tuple[list[tuple[Path, str]], bool]:
    """The valid ids of a list of mappings, and whether every item's id is one."""
    if value is not None and not isinstance(value, list):
        return [], False
    ids: list[tuple[Path, str]] = []
    known = True
    for i, item in _items(value):
        item_id = item.get("id") if isinstance(item, dict) else None
        if _ok_id(item_id):
            ids.append(((*base, i, "id"), item_id))
        else:
            known = False
    return ids, known


@dataclass(slots=True)
class _Field:
    """A plan field as the checks see it."""

    path: Path
    id: str | None
    #: The field's type; None when it cannot be read.
    type: str | None
    choices: tuple[tuple[Path, str], ...]
    #: How many choices are written; None when they cannot be read.
    count: int | None


@dataclass
class _Template:
    """A plan template as the checks see it."""

    where: _Where
    fields: list[_Field]
    #: Every field's id could be read: a field not among them is unknown.
    known: bool = True
    ids: frozenset[str] = frozenset()


def _model_template(loaded: Loaded, template: PlanTemplate) -> _Template:
    fields = [_Field(("fields", i), f.id, f.type,
                     tuple((("fields", i, "choices", j, "id"), c.id)
                           for j, c in enumerate(f.choices)),
                     len(f.choices))
              for i, f in enumerate(template.fields)]
    return _Template(loaded, fields, True, frozenset(f.id for f in template.fields))


def _raw_template(rejected: Rejected) -> _Template:
    value = rejected.data.get("fields")
    fields: list[_Field] = []
    known = value is None or isinstance(value, list)
    for i, raw in _items(value):
        if not isinstance(raw, dict):
            known = False
            continue
        field_id, kind, choices = raw.get("id"), raw.get("type", "longtext"), raw.get("choices")
        known = known and _ok_id(field_id)
        fields.append(_Field(
            ("fields", i), field_id if _ok_id(field_id) else None,
            kind if isinstance(kind, str) and kind in _PLAN_FIELD_TYPES else None,
            tuple((("fields", i, "choices", j, "id"), c["id"]) for j, c in _items(choices)
                  if isinstance(c, dict) and _ok_id(c.get("id"))),
            0 if choices is None else len(choices) if isinstance(choices, list) else None,
        ))
    return _Template(rejected, fields, known, frozenset(f.id for f in fields if f.id))


class _Index:
    """The library's documents by id, for references, with outlines made once each."""

    def __init__(self, library: Library) -> None:
        #: Plan templates by id; None for a document whose kind cannot be read.
        self.templates: dict[str, _Where | None] = dict(library.templates)
        #: Guides by id; None for a document whose kind cannot be read.
        self.guides: dict[str, _Where | None] = dict(library.guides)
        for rejected in library.rejected:
            if rejected.id is None:
                continue
            if rejected.kind == "plan_template":
                self.templates.setdefault(rejected.id, rejected)
            elif rejected.kind is not None:
                self.guides.setdefault(rejected.id, rejected)
            else:
                self.templates.setdefault(rejected.id, None)
                self.guides.setdefault(rejected.id, None)
        self.template_names = sorted(self.templates)
        self._guides: dict[int, _Guide] = {}
        self._templates: dict[int, _Template] = {}
        #: Ids of documents beside a named file that could not be read, already pointed out.
        self.noted: set[str] = set()

    def guide_outline(self, where: _Where) -> _Guide:
        found = self._guides.get(id(where))
        if found is None:
            if isinstance(where, Loaded):
                assert isinstance(where.document, (DecisionAid, MeetingGuide))
                found = _model_guide(where, where.document)
            else:
                found = _raw_guide(where)
            self._guides[id(where)] = found
        return found

    def template_outline(self, where: _Where) -> _Template:
        found = self._templates.get(id(where))
        if found is None:
            if isinstance(where, Loaded):
                assert isinstance(where.document, PlanTemplate)
                found = _model_template(where, where.document)
            else:
                found = _raw_template(where)
            self._templates[id(where)] = found
        return found


# --- the checks -------------------------------------------------------------------------------


def _duplicate_documents(library: Library) -> Iterator[Problem]:
    first: dict[str, _Where] = {}
    documents: list[tuple[str, _Where]] = [(d.id, d) for d in library.documents if not d.beside]
    documents += [(r.id, r) for r in library.rejected
                  if not r.beside and r.id is not None and _ok_id(r.id)]
    for doc_id, where in documents:
        other = first.setdefault(doc_id, where)
        if other is not where:
            yield where.problem(
                ("id",), f"id '{doc_id}' is already used by {other.file}", code="ref",
                hint="every guide and plan template needs its own id",
            )


def _unique(
    where: _Where, items: Iterable[tuple[str, Path]], what: str
) -> Iterator[Problem]:
    seen: dict[str, Path] = {}
    for item_id, path in items:
        if item_id in seen:
            line = where.positions.of_value(seen[item_id])[0]
            yield where.problem(
                path, f"duplicate {what} id '{item_id}' (first used at line {line})", code="ref"
            )
        else:
            seen[item_id] = path


def _check_template(template: _Template) -> Iterator[Problem]:
    where = template.where
    yield from _unique(
        where, ((f.id, (*f.path, "id")) for f in template.fields if f.id is not None), "field"
    )
    for f in template.fields:
        name = f.id or "…"
        if f.type == "choice" and f.count is not None and f.count < 2:
            yield where.problem(f.path, f"field '{name}' of type choice needs 'choices'",
                                code="ref")
        if f.count and f.type is not None and f.type != "choice":
            yield where.problem((*f.path, "choices"),
                                f"field '{name}' has choices but its type is '{f.type}'",
                                code="ref", hint="set 'type: choice' or remove 'choices'")
        yield from _unique(where, ((c, path) for path, c in f.choices), "choice")


def _check_guide(guide: _Guide, index: _Index) -> Iterator[Problem]:
    where = guide.where
    authored = [s for s in guide.steps if s.path is not None]

    for s in authored:
        assert s.path is not None
        if s.id_ok and s.id in RESERVED_STEP_IDS:
            yield where.problem(
                (*s.path, "id"), f"step id '{s.id}' is reserved for a built-in step", code="ref",
                hint="choose another id; refer to the built-in step by this id instead",
            )
    yield from _unique(
        where, ((s.id, (*s.path, "id")) for s in authored
                if s.path is not None and s.id is not None and s.id_ok), "step"
    )
    for s in authored:
        if s.choices and s.path is not None:
            base = s.path
            yield from _unique(where, ((c, (*base, "choices", j, "id"))
                                       for j, c in enumerate(s.choices) if c is not None),
                               "choice")

    yield from _check_conditions(guide)
    yield from _check_fills(guide, index)

    if guide.aid:
        yield from _unique(where, ((o, path) for path, o in guide.options), "option")
        for path, option_id in guide.options:
            if option_id == step_ids.NOT_YET:
                yield where.problem(path, f"option id '{step_ids.NOT_YET}' is reserved for the "
                                    "'not yet' answer", code="ref")
        yield from _unique(where, ((s, path) for path, s in guide.sources), "source")
        source_ids = [s for _path, s in guide.sources]
        if guide.sources_known:
            for path, ref in guide.option_sources:
                if ref not in source_ids:
                    yield where.problem(
                        path, f"unknown source '{ref}'{suggestion(ref, source_ids)}", code="ref",
                        hint="add it under 'sources:' with an id and a citation",
                    )
    else:
        yield from _unique(where, ((s, path) for path, s in guide.sections), "section")
        yield from _check_preparation(guide, index)
        yield from _unique(where, ((s, path) for path, s in guide.sources), "source")


def _not_checked(index: _Index, found: _Where | None, path: Path, what: str,
                 where: _Where) -> Iterator[Problem]:
    """A document beside a named file that is referred to but could not be read: said once."""
    if isinstance(found, Rejected) and found.beside and found.id not in index.noted:
        index.noted.add(found.id or "")
        yield where.problem(path, f"{what} '{found.id}' in {found.file} has problems of its "
                            f"own: check it with 'sdm validate {found.file}'", code="ref")


def _check_preparation(guide: _Guide, index: _Index) -> Iterator[Problem]:
    where = guide.where
    prepared = [s for s in guide.steps if s.prepared is not None and s.path is not None]
    if not guide.preparation_known:
        return
    if guide.preparation is None:
        for s in prepared:
            assert s.path is not None
            yield where.problem((*s.path, "prepared"),
                                f"step '{s.id}' is 'prepared', but the guide names no "
                                "'preparation' guide", code="ref")
        return
    name = guide.preparation
    found = index.guides.get(name)
    if name in index.guides and found is None:
        return  # a document whose kind cannot be read
    prep = index.guide_outline(found) if found is not None else None
    if prep is not None and prep.meeting_type is None and not prep.aid:
        return  # its meeting type cannot be read
    if prep is None or prep.aid or prep.meeting_type != "preparation":
        names = sorted(g for g, d in index.guides.items()
                       if isinstance(d, Loaded) and isinstance(d.document, MeetingGuide)
                       and d.document.meeting_type == "preparation")
        yield where.problem(("preparation",), f"'{name}' is not a preparation guide"
                            f"{suggestion(name, names)}", code="ref")
        return
    yield from _not_checked(index, found, ("preparation",), "preparation guide", where)
    prep_steps = {s.id: s for s in prep.steps if s.id is not None}
    prep_ids = list(prep_steps)
    for s in prepared:
        assert s.path is not None and s.prepared is not None
        source = prep_steps.get(s.prepared)
        if source is None:
            if prep.steps_known:
                yield where.problem((*s.path, "prepared"),
                                    f"preparation guide '{name}' has no step "
                                    f"'{s.prepared}'{suggestion(s.prepared, prep_ids)}",
                                    code="ref")
        elif source.step is not None and s.step is not None and not prepared_fits(
                source.step, s.step):
            yield where.problem((*s.path, "prepared"),
                                f"step '{s.id}' ({s.step.type}) cannot take the answer to "
                                f"'{source.id}' ({source.step.type}) in '{name}': give it a "
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


def _check_fills(guide: _Guide, index: _Index) -> Iterator[Problem]:
    where = guide.where
    templates, names = index.templates, index.template_names
    if guide.plan is not None:
        if guide.plan not in templates:
            yield where.problem(("plan",), f"unknown plan template '{guide.plan}'"
                                f"{suggestion(guide.plan, names)}", code="ref")
        else:
            yield from _not_checked(index, templates[guide.plan], ("plan",), "plan template",
                                    where)

    targets = [((*s.path, "fills", k), t) for s in guide.steps if s.fills and s.path
               for k, t in enumerate(s.fills) if t is not None]
    targets += guide.decision_fills
    for path, target in targets:
        template_id, _, field_id = target.partition(".")
        if template_id not in templates:
            yield where.problem(path, f"'{target}': unknown plan template '{template_id}'"
                                f"{suggestion(template_id, names)}", code="ref")
            continue
        found = templates[template_id]
        if found is None:
            continue  # a document whose kind cannot be read
        if isinstance(found, Rejected) and found.beside:
            yield from _not_checked(index, found, path, "plan template", where)
        template = index.template_outline(found)
        if template.known and field_id not in template.ids:
            field_ids = [f.id for f in template.fields if f.id is not None]
            yield where.problem(
                path, f"'{target}': plan template '{template_id}' has no field '{field_id}'"
                f"{suggestion(field_id, field_ids)}", code="ref",
            )


def _check_conditions(guide: _Guide) -> Iterator[Problem]:
    steps = guide.steps
    # The first step of an id: a condition in a second step of the same id (a duplicate,
    # reported as such) that refers to it looks back at the first, not at itself.
    order: dict[str, int] = {}
    for i, s in enumerate(steps):
        if s.id is not None:
            order.setdefault(s.id, i)
    all_ids = list(order)
    for index, s in enumerate(steps):
        if s.path is None or not s.conditions:
            continue
        for k, cond in enumerate(s.conditions):
            if cond is None:
                continue
            path = (*s.path, "enable_when", k)
            target_index = order.get(cond.question)
            if target_index is None:
                if guide.steps_known:
                    yield guide.where.problem(
                        (*path, "question"),
                        f"condition refers to unknown step '{cond.question}'"
                        f"{suggestion(cond.question, all_ids)}", code="ref",
                    )
                continue
            if target_index >= index:
                yield guide.where.problem(
                    (*path, "question"),
                    f"condition refers to step '{cond.question}', which does not come before "
                    f"step '{s.id}': a condition can only look back", code="ref",
                )
                continue
            target = steps[target_index].step
            message = condition_mismatch(cond, target) if target is not None else None
            if message:
                yield guide.where.problem((*path, "answer"), message, code="ref")


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
