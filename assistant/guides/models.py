"""Pydantic models: the single description of the guide, meeting-guide and plan-template formats.

Every model forbids unknown keys (a typo is an error, never silently ignored) and hides input in
its errors, so a validation message can never echo an author's or a patient's text.
The JSON Schema (`sdm schema`) and the authoring reference are generated from or checked
against these classes.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from functools import reduce
from operator import or_
from typing import TYPE_CHECKING, Annotated, Any, Literal, TypeAlias, assert_never, get_args

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Discriminator,
    Field,
    Tag,
    field_validator,
)

from assistant.language import LANGUAGES as LANGUAGES
from assistant.language import Language as Language

#: Who can speak in a session. `clinician` covers psychiatry staff; `relative` covers parents
#: and guardians in youth guides (the label says so there).
Role = Literal[
    "patient", "relative", "clinician", "municipality", "housing", "gp", "peer_worker", "other"
]
ROLES: tuple[Role, ...] = (
    "patient", "relative", "clinician", "municipality", "housing", "gp", "peer_worker", "other"
)

Audience = Literal["adult", "youth"]
InformationLevel = Literal["a_little", "some", "everything"]
INFORMATION_LEVELS: tuple[InformationLevel, ...] = ("a_little", "some", "everything")

Operator = Literal["exists", "=", "!=", ">", "<", ">=", "<="]

ID_PATTERN = r"^[a-z0-9][a-z0-9_-]*$"
#: A `fills` target: `template.field`.
FILL_PATTERN = r"^[a-z0-9][a-z0-9_-]*\.[a-z0-9][a-z0-9_-]*$"

Id = Annotated[str, Field(pattern=ID_PATTERN, min_length=1, max_length=80)]
FillTarget = Annotated[str, Field(pattern=FILL_PATTERN, max_length=161)]


class Strict(BaseModel):
    """Base for every format model: unknown keys are errors; errors never echo input."""

    model_config = ConfigDict(extra="forbid", hide_input_in_errors=True, frozen=True)


# --- text -------------------------------------------------------------------------------------


class LocalText(Strict):
    """Text in Danish with an English translation: `{da: ..., en: ...}`. Danish comes first."""

    da: Annotated[str, Field(min_length=1)]
    en: Annotated[str, Field(min_length=1)] | None = None


def _text_kind(value: Any) -> str | None:
    if isinstance(value, str):
        return "plain"
    if isinstance(value, (dict, LocalText)):
        return "local"
    return None


#: A text field: a plain string (in the guide's `language`) or a `{da: ..., en: ...}` map.
Text = Annotated[
    Annotated[Annotated[str, Field(min_length=1)], Tag("plain")]
    | Annotated[LocalText, Tag("local")],
    Discriminator(
        _text_kind,
        custom_error_type="text_type",
        custom_error_message="expected text: a string, or a mapping with 'da' (and 'en')",
    ),
]


def text_in(text: str | LocalText | None, lang: Language, default: Language = "da") -> str:
    """Return `text` in `lang`, falling back to Danish; a plain string is returned as it is.

    Args:
        text: a `Text` value (or None, which gives "").
        lang: the language wanted.
        default: the language plain strings are written in (the guide's `language`).
    """
    if text is None:
        return ""
    if isinstance(text, str):
        return text
    if lang == "en" and text.en:
        return text.en
    return text.da


def _as_list(value: Any) -> Any:
    """Let a single value stand where a list is expected (`fills: ua.needs`)."""
    return [value] if isinstance(value, str) else value


FillList = Annotated[
    list[FillTarget],
    BeforeValidator(_as_list, json_schema_input_type=FillTarget | list[FillTarget]),
]


# --- steps ------------------------------------------------------------------------------------


class Condition(Strict):
    """One FHIR-style `enableWhen` condition: `question`, `operator`, `answer`.

    `answer` is a choice id for single/multi steps, a number for scale steps, true/false for
    yes/no steps and for `exists`, and a date (YYYY-MM-DD) or text otherwise.
    """

    question: Id
    operator: Operator = "="
    answer: bool | int | float | str


class Choice(Strict):
    """One answer a single- or multi-choice step offers."""

    id: Id
    label: Text
    help: Text | None = None


class LevelText(Strict):
    """Extra detail by information level: shown at that level and above."""

    a_little: Text | None = None
    some: Text | None = None
    everything: Text | None = None


class _StepBase(Strict):
    id: Id
    prompt: Text
    help: Text | None = None
    more: LevelText | None = None
    required: bool = False
    enable_when: list[Condition] = Field(default_factory=list)
    enable_behavior: Literal["all", "any"] = "all"
    fills: FillList = Field(default_factory=list)
    #: Who is usually asked; the speaker switcher starts here. Anyone present may answer.
    ask: Role | None = None
    #: In a meeting started from a preparation session: the id of the preparation step whose
    #: answer is shown here, marked as prepared by the patient with the peer worker.
    prepared: Id | None = None


class InfoStep(_StepBase):
    """Text only: the guide speaks, nobody answers."""

    type: Literal["info"]


class SingleStep(_StepBase):
    """Pick one of `choices`."""

    type: Literal["single"]
    choices: Annotated[list[Choice], Field(min_length=2)]


class MultiStep(_StepBase):
    """Pick any of `choices`."""

    type: Literal["multi"]
    choices: Annotated[list[Choice], Field(min_length=2)]


class ScaleStep(_StepBase):
    """A number from `min` to `max` (default 0–10), with words for the two ends."""

    type: Literal["scale"]
    min: int = 0
    max: int = 10
    min_label: Text | None = None
    max_label: Text | None = None

    @field_validator("max")
    @classmethod
    def _max_above_min(cls, value: int, info: Any) -> int:
        low = info.data.get("min", 0)
        if value <= low:
            raise ValueError(f"max must be greater than min ({low})")
        if value - low > 100:
            raise ValueError("a scale may span at most 100 points")
        return value


class YesNoStep(_StepBase):
    """Yes or no."""

    type: Literal["yesno"]


class TextStep(_StepBase):
    """A short answer, one line; often in the patient's own words."""

    type: Literal["text"]
    max_length: Annotated[int, Field(gt=0, le=10_000)] = 500


class LongTextStep(_StepBase):
    """A longer answer over several lines; often in the patient's own words."""

    type: Literal["longtext"]
    max_length: Annotated[int, Field(gt=0, le=100_000)] = 10_000


class DateStep(_StepBase):
    """A calendar date (YYYY-MM-DD)."""

    type: Literal["date"]


class PeopleStep(_StepBase):
    """A list of people: name, relation, how they help, when, contact."""

    type: Literal["people"]


class TasksStep(_StepBase):
    """A list of tasks: what, who, by when."""

    type: Literal["tasks"]


def _step_type(value: Any) -> str | None:
    kind = value.get("type") if isinstance(value, dict) else getattr(value, "type", None)
    return kind if isinstance(kind, str) else None


#: Every kind of step: the one list of step types. Everything else that names the types — the
#: type names, the error text, the discriminated union `Step` — derives from it, and code that
#: handles steps branches with `match step: ... case _: assert_never(step)`, so a new member
#: here makes `mypy --strict` name every place that must handle it.
AnyStep = (
    InfoStep | SingleStep | MultiStep | ScaleStep | YesNoStep | TextStep | LongTextStep
    | DateStep | PeopleStep | TasksStep
)
STEP_MODELS: tuple[type[AnyStep], ...] = get_args(AnyStep)


def step_type_name(model: type[AnyStep]) -> str:
    """The `type` a step model is written with in a guide (`"single"` for `SingleStep`)."""
    (name,) = get_args(model.model_fields["type"].annotation)
    return str(name)


#: The step types, as written in a guide, in the order of `AnyStep`.
STEP_TYPES: tuple[str, ...] = tuple(step_type_name(m) for m in STEP_MODELS)

if TYPE_CHECKING:
    Step: TypeAlias = AnyStep
else:
    # Pydantic needs each member tagged to use the callable discriminator, which gives the
    # loader its own error type ("step_type") and keeps the JSON Schema as it was.
    Step = Annotated[
        reduce(or_, (Annotated[m, Tag(step_type_name(m))] for m in STEP_MODELS)),
        Discriminator(
            _step_type,
            custom_error_type="step_type",
            custom_error_message=f"a step needs 'type': one of {', '.join(STEP_TYPES)}",
        ),
    ]


def takes_answer(step: AnyStep) -> bool:
    """False for a step that only shows text (info); True for a step someone answers."""
    match step:
        case InfoStep():
            return False
        case (SingleStep() | MultiStep() | ScaleStep() | YesNoStep() | TextStep()
              | LongTextStep() | DateStep() | PeopleStep() | TasksStep()):
            return True
        case _:
            assert_never(step)


def free_text(step: AnyStep) -> bool:
    """True for a step answered in free text (the speaker's own words), short or long."""
    match step:
        case TextStep() | LongTextStep():
            return True
        case (InfoStep() | SingleStep() | MultiStep() | ScaleStep() | YesNoStep() | DateStep()
              | PeopleStep() | TasksStep()):
            return False
        case _:
            assert_never(step)


def several_answers(step: AnyStep) -> bool:
    """True for a step whose answer is a list of items (several choices, people, tasks):
    shown one item a line, never joined with commas (an item may hold a comma)."""
    match step:
        case MultiStep() | PeopleStep() | TasksStep():
            return True
        case (InfoStep() | SingleStep() | ScaleStep() | YesNoStep() | TextStep()
              | LongTextStep() | DateStep()):
            return False
        case _:
            assert_never(step)


def choices_of(step: AnyStep) -> list[Choice]:
    """The choices `step` offers; [] for a step that is answered otherwise (or not at all)."""
    match step:
        case SingleStep() | MultiStep():
            return step.choices
        case (InfoStep() | ScaleStep() | YesNoStep() | TextStep() | LongTextStep() | DateStep()
              | PeopleStep() | TasksStep()):
            return []
        case _:
            assert_never(step)


# --- metadata shared by guides ----------------------------------------------------------------


class Source(Strict):
    """A reference the guide's content rests on."""

    id: Id
    citation: Annotated[str, Field(min_length=3)]
    url: Annotated[str, Field(pattern=r"^https?://\S+$")] | None = None


class _GuideMeta(Strict):
    id: Id
    version: Annotated[str, Field(pattern=r"^\d+\.\d+(\.\d+)?$")]
    language: Language = "da"
    title: Text
    #: The words people search by — what clinicians and patients call it ("forhånd",
    #: "PN", "bælte"), not only the title's words. A plain string counts in both languages.
    keywords: list[Text] = Field(default_factory=list)
    audience: Annotated[list[Audience], Field(min_length=1)]
    authors: Annotated[list[Annotated[str, Field(min_length=1)]], Field(min_length=1)]
    reviewed: dt.date
    review_due: dt.date
    update_policy: Text | None = None
    funding: Text | None = None
    conflicts_of_interest: Text | None = None
    sources: list[Source] = Field(default_factory=list)
    #: The plan template (id) that this guide's answers fill by default.
    plan: Id | None = None


# --- decision aids ----------------------------------------------------------------------------


class Framing(Strict):
    """Phase 1: why we are here, an invitation to decide together, how much to tell."""

    purpose: Text
    invitation: Text
    ask_information_level: bool = True
    #: Ask how the patient wants the decision made (after the Control Preferences Scale).
    ask_decision_role: bool = True
    steps: list[Step] = Field(default_factory=list)


class Option(Strict):
    """One choice, with what speaks for and against it, balanced, with sources."""

    id: Id
    title: Text
    summary: Text
    pros: Annotated[list[Text], Field(min_length=1)]
    cons: Annotated[list[Text], Field(min_length=1)]
    #: What living with this option is like (IPDAS: physical, psychological, social).
    experience: Text | None = None
    more: LevelText | None = None
    sources: list[Id] = Field(default_factory=list)
    #: True for "keep things as they are": the aid's no-change path.
    status_quo: bool = False


class DecisionFills(Strict):
    """Where the built-in decision answers land in the plan."""

    choice: FillList = Field(default_factory=list)
    decided_by: FillList = Field(default_factory=list)
    next_steps: FillList = Field(default_factory=list)


class Decision(Strict):
    """Phase 4: the choice (or 'not yet'), who decided, the SURE check and next steps."""

    sure: bool = True
    next_steps: bool = True
    allow_not_yet: bool = True
    fills: DecisionFills = Field(default_factory=DecisionFills)
    #: Extra steps after the built-in ones.
    steps: list[Step] = Field(default_factory=list)


class DecisionAid(_GuideMeta):
    """A decision aid: framing → preferences → options → joint decision."""

    kind: Literal["decision_aid"]
    #: IPDAS Q1: the situation (condition or problem) the decision is about.
    situation: Text | None = None
    #: IPDAS Q2: the decision, stated as a question.
    question: Text | None = None
    framing: Framing
    preferences: list[Step] = Field(default_factory=list)
    options: list[Option] = Field(default_factory=list)
    decision: Decision = Field(default_factory=Decision)


# --- meeting guides ---------------------------------------------------------------------------


class Participant(Strict):
    """Someone who should be in the circle of a network meeting, and their role there."""

    role: Role
    label: Text | None = None
    why: Text | None = None
    required: bool = False


class Section(Strict):
    """A part of a meeting: a title, an optional time box, and its steps."""

    id: Id
    title: Text
    intro: Text | None = None
    timebox_minutes: Annotated[int, Field(gt=0, le=240)] | None = None
    steps: list[Step] = Field(default_factory=list)


class MeetingGuide(_GuideMeta):
    """Dialogue questions for a cross-sector network meeting (or its preparation)."""

    kind: Literal["meeting_guide"]
    #: `network` (a cross-sector network meeting), `blitz` (short, right after a compulsory
    #: admission) or `preparation` (the patient with a peer worker, before a meeting).
    meeting_type: Literal["network", "blitz", "preparation"] = "network"
    #: The preparation guide (id) a meeting can start from; its steps can be `prepared` here.
    preparation: Id | None = None
    purpose: Text
    #: The whole meeting's time box, e.g. 15 for a blitz meeting; shown as a timer.
    time_limit_minutes: Annotated[int, Field(gt=0, le=480)] | None = None
    participants: list[Participant] = Field(default_factory=list)
    sections: Annotated[list[Section], Field(min_length=1)]


# --- plan templates ---------------------------------------------------------------------------

PlanFieldType = Literal["text", "longtext", "date", "people", "tasks", "yesno", "choice", "number"]


class PlanField(Strict):
    """One field of a plan: a label, whether the plan needs it, and what kind of value."""

    id: Id
    label: Text
    required: bool = False
    type: PlanFieldType = "longtext"
    help: Text | None = None
    #: For `choice` fields: the values allowed.
    choices: list[Choice] = Field(default_factory=list)
    legal_basis: Text | None = None
    #: A heading to group fields under in the draft and exports.
    section: Text | None = None
    #: False for clinical-only fields (a risk score, who rated it): they stay in the
    #: health-record copy but are left out of the copy handed to the patient.
    patient_copy: bool = True


class PlanTemplate(Strict):
    """A plan the answers fill: UA, KP, the youth plan, a crisis plan — content, not code."""

    id: Id
    kind: Literal["plan_template"]
    version: Annotated[str, Field(pattern=r"^\d+\.\d+(\.\d+)?$")]
    language: Language = "da"
    title: Text
    description: Text | None = None
    audience: Annotated[list[Audience], Field(min_length=1)] = Field(
        default_factory=lambda: list[Audience](["adult"])
    )
    legal_basis: Text | None = None
    sources: list[Source] = Field(default_factory=list)
    reviewed: dt.date | None = None
    fields: Annotated[list[PlanField], Field(min_length=1)]

    def field(self, field_id: str) -> PlanField | None:
        """Return the field with this id, or None."""
        return next((f for f in self.fields if f.id == field_id), None)


def _kind(value: Any) -> str | None:
    kind = value.get("kind") if isinstance(value, dict) else getattr(value, "kind", None)
    return kind if isinstance(kind, str) else None


Document = Annotated[
    Annotated[DecisionAid, Tag("decision_aid")]
    | Annotated[MeetingGuide, Tag("meeting_guide")]
    | Annotated[PlanTemplate, Tag("plan_template")],
    Discriminator(
        _kind,
        custom_error_type="document_kind",
        custom_error_message="a file needs 'kind': decision_aid, meeting_guide or plan_template",
    ),
]
KINDS: tuple[str, ...] = ("decision_aid", "meeting_guide", "plan_template")
Guide = DecisionAid | MeetingGuide


_NOT_PROSE = frozenset({
    "id", "question", "answer", "url", "version", "kind", "type", "plan", "role", "ask",
    "fills", "sources", "choice", "decided_by", "next_steps", "authors", "operator",
    "enable_behavior", "audience", "language", "citation", "meeting_type", "preparation",
    "prepared",
})


def iter_texts(value: Any) -> Iterator[str | LocalText]:
    """Yield every text value inside a model (plain strings and `{da, en}` maps), depth first.

    Ids, dates, URLs and other non-prose strings are skipped.
    """
    for _path, text in iter_text_paths(value):
        yield text


def iter_text_paths(
    value: Any, path: tuple[str | int, ...] = ()
) -> Iterator[tuple[tuple[str | int, ...], str | LocalText]]:
    """Like `iter_texts`, with the data path of each text (as in the YAML file)."""
    if isinstance(value, LocalText):
        yield path, value
    elif isinstance(value, BaseModel):
        for name in type(value).model_fields:
            # `question` is prose on a decision aid, but a step id in a condition.
            if name in _NOT_PROSE and not (name == "question" and isinstance(value, DecisionAid)):
                continue
            yield from iter_text_paths(getattr(value, name), (*path, name))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from iter_text_paths(item, (*path, i))
    elif isinstance(value, str):
        yield path, value


def slug_ok(value: str) -> bool:
    """True if `value` is a valid id (lower-case letters, digits, `-` and `_`)."""
    return re.match(ID_PATTERN, value) is not None
