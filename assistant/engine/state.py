"""The state of a session: a pure fold over its events.

`fold(guide, events)` checks and applies the events in order and returns a `SessionState`;
`advance(state, event)` applies one more. The same events always give an equal state.

Rules worth knowing (the UI relies on them):

* **Current step.** `current` is the first step, in conversation order, that is enabled and
  not yet dealt with (answered, skipped, or — for an information step — seen). When the
  conversation runs in order this is the step after the last one answered; when an `Edit`
  enables a follow-up question earlier on, that question comes up next rather than being
  silently passed over. `finished` means there is no current step.
* **Information steps** take no answer. The UI shows one and moves on with a `Seen` event.
  An information step also counts as seen once the conversation has moved past it (a later
  step is answered, skipped or seen), so an answers file or a UI that jumps ahead never gets
  stuck on text nobody needs to acknowledge.
* **Undo** takes back the most recent Answer, Edit, Skip, Seen, SetInformationLevel or review
  event (below) that is not yet undone; the state is then exactly the state without that
  event (notes and participants added since stay). Undone events disappear from the state;
  the session's event log keeps them.
* **Disabled answers.** When an edit disables a step, its answer is kept (`inactive`, and in
  `history`) but no longer counts: not in `answers`, not in conditions, not in progress. If the
  step is enabled again, the answer counts again.
* **The SURE loop.** A SURE "no" reopens the decision (`choice`), and a new decision reopens
  who decided and the SURE items answered before it (`sure_loop`). A reopened step is
  `current` again in conversation order, and is answered anew with `Edit`; its old answer
  counts until then.
* **Skipping** is for steps that are enabled, unanswered, and not `required`. A skipped step can
  still be answered with `Answer`.

Meetings started from a preparation session:

* **Prepared answers.** A `Prepared` event brings the patient's answer from a preparation
  session to a meeting step with `prepared` (one per step; the value must fit the step). It
  answers nothing: the step is still asked, and the state keeps it in `prepared`. Like
  `AddParticipant` it is not undoable. An `Answer` or `Edit` with `prepared=True` says "the
  prepared words, accepted as they are": the step must have a prepared answer, the value must
  be the prepared value, and the speaker the patient; the answer record keeps the mark.

Review of the plan draft (the events `FieldEdit`, `FieldDiscussed`, `LineCorrected`,
`LineStruck`, `ConfirmDraft`, `ApproveDraft`; `assistant.plans.build_draft` applies what the
state records):

* **Which plans.** Review events name a plan template the guide fills: its `plan`, or any
  template in a step's `fills` (`plan_templates`). Field ids are not checked here (the engine
  does not load templates); the draft ignores edits of fields its template does not have.
* **A line** is one answer that counts, in the plan fields its step fills. Its *voice* is the
  patient's when the answer was given with speaker `patient`, else the speaker's role.
* **The patient's words are the patient's.** `LineCorrected` and `LineStruck` apply only to
  lines in the patient's voice, and only the patient may send them. A correction replaces the
  line's text in the draft (the answer, with the original words, stays in `history`); a strike
  leaves the line out of the draft. The latest of the two counts; a new answer to the step
  (Answer or Edit) clears both, since its words are new.
* **Field edits** replace all lines of the field in the draft (latest wins; an empty text
  clears the edit). If an edit by someone other than the patient replaces patient lines that
  are not struck, the field **awaits the patient** (`awaiting_patient`).
* **Approval rule.** Written once, in `rules.approval_blockers`; `rules.check` refuses an
  `ApproveDraft` while it lists anything, and the review screen shows the same list before
  it offers to approve, so the TUI, `sdm replay` and a resumed session agree. A plan draft
  is approved by a clinician (`ApproveDraft` with speaker `clinician`) when:

  1. a clinician takes part (an `AddParticipant` with role `clinician`; the store records one
     per person present when a session starts). A session without one, such as a
     preparation with a peer worker, approves no plan: its points go to the meeting;
  2. no field awaits the patient: a patient line replaced by someone else's edit blocks
     approval until the patient accepts it (makes the same `FieldEdit` with speaker
     `patient`), strikes the lines, or the edit is cleared;
  3. no required field is a gap: each shows something, or is marked "discussed, nothing to
     add" (`FieldDiscussed`, which records who marked it). The engine loads no templates,
     so `ApproveDraft.required_fields` names the template's required fields
     (`rules.required_fields(template)`, from the template the approver sees); they are kept
     with the approval, which therefore replays the same when the template changes later;
  4. when the patient takes part, the patient has confirmed the draft in a step of their own
     (`ConfirmDraft`, speaker `patient`, refused without a clinician taking part and while
     a field awaits the patient), and no
     answer, edit, field edit, "discussed" mark, correction or strike touching the plan came
     after it: such a change voids the confirmation (`confirmation(template)` is None again).

  The approval (`ApprovalRecord`) keeps both roles and times: the clinician's approval, and
  when the patient confirmed (or that the patient did not take part). `next_revision_due`, if
  given, must come after the day of the approval. Approval and status are per template.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType

from assistant.engine.conditions import enabled_steps
from assistant.engine.errors import EngineError
from assistant.engine.events import Event, Undo
from assistant.engine.log import (
    EventLog,
    FieldKey,
    LogBuilder,
    ReviewRecord,
    replay_log,
    step_templates,
)
from assistant.engine.records import (
    AnswerRecord,
    ApprovalBlocker,
    ApprovalRecord,
    ConfirmationRecord,
    DiscussedRecord,
    FieldEditRecord,
    LineReviewRecord,
    NoteRecord,
    ParticipantRecord,
    PhaseProgress,
    PreparedRecord,
    SureRoute,
)
from assistant.engine.rules import approval_blockers, check
from assistant.engine.sure import sure_routes
from assistant.engine.sure_loop import reopened_steps
from assistant.engine.values import Value
from assistant.guides.flow import FlowStep, flow, phases
from assistant.guides.models import (
    INFORMATION_LEVELS,
    Guide,
    InformationLevel,
    Language,
    LevelText,
    takes_answer,
    text_in,
)
from assistant.guides.step_ids import CHOICE, DECIDED_BY, DECISION_ROLE, SURE_IDS

__all__ = ["SessionState", "advance", "fold", "initial", "with_language"]

DEFAULT_INFORMATION_LEVEL: InformationLevel = "some"


@dataclass(frozen=True, eq=False)
class _Flow:
    """A guide's steps in order, looked up by id; shared by every state of a session."""

    guide: Guide
    steps: tuple[FlowStep, ...]
    index: Mapping[str, int]
    phases: tuple[str, ...]
    #: Step ids filling each plan field, in conversation order.
    filled_by: Mapping[FieldKey, tuple[str, ...]]
    #: The plan templates the guide fills: its `plan` first, then in order of `fills`.
    templates: tuple[str, ...]
    #: Ids of the steps that take an answer (not information steps), by phase in order.
    #: Worked out once per guide: deriving a state runs for every event of a replay.
    asks: Mapping[str, tuple[str, ...]]
    answerable: frozenset[str]
    #: The steps' ids, in order (`steps[i].id`, looked up once).
    ids: tuple[str, ...]

    @classmethod
    def of(cls, guide: Guide) -> _Flow:
        steps = flow(guide)
        filled_by: dict[FieldKey, list[str]] = {}
        templates: dict[str, None] = {guide.plan: None} if guide.plan else {}
        for s in steps:
            for target in s.step.fills:
                template, _, field_id = target.partition(".")
                templates.setdefault(template)
                sids = filled_by.setdefault((template, field_id), [])
                if s.id not in sids:
                    sids.append(s.id)
        all_phases = phases(guide)
        asks = {phase: tuple(s.id for s in steps if s.phase == phase and takes_answer(s.step))
                for phase in all_phases}
        return cls(guide, steps, {s.id: i for i, s in enumerate(steps)}, all_phases,
                   MappingProxyType({k: tuple(v) for k, v in filled_by.items()}),
                   tuple(templates), MappingProxyType(asks),
                   frozenset(sid for ids in asks.values() for sid in ids),
                   tuple(s.id for s in steps))


@dataclass(frozen=True)
class SessionState:
    """Everything the UI needs to know about a session at one moment. Immutable.

    Build one with `fold` or `initial`; never construct it directly. Two states are equal when
    they come from the same guide, language and events that count (undone events aside).
    Answer values are canonical (see `values`): tuples for lists.
    """

    guide: Guide
    language: Language
    #: Answers that count (their step is enabled), by step id, in conversation order.
    answers: Mapping[str, AnswerRecord]
    #: Answers kept but not counted because their step is disabled now, by step id.
    inactive: Mapping[str, AnswerRecord]
    #: Ids of enabled steps that were skipped and not answered since, in conversation order.
    skipped: tuple[str, ...]
    #: Ids of enabled information steps that have been seen, in conversation order.
    seen: tuple[str, ...]
    #: Every answer and edit that counts or counted, in the order given (undone ones left out).
    history: Sequence[AnswerRecord]
    #: The step to take now; None when the conversation is finished.
    current: FlowStep | None
    information_level: InformationLevel
    participants: Sequence[ParticipantRecord]
    notes: Sequence[NoteRecord]
    #: One entry per phase (a meeting guide's phases are its sections), in order.
    progress: tuple[PhaseProgress, ...]
    #: Ids of every step whose conditions are met.
    enabled_ids: frozenset[str]
    #: The events that count: every event so far minus undone ones and the Undo events.
    effective_events: Sequence[Event]
    #: Review: the latest non-empty edit of each plan field, by (template, field).
    field_edits: Mapping[FieldKey, FieldEditRecord]
    #: Review: plan fields marked "discussed, nothing to add", by (template, field).
    discussed: Mapping[FieldKey, DiscussedRecord]
    #: Review: the patient's correction or strike of each step's current answer, by step id.
    line_reviews: Mapping[str, LineReviewRecord]
    #: Review: every field edit, correction and strike in order, also those replaced since.
    review_history: Sequence[ReviewRecord]
    #: Review: every approval of a plan draft, oldest first.
    approvals: Sequence[ApprovalRecord]
    #: The patient's prepared answers (from a preparation session), by meeting step id.
    prepared: Mapping[str, PreparedRecord]
    #: Answered steps to ask again (the SURE loop, `sure_loop`): not done until edited.
    reopened: frozenset[str]
    _flow: _Flow = field(compare=False, repr=False)
    _log: EventLog = field(compare=False, repr=False)

    # --- the guide's shape -------------------------------------------------------------------

    @property
    def steps(self) -> tuple[FlowStep, ...]:
        """Every step of the guide in conversation order (enabled or not)."""
        return self._flow.steps

    @property
    def phases(self) -> tuple[str, ...]:
        """The phase ids in order."""
        return self._flow.phases

    def has_step(self, step_id: str) -> bool:
        """True if the guide has a step with this id."""
        return step_id in self._flow.index

    def step(self, step_id: str) -> FlowStep:
        """The step with this id. Raises KeyError for an unknown id."""
        index = self._flow.index.get(step_id)
        if index is None:
            raise KeyError(step_id)
        return self._flow.steps[index]

    def enabled(self, step_id: str) -> bool:
        """True if the step's conditions are met. Raises KeyError for an unknown id."""
        self.step(step_id)
        return step_id in self.enabled_ids

    # --- where the conversation is -----------------------------------------------------------

    @property
    def finished(self) -> bool:
        """True when every enabled step is answered, skipped or (information) seen."""
        return self.current is None

    @property
    def can_undo(self) -> bool:
        """True when an `Undo` would take something back."""
        return bool(self._log.undoable)

    @property
    def answerable(self) -> tuple[str, ...]:
        """Steps an `Answer` may go to now: enabled, not information, without an answer."""
        return tuple(
            s.id for s in self.steps
            if s.id in self.enabled_ids and takes_answer(s.step) and s.id not in self.answers
        )

    @property
    def editable(self) -> tuple[str, ...]:
        """Steps an `Edit` may go to now: those with an answer that counts."""
        return tuple(self.answers)

    @property
    def skippable(self) -> tuple[str, ...]:
        """Steps a `Skip` may go to now: answerable, not skipped already, not required."""
        skipped = set(self.skipped)
        return tuple(
            sid for sid in self.answerable
            if sid not in skipped and not self.step(sid).step.required
        )

    @property
    def unseen(self) -> tuple[str, ...]:
        """Information steps a `Seen` may go to now: enabled and not seen."""
        seen = set(self.seen)
        return tuple(
            s.id for s in self.steps
            if not takes_answer(s.step) and s.id in self.enabled_ids and s.id not in seen
        )

    @property
    def overall(self) -> PhaseProgress:
        """Progress over the whole guide (phase `all`)."""
        return PhaseProgress(
            "all", sum(p.done for p in self.progress), sum(p.total for p in self.progress)
        )

    # --- answers -----------------------------------------------------------------------------

    def value(self, step_id: str) -> Value | None:
        """The value of the step's answer if it counts, else None."""
        record = self.answers.get(step_id)
        return None if record is None else record.value

    def _choice_value(self, step_id: str) -> str | None:
        value = self.value(step_id)
        return value if isinstance(value, str) else None

    @property
    def decision_role(self) -> str | None:
        """How the patient wants the decision made (`patient`, `shared`, `clinician`)."""
        return self._choice_value(DECISION_ROLE)

    @property
    def choice(self) -> str | None:
        """The option chosen (an option id or `not_yet`), or None."""
        return self._choice_value(CHOICE)

    @property
    def decided_by(self) -> str | None:
        """Who made the decision (`patient`, `shared`, `clinician`), or None."""
        return self._choice_value(DECIDED_BY)

    @property
    def sure(self) -> dict[str, bool | None]:
        """The SURE items the guide asks, each True/False, or None while unanswered."""
        out: dict[str, bool | None] = {}
        for item in SURE_IDS:
            if self.has_step(item):
                value = self.value(item)
                out[item] = value if isinstance(value, bool) else None
        return out

    @property
    def sure_route(self) -> tuple[SureRoute, ...]:
        """Where to go for each SURE item answered "no" (see `sure.sure_routes`)."""
        return sure_routes(self.steps, self.enabled_ids, self.answers)

    # --- the plan draft and its review --------------------------------------------------------

    @property
    def plan_templates(self) -> tuple[str, ...]:
        """Ids of the plan templates the guide fills: its `plan` first, then in `fills` order."""
        return self._flow.templates

    def steps_filling(self, template: str, field_id: str) -> tuple[str, ...]:
        """Ids of the steps whose answers fill `template.field_id`, in conversation order."""
        return self._flow.filled_by.get((template, field_id), ())

    def fields_filled(self, template: str) -> tuple[str, ...]:
        """Ids of the fields of `template` that some step fills, in order of first filling."""
        return tuple(f for t, f in self._flow.filled_by if t == template)

    def field_edit(self, template: str, field_id: str) -> FieldEditRecord | None:
        """The field's edit from the review, or None."""
        return self.field_edits.get((template, field_id))

    def is_discussed(self, template: str, field_id: str) -> bool:
        """True if the field was marked "discussed, nothing to add"."""
        return (template, field_id) in self.discussed

    def line_review(self, step_id: str) -> LineReviewRecord | None:
        """The patient's correction or strike of the step's current answer, or None."""
        return self.line_reviews.get(step_id)

    def is_patient_line(self, step_id: str) -> bool:
        """True if the step has an answer that counts, given in the patient's name."""
        record = self.answers.get(step_id)
        return record is not None and record.speaker == "patient"

    def awaiting_patient(self, template: str) -> tuple[str, ...]:
        """Fields of `template` where someone else's edit replaces the patient's lines.

        Such a field has an edit whose speaker is not the patient, and at least one line in
        the patient's voice that is not struck. While any is listed, `ApproveDraft` for the
        template is refused. Field ids in the order they were edited.
        """
        out: list[str] = []
        for (tid, fid), edit in self.field_edits.items():
            if tid != template or edit.speaker == "patient":
                continue
            for sid in self.steps_filling(tid, fid):
                review = self.line_reviews.get(sid)
                if self.is_patient_line(sid) and (review is None or review.kind != "struck"):
                    out.append(fid)
                    break
        return tuple(out)

    def approval(self, template: str) -> ApprovalRecord | None:
        """The latest approval of the template's draft, or None."""
        return next((a for a in reversed(self.approvals) if a.template == template), None)

    def confirmation(self, template: str) -> ConfirmationRecord | None:
        """The patient's confirmation of the template's draft if it still counts (nothing
        changed the draft since), else None."""
        return self._log.confirmations.get(template)

    def takes_part(self, role: str) -> bool:
        """True if someone with `role` takes part (an `AddParticipant` for the role)."""
        return any(p.role == role for p in self.participants)

    def has_content(self, template: str, field_id: str) -> bool:
        """True if the plan field shows something: a field edit, or a line of an answer
        that counts and is not struck (as the plan draft fills it)."""
        if self.field_edit(template, field_id) is not None:
            return True
        for sid in self.steps_filling(template, field_id):
            review = self.line_reviews.get(sid)
            if sid in self.answers and (review is None or review.kind != "struck"):
                return True
        return False

    def approval_blockers(
        self, template: str, required_fields: Iterable[str]
    ) -> tuple[ApprovalBlocker, ...]:
        """What stands in the way of approving the template's draft now (empty: nothing).

        `required_fields` are the template's required field ids (`rules.required_fields`).
        The approval rule itself is `rules.approval_blockers`; see the module docstring.
        """
        return approval_blockers(self, template, tuple(required_fields))

    def detail(self, more: LevelText | None, lang: Language | None = None) -> tuple[str, ...]:
        """The texts of `more` to show at the current information level, in order.

        The levels nest (a_little ⊂ some ⊂ everything): at `some`, the `a_little` and `some`
        texts are shown; at `everything`, all three. Missing entries are left out.
        `lang` defaults to the session's language.
        """
        if more is None:
            return ()
        wanted = INFORMATION_LEVELS[: INFORMATION_LEVELS.index(self.information_level) + 1]
        texts = (getattr(more, level) for level in wanted)
        return tuple(text_in(t, lang or self.language) for t in texts if t is not None)


# --- building states --------------------------------------------------------------------------


def initial(guide: Guide, *, language: Language | None = None) -> SessionState:
    """The state before any event: nothing answered, at the first step.

    `language` is the session's language for texts (default: the guide's `language`).
    """
    return _derive(_Flow.of(guide), EventLog(), language or guide.language)


def fold(
    guide: Guide, events: Iterable[Event], *, language: Language | None = None
) -> SessionState:
    """Apply `events` in order to a new session of `guide` and return the final state.

    Raises:
        EngineError: an event cannot be applied (its `index` says which, counting from 0).
    """
    state = initial(guide, language=language)
    # One log for the whole replay (linear): each event is checked against a state derived
    # from a view of the log so far, absorbed, and the log is frozen once at the end. An
    # Undo rebuilds the log (rare), so it takes `advance`'s path and a fresh builder.
    builder = LogBuilder.of(state._log)
    flow_, templates_of = state._flow, _templates_of(state)
    for index, event in enumerate(events):
        try:
            if isinstance(event, Undo):
                state = advance(_derive(flow_, builder.freeze(), state.language), event)
                builder = LogBuilder.of(state._log)
                continue
            value = check(state, event)
        except EngineError as exc:
            exc.index = index
            raise
        builder.absorb(event, value, templates_of)
        state = _derive(flow_, builder.view(), state.language)
    return _derive(flow_, builder.freeze(), state.language)


def _templates_of(state: SessionState) -> Callable[[str], frozenset[str]]:
    """The plans each step's answer fills, by step id (the guide's steps do not change)."""
    return lambda sid: step_templates(state.step(sid).step)


def advance(state: SessionState, event: Event) -> SessionState:
    """The state after `event`. Checks first; on error nothing changes (states are immutable).

    Raises:
        EngineError: the event does not fit the state (unknown step, a value of the wrong
            kind, a step that is not asked now, an edit of an unanswered step, nothing to
            undo, ...). `AnswerError`, a subclass, is raised for a bad value.
    """
    value = check(state, event)
    log = state._log
    if isinstance(event, Undo):
        last = log.undoable[-1]
        kept = [*log.effective[:last], *log.effective[last + 1:]]
        # Only non-undoable events (notes, participants) can follow `last`, and none of
        # them depends on answers, so the remaining events replay without checks.
        log = replay_log(kept, lambda sid: state.step(sid).step)
    else:
        builder = LogBuilder.of(log)
        builder.absorb(event, value, lambda sid: step_templates(state.step(sid).step))
        log = builder.freeze()
    return _derive(state._flow, log, state.language)


def with_language(state: SessionState, language: Language) -> SessionState:
    """The same state shown in another language."""
    return dataclasses.replace(state, language=language)


# --- deriving ---------------------------------------------------------------------------------


def _derive(flow_: _Flow, log: EventLog, language: Language) -> SessionState:
    """Resolve conditions and work out everything the state shows."""
    steps, ids = flow_.steps, flow_.ids
    latest = log.latest
    values = {sid: record.value for sid, record in latest.items()}
    enabled, counting = enabled_steps((s.step for s in steps), values)
    answers = {sid: latest[sid] for sid in ids if sid in counting}
    inactive = {sid: latest[sid] for sid in ids if sid in latest and sid not in counting}
    skipped = tuple(sid for sid in ids
                    if sid in enabled and sid in log.skipped and sid not in answers)
    explicit_seen = [sid for sid in ids if sid in enabled and sid in log.seen]
    # How far the conversation has come: information steps before this point count as seen.
    reached = max((flow_.index[sid] for sid in (*answers, *skipped, *explicit_seen)), default=-1)
    answerable = flow_.answerable
    seen = tuple(
        sid for i, sid in enumerate(ids)
        if sid not in answerable and sid in enabled and (sid in log.seen or i < reached)
    )
    reopened = reopened_steps(log.positions, answers)
    done = {*(sid for sid in answers if sid not in reopened), *skipped, *seen}
    current = next((steps[i] for i, sid in enumerate(ids) if sid in enabled and sid not in done),
                   None)
    progress = tuple(
        PhaseProgress(
            phase,
            sum(1 for sid in ids if sid in enabled and sid in done),
            sum(1 for sid in ids if sid in enabled),
        )
        for phase, ids in flow_.asks.items()
    )
    return SessionState(
        guide=flow_.guide,
        language=language,
        answers=MappingProxyType(answers),
        inactive=MappingProxyType(inactive),
        skipped=skipped,
        seen=seen,
        history=log.history,
        current=current,
        information_level=log.level or DEFAULT_INFORMATION_LEVEL,
        participants=log.participants,
        notes=log.notes,
        progress=progress,
        enabled_ids=enabled,
        effective_events=log.effective,
        field_edits=log.field_edits,
        discussed=log.discussed,
        line_reviews=log.line_reviews,
        review_history=log.review_history,
        approvals=log.approvals,
        prepared=log.prepared,
        reopened=reopened,
        _flow=flow_,
        _log=log,
    )
