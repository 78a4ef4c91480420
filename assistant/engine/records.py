"""The small immutable records a session state is made of."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

from assistant.engine.values import Value
from assistant.guides.models import LocalText, Role


@dataclass(frozen=True)
class AnswerRecord:
    """One answer as the state keeps it: the checked value, who gave it, and when."""

    step: str
    value: Value
    speaker: Role
    at: dt.datetime
    #: The patient's own words, when free text was matched to a choice.
    verbatim: str | None = None
    #: True when this answer replaced an earlier one (an `Edit`).
    edited: bool = False
    #: True when this is the patient's prepared answer, accepted as it is (see `Prepared`).
    prepared: bool = False


@dataclass(frozen=True)
class PreparedRecord:
    """The patient's answer from a preparation session, shown at a meeting step.

    `value` is checked against the meeting step; `prepared_at` is when the patient gave it
    (with `with_role`, the peer worker), `at` when the meeting took it in.
    """

    step: str
    value: Value
    source_session: str
    source_step: str
    prepared_at: dt.datetime
    speaker: Role
    with_role: Role
    at: dt.datetime


@dataclass(frozen=True)
class ParticipantRecord:
    """Someone taking part in the conversation."""

    role: Role
    name: str | None
    at: dt.datetime


@dataclass(frozen=True)
class NoteRecord:
    """A remark for the record, optionally about one step."""

    text: str
    speaker: Role
    at: dt.datetime
    step: str | None = None


@dataclass(frozen=True)
class PhaseProgress:
    """How far one phase has come: answered or skipped steps out of the steps asked.

    Information steps are not counted; neither are steps whose conditions are not met.
    """

    phase: str
    done: int
    total: int

    @property
    def complete(self) -> bool:
        """True when every step asked in this phase is answered or skipped."""
        return self.done >= self.total


SureAction = Literal["revisit", "add_support", "not_yet"]


@dataclass(frozen=True)
class SureRoute:
    """Where to go after a "no" in the SURE test (Légaré et al. 2010).

    `action` is `revisit` (go back to `phase`, starting at `step`), `add_support` (suggest
    bringing in a relative or someone from the network: an `AddParticipant`), or `not_yet`
    (it is fine not to decide today: answer `choice` with "not yet" and agree on a new
    appointment). `message` is what the assistant can say about it.
    """

    item: str
    action: SureAction
    phase: str | None
    step: str | None
    message: LocalText


# --- review of the plan draft -----------------------------------------------------------------


@dataclass(frozen=True)
class FieldEditRecord:
    """A plan field's text as written directly during the review (the latest edit)."""

    template: str
    field: str
    text: str
    speaker: Role
    at: dt.datetime


@dataclass(frozen=True)
class DiscussedRecord:
    """A plan field marked "discussed, nothing to add"."""

    template: str
    field: str
    speaker: Role
    at: dt.datetime


LineReviewKind = Literal["corrected", "struck"]


@dataclass(frozen=True)
class LineReviewRecord:
    """What the patient did to a line given in their name: corrected it, or struck it.

    `text` is the corrected text (None when struck).
    """

    step: str
    kind: LineReviewKind
    text: str | None
    speaker: Role
    at: dt.datetime


@dataclass(frozen=True)
class ConfirmationRecord:
    """The patient's confirmation of a plan draft (`ConfirmDraft`), while it counts."""

    template: str
    speaker: Role
    at: dt.datetime


@dataclass(frozen=True)
class ApprovalRecord:
    """A plan draft approved: which template, by whom, when, and when to revise it.

    `speaker` is the role that approved (always `clinician` under the approval rule; older
    sessions may hold another). `patient_present` says whether the patient took part in the
    session when the plan was approved; if so, `patient_confirmed` is when the patient
    confirmed the draft (`ConfirmDraft`); if not, it is None ("patient not present").
    `required_fields` are the template's required fields the approval was checked against
    (each filled, or marked "discussed, nothing to add": see the state's `discussed`).
    """

    template: str
    speaker: Role
    at: dt.datetime
    next_revision_due: dt.date | None
    responsible: str | None
    patient_present: bool = False
    patient_confirmed: dt.datetime | None = None
    required_fields: tuple[str, ...] = ()


BlockerKind = Literal["no_clinician", "awaiting_patient", "gaps", "patient_confirmation"]


@dataclass(frozen=True)
class ApprovalBlocker:
    """One reason a plan draft cannot be approved now (see `rules.approval_blockers`).

    `no_clinician`: no clinician takes part in the session. `awaiting_patient`: in `fields`,
    someone else's edit replaces the patient's words and the patient has not accepted it.
    `gaps`: the required `fields` are empty and not marked "discussed, nothing to add".
    `patient_confirmation`: the patient takes part and has not confirmed the draft;
    `voided` when the patient did confirm but the draft changed after that.
    `message` says it in English (for the CLI and replay; the UI words it itself).
    """

    kind: BlockerKind
    message: str
    fields: tuple[str, ...] = ()
    voided: bool = False
