"""What may happen now: the checks an event must pass before it is applied.

Each refusal is an `EngineError` (an `AnswerError` for a bad value) with a message that names
the step and says what to do instead.

The approval rule lives here, once: `approval_blockers` says what stands in the way of
approving a plan draft, `check` refuses an `ApproveDraft` while anything does, and the UI
lists the same blockers before it offers to approve (see `state`, "Approval rule").
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from assistant.engine.errors import AnswerError, EngineError, quote
from assistant.engine.events import (
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
    Undo,
)
from assistant.engine.records import ApprovalBlocker
from assistant.engine.values import Value, validate_value
from assistant.guides.flow import FlowStep
from assistant.guides.models import PlanTemplate, Role, takes_answer
from assistant.guides.problems import suggestion

if TYPE_CHECKING:  # the state calls these checks; only the type is needed here
    from assistant.engine.state import SessionState

__all__ = ["APPROVER", "approval_blockers", "check", "required_fields"]

#: Who approves a plan: the role an `ApproveDraft` must have, and that must take part.
APPROVER: Role = "clinician"


def _known(state: SessionState, step_id: str) -> FlowStep:
    if not state.has_step(step_id):
        ids = [s.id for s in state.steps]
        raise EngineError(f"unknown step {quote(step_id)}{suggestion(step_id, ids)}")
    return state.step(step_id)


def check(state: SessionState, event: Event) -> Value | None:
    """Raise EngineError if `event` cannot be applied to `state`.

    Returns the checked, canonical answer value for an Answer or Edit, else None.
    """
    if isinstance(event, Undo):
        if not state.can_undo:
            raise EngineError("nothing to undo")
        return None
    if isinstance(event, Note):
        if event.step is not None:
            _known(state, event.step)
        return None
    if isinstance(event, AddParticipant):
        if any(p.role == event.role and p.name == event.name for p in state.participants):
            raise EngineError(f"this {event.role} is taking part already")
        return None
    if isinstance(event, SetInformationLevel):
        return None
    if isinstance(event, (FieldEdit, FieldDiscussed, ConfirmDraft, ApproveDraft)):
        _check_plan_event(state, event)
        return None
    if isinstance(event, (LineCorrected, LineStruck)):
        _check_line_event(state, event)
        return None
    if isinstance(event, Prepared):
        return _check_prepared(state, event)

    flow_step = _known(state, event.step)
    step, sid = flow_step.step, flow_step.id
    info = not takes_answer(step)
    if isinstance(event, Seen) and not info:
        raise EngineError(f"step '{sid}' takes an answer: answer or skip it (Seen is for "
                          "information steps)")
    if not isinstance(event, Seen) and info:
        raise EngineError(f"step '{sid}' is information only: nobody answers it; "
                          "pass it with Seen")
    if sid not in state.enabled_ids:
        raise EngineError(f"step '{sid}' is not asked now: its conditions are not met")

    answered = sid in state.answers
    if isinstance(event, Seen):
        if sid in state.seen:
            raise EngineError(f"step '{sid}' has been seen already")
        return None
    if isinstance(event, Skip):
        if answered:
            raise EngineError(f"step '{sid}' is answered: edit or undo the answer instead "
                              "of skipping it")
        if sid in state.skipped:
            raise EngineError(f"step '{sid}' is skipped already")
        if step.required:
            raise EngineError(f"step '{sid}' is required: it cannot be skipped")
        return None
    if isinstance(event, Answer) and answered:
        raise EngineError(f"step '{sid}' is answered already: use Edit to change the answer")
    if isinstance(event, Edit) and not answered:
        raise EngineError(f"step '{sid}' has no answer to edit: use Answer")
    try:
        value = validate_value(step, event.value)
    except AnswerError as exc:
        raise AnswerError(f"step '{sid}': {exc.message}") from None
    if event.prepared:
        _check_prepared_answer(state, sid, value, event.speaker)
    return value


def _check_prepared(state: SessionState, event: Prepared) -> Value:
    flow_step = _known(state, event.step)
    step, sid = flow_step.step, flow_step.id
    if step.prepared is None:
        raise EngineError(f"step '{sid}' takes no prepared answer (it has no 'prepared')")
    if sid in state.prepared:
        raise EngineError(f"step '{sid}' has a prepared answer already")
    if event.with_role == "patient":
        raise EngineError("a prepared answer is prepared with someone other than the patient")
    try:
        return validate_value(step, event.value)
    except AnswerError as exc:
        raise AnswerError(f"step '{sid}': the prepared answer does not fit: "
                          f"{exc.message}") from None


def _check_prepared_answer(state: SessionState, sid: str, value: Value, speaker: str) -> None:
    record = state.prepared.get(sid)
    if record is None:
        raise EngineError(f"step '{sid}' has no prepared answer: record it as a new answer")
    if speaker != "patient":
        raise EngineError(f"step '{sid}': a prepared answer is the patient's words: the "
                          "speaker must be the patient")
    if value != record.value:
        raise EngineError(f"step '{sid}': the answer differs from the prepared one: record "
                          "it as a new answer (prepared is for the prepared words as they are)")


def _check_plan_event(
    state: SessionState, event: FieldEdit | FieldDiscussed | ConfirmDraft | ApproveDraft
) -> None:
    template = event.template
    if template not in state.plan_templates:
        known = state.plan_templates
        listing = ", ".join(known) if known else "none"
        raise EngineError(f"this guide does not fill the plan {quote(template)}"
                          f"{suggestion(template, known)} (plans it fills: {listing})")
    if isinstance(event, FieldEdit):
        if not event.text.strip() and state.field_edit(template, event.field) is None:
            raise EngineError(f"the field '{template}.{event.field}' has no edit to clear")
        return
    if isinstance(event, ConfirmDraft):
        _check_confirmation(state, event)
        return
    if isinstance(event, ApproveDraft):
        _check_approval(state, event)


# --- approval ---------------------------------------------------------------------------------


def required_fields(template: PlanTemplate) -> tuple[str, ...]:
    """The ids of the template's required fields, in its order: what `ApproveDraft` names
    (`required_fields`) so that the engine, which loads no templates, can check them."""
    return tuple(f.id for f in template.fields if f.required)


def _fields(ids: tuple[str, ...]) -> str:
    return ", ".join(f"'{f}'" for f in ids)


def approval_blockers(
    state: SessionState, template: str, required: tuple[str, ...]
) -> tuple[ApprovalBlocker, ...]:
    """Everything that stands in the way of approving the template's draft now, in order.

    The approval rule (the only place it is written down):

    1. a clinician takes part in the session (`AddParticipant` with role `clinician`);
    2. no field awaits the patient (`state.awaiting_patient`);
    3. every field in `required` shows something or is marked "discussed, nothing to add";
    4. when the patient takes part, the patient has confirmed the draft (`ConfirmDraft`)
       and nothing changed it since.

    An empty result means an `ApproveDraft` by the clinician with these `required_fields`
    is accepted (given a sensible `next_revision_due`). Pure: no templates are loaded.
    """
    out: list[ApprovalBlocker] = []
    if not state.takes_part(APPROVER):
        out.append(ApprovalBlocker(
            "no_clinician",
            "no clinician takes part in this session: a plan is approved at a meeting with "
            "a clinician (record the clinician as a participant if one is present)"))
    waiting = state.awaiting_patient(template)
    if waiting:
        out.append(ApprovalBlocker(
            "awaiting_patient",
            f"in {_fields(waiting)}, an edit by someone else replaces words given in the "
            "patient's name; the patient must accept the edit (make it their own), strike "
            "those lines, or the edit must be cleared", waiting))
    gaps = tuple(dict.fromkeys(
        f for f in required
        if not state.has_content(template, f) and not state.is_discussed(template, f)))
    if gaps:
        out.append(ApprovalBlocker(
            "gaps",
            f"the required fields {_fields(gaps)} are empty: fill them, or mark them "
            "\"discussed, nothing to add\"", gaps))
    if state.takes_part("patient") and state.confirmation(template) is None:
        voided = any(isinstance(e, ConfirmDraft) and e.template == template
                     for e in state.effective_events)
        why = ("the draft changed after the patient confirmed it: the patient confirms it "
               "again" if voided else
               "the patient takes part and has not confirmed the draft: the patient "
               "confirms it first (ConfirmDraft, speaker patient)")
        out.append(ApprovalBlocker("patient_confirmation", why, voided=voided))
    return tuple(out)


def _check_confirmation(state: SessionState, event: ConfirmDraft) -> None:
    template = event.template
    if event.speaker != "patient":
        raise EngineError("only the patient confirms a plan draft: the speaker must be the "
                          "patient")
    if not state.takes_part("patient"):
        raise EngineError("the patient does not take part in this session: there is no "
                          "confirmation to give (record the patient as a participant if "
                          "present)")
    if not state.takes_part(APPROVER):
        raise EngineError("no clinician takes part in this session: the patient confirms the "
                          "plan at the meeting with a clinician, where it is approved")
    waiting = state.awaiting_patient(template)
    if waiting:
        raise EngineError(
            f"the plan '{template}' cannot be confirmed yet: in {_fields(waiting)}, an edit "
            "by someone else replaces words given in the patient's name; the patient makes "
            "the edit their own or strikes those lines first")
    if state.confirmation(template) is not None:
        raise EngineError(f"the patient has confirmed the plan '{template}' already, and "
                          "nothing has changed since")


def _check_approval(state: SessionState, event: ApproveDraft) -> None:
    template = event.template
    if event.speaker != APPROVER:
        raise EngineError("only a clinician approves a plan: the speaker must be the "
                          "clinician (the patient confirms the draft with ConfirmDraft)")
    blockers = approval_blockers(state, template, event.required_fields)
    if blockers:
        raise EngineError(f"the plan '{template}' cannot be approved yet: "
                          + "; ".join(b.message for b in blockers))
    due = event.next_revision_due
    if due is not None and due <= event.at.date():
        raise EngineError("the next revision must be due after the day of the approval")


def _check_line_event(state: SessionState, event: LineCorrected | LineStruck) -> None:
    sid = _known(state, event.step).id
    if sid not in state.answers:
        raise EngineError(f"step '{sid}' has no answer that counts: there is no line to "
                          "correct or strike")
    if not state.is_patient_line(sid):
        raise EngineError(f"the answer to step '{sid}' was not given in the patient's name: "
                          "only the patient's own lines can be corrected or struck (edit the "
                          "answer instead)")
    if event.speaker != "patient":
        raise EngineError("only the patient can correct or strike a line given in the "
                          "patient's name")
    review = state.line_review(sid)
    if isinstance(event, LineStruck) and review is not None and review.kind == "struck":
        raise EngineError(f"the line for step '{sid}' is struck already")
