"""The plan draft: pydantic models, the single description of a draft and of its JSON form.

A `PlanDraft` is what the answers (and the review) of one session make of one plan template:
every field of the template in order, each with the *lines* that fill it (who said what, in
which step, when), the field's edit from the review, and its status; the required fields
still empty (the *gaps*); and when the plan was made, revised, approved and is due again.

Drafts are immutable and JSON-serialisable: `draft.model_dump_json()` and
`PlanDraft.model_validate_json(text)` round-trip exactly, and `schema_version` says which
shape the JSON has. Every text in a draft has been through `clean_text` already.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, JsonValue

from assistant.guides.models import Audience, Language, LocalText, PlanFieldType, Role, text_in

__all__ = [
    "SCHEMA_VERSION",
    "Conversion",
    "DraftLine",
    "EditLine",
    "FieldDraft",
    "FieldStatus",
    "Gap",
    "Label",
    "Participant",
    "PlanDraft",
    "Ref",
    "Reference",
    "Revision",
    "SureItem",
    "SureResult",
    "Voice",
    "voice_of",
]

#: The shape of the JSON form; raised whenever a field is renamed or changes meaning.
SCHEMA_VERSION = 1

#: Whose words a line is: the patient's, or someone else's (the speaker's role says whose).
Voice = Literal["patient", "professional"]

#: `filled`: something stands in the plan. `gap`: required and empty. `discussed`: empty,
#: but marked "discussed, nothing to add". `empty`: not required and empty.
FieldStatus = Literal["filled", "gap", "discussed", "empty"]


def voice_of(role: Role) -> Voice:
    """`patient` for the patient, `professional` for everyone else (relatives too).

    The role itself is always kept next to the voice, so a relative's words still read as a
    relative's.
    """
    return "patient" if role == "patient" else "professional"


class _Model(BaseModel):
    """Base: immutable, unknown keys are errors, errors never echo the (health) data."""

    model_config = ConfigDict(extra="forbid", hide_input_in_errors=True, frozen=True)


class Label(_Model):
    """A template text in Danish and English (English falls back to Danish)."""

    da: str
    en: str

    @classmethod
    def of(cls, text: str | LocalText, default: Language = "da") -> Label:
        """The label of a guide or template text; a plain string is in `default`'s language
        and stands for both."""
        return cls(da=text_in(text, "da", default), en=text_in(text, "en", default))

    @classmethod
    def maybe(cls, text: str | LocalText | None, default: Language = "da") -> Label | None:
        """Like `of`, for optional texts: None stays None."""
        return None if text is None else cls.of(text, default)

    def get(self, lang: Language) -> str:
        """The text in `lang`."""
        return self.en if lang == "en" else self.da


class Ref(_Model):
    """Which template or guide (id, version, title) a draft comes from."""

    id: str
    version: str
    title: Label


class Reference(_Model):
    """A source the plan's conversation rests on: one of the guide's `sources`, or the
    instrument behind a built-in step (the SURE test, the Control Preferences Scale). The
    health-record copy lists them at its end ("Kilder"); the patient's copy does not."""

    id: str
    #: Author text: printed as text, never as markup.
    citation: str
    url: str | None = None


class DraftLine(_Model):
    """One answer as it fills a plan field: what was said, by whom, in which step, when.

    `text` is what the plan shows: the answer in words (`value_text`), or the patient's
    correction of it. `original` keeps the words as given when corrected. A `struck` line
    ("not my words") and a `replaced` line (the field was edited in the review) stay in the
    draft, so the review can show them, but no export carries them, nor the words a
    correction replaced (`PlanDraft.as_exported`).
    """

    step: str
    text: str
    speaker: Role
    voice: Voice
    at: AwareDatetime
    #: The patient's own words, when free text was matched to a choice.
    verbatim: str | None = None
    #: The answer as JSON data (a list of people or tasks, a choice id, a number ...).
    value: JsonValue = None
    #: The text as given, when the patient corrected it (never in an export: see
    #: `PlanDraft.as_exported`).
    original: str | None = None
    corrected_at: AwareDatetime | None = None
    struck: bool = False
    struck_at: AwareDatetime | None = None
    #: True when a field edit stands in for this line.
    replaced: bool = False
    #: True when the line is the patient's answer prepared with the peer worker before the
    #: meeting, accepted as it was (exports attribute it so).
    prepared: bool = False
    #: What the line answers: the step's prompt (for a line carried over from another
    #: plan's field edit, that field's label). The health-record copy says it beside the
    #: speaker where the field's label alone does not tell (a field filled by several steps).
    question: Label | None = None

    @property
    def corrected(self) -> bool:
        """True when the patient corrected this line (`text` is the correction)."""
        return self.original is not None or self.corrected_at is not None

    @property
    def in_plan(self) -> bool:
        """True when the line is printed in the plan (not struck, not replaced)."""
        return not (self.struck or self.replaced)

    def as_exported(self) -> DraftLine:
        """The line as exports carry it: a corrected line keeps the correction and when it
        was made, but not the words as first given (`original`, and the answer's `value` and
        `verbatim`, which hold them)."""
        if not self.corrected:
            return self
        return self.model_copy(update={"original": None, "value": None, "verbatim": None})


class EditLine(_Model):
    """A field's text as written directly during the review."""

    text: str
    speaker: Role
    voice: Voice
    at: AwareDatetime


class FieldDraft(_Model):
    """One field of the plan, with everything that fills it."""

    id: str
    label: Label
    type: PlanFieldType
    required: bool
    section: Label | None = None
    help: Label | None = None
    legal_basis: Label | None = None
    #: Lines from the answers, in conversation order (struck and replaced ones included).
    lines: tuple[DraftLine, ...] = ()
    edit: EditLine | None = None
    #: Who marked the field "discussed, nothing to add", if anyone.
    discussed_by: Role | None = None
    #: True when someone else's edit replaces the patient's lines and the patient has not
    #: accepted it; the draft cannot be approved then.
    awaiting_patient: bool = False
    #: Ids of the steps whose answers fill this field (where to go to fill a gap).
    steps: tuple[str, ...] = ()
    status: FieldStatus
    #: False for a clinical-only field (the template's `patient_copy: false`, e.g. a risk
    #: score): the health-record copy shows it, the patient's copy leaves it out.
    patient_copy: bool = True

    @property
    def shown(self) -> tuple[DraftLine | EditLine, ...]:
        """What the plan prints for this field: the edit, or else the lines in the plan."""
        if self.edit is not None:
            return (self.edit,)
        return tuple(line for line in self.lines if line.in_plan)

    def as_exported(self) -> FieldDraft:
        """The field as exports carry it: only the lines in the plan (struck lines and lines
        the field's edit replaces are left out), each as `DraftLine.as_exported`."""
        lines = tuple(line.as_exported() for line in self.lines if line.in_plan)
        return self if lines == self.lines else self.model_copy(update={"lines": lines})


class Gap(_Model):
    """A required field that is still empty, and the steps that could fill it."""

    field: str
    label: Label
    steps: tuple[str, ...] = ()


class Participant(_Model):
    """Someone who took part in the conversation."""

    role: Role
    name: str | None = None


class Revision(_Model):
    """Re-evaluation: when the plan was made and revised, and when it is due again.

    `next_revision_due` is the approval's date if one was given; else the plan's own
    "review by" field (`revision_due`) if it has a date; else 12 months after the approval,
    or after the plan was created (LKT Tvang asks for a revision at least yearly).
    `due_from` says which.
    """

    created: AwareDatetime
    last_revised: AwareDatetime
    approved: AwareDatetime | None = None
    approved_by: Role | None = None
    #: Whether the patient took part when the plan was approved (None: not approved).
    patient_present: bool | None = None
    #: When the patient confirmed the draft before the approval (None: not present, or an
    #: approval from before confirmations were asked).
    patient_confirmed: AwareDatetime | None = None
    #: True when something changed after the latest approval.
    changed_since_approval: bool = False
    next_revision_due: dt.date
    due_from: Literal["approval", "field", "default"]
    #: Who sees to the revision: the approval's, else the plan's follow-up field.
    responsible: str | None = None
    overdue: bool = False


class SureItem(_Model):
    """One SURE item as the patient was asked it, and the answer (None: not answered)."""

    id: str
    #: The question as the guide asked it ("Kender du fordele og ulemper ved hver mulighed?").
    prompt: Label
    answer: bool | None = None


class SureResult(_Model):
    """The SURE test beside the decision (Légaré et al. 2010): one point for every "yes".

    `asked` counts the items answered yes or no; `items` are every SURE item the guide
    asks, in the test's order, answered or not.
    """

    score: int
    asked: int
    items: tuple[SureItem, ...] = ()

    @property
    def unmet(self) -> tuple[SureItem, ...]:
        """The items answered "no": the needs the decision leaves unmet."""
        return tuple(item for item in self.items if item.answer is False)


class Conversion(_Model):
    """Where a converted draft came from (the youth plan turned into a UA at 18)."""

    template: Ref
    #: Source field id → target field id, for every field carried over.
    fields: dict[str, str]


class PlanDraft(_Model):
    """The plan draft of one session for one template. See the module docstring."""

    schema_version: Literal[1] = 1
    template: Ref
    guide: Ref
    #: The language the lines' words (yes/no, choice labels) are written in.
    language: Language
    #: The day the draft was made (gaps, due dates and "overdue" are as of this day).
    today: dt.date
    fields: tuple[FieldDraft, ...]
    gaps: tuple[Gap, ...] = ()
    revision: Revision
    participants: tuple[Participant, ...] = ()
    converted_from: Conversion | None = None
    #: Ids of fields awaiting the patient (see `FieldDraft.awaiting_patient`).
    awaiting_patient: tuple[str, ...] = ()
    #: The SURE test of the decision, when the guide asks it and an item is answered.
    sure: SureResult | None = None
    #: Whom the template is for; a plan for children and young people only calls the patient
    #: "the young person" and relatives "the parents" (`wording.youth`).
    audience: tuple[Audience, ...] = ()
    #: What the conversation rests on: the guide's sources, then the instruments of the
    #: built-in steps it asks (as the chat's sources view, F9, lists them).
    sources: tuple[Reference, ...] = ()

    def as_exported(self) -> PlanDraft:
        """The draft as every export carries it, the single rule for what leaves the room:
        each field's lines in the plan only, corrections without the words first given
        (`FieldDraft.as_exported`). Struck words and the words a correction or a field edit
        replaced are in no export. Idempotent; a draft without a review is returned as is.
        """
        fields = tuple(f.as_exported() for f in self.fields)
        if all(a is b for a, b in zip(fields, self.fields, strict=True)):
            return self
        return self.model_copy(update={"fields": fields})

    @property
    def can_approve(self) -> bool:
        """True unless a field awaits the patient (gaps do not block approval)."""
        return not self.awaiting_patient

    def field(self, field_id: str) -> FieldDraft | None:
        """The field with this id, or None."""
        return next((f for f in self.fields if f.id == field_id), None)

    def title(self, lang: Language | None = None) -> str:
        """The template's title in `lang` (default: the draft's language)."""
        return self.template.title.get(lang or self.language)
