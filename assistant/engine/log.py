"""The events that count, gathered: what they say before conditions are resolved.

`EventLog` is the frozen record a `SessionState` is derived from; `LogBuilder` takes in one
event at a time (mutable, so replaying many events stays cheap) and freezes into a new log.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from types import MappingProxyType

from assistant.engine.events import (
    UNDOABLE,
    AddParticipant,
    Answer,
    ApproveDraft,
    ConfirmDraft,
    Edit,
    Event,
    FieldDiscussed,
    FieldEdit,
    LineCorrected,
    LineStruck,
    Note,
    Prepared,
    Seen,
    SetInformationLevel,
    Skip,
)
from assistant.engine.records import (
    AnswerRecord,
    ApprovalRecord,
    ConfirmationRecord,
    DiscussedRecord,
    FieldEditRecord,
    LineReviewRecord,
    NoteRecord,
    ParticipantRecord,
    PreparedRecord,
)
from assistant.engine.values import Value, validate_value
from assistant.guides.models import INFORMATION_LEVELS, AnyStep, InformationLevel
from assistant.guides.step_ids import INFORMATION_LEVEL

__all__ = ["EventLog", "FieldKey", "LogBuilder", "ReviewRecord", "replay_log", "step_templates"]

#: A plan field: (template id, field id).
FieldKey = tuple[str, str]
#: What the review history keeps: every field edit and every correction or strike.
ReviewRecord = FieldEditRecord | LineReviewRecord
#: The plan templates a step's answer fills (by step id).
TemplatesOf = Callable[[str], Collection[str]]


@dataclass(frozen=True)
class EventLog:
    """What the events that count say, before conditions are resolved."""

    effective: Sequence[Event] = ()
    #: Positions in `effective` that Undo can take back, oldest first.
    undoable: Sequence[int] = ()
    #: The latest answer of each step, whether or not the step is enabled now.
    latest: Mapping[str, AnswerRecord] = field(default_factory=dict)
    skipped: AbstractSet[str] = frozenset()
    seen: AbstractSet[str] = frozenset()
    history: Sequence[AnswerRecord] = ()
    #: The position in `history` of each step's latest answer or edit.
    positions: Mapping[str, int] = field(default_factory=dict)
    level: InformationLevel | None = None
    participants: Sequence[ParticipantRecord] = ()
    notes: Sequence[NoteRecord] = ()
    #: The latest non-empty edit of each plan field.
    field_edits: Mapping[FieldKey, FieldEditRecord] = field(default_factory=dict)
    #: Plan fields marked "discussed, nothing to add".
    discussed: Mapping[FieldKey, DiscussedRecord] = field(default_factory=dict)
    #: The patient's correction or strike of each step's current answer.
    line_reviews: Mapping[str, LineReviewRecord] = field(default_factory=dict)
    #: Every field edit, correction and strike, in order (also those replaced since).
    review_history: Sequence[ReviewRecord] = ()
    approvals: Sequence[ApprovalRecord] = ()
    #: The patient's prepared answers, by meeting step id.
    prepared: Mapping[str, PreparedRecord] = field(default_factory=dict)
    #: The patient's confirmation of each plan draft, while it counts (no change since).
    confirmations: Mapping[str, ConfirmationRecord] = field(default_factory=dict)


@dataclass
class LogBuilder:
    """A mutable `EventLog` under construction: one event at a time, then `freeze`."""

    effective: list[Event]
    undoable: list[int]
    latest: dict[str, AnswerRecord]
    skipped: set[str]
    seen: set[str]
    history: list[AnswerRecord]
    positions: dict[str, int]
    level: InformationLevel | None
    participants: list[ParticipantRecord]
    notes: list[NoteRecord]
    field_edits: dict[FieldKey, FieldEditRecord]
    discussed: dict[FieldKey, DiscussedRecord]
    line_reviews: dict[str, LineReviewRecord]
    review_history: list[ReviewRecord]
    approvals: list[ApprovalRecord]
    prepared: dict[str, PreparedRecord]
    confirmations: dict[str, ConfirmationRecord]

    @classmethod
    def of(cls, log: EventLog) -> LogBuilder:
        """A builder starting from `log` (which is left as it is)."""
        return cls(list(log.effective), list(log.undoable), dict(log.latest), set(log.skipped),
                   set(log.seen), list(log.history), dict(log.positions), log.level,
                   list(log.participants),
                   list(log.notes), dict(log.field_edits), dict(log.discussed),
                   dict(log.line_reviews), list(log.review_history), list(log.approvals),
                   dict(log.prepared), dict(log.confirmations))

    def freeze(self) -> EventLog:
        """The log as built so far, immutable (its own copies: the builder may go on)."""
        return EventLog(
            tuple(self.effective), tuple(self.undoable), MappingProxyType(dict(self.latest)),
            frozenset(self.skipped), frozenset(self.seen), tuple(self.history),
            MappingProxyType(dict(self.positions)), self.level,
            tuple(self.participants), tuple(self.notes),
            MappingProxyType(dict(self.field_edits)), MappingProxyType(dict(self.discussed)),
            MappingProxyType(dict(self.line_reviews)), tuple(self.review_history),
            tuple(self.approvals), MappingProxyType(dict(self.prepared)),
            MappingProxyType(dict(self.confirmations)),
        )

    def view(self) -> EventLog:
        """The log as built so far, lent without copying: valid only until the next `absorb`.

        Folding a long session checks each event against the state before it; freezing a copy
        for every one of n events costs O(n²) (10k events took over a second). A view costs
        nothing, so a fold builds one log for the whole replay and freezes once at the end.
        Never let a state made from a view outlive the fold that made it.
        """
        return EventLog(
            self.effective, self.undoable, MappingProxyType(self.latest), self.skipped,
            self.seen, self.history, MappingProxyType(self.positions), self.level,
            self.participants, self.notes, MappingProxyType(self.field_edits),
            MappingProxyType(self.discussed), MappingProxyType(self.line_reviews),
            self.review_history, self.approvals, MappingProxyType(self.prepared),
            MappingProxyType(self.confirmations),
        )

    def absorb(self, event: Event, value: Value | None,
               templates_of: TemplatesOf | None = None) -> None:
        """Take in a checked, non-Undo `event`; `value` is its checked answer value.

        `templates_of(step)` names the plans a step's answer fills: a correction or strike
        of that step's line voids the patient's confirmation of those plans only (without
        it, of every plan).
        """
        self._void_confirmations(event, templates_of)
        if isinstance(event, UNDOABLE):
            self.undoable.append(len(self.effective))
        self.effective.append(event)
        if isinstance(event, (Answer, Edit)):
            assert value is not None  # rules.check returned the checked value
            record = AnswerRecord(event.step, value, event.speaker, event.at, event.verbatim,
                                  edited=isinstance(event, Edit), prepared=event.prepared)
            self.latest[event.step] = record
            self.skipped.discard(event.step)
            self.positions[event.step] = len(self.history)
            self.history.append(record)
            # A correction or strike was about the words given before; new words stand
            # on their own (and can be corrected or struck again).
            self.line_reviews.pop(event.step, None)
            if event.step == INFORMATION_LEVEL:
                self.level = _level(value)
        elif isinstance(event, Skip):
            self.skipped.add(event.step)
        elif isinstance(event, Seen):
            self.seen.add(event.step)
        elif isinstance(event, SetInformationLevel):
            self.level = event.level
        elif isinstance(event, AddParticipant):
            self.participants.append(ParticipantRecord(event.role, event.name, event.at))
        elif isinstance(event, Note):
            self.notes.append(NoteRecord(event.text, event.speaker, event.at, event.step))
        elif isinstance(event, Prepared):
            assert value is not None  # rules.check returned the checked value
            self.prepared[event.step] = PreparedRecord(
                event.step, value, event.source_session, event.source_step, event.prepared_at,
                event.speaker, event.with_role, event.at)
        elif isinstance(event, FieldEdit):
            key = (event.template, event.field)
            edit = FieldEditRecord(event.template, event.field, event.text, event.speaker,
                                   event.at)
            self.review_history.append(edit)
            if event.text.strip():
                self.field_edits[key] = edit
            else:
                self.field_edits.pop(key, None)
        elif isinstance(event, FieldDiscussed):
            self.discussed[(event.template, event.field)] = DiscussedRecord(
                event.template, event.field, event.speaker, event.at)
        elif isinstance(event, (LineCorrected, LineStruck)):
            if isinstance(event, LineCorrected):
                review = LineReviewRecord(event.step, "corrected", event.text, event.speaker,
                                          event.at)
            else:
                review = LineReviewRecord(event.step, "struck", None, event.speaker, event.at)
            self.line_reviews[event.step] = review
            self.review_history.append(review)
        elif isinstance(event, ConfirmDraft):
            self.confirmations[event.template] = ConfirmationRecord(
                event.template, event.speaker, event.at)
        elif isinstance(event, ApproveDraft):
            # Both roles and times: the clinician's approval, and the patient's confirmation
            # that it rests on (or that the patient did not take part).
            present = any(p.role == "patient" for p in self.participants)
            confirmation = self.confirmations.get(event.template) if present else None
            self.approvals.append(ApprovalRecord(
                event.template, event.speaker, event.at, event.next_revision_due,
                event.responsible, patient_present=present,
                patient_confirmed=confirmation.at if confirmation else None,
                required_fields=event.required_fields))
        else:  # pragma: no cover - Undo never gets here
            raise AssertionError(f"unexpected event {type(event).__name__}")

    def _void_confirmations(self, event: Event, templates_of: TemplatesOf | None) -> None:
        """Forget the patient's confirmation of every plan `event` changes.

        An answer or edit may change any plan (it can also enable or disable other steps),
        so it voids them all; a field edit or "discussed" mark voids its plan's; a
        correction or strike, the confirmation of the plans its line is in.
        """
        if not self.confirmations:
            return
        if isinstance(event, (Answer, Edit)):
            self.confirmations.clear()
        elif isinstance(event, (FieldEdit, FieldDiscussed)):
            self.confirmations.pop(event.template, None)
        elif isinstance(event, (LineCorrected, LineStruck)):
            if templates_of is None:
                self.confirmations.clear()
            else:
                for template in templates_of(event.step):
                    self.confirmations.pop(template, None)


def _level(value: Value) -> InformationLevel | None:
    return next((level for level in INFORMATION_LEVELS if level == value), None)


def replay_log(events: Sequence[Event], step_of: Callable[[str], AnyStep]) -> EventLog:
    """The log of events that were all checked before (used by Undo).

    `step_of` finds a step by id, to turn each answer into its canonical value again.
    """
    builder = LogBuilder.of(EventLog())
    for event in events:
        value = None
        if isinstance(event, (Answer, Edit, Prepared)):
            value = validate_value(step_of(event.step), event.value)
        builder.absorb(event, value, lambda sid: step_templates(step_of(sid)))
    return builder.freeze()


def step_templates(step: AnyStep) -> frozenset[str]:
    """The plan templates a step's answer fills (from its `fills`)."""
    return frozenset(target.partition(".")[0] for target in step.fills)
