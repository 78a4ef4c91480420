"""What can happen in a session, as immutable events: the engine's only input.

A session's state is a fold over its events (see `state.fold`), so these models are the
whole contract between the UI (or the CLI, or the store) and the engine. Every event carries
its time `at` (timezone-aware); the engine never reads the clock.

Answer values arrive as plain JSON data (`value`) and are checked against the step when the
event is applied (`values.validate_value`), so an event can always be stored and read back,
even one the engine would refuse.
"""

from __future__ import annotations

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

from assistant.guides.models import InformationLevel, Role

#: Longest free text an event may carry (a note, the patient's own words).
MAX_TEXT = 10_000

StepId = Annotated[str, Field(min_length=1, max_length=200)]
FreeText = Annotated[str, Field(min_length=1, max_length=MAX_TEXT)]


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


class Edit(_Event):
    """A new answer to a step that has one; the old answer stays in the history."""

    type: Literal["edit"] = "edit"
    step: StepId
    value: JsonValue
    speaker: Role
    verbatim: FreeText | None = None


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
    """Undo the most recent Answer, Edit, Skip, Seen or SetInformationLevel not yet undone."""

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


Event = Annotated[
    Answer | Edit | Skip | Seen | Undo | SetInformationLevel | AddParticipant | Note,
    Field(discriminator="type"),
]

#: Validates and serialises events (`EVENT_ADAPTER.validate_python(data)`, `.dump_python`).
EVENT_ADAPTER: TypeAdapter[Event] = TypeAdapter(Event)

#: Event kinds that `Undo` can take back: the ones that move the conversation.
UNDOABLE: tuple[type[_Event], ...] = (Answer, Edit, Skip, Seen, SetInformationLevel)
