"""Conversion at 18: the youth plan (tryghedsplan) carried over into a discharge agreement (UA).

When a young person moves to adult psychiatry, a network meeting turns the Trygheds- og
forebyggelsesplan into a UA or KP (LKT Tvang, indicator BU4). The basic fields share their ids
with the UA (`docs/plan-field-ids.md`); a few youth fields have an adult counterpart under
another id (`YOUTH_TO_UA`); a few are never carried (`NOT_CARRIED`). Everything carried over
keeps its lines: who said it, in which step, when, and the patient's corrections.
"""

from __future__ import annotations

import datetime as dt

from assistant.guides.models import PlanTemplate
from assistant.plans.draft import REVISION_MONTHS, add_months
from assistant.plans.models import (
    Conversion,
    DraftLine,
    EditLine,
    FieldDraft,
    FieldStatus,
    Gap,
    Label,
    PlanDraft,
    Ref,
    Revision,
)

__all__ = ["NOT_CARRIED", "YOUTH_TO_UA", "convert_youth_plan"]

#: Youth fields whose content belongs in a UA field of another id. Fields with the same id
#: in both templates are carried over as they are.
YOUTH_TO_UA: dict[str, str] = {
    "young_person_wishes": "patient_wishes",
    "personal_statement": "patient_wishes",
    "who_can_help": "network",
    "near_term_plan": "responsibilities",
    # What the adults around the young person learnt about coercion must not be lost at 18
    # (issue 17, item 4): the holding history beside the debriefings, as the adult network
    # meeting records it; prevented self-harm among what staff must watch for; what helps
    # beside de-escalation. "What does not help" has the same id in the UA.
    "held_history": "debriefing",
    "self_harm_prevented": "attention_points",
    "what_helps": "deescalation",
}

#: Youth fields never carried over, even where the UA has a field of the same id.
#: Consent to share given by the parents lapses at 18: the young adult is asked again
#: (issue 17, item 4). Whether the plan helps is asked again about the new plan.
NOT_CARRIED: frozenset[str] = frozenset({"info_sharing", "plan_helpfulness"})


def _status(required: bool, shown: bool) -> FieldStatus:
    if shown:
        return "filled"
    return "gap" if required else "empty"


def convert_youth_plan(
    draft: PlanDraft, ua_template: PlanTemplate, *, today: dt.date | None = None
) -> tuple[PlanDraft, tuple[str, ...]]:
    """Carry a youth plan draft over into a draft of `ua_template`.

    Each UA field takes, in order, the lines (and the review edit, as a line of its own) of
    the youth field with the same id and of the youth fields mapped to it in `YOUTH_TO_UA`.
    Only what the youth plan prints is carried over: struck and replaced lines stay behind,
    and so do the fields in `NOT_CARRIED` (the consent to share is asked again at 18).
    "Discussed, nothing to add" marks are not carried over: the adult plan is talked through
    anew. The new draft is not approved; it is due `REVISION_MONTHS` after `today`
    (default: the youth draft's day).

    Returns:
        The UA draft, and the ids of the UA's required fields that are still empty and must
        be added (the same as its gaps), in the template's order.
    """
    today = today or draft.today
    sources: dict[str, list[str]] = {}
    for youth in draft.fields:
        if youth.id in NOT_CARRIED:
            continue
        target = youth.id if ua_template.field(youth.id) else YOUTH_TO_UA.get(youth.id)
        if target is not None and ua_template.field(target) is not None:
            sources.setdefault(target, []).append(youth.id)

    carried: dict[str, str] = {}
    fields: list[FieldDraft] = []
    default = ua_template.language
    for field in ua_template.fields:
        lines: list[DraftLine] = []
        steps: list[str] = []
        for source_id in sources.get(field.id, []):
            found = draft.field(source_id)
            assert found is not None
            youth = found
            steps += youth.steps
            moved = [line for line in youth.lines if line.in_plan]
            if youth.edit is not None:
                moved = [_edit_as_line(youth.edit, source_id, youth.label)]
            if moved:
                carried[source_id] = field.id
            lines += moved
        fields.append(FieldDraft(
            id=field.id, label=Label.of(field.label, default), type=field.type,
            required=field.required, section=Label.maybe(field.section, default),
            help=Label.maybe(field.help, default),
            legal_basis=Label.maybe(field.legal_basis, default), lines=tuple(lines),
            steps=tuple(dict.fromkeys(steps)),
            status=_status(field.required, bool(lines)),
        ))
    gaps = tuple(Gap(field=f.id, label=f.label, steps=f.steps)
                 for f in fields if f.status == "gap")
    now = dt.datetime.combine(today, dt.time(), tzinfo=dt.UTC)
    converted = PlanDraft(
        template=Ref(id=ua_template.id, version=ua_template.version,
                     title=Label.of(ua_template.title, default)),
        guide=draft.guide,
        language=draft.language,
        today=today,
        fields=tuple(fields),
        gaps=gaps,
        revision=Revision(
            created=now, last_revised=now,
            next_revision_due=add_months(today, REVISION_MONTHS), due_from="default",
            responsible=draft.revision.responsible,
        ),
        participants=draft.participants,
        converted_from=Conversion(template=draft.template, fields=carried),
        audience=tuple(ua_template.audience),
        sources=draft.sources,
    )
    return converted, tuple(g.field for g in gaps)


def _edit_as_line(edit: EditLine, source_field: str, label: Label) -> DraftLine:
    """A youth field's review edit, carried over as a line. It has no step of its own:
    `review:FIELD` (the youth field's id) stands in, which no step id can look like; what
    it answers is the youth field (`label`)."""
    return DraftLine(step=f"review:{source_field}", text=edit.text, speaker=edit.speaker,
                     voice=edit.voice, at=edit.at, question=label)
