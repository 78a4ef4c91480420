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

    da: Annotated[str, Field(min_length=1)] = Field(description="The text in Danish.")
    en: Annotated[str, Field(min_length=1)] | None = Field(
        None, description="The text in English (`sdm lint` warns when it is missing).")


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

    question: Id = Field(description="The id of an earlier step (or a built-in step) whose "
                               "answer is tested.")
    operator: Operator = Field("=", description=(
        "How the answer is compared: `exists`, `=` (for a multi step: contains), `!=`, `>`, "
        "`<`, `>=` or `<=`."))
    answer: bool | int | float | str = Field(description=(
        "The value compared with: a choice id (single/multi), a number (scale), true/false "
        "(yes/no, and for `exists`), a date YYYY-MM-DD (date) or text."))


class Choice(Strict):
    """One answer a single- or multi-choice step offers."""

    id: Id = Field(description="The choice's id: what conditions and the plan refer to.")
    label: Text = Field(description="What the choice says on screen.")
    help: Text | None = Field(None, description="A line of help shown with the choice.")


class LevelText(Strict):
    """Extra detail by information level: shown at that level and above."""

    a_little: Text | None = Field(None, description="Shown to everyone (every level).")
    some: Text | None = Field(None, description="Shown at the levels 'some' and 'everything'.")
    everything: Text | None = Field(None, description=(
        "Shown only at the level 'everything' (details and sources); may name the study it "
        "rests on."))


#: The descriptions of a step's `type` and a file's `kind` (the JSON Schema lists the values).
_STEP_TYPE = "The kind of step: how it is answered (for `info`: that it is not)."
_KIND = "The kind of file: `decision_aid`, `meeting_guide` or `plan_template`."


class _StepBase(Strict):
    id: Id = Field(description=(
        "The step's id, unique in the guide: what conditions, `prepared` and answers files "
        "refer to. Lower-case letters, digits, `-` and `_`."))
    prompt: Text = Field(description="What the guide says or asks, read aloud in the room.")
    help: Text | None = Field(None, description="A line of help shown under the prompt.")
    more: LevelText | None = Field(None, description="Extra detail by information level.")
    required: bool = Field(False, description="True if the step must be answered to go on.")
    enable_when: list[Condition] = Field(default_factory=list, description=(
        "Ask the step only when these conditions on earlier answers hold."))
    enable_behavior: Literal["all", "any"] = Field("all", description=(
        "Whether `all` conditions of `enable_when` must hold, or `any` one of them."))
    fills: FillList = Field(default_factory=list, description=(
        "The plan field(s) the answer goes into: `template.field`, or a list of them."))
    ask: Role | None = Field(None, description=(
        "Who is usually asked; the speaker switcher starts here. Anyone present may answer."))
    prepared: Id | None = Field(None, description=(
        "In a meeting started from a preparation session: the id of the preparation step "
        "whose answer is shown here, marked as prepared by the patient with the peer worker."))


class InfoStep(_StepBase):
    """Text only: the guide speaks, nobody answers."""

    type: Literal["info"] = Field(description=_STEP_TYPE)


class SingleStep(_StepBase):
    """Pick one of `choices`."""

    type: Literal["single"] = Field(description=_STEP_TYPE)
    choices: Annotated[list[Choice], Field(min_length=2)] = Field(
        description="The answers offered (at least two); one is picked.")


class MultiStep(_StepBase):
    """Pick any of `choices`."""

    type: Literal["multi"] = Field(description=_STEP_TYPE)
    choices: Annotated[list[Choice], Field(min_length=2)] = Field(
        description="The answers offered (at least two); any of them may be picked.")


class ScaleStep(_StepBase):
    """A number from `min` to `max` (default 0–10), with words for the two ends."""

    type: Literal["scale"] = Field(description=_STEP_TYPE)
    min: int = Field(0, description="The lowest number (default 0).")
    max: int = Field(10, description="The highest number (default 10); at most 100 above `min`.")
    min_label: Text | None = Field(None, description="What the lowest number means.")
    max_label: Text | None = Field(None, description="What the highest number means.")

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

    type: Literal["yesno"] = Field(description=_STEP_TYPE)


class TextStep(_StepBase):
    """A short answer, one line; often in the patient's own words."""

    type: Literal["text"] = Field(description=_STEP_TYPE)
    max_length: Annotated[int, Field(gt=0, le=10_000)] = Field(
        500, description="The longest answer, in characters (default 500).")


class LongTextStep(_StepBase):
    """A longer answer over several lines; often in the patient's own words."""

    type: Literal["longtext"] = Field(description=_STEP_TYPE)
    max_length: Annotated[int, Field(gt=0, le=100_000)] = Field(
        10_000, description="The longest answer, in characters (default 10,000).")


class DateStep(_StepBase):
    """A calendar date (YYYY-MM-DD)."""

    type: Literal["date"] = Field(description=_STEP_TYPE)


class PeopleStep(_StepBase):
    """A list of people: name, relation, how they help, when, contact."""

    type: Literal["people"] = Field(description=_STEP_TYPE)


class TasksStep(_StepBase):
    """A list of tasks: what, who, by when."""

    type: Literal["tasks"] = Field(description=_STEP_TYPE)


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

    id: Id = Field(description="The source's id, for an option's `sources`.")
    citation: Annotated[str, Field(min_length=3)] = Field(
        description="The reference as it is cited: authors, title, year.")
    url: Annotated[str, Field(pattern=r"^https?://\S+$")] | None = Field(
        None, description="Where to read it: an http(s) address (shown as text, never opened).")


class _GuideMeta(Strict):
    id: Id = Field(description=(
        "The guide's id, unique in the library: lower-case letters, digits, `-` and `_`."))
    version: Annotated[str, Field(pattern=r"^\d+\.\d+(\.\d+)?$")] = Field(
        description="The content's version: `1.0` or `1.0.0`.")
    language: Language = Field("da", description=(
        "The language of plain-string texts: `da` (default) or `en`."))
    title: Text = Field(description="The guide's title, as the home screen lists it.")
    keywords: list[Text] = Field(default_factory=list, description=(
        "The words people search by — what clinicians and patients call it (\"forhånd\", "
        "\"PN\", \"bælte\"), not only the title's words. A plain string counts in both "
        "languages."))
    audience: Annotated[list[Audience], Field(min_length=1)] = Field(
        description="Who the guide is for: `adult` and/or `youth`.")
    authors: Annotated[list[Annotated[str, Field(min_length=1)]], Field(min_length=1)] = Field(
        description="Who wrote it (`sdm-assistant contributors` for the bundled library).")
    reviewed: dt.date = Field(description=(
        "When the content was last checked against its sources (YYYY-MM-DD)."))
    review_due: dt.date = Field(description=(
        "When the next review is due (YYYY-MM-DD); `sdm lint` fails after it."))
    update_policy: Text | None = Field(None, description=(
        "When and how the content is reviewed (IPDAS C4; `sdm lint` requires it)."))
    funding: Text | None = Field(None, description=(
        "Who paid for the development (IPDAS C6; `sdm lint` requires it)."))
    conflicts_of_interest: Text | None = Field(None, description=(
        "The authors' conflicts of interest; say that there are none, if so."))
    sources: list[Source] = Field(default_factory=list, description=(
        "The references the content rests on; options cite them by id."))
    plan: Id | None = Field(None, description=(
        "The plan template (id) that this guide's answers fill by default."))
    replaces_bundled: bool = Field(False, description=(
        "In a library folder: `true` to replace the bundled guide with the same id (said on "
        "the home screen, in `sdm list` and `sdm validate`). Without it, the same id is an "
        "error."))


# --- decision aids ----------------------------------------------------------------------------


class Framing(Strict):
    """Phase 1: why we are here, an invitation to decide together, how much to tell."""

    purpose: Text = Field(description="Why we are here: what the conversation is about.")
    invitation: Text = Field(description="The invitation to decide together.")
    ask_information_level: bool = Field(True, description=(
        "Ask how much the patient wants to know (a little / some / everything): it sets the "
        "detail shown later (`more`)."))
    ask_decision_role: bool = Field(True, description=(
        "Ask how the patient wants the decision made (after the Control Preferences Scale)."))
    steps: list[Step] = Field(default_factory=list, description=(
        "Extra steps after the built-in framing steps."))


class Option(Strict):
    """One choice, with what speaks for and against it, balanced, with sources."""

    id: Id = Field(description="The option's id: the answer of the built-in `choice` step.")
    title: Text = Field(description="The option's name.")
    summary: Text = Field(description="The option in a sentence or two.")
    pros: Annotated[list[Text], Field(min_length=1)] = Field(description=(
        "What speaks for it: balanced with `cons` in number and length (IPDAS C1)."))
    cons: Annotated[list[Text], Field(min_length=1)] = Field(description=(
        "What speaks against it: balanced with `pros` in number and length (IPDAS C1)."))
    experience: Text | None = Field(None, description=(
        "What living with this option is like (IPDAS: physical, psychological, social)."))
    more: LevelText | None = Field(None, description="Extra detail by information level.")
    sources: list[Id] = Field(default_factory=list, description=(
        "The ids of the guide's `sources` this option rests on."))
    status_quo: bool = Field(False, description=(
        "True for \"keep things as they are\": the aid's no-change path."))


class DecisionFills(Strict):
    """Where the built-in decision answers land in the plan."""

    choice: FillList = Field(default_factory=list, description=(
        "The plan field(s) the chosen option (or 'not yet') goes into."))
    decided_by: FillList = Field(default_factory=list, description=(
        "The plan field(s) who made the decision goes into."))
    next_steps: FillList = Field(default_factory=list, description=(
        "The plan field(s) the next steps (tasks) go into."))


class Decision(Strict):
    """Phase 4: the choice (or 'not yet'), who decided, the SURE check and next steps."""

    sure: bool = Field(True, description="Ask the SURE test (four yes/no questions).")
    next_steps: bool = Field(True, description="Ask who does what, by when (tasks).")
    allow_not_yet: bool = Field(True, description=(
        "Offer \"not yet\" beside the options (or make an option `status_quo`)."))
    fills: DecisionFills = Field(default_factory=DecisionFills, description=(
        "Where the built-in decision answers go in the plan."))
    steps: list[Step] = Field(default_factory=list, description=(
        "Extra steps after the built-in ones."))


class DecisionAid(_GuideMeta):
    """A decision aid: framing → preferences → options → joint decision."""

    kind: Literal["decision_aid"] = Field(description=_KIND)
    situation: Text | None = Field(None, description=(
        "IPDAS Q1: the situation (condition or problem) the decision is about."))
    question: Text | None = Field(None, description=(
        "IPDAS Q2: the decision, stated as a question."))
    framing: Framing = Field(description=(
        "Phase 1: the purpose, an invitation to decide together, how much to tell."))
    preferences: list[Step] = Field(default_factory=list, description=(
        "Phase 2: what matters to the patient; at least one step in the patient's own words."))
    options: list[Option] = Field(default_factory=list, description=(
        "Phase 3: the options side by side (two to five), balanced, with sources."))
    decision: Decision = Field(default_factory=Decision, description=(
        "Phase 4: the choice (or 'not yet'), who decided, the SURE test and next steps."))


# --- meeting guides ---------------------------------------------------------------------------


class Participant(Strict):
    """Someone who should be in the circle of a network meeting, and their role there."""

    role: Role = Field(description="Who it is: patient, relative, clinician, municipality, "
                                   "housing, gp, peer_worker or other.")
    label: Text | None = Field(None, description="A more exact name for them.")
    why: Text | None = Field(None, description="Why they should be there.")
    required: bool = Field(False, description="True if the meeting needs them.")


class Section(Strict):
    """A part of a meeting: a title, an optional time box, and its steps."""

    id: Id = Field(description="The section's id, unique in the guide.")
    title: Text = Field(description="The section's heading, also on the agenda.")
    intro: Text | None = Field(None, description="Said before the section's steps.")
    timebox_minutes: Annotated[int, Field(gt=0, le=240)] | None = Field(
        None, description="The minutes this part of the meeting may take.")
    steps: list[Step] = Field(default_factory=list, description="The section's steps, in order.")


class MeetingGuide(_GuideMeta):
    """Dialogue questions for a cross-sector network meeting (or its preparation)."""

    kind: Literal["meeting_guide"] = Field(description=_KIND)
    meeting_type: Literal["network", "blitz", "preparation"] = Field("network", description=(
        "`network` (a cross-sector network meeting), `blitz` (short, right after a "
        "compulsory admission) or `preparation` (the patient with a peer worker, before a "
        "meeting)."))
    preparation: Id | None = Field(None, description=(
        "The preparation guide (id) a meeting can start from; its steps can be `prepared` "
        "here."))
    purpose: Text = Field(description="What the meeting is for.")
    time_limit_minutes: Annotated[int, Field(gt=0, le=480)] | None = Field(None, description=(
        "The whole meeting's time box, e.g. 15 for a blitz meeting; shown as a timer."))
    participants: list[Participant] = Field(default_factory=list, description=(
        "Who should be in the circle, and their role there."))
    sections: Annotated[list[Section], Field(min_length=1)] = Field(description=(
        "The parts of the meeting, in order (at least one)."))


# --- plan templates ---------------------------------------------------------------------------

PlanFieldType = Literal["text", "longtext", "date", "people", "tasks", "yesno", "choice", "number"]


class PlanField(Strict):
    """One field of a plan: a label, whether the plan needs it, and what kind of value."""

    id: Id = Field(description="The field's id: guides fill it as `template.field`.")
    label: Text = Field(description="The field's heading in the plan.")
    required: bool = Field(False, description=(
        "True if the plan needs it: left empty, it is shown as a gap."))
    type: PlanFieldType = Field("longtext", description=(
        "What kind of value: text, longtext (default), date, people, tasks, yesno, choice "
        "(with `choices`) or number."))
    help: Text | None = Field(None, description="What belongs in the field.")
    choices: list[Choice] = Field(default_factory=list, description=(
        "For `choice` fields: the values allowed."))
    legal_basis: Text | None = Field(None, description="The law or rule that asks for it.")
    section: Text | None = Field(None, description=(
        "A heading to group fields under in the draft and exports."))
    patient_copy: bool = Field(True, description=(
        "False for clinical-only fields (a risk score, who rated it): they stay in the "
        "health-record copy but are left out of the copy handed to the patient."))


class PlanTemplate(Strict):
    """A plan the answers fill: UA, KP, the youth plan, a crisis plan — content, not code."""

    id: Id = Field(description=(
        "The template's id, unique in the library: guides fill its fields as "
        "`template.field`."))
    kind: Literal["plan_template"] = Field(description=_KIND)
    version: Annotated[str, Field(pattern=r"^\d+\.\d+(\.\d+)?$")] = Field(
        description="The template's version: `1.0` or `1.0.0`.")
    language: Language = Field("da", description=(
        "The language of plain-string texts: `da` (default) or `en`."))
    title: Text = Field(description="The plan's title.")
    description: Text | None = Field(None, description="What the plan is for.")
    audience: Annotated[list[Audience], Field(min_length=1)] = Field(
        default_factory=lambda: list[Audience](["adult"]),
        description="Who the plan is for: `adult` (default) and/or `youth`.",
    )
    legal_basis: Text | None = Field(None, description="The law or rule the plan rests on.")
    sources: list[Source] = Field(default_factory=list, description=(
        "The references the template rests on."))
    reviewed: dt.date | None = Field(None, description=(
        "When the template was last checked (YYYY-MM-DD)."))
    replaces_bundled: bool = Field(False, description=(
        "In a library folder: `true` to replace the bundled plan template with the same id "
        "(said on the home screen, in `sdm list` and `sdm validate`). Without it, the same "
        "id is an error."))
    fields: Annotated[list[PlanField], Field(min_length=1)] = Field(description=(
        "The plan's fields, in order (at least one)."))

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
