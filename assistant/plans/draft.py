"""From a session's state to a plan draft: `build_draft(state, template, today=...)`.

Pure: the same state, template, day and language always give an equal draft. The state
carries the review too (field edits, corrections, strikes, approvals: see
`assistant.engine.state`); this module only reads it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from pydantic import JsonValue

from assistant.engine.records import AnswerRecord, FieldEditRecord
from assistant.engine.state import SessionState
from assistant.engine.sure import sure_score
from assistant.engine.values import Value, plain
from assistant.guides.flow import builtin_sources, draft_templates
from assistant.guides.models import (
    Choice,
    Guide,
    Language,
    PlanField,
    PlanTemplate,
    choices_of,
    several_answers,
    text_in,
)
from assistant.plans.models import (
    DraftLine,
    EditLine,
    FieldDraft,
    FieldStatus,
    Gap,
    Label,
    Participant,
    PlanDraft,
    Ref,
    Reference,
    Revision,
    SureItem,
    SureResult,
    voice_of,
)
from assistant.text import clean_text
from assistant.wording import choice_label, value_text

__all__ = [
    "REVISION_MONTHS",
    "PlanChoiceError",
    "add_months",
    "build_draft",
    "choose_template",
    "draft_templates",
]

#: LKT Tvang asks for the plan to be looked at again at least once a year.
REVISION_MONTHS = 12
#: Template fields with a meaning for re-evaluation, when a template has them.
REVISION_FIELD = "revision_due"
RESPONSIBLE_FIELD = "followup_responsible"


class PlanChoiceError(ValueError):
    """The plan template asked for cannot be drafted from this guide; `message` says why."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def choose_template(
    guide: Guide, templates: Mapping[str, PlanTemplate], template_id: str | None = None
) -> PlanTemplate:
    """The template to draft: `template_id` if given, else the guide's default plan.

    Only templates the guide fills (`draft_templates`) are allowed. Raises
    `PlanChoiceError` when there is none, the id is not one of them, or the library lacks it.
    """
    allowed = draft_templates(guide)
    if not allowed:
        raise PlanChoiceError(f"the guide '{guide.id}' fills no plan")
    wanted = template_id or allowed[0]
    if wanted not in allowed:
        raise PlanChoiceError(f"the guide '{guide.id}' does not fill the plan '{wanted}' "
                              f"(it fills: {', '.join(allowed)})")
    found = templates.get(wanted)
    if found is None:
        raise PlanChoiceError(f"the plan template '{wanted}' is not in the library")
    return found


def add_months(day: dt.date, months: int) -> dt.date:
    """`day` plus whole months; the 29th–31st become the month's last day when needed.

    The calendar ends at 9999-12-31 and starts at 0001-01-01: a result beyond either end is
    that end (a revision "due" then is as good as none), never an error.
    """
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    if year > dt.MAXYEAR:
        return dt.date.max
    if year < dt.MINYEAR:
        return dt.date.min
    for last in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month + 1, min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable: every month has 28 days")  # pragma: no cover


# --- lines ------------------------------------------------------------------------------------


def _clean_json(value: JsonValue) -> JsonValue:
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, list):
        return [_clean_json(v) for v in value]
    if isinstance(value, dict):
        return {k: _clean_json(v) for k, v in value.items()}
    return value


def _template_choice(choices: list[Choice], choice_id: str, lang: Language,
                     default: Language) -> str | None:
    for choice in choices:
        if choice.id == choice_id:
            return text_in(choice.label, lang, default)
    return None


def _text(state: SessionState, record: AnswerRecord, field: PlanField, lang: Language,
          default: Language) -> str:
    """The answer in words, as this field shows it."""
    step = state.step(record.step).step
    value: Value = record.value
    if field.type == "number" and isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    # A choice field shows the template's own wording of the choice (the step's label is
    # often written to the patient: "du får ...", the plan's to the record: "patienten får").
    if field.choices and isinstance(value, str):
        label = _template_choice(field.choices, value, lang, default)
        if label is not None:
            return label
    # Several choices: one a line, as people and tasks are (a label may hold a comma).
    # People and tasks are written by `value_text`, one a line.
    if choices_of(step) and several_answers(step) and isinstance(value, tuple):
        labels = [(_template_choice(field.choices, str(v), lang, default) if field.choices
                   else None) or choice_label(step, str(v), lang) for v in value]
        return "\n".join(labels)
    return value_text(step, value, lang)


def _line(state: SessionState, record: AnswerRecord, field: PlanField, lang: Language,
          default: Language, replaced: bool) -> DraftLine:
    step = state.step(record.step).step
    text = clean_text(_text(state, record, field, lang, default))
    review = state.line_review(record.step)
    original = corrected_at = struck_at = None
    if review is not None and review.kind == "corrected" and review.text is not None:
        original, text, corrected_at = text, clean_text(review.text), review.at
    elif review is not None and review.kind == "struck":
        struck_at = review.at
    return DraftLine(
        step=record.step,
        text=text,
        speaker=record.speaker,
        voice=voice_of(record.speaker),
        at=record.at,
        verbatim=clean_text(record.verbatim) if record.verbatim else None,
        value=_clean_json(plain(record.value)),
        original=original,
        corrected_at=corrected_at,
        struck=struck_at is not None,
        struck_at=struck_at,
        replaced=replaced,
        prepared=record.prepared,
        question=Label.of(step.prompt, state.guide.language),
    )


def _edit(record: FieldEditRecord | None) -> EditLine | None:
    if record is None:
        return None
    return EditLine(text=clean_text(record.text.strip()), speaker=record.speaker,
                    voice=voice_of(record.speaker), at=record.at)


def _field(state: SessionState, template: PlanTemplate, field: PlanField, lang: Language,
           waiting: frozenset[str]) -> FieldDraft:
    tid, default = template.id, template.language
    steps = state.steps_filling(tid, field.id)
    edit = _edit(state.field_edit(tid, field.id))
    lines = tuple(
        _line(state, state.answers[sid], field, lang, default, replaced=edit is not None)
        for sid in steps if sid in state.answers
    )
    discussed = state.discussed.get((tid, field.id))
    status: FieldStatus
    if edit is not None or any(line.in_plan for line in lines):
        status = "filled"
    elif discussed is not None:
        status = "discussed"
    else:
        status = "gap" if field.required else "empty"
    return FieldDraft(
        id=field.id,
        label=Label.of(field.label, default),
        type=field.type,
        required=field.required,
        section=Label.maybe(field.section, default),
        help=Label.maybe(field.help, default),
        legal_basis=Label.maybe(field.legal_basis, default),
        lines=lines,
        edit=edit,
        discussed_by=discussed.speaker if discussed else None,
        awaiting_patient=field.id in waiting,
        steps=steps,
        status=status,
        patient_copy=field.patient_copy,
    )


# --- re-evaluation ----------------------------------------------------------------------------


def _midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), tzinfo=dt.UTC)


def _field_date(field: FieldDraft | None) -> dt.date | None:
    """The date a `revision_due` field gives, if it holds one: its edit, else its most
    recent line in the plan."""
    if field is None:
        return None
    if field.edit is not None:
        raw: object = field.edit.text
    else:
        lines = sorted((line for line in field.lines if line.in_plan), key=lambda x: x.at)
        raw = lines[-1].value if lines else None
    if not isinstance(raw, str):
        return None
    try:
        return dt.date.fromisoformat(raw.strip())
    except ValueError:
        return None  # free text in a date field: the default applies


def _responsible(field: FieldDraft | None) -> str | None:
    shown = field.shown if field is not None else ()
    text = " / ".join(item.text.replace("\n", " ") for item in shown)
    return text[:500] or None


def _revision(state: SessionState, template: PlanTemplate, fields: tuple[FieldDraft, ...],
              today: dt.date) -> Revision:
    tid = template.id
    times = [event.at for event in state.effective_events]
    created = min(times) if times else _midnight(today)
    steps = {sid for f in fields for sid in f.steps}
    # What changes this draft: answers to its steps, its field edits and "discussed" marks,
    # and corrections or strikes of its lines.
    changes = [r.at for r in state.history if r.step in steps]
    for review in state.review_history:
        if (review.template == tid if isinstance(review, FieldEditRecord)
                else review.step in steps):
            changes.append(review.at)
    changes += [r.at for (t, _f), r in state.discussed.items() if t == tid]
    approval = state.approval(tid)
    last_change = max(changes, default=None)
    revised = [t for t in (last_change, approval.at if approval else None) if t is not None]
    by_id = {f.id: f for f in fields}

    field_due = _field_date(by_id.get(REVISION_FIELD))
    if approval is not None and approval.next_revision_due is not None:
        due, source = approval.next_revision_due, "approval"
    elif field_due is not None:
        due, source = field_due, "field"
    else:
        base = approval.at.date() if approval else created.date()
        due, source = add_months(base, REVISION_MONTHS), "default"
    responsible = (approval.responsible if approval and approval.responsible
                   else _responsible(by_id.get(RESPONSIBLE_FIELD)))
    return Revision(
        created=created,
        last_revised=max(revised, default=created),
        approved=approval.at if approval else None,
        approved_by=approval.speaker if approval else None,
        patient_present=approval.patient_present if approval else None,
        patient_confirmed=approval.patient_confirmed if approval else None,
        changed_since_approval=bool(approval and last_change and last_change > approval.at),
        next_revision_due=due,
        due_from=source,
        responsible=clean_text(responsible) if responsible else None,
        overdue=today > due,
    )


# --- the decision's SURE test -----------------------------------------------------------------


def _sure(state: SessionState) -> SureResult | None:
    """The SURE score (`assistant.engine.sure.sure_score`), with each item's question as the
    guide asks it."""
    score = sure_score(state)
    if score is None:
        return None
    default = state.guide.language
    items = tuple(
        SureItem(id=item, prompt=Label.of(state.step(item).step.prompt, default), answer=answer)
        for item, answer in score.items
    )
    return SureResult(score=score.score, asked=score.asked, items=items)


# --- sources ----------------------------------------------------------------------------------


def _sources(guide: Guide) -> tuple[Reference, ...]:
    """The guide's sources, then the instruments of the built-in steps it asks: what the
    chat's sources view lists (`assistant.tui.dialogs.sources`)."""
    own = [Reference(id=s.id, citation=clean_text(s.citation),
                     url=clean_text(s.url) if s.url else None) for s in guide.sources]
    builtin = [Reference(id=s.id, citation=clean_text(s.citation))
               for s in builtin_sources(guide)]
    return tuple(own + builtin)


# --- the draft --------------------------------------------------------------------------------


def build_draft(
    state: SessionState, template: PlanTemplate, *, today: dt.date,
    lang: Language | None = None,
) -> PlanDraft:
    """The plan draft `state` gives for `template`, as of `today`.

    Every field of the template, in the template's order, collects the lines of the steps
    that fill it (`fills`, the decision's built-in steps included: the chosen option's title,
    who decided, the next steps), in conversation order; only answers that count (their
    step is enabled) give lines. The review recorded in the state is applied: a field edit
    replaces the field's lines, a correction replaces a line's text, a struck line is kept
    but marked and left out of the plan. Required fields that show nothing are gaps, unless
    marked "discussed, nothing to add"; each gap lists the steps that could fill it. The
    decision's SURE score is kept beside it (`sure`), with the questions answered "no". Each
    line keeps the question it answers (`question`), and the draft what the conversation
    rests on (`sources`: the guide's, then the built-in steps' instruments).

    Args:
        state: the session's state (answers and review).
        template: any plan template; a template the guide does not fill gives only gaps.
        today: the day the draft is made; the default due date and `overdue` depend on it.
        lang: the language of the words in lines (yes/no, choice labels); default: the
            session's language. Field labels are kept in Danish and English.
    """
    lang = lang or state.language
    waiting = frozenset(state.awaiting_patient(template.id))
    fields = tuple(_field(state, template, f, lang, waiting) for f in template.fields)
    gaps = tuple(Gap(field=f.id, label=f.label, steps=f.steps)
                 for f in fields if f.status == "gap")
    guide = state.guide
    return PlanDraft(
        template=Ref(id=template.id, version=template.version,
                     title=Label.of(template.title, template.language)),
        guide=Ref(id=guide.id, version=guide.version, title=Label.of(guide.title, guide.language)),
        language=lang,
        today=today,
        fields=fields,
        gaps=gaps,
        revision=_revision(state, template, fields, today),
        participants=tuple(
            Participant(role=p.role, name=clean_text(p.name) if p.name else None)
            for p in state.participants
        ),
        awaiting_patient=tuple(f.id for f in fields if f.awaiting_patient),
        sure=_sure(state),
        audience=tuple(template.audience),
        sources=_sources(guide),
    )
