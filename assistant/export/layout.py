"""What every plan export shows, in order, before any format is applied.

`plan_view(draft, lang)` decides the content once — the title, the re-evaluation facts, the
sections and fields in the template's order, who said each line, the gaps — so the text,
Markdown and HTML exports can differ only in how they write it. Strings here are plain text:
each format escapes all of them (user text and our own words alike).
"""

from __future__ import annotations

from dataclasses import dataclass

from assistant.export.words import day, speaker, word
from assistant.guides.models import Language
from assistant.plans.models import DraftLine, EditLine, FieldDraft, PlanDraft
from assistant.text import clean_text

__all__ = ["FieldView", "PlanView", "Said", "SectionView", "plan_view", "said_of"]


@dataclass(frozen=True)
class Said:
    """One line of the plan: who said it (the prefix), the words, and notes about them."""

    who: str
    text: str
    #: E.g. "corrected by the patient", or the patient's own words for a matched choice.
    notes: tuple[str, ...] = ()
    #: True for the patient's own words (the HTML export sets them apart).
    patient: bool = False


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


@dataclass(frozen=True)
class SectionView:
    """Fields under one heading (None: the template has no sections)."""

    title: str | None
    fields: tuple[FieldView, ...]


@dataclass(frozen=True)
class PlanView:
    """A whole plan as printed."""

    lang: Language
    title: str
    #: (label, value) pairs: the conversation, dates, approval, revision, participants.
    facts: tuple[tuple[str, str], ...]
    sections: tuple[SectionView, ...]
    gaps_title: str
    #: Labels of the gaps, in the template's order.
    gaps: tuple[str, ...]
    gaps_intro: str
    footer: str


def said_of(item: DraftLine | EditLine, lang: Language) -> Said:
    """A line (or a field's review edit) as printed, with its speaker's prefix."""
    notes: list[str] = []
    who = speaker(item.speaker, lang)
    if isinstance(item, DraftLine):
        if item.prepared:
            # "Patienten (forberedt med peer-medarbejder): ..." – the words are the patient's,
            # prepared before the meeting and accepted as they were.
            who += f" ({word('prepared', lang)})"
        if item.corrected:
            notes.append(word("corrected", lang))
        if item.verbatim and item.verbatim != item.text:
            notes.append(f"{word('own_words', lang)}: “{clean_text(item.verbatim)}”")
    return Said(who=who, text=clean_text(item.text),
                notes=tuple(notes), patient=item.voice == "patient")


def _field_view(field: FieldDraft, lang: Language) -> FieldView:
    said = tuple(said_of(item, lang) for item in field.shown)
    status = None
    if not said:
        key = {"gap": "gap", "discussed": "discussed"}.get(field.status, "empty")
        status = word(key, lang)
    return FieldView(
        id=field.id, label=field.label.get(lang), said=said, status=status,
        gap=field.status == "gap",
        warning=word("awaiting", lang) if field.awaiting_patient else None,
    )


def _facts(draft: PlanDraft, lang: Language) -> tuple[tuple[str, str], ...]:
    rev = draft.revision
    guide = f"{draft.guide.title.get(lang)} ({draft.guide.id} {draft.guide.version})"
    facts = [(word("conversation", lang), guide)]
    if draft.converted_from is not None:
        source = draft.converted_from.template
        facts.append((word("converted", lang), f"{source.title.get(lang)} ({source.id})"))
    facts += [(word("created", lang), day(rev.created)),
              (word("last_revised", lang), day(rev.last_revised))]
    if rev.approved is not None:
        approved = day(rev.approved)
        if rev.approved_by is not None:
            approved += f" {word('approved_by', lang)} {speaker(rev.approved_by, lang).lower()}"
        if rev.changed_since_approval:
            approved += f" ({word('changed_since', lang)})"
        facts.append((word("approved", lang), approved))
    else:
        facts.append((word("approved", lang), word("not_approved", lang)))
    due = day(rev.next_revision_due) + (f" ({word('overdue', lang)})" if rev.overdue else "")
    facts.append((word("next_revision", lang), due))
    facts.append((word("responsible", lang),
                  clean_text(rev.responsible) if rev.responsible else word("not_given", lang)))
    if draft.participants:
        people = ", ".join(
            speaker(p.role, lang) + (f" ({clean_text(p.name)})" if p.name else "")
            for p in draft.participants)
        facts.append((word("participants", lang), people))
    return tuple(facts)


def _sections(draft: PlanDraft, lang: Language) -> tuple[SectionView, ...]:
    any_section = any(f.section is not None for f in draft.fields)
    groups: list[tuple[str | None, list[FieldView]]] = []
    for field in draft.fields:
        title = field.section.get(lang) if field.section else (
            word("other", lang) if any_section else None)
        if not groups or groups[-1][0] != title:
            groups.append((title, []))
        groups[-1][1].append(_field_view(field, lang))
    return tuple(SectionView(title, tuple(fields)) for title, fields in groups)


def plan_view(draft: PlanDraft, lang: Language | None = None) -> PlanView:
    """Everything a plan export prints, in order. `lang` defaults to the draft's language."""
    lang = lang or draft.language
    gaps = tuple(g.label.get(lang) for g in draft.gaps)
    rev = draft.revision
    approved = rev.approved is not None and not rev.changed_since_approval
    return PlanView(
        lang=lang,
        # Until it is approved as it stands, the plan says it is a draft.
        title=draft.title(lang) if approved else f"{draft.title(lang)} – {word('draft', lang)}",
        facts=_facts(draft, lang),
        sections=_sections(draft, lang),
        gaps_title=word("gaps", lang),
        gaps=gaps,
        gaps_intro=word("gaps_intro", lang) if gaps else word("no_gaps", lang),
        footer=word("generated", lang),
    )
