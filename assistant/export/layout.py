"""What every plan export shows, in order, before any format is applied.

`plan_view(draft, lang)` decides the content once — the title, the re-evaluation facts, the
sections and fields in the template's order, who said each line, the decision's SURE score,
the gaps — so the text, Markdown, HTML and FHIR exports can differ only in how they write it.
Strings here are plain text: each format escapes all of them (user text and our own words
alike).
"""

from __future__ import annotations

from dataclasses import dataclass

from assistant.export.words import day, speaker, word
from assistant.guides.models import Language, Role
from assistant.guides.step_ids import CHOICE
from assistant.plans.models import (
    DraftLine,
    EditLine,
    FieldDraft,
    FieldStatus,
    PlanDraft,
    SureResult,
)
from assistant.text import clean_text

__all__ = [
    "Fact",
    "FieldView",
    "PlanView",
    "Said",
    "SectionView",
    "plan_view",
    "said_of",
    "sure_text",
]


@dataclass(frozen=True)
class Said:
    """One line of the plan: who said it (the prefix), the words, and notes about them.

    `notes` are the words every format prints after the line; the other fields say the same
    as data, for formats that carry it so (FHIR).
    """

    who: str
    text: str
    #: E.g. "corrected by the patient", or the patient's own words for a matched choice.
    notes: tuple[str, ...] = ()
    #: True for the patient's own words (the HTML export sets them apart).
    patient: bool = False
    #: The speaker's role.
    role: Role = "other"
    #: The patient's words prepared with the peer worker, accepted as they were.
    prepared: bool = False
    #: The patient corrected the words (`text` is the correction).
    corrected: bool = False
    #: The patient's own words when free text was matched to a choice.
    own_words: str | None = None
    #: The decision's SURE test, on the decision's line.
    sure: SureResult | None = None
    #: True for a field's text written in the review (a field edit).
    edit: bool = False


@dataclass(frozen=True)
class FieldView:
    """A field as printed: its label, its lines, and a note when it has none."""

    id: str
    label: str
    said: tuple[Said, ...]
    #: "missing", "not filled in" or "discussed, nothing to add" when `said` is empty.
    status: str | None
    gap: bool
    #: Shown when someone else's edit awaits the patient's acceptance.
    warning: str | None = None
    #: The field's status as data (`filled`, `gap`, `discussed`, `empty`).
    state: FieldStatus = "filled"
    required: bool = False


@dataclass(frozen=True)
class SectionView:
    """Fields under one heading (None: the template has no sections)."""

    title: str | None
    fields: tuple[FieldView, ...]


@dataclass(frozen=True)
class Fact:
    """One fact about the plan: `key` says which (`created`, `approved`, `sure` ...)."""

    key: str
    label: str
    value: str


@dataclass(frozen=True)
class PlanView:
    """A whole plan as printed."""

    lang: Language
    title: str
    #: The conversation, dates, approval, revision, participants (and the SURE score when
    #: the decision's line is not in the plan).
    facts: tuple[Fact, ...]
    sections: tuple[SectionView, ...]
    gaps_title: str
    #: Labels of the gaps, in the template's order.
    gaps: tuple[str, ...]
    gaps_intro: str
    footer: str
    #: True when the plan is approved as it stands (else the title says it is a draft).
    approved: bool = False


def _sure_value(sure: SureResult, lang: Language) -> str:
    score = f"{sure.score}/{sure.asked}"
    unmet = "; ".join(clean_text(item.prompt.get(lang)) for item in sure.unmet)
    return f"{score} — {word('sure_unmet', lang)}: {unmet}" if unmet else score


def sure_text(sure: SureResult, lang: Language) -> str:
    """ "SURE: 4/4", or "SURE: 3/4 — ikke opfyldt: <each question answered no>"."""
    return f"{word('sure', lang)}: {_sure_value(sure, lang)}"


def said_of(item: DraftLine | EditLine, lang: Language,
            sure: SureResult | None = None) -> Said:
    """A line (or a field's review edit) as printed, with its speaker's prefix. `sure` is
    shown beside the decision's line."""
    notes: list[str] = []
    who = speaker(item.speaker, lang)
    if not isinstance(item, DraftLine):
        return Said(who=who, text=clean_text(item.text), patient=item.voice == "patient",
                    role=item.speaker, edit=True)
    if item.prepared:
        # "Patienten (forberedt med peer-medarbejder): ..." – the words are the patient's,
        # prepared before the meeting and accepted as they were.
        who += f" ({word('prepared', lang)})"
    if item.corrected:
        notes.append(word("corrected", lang))
    own_words = None
    if item.verbatim and item.verbatim != item.text:
        own_words = clean_text(item.verbatim)
        notes.append(f"{word('own_words', lang)}: “{own_words}”")
    # The decision's line carries the SURE score beside it.
    sure = sure if item.step == CHOICE else None
    if sure is not None:
        notes.append(sure_text(sure, lang))
    return Said(who=who, text=clean_text(item.text), notes=tuple(notes),
                patient=item.voice == "patient", role=item.speaker, prepared=item.prepared,
                corrected=item.corrected, own_words=own_words, sure=sure)


def _field_view(field: FieldDraft, lang: Language, sure: SureResult | None) -> FieldView:
    said = tuple(said_of(item, lang, sure) for item in field.shown)
    status = None
    if not said:
        key = {"gap": "gap", "discussed": "discussed"}.get(field.status, "empty")
        status = word(key, lang)
    return FieldView(
        id=field.id, label=field.label.get(lang), said=said, status=status,
        gap=field.status == "gap",
        warning=word("awaiting", lang) if field.awaiting_patient else None,
        state=field.status, required=field.required,
    )


def _facts(draft: PlanDraft, lang: Language, sure_shown: bool) -> tuple[Fact, ...]:
    rev = draft.revision
    guide = f"{draft.guide.title.get(lang)} ({draft.guide.id} {draft.guide.version})"
    facts = [("conversation", guide)]
    if draft.converted_from is not None:
        source = draft.converted_from.template
        facts.append(("converted", f"{source.title.get(lang)} ({source.id})"))
    facts += [("created", day(rev.created)), ("last_revised", day(rev.last_revised))]
    if rev.approved is not None:
        approved = day(rev.approved)
        if rev.approved_by is not None:
            approved += f" {word('approved_by', lang)} {speaker(rev.approved_by, lang).lower()}"
        # Both roles are on record: the patient's own confirmation, or that the patient
        # did not take part.
        if rev.patient_confirmed is not None:
            approved += f"; {word('patient_confirmed', lang)} {day(rev.patient_confirmed)}"
        elif rev.patient_present is False:
            approved += f"; {word('patient_absent', lang)}"
        if rev.changed_since_approval:
            approved += f" ({word('changed_since', lang)})"
        facts.append(("approved", approved))
    else:
        facts.append(("approved", word("not_approved", lang)))
    due = day(rev.next_revision_due) + (f" ({word('overdue', lang)})" if rev.overdue else "")
    facts.append(("next_revision", due))
    facts.append(("responsible",
                  clean_text(rev.responsible) if rev.responsible else word("not_given", lang)))
    if draft.participants:
        people = ", ".join(
            speaker(p.role, lang) + (f" ({clean_text(p.name)})" if p.name else "")
            for p in draft.participants)
        facts.append(("participants", people))
    if draft.sure is not None and not sure_shown:
        # The decision's line is not in this plan (another plan holds it, or it was struck
        # or replaced): the score is still told, among the facts.
        facts.append(("sure", _sure_value(draft.sure, lang)))
    return tuple(Fact(key, word(key, lang), value) for key, value in facts)


def _sections(draft: PlanDraft, lang: Language) -> tuple[SectionView, ...]:
    any_section = any(f.section is not None for f in draft.fields)
    groups: list[tuple[str | None, list[FieldView]]] = []
    for field in draft.fields:
        title = field.section.get(lang) if field.section else (
            word("other", lang) if any_section else None)
        if not groups or groups[-1][0] != title:
            groups.append((title, []))
        groups[-1][1].append(_field_view(field, lang, draft.sure))
    return tuple(SectionView(title, tuple(fields)) for title, fields in groups)


def plan_view(draft: PlanDraft, lang: Language | None = None) -> PlanView:
    """Everything a plan export prints, in order. `lang` defaults to the draft's language.

    Made of `draft.as_exported()`, the rule every export follows (the JSON export writes
    that draft itself): struck and replaced lines, and the words a correction replaced, are
    not in it.
    """
    draft = draft.as_exported()
    lang = lang or draft.language
    gaps = tuple(g.label.get(lang) for g in draft.gaps)
    rev = draft.revision
    approved = rev.approved is not None and not rev.changed_since_approval
    sections = _sections(draft, lang)
    sure_shown = any(said.sure is not None
                     for section in sections for field in section.fields for said in field.said)
    return PlanView(
        lang=lang,
        # Until it is approved as it stands, the plan says it is a draft.
        title=draft.title(lang) if approved else f"{draft.title(lang)} – {word('draft', lang)}",
        facts=_facts(draft, lang, sure_shown),
        sections=sections,
        gaps_title=word("gaps", lang),
        gaps=gaps,
        gaps_intro=word("gaps_intro", lang) if gaps else word("no_gaps", lang),
        footer=word("generated", lang),
        approved=approved,
    )
