"""What can happen in a session, as immutable events: the engine's only input.

A session's state is a fold over its events (see `state.fold`), so these models are the
whole contract between the UI (or the CLI, or the store) and the engine. Every event carries
its time `at` (timezone-aware); the engine never reads the clock.

Answer values arrive as plain JSON data (`value`) and are checked against the step when the
event is applied (`values.validate_value`), so an event can always be stored and read back,
even one the engine would refuse.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import (
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    JsonValue,
    TypeAdapter,
    field_validator,
)

from assistant.guides.models import ID_PATTERN, InformationLevel, Role

#: Longest free text an event may carry (a note, the patient's own words).
MAX_TEXT = 10_000
#: Longest "responsible" text on an approval (a name, a role or a team); as the store allows.
MAX_RESPONSIBLE = 500

StepId = Annotated[str, Field(min_length=1, max_length=200)]
FreeText = Annotated[str, Field(min_length=1, max_length=MAX_TEXT)]
#: A plan template's id or a field's id, as in the guide's `fills: template.field`.
PlanId = Annotated[str, Field(pattern=ID_PATTERN, min_length=1, max_length=80)]


class _Event(BaseModel):
    """Base: immutable, unknown keys are errors, errors never echo the input."""

    model_config = ConfigDict(extra="forbid", hide_input_in_errors=True, frozen=True)

    at: AwareDatetime


class Answer(_Event):
    """A first answer to a step (also the way to answer a step that was skipped)."""

    type: Literal["answer"] = "answer"
    step: StepId
    value: JsonValue
    speaker: Role
    #: The patient's own words, when free text was matched to a choice.
    verbatim: FreeText | None = None
    #: True when this answer is the patient's prepared answer (a `Prepared` event for the
    #: step), accepted as it is: then the value must be the prepared value and the speaker
    #: the patient.
    prepared: bool = False


class Edit(_Event):
    """A new answer to a step that has one; the old answer stays in the history."""

    type: Literal["edit"] = "edit"
    step: StepId
    value: JsonValue
    speaker: Role
    verbatim: FreeText | None = None
    #: As for `Answer`: the prepared answer, accepted as it is.
    prepared: bool = False


class Skip(_Event):
    """A step left unanswered on purpose; a later `Answer` may still fill it in."""

    type: Literal["skip"] = "skip"
    step: StepId
    speaker: Role


class Seen(_Event):
    """An information step has been shown and the conversation moves on past it."""

    type: Literal["seen"] = "seen"
    step: StepId
    speaker: Role | None = None


class Undo(_Event):
    """Undo the most recent event not yet undone among those in `UNDOABLE`.

    Those are Answer, Edit, Skip, Seen, SetInformationLevel and the review events
    (FieldEdit, FieldDiscussed, LineCorrected, LineStruck, ConfirmDraft, ApproveDraft).
    """

    type: Literal["undo"] = "undo"


class SetInformationLevel(_Event):
    """Change how much detail is shown, at any point in the conversation."""

    type: Literal["set_information_level"] = "set_information_level"
    level: InformationLevel
    speaker: Role


class AddParticipant(_Event):
    """Someone joins the conversation (a role, and a name if they want one recorded)."""

    type: Literal["add_participant"] = "add_participant"
    role: Role
    name: Annotated[str, Field(min_length=1, max_length=200)] | None = None

    @field_validator("name")
    @classmethod
    def _strip_name(cls, value: str | None) -> str | None:
        if value is None:
            return None
        value = value.strip()
        if not value:
            raise ValueError("a name must not be blank")
        return value


class Note(_Event):
    """A remark for the record, optionally about one step."""

    type: Literal["note"] = "note"
    text: FreeText
    speaker: Role
    step: StepId | None = None

    @field_validator("text")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("a note must not be blank")
        return value


class Prepared(_Event):
    """The patient's answer from a preparation session, brought into a meeting.

    A meeting guide names its preparation guide (`preparation`), and a step with
    `prepared: STEP` shows what the patient answered to that preparation step, together
    with the peer worker (`with_role`). The meeting records one `Prepared` per such step
    when it starts from a preparation session; it answers nothing by itself: the step is
    still asked, and accepting the prepared words as they are is an `Answer` with
    `prepared=True`. Not undoable (like `AddParticipant`): it is where the meeting started.
    """

    type: Literal["prepared"] = "prepared"
    #: The meeting step (it must have `prepared`).
    step: StepId
    #: The prepared answer as JSON data; it must fit the meeting step.
    value: JsonValue
    #: The preparation session's id, and the preparation step the answer was given to.
    source_session: Annotated[str, Field(min_length=1, max_length=200)]
    source_step: StepId
    #: When the patient gave the answer in the preparation session.
    prepared_at: AwareDatetime
    #: Whose words: always the patient's.
    speaker: Literal["patient"] = "patient"
    #: Who prepared it with the patient.
    with_role: Role = "peer_worker"


# --- review of the plan draft -----------------------------------------------------------------
#
# After the conversation the plan draft is read through together. These events record what
# happens then; `assistant.plans.build_draft` applies them. The rules that protect the
# patient's words (only the patient corrects or strikes a line given in the patient's name;
# no approval while someone else's edit stands in for the patient's words) and the approval
# rule (a clinician present, the patient's own confirmation, no unexplained gaps) are in
# `rules` and described in `state`.


def _not_blank(value: str) -> str:
    if not value.strip():
        raise ValueError("the text must not be blank")
    return value


class FieldEdit(_Event):
    """A plan field's text written or edited directly during the review.

    The latest edit of a field wins; it stands in the plan for the lines the answers gave
    the field (they stay in the draft, marked as replaced). An empty `text` clears the
    field's edit, and the lines show again. When the edit replaces lines given in the
    patient's name and someone else wrote it, the draft cannot be approved until the patient
    accepts it (see `state`).
    """

    type: Literal["field_edit"] = "field_edit"
    template: PlanId
    field: PlanId
    text: Annotated[str, Field(max_length=MAX_TEXT)]
    speaker: Role


class FieldDiscussed(_Event):
    """A plan field was talked about and there is nothing to add: it is no longer a gap."""

    type: Literal["field_discussed"] = "field_discussed"
    template: PlanId
    field: PlanId
    speaker: Role


class LineCorrected(_Event):
    """The patient corrects a line given in the patient's name (the answer to `step`).

    The corrected text replaces the line in the draft; the answer itself, and so the
    original words, stay in the history. Only for answers given by the patient, and only
    the patient may correct them (`speaker` must be `patient`).
    """

    type: Literal["line_corrected"] = "line_corrected"
    step: StepId
    text: FreeText
    speaker: Role

    _text_not_blank = field_validator("text")(_not_blank)


class LineStruck(_Event):
    """"Not my words": the patient's line for `step` is left out of the draft.

    The line stays visible (marked) in the review. Only for answers given by the patient,
    and only the patient may strike them. A later correction, or a new answer to the step,
    brings a line back.
    """

    type: Literal["line_struck"] = "line_struck"
    step: StepId
    speaker: Role


class ConfirmDraft(_Event):
    """The patient confirms the plan draft for `template`, as its own step before approval.

    In words: "The plan has been gone through with me, and I recognise my words". Only the
    patient sends it (`speaker` must be `patient`; the patient and a clinician take part). It
    counts until the draft changes: a later answer or edit, field edit, "discussed" mark,
    correction or strike that touches the plan voids it, and the patient confirms again.
    `ApproveDraft` needs a confirmation that counts whenever the patient takes part.
    """

    type: Literal["confirm_draft"] = "confirm_draft"
    template: PlanId
    speaker: Role


#: Most required fields an approval can name (a template has a few dozen at most).
MAX_REQUIRED_FIELDS = 500


class ApproveDraft(_Event):
    """The plan draft for `template` is approved as it stands, by a clinician.

    `speaker` must be `clinician`, a clinician must take part in the session, and when the
    patient takes part the patient must have confirmed the draft (`ConfirmDraft`) since its
    last change. `required_fields` are the template's required field ids as the approver's
    template has them (`rules.required_fields(template)`): the engine loads no templates, so
    the approval names them, and each must be filled or marked "discussed, nothing to add".
    They are kept with the approval, so it replays the same whatever the template becomes.

    `next_revision_due` and `responsible` (who sees to the revision) are recorded with the
    approval. Without a date the draft uses the plan's own "review by" field, else 12
    months after the approval.
    """

    type: Literal["approve_draft"] = "approve_draft"
    template: PlanId
    speaker: Role
    next_revision_due: dt.date | None = None
    responsible: Annotated[str, Field(min_length=1, max_length=MAX_RESPONSIBLE)] | None = None
    required_fields: Annotated[tuple[PlanId, ...], Field(max_length=MAX_REQUIRED_FIELDS)] = ()

    @field_validator("responsible")
    @classmethod
    def _strip_responsible(cls, value: str | None) -> str | None:
        if value is None:
            return None
        value = value.strip()
        if not value:
            raise ValueError("'responsible' must not be blank")
        return value


#: The review events, which refer to a plan template or to a line of the draft.
REVIEW_EVENTS: tuple[type[_Event], ...] = (
    FieldEdit, FieldDiscussed, LineCorrected, LineStruck, ConfirmDraft, ApproveDraft
)

Event = Annotated[
    Answer | Edit | Skip | Seen | Undo | SetInformationLevel | AddParticipant | Note | Prepared
    | FieldEdit | FieldDiscussed | LineCorrected | LineStruck | ConfirmDraft | ApproveDraft,
    Field(discriminator="type"),
]

#: Validates and serialises events (`EVENT_ADAPTER.validate_python(data)`, `.dump_python`).
EVENT_ADAPTER: TypeAdapter[Event] = TypeAdapter(Event)

#: Event kinds that `Undo` can take back: the ones that move the conversation or the review.
UNDOABLE: tuple[type[_Event], ...] = (
    Answer, Edit, Skip, Seen, SetInformationLevel, *REVIEW_EVENTS
)
