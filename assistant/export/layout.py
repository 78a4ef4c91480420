"""What every plan export shows, in order, before any format is applied.

`plan_view(draft, lang)` decides the content once — the title, the re-evaluation facts, the
sections and fields in the template's order, who said each line, the decision's SURE score,
the gaps — so the text, Markdown, HTML and FHIR exports can differ only in how they write it.
Strings here are plain text: each format escapes all of them (user text and our own words
alike).

`plan_view(draft, lang, copy=...)` makes one of the two papers (docs/plans-and-exports.md):

* `"record"`, the health-record copy: every required field ("ikke udfyldt" for a required
  field still empty), optional fields only when they hold something; each line says who said
  it and what it answers: the field's label above it, and where a field holds the answers of
  several questions, the question before the speaker ("„Hvilken medicin har hjulpet dig?“ –
  Patienten: ..."); the decision's lines say what they are ("Beslutning (truffet sammen):
  ...", who decided folded in wherever the plan holds that answer); list answers (several
  choices, people, tasks) as items; dates as 15.12.2026 (Danish) or 15 December 2026
  (English); the gaps, then the sources ("Kilder") listed at the end.
* `"patient"`, the patient's copy: only fields with something in them and meant for the
  patient (a template's `patient_copy: false` marks clinical-only fields such as a risk
  score); the patient's own words without a prefix, everyone else's with theirs; no gap
  markers, no SURE score, no internal ids or versions, no sources; when the plan is looked
  at again and whom to contact.

Without `copy` the view is the complete one the FHIR export carries (every field with its
status, ISO dates, the guide's id and version).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass

from pydantic import ValidationError

from assistant import catalogue
from assistant.engine.values import Person
from assistant.export.formats import Copy
from assistant.export.words import day, iso_text_day, local_day, speaker, word
from assistant.guides.models import Language, PlanFieldType, Role
from assistant.guides.step_ids import CHOICE, DECIDED_BY, NEXT_STEPS
from assistant.plans.models import (
    DraftLine,
    EditLine,
    FieldDraft,
    FieldStatus,
    PlanDraft,
    SureResult,
)
from assistant.text import clean_text
from assistant.wording import person_text, youth

__all__ = [
    "Fact",
    "FieldView",
    "PlanView",
    "Said",
    "SectionView",
    "SourceView",
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
    #: A list answer (several choices, people, tasks) as its items, one a line, for the
    #: copies; empty for any other answer (then `text` is printed). `text` holds the same.
    items: tuple[str, ...] = ()


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
class SourceView:
    """One source at the end of the record's copy: the citation, and its address if any
    (both author text: printed as text, never as a link)."""

    citation: str
    url: str | None = None


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
    #: Which paper this is (None: the complete view, for FHIR).
    copy: Copy | None = None
    #: What the conversation rests on (the guide's sources, the built-in steps'
    #: instruments), listed after the gaps; empty on the patient's copy.
    sources_title: str = ""
    sources: tuple[SourceView, ...] = ()

    @property
    def show_gaps(self) -> bool:
        """True when the paper lists the gaps at its end (never on the patient's copy)."""
        return self.copy != "patient"

    @property
    def show_sources(self) -> bool:
        """True when the paper lists its sources at its end (never the patient's copy)."""
        return self.copy != "patient" and bool(self.sources)


def _sure_value(sure: SureResult, lang: Language) -> str:
    score = f"{sure.score}/{sure.asked}"
    unmet = "; ".join(clean_text(item.prompt.get(lang)) for item in sure.unmet)
    return f"{score} — {word('sure_unmet', lang)}: {unmet}" if unmet else score


def sure_text(sure: SureResult, lang: Language) -> str:
    """ "SURE: 4/4", or "SURE: 3/4 — ikke opfyldt: <each question answered no>"."""
    return f"{word('sure', lang)}: {_sure_value(sure, lang)}"


#: The ids of the decided-by step's choices (guides/flow.py), and the words for each.
_DECIDED = {"shared": "decided_shared", "patient": "decided_patient",
            "clinician": "decided_clinician"}
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _task_item(task: Mapping[str, object], lang: Language) -> str | None:
    """One task of a tasks answer (JSON data) in words, its date as people write it."""
    what, who, by = (task.get(key) for key in ("what", "who", "by"))
    if not isinstance(what, str):
        return None
    when = None
    if isinstance(by, str) and by:
        when = f"{catalogue.t('answer.by', lang)} {_local(by, lang)}"
    return " — ".join(p for p in (what, who if isinstance(who, str) else None, when) if p)


def _local(text: str, lang: Language) -> str:
    return iso_text_day(text, lang) if _ISO_DATE.fullmatch(text.strip()) else text


def _date_answer(item: DraftLine | EditLine) -> bool:
    """True for a line that is a date step's answer as given (an ISO date, not corrected)."""
    return (isinstance(item, DraftLine) and isinstance(item.value, str)
            and item.text == item.value and _ISO_DATE.fullmatch(item.value.strip()) is not None)


def _person_item(person: Mapping[str, object]) -> str | None:
    """One person of a people answer (JSON data), as `wording.person_text` writes it."""
    try:
        return person_text(Person.model_validate(person))
    except ValidationError:
        return None


def _items(item: DraftLine, lang: Language) -> tuple[str, ...]:
    """A list answer's items, one each (a person, a task, a choice); () for any other
    answer, or a corrected one (its words are the patient's own, as written)."""
    values = item.value
    if not isinstance(values, list) or not values:
        return ()
    made: list[str | None] = []
    if all(isinstance(v, dict) and "what" in v for v in values):
        made = [_task_item(v, lang) for v in values if isinstance(v, dict)]
    elif all(isinstance(v, dict) and "name" in v for v in values):
        made = [_person_item(v) for v in values if isinstance(v, dict)]
    elif all(isinstance(v, str) for v in values):
        # Several choices: the draft's text has their labels one a line.
        lines = [line for line in item.text.splitlines() if line.strip()]
        made = list(lines) if len(lines) == len(values) else []
    if not made or not all(made):
        return ()
    return tuple(clean_text(str(text)) for text in made)


def _lower_first(text: str) -> str:
    """The first letter lowered, for a speaker inside a parenthesis ("patienten"); an
    abbreviation stays as it is ("GP")."""
    if len(text) > 1 and text[1].isupper():
        return text
    return text[:1].lower() + text[1:]


def _short_question(text: str) -> str:
    """A step's prompt as a line's context: its first question ("Hvilken medicin har
    hjulpet dig?" of "Hvilken medicin har hjulpet dig? Skriv navnet, hvis du kender det."),
    else its first sentence, on one line and at most `_QUESTION_MAX` characters."""
    text = " ".join(clean_text(text).split())
    sentences = [s for s in _SENTENCE.split(text) if s]
    if not sentences:
        return text
    chosen = next((s for s in sentences if s.endswith("?")), sentences[0])
    if len(chosen) > _QUESTION_MAX:
        cut = chosen[:_QUESTION_MAX - 1].rsplit(" ", 1)[0].rstrip(" ,;:–-")
        chosen = f"{cut}…"
    return chosen


#: A sentence ends at . ? or ! before a space; a prompt's context is kept this short.
_SENTENCE = re.compile(r"(?<=[.?!])\s+")
_QUESTION_MAX = 100


def _who(item: DraftLine | EditLine, lang: Language, copy: Copy | None,
         decided: str | None, young: bool = False, asked: bool = False) -> str:
    """Who said it, and on the papers what the line is: for the decision's own lines
    ("Beslutning (truffet sammen)", "Næste skridt (patienten)"), and on the record with
    `asked` the question the line answers ("„Hvilken medicin har hjulpet dig?“ –
    Patienten"). On the patient's copy the patient's own words stand without a prefix.
    The record says too when the patient's words were prepared with the peer worker."""
    who = speaker(item.speaker, lang, young=young)
    line = item if isinstance(item, DraftLine) else None
    # "Patienten (forberedt med peer-medarbejder): ..." – the words are the patient's,
    # prepared before the meeting and accepted as they were.
    prepared = line is not None and line.prepared and copy != "patient"
    if copy is None:
        return f"{who} ({word('prepared', lang)})" if prepared else who
    qualified = _lower_first(who) + (f", {word('prepared', lang)}" if prepared else "")
    context = {CHOICE: "decision", DECIDED_BY: "who_decided", NEXT_STEPS: "next_steps"}
    if line is not None and line.step in context:
        head = word(context[line.step], lang)
        if line.step == CHOICE and decided is not None:
            return f"{head} ({word(_DECIDED[decided], lang)})"
        return head if copy == "patient" else f"{head} ({qualified})"
    if copy == "patient" and item.voice == "patient":
        return ""
    plain = f"{who} ({word('prepared', lang)})" if prepared else who
    if copy == "record" and asked and line is not None and line.question is not None:
        question = _short_question(line.question.get(lang))
        return word("asked", lang).format(question=question, who=plain)
    return plain


def said_of(item: DraftLine | EditLine, lang: Language,
            sure: SureResult | None = None, *, copy: Copy | None = None,
            decided: str | None = None, kind: PlanFieldType | None = None,
            young: bool = False, asked: bool = False) -> Said:
    """A line (or a field's review edit) as printed, with its speaker's prefix. `sure` is
    shown beside the decision's line.

    For a copy (`copy`), the prefix also says what a decision's line is (`decided`: the
    decided-by step's answer folded into it), a list answer comes as its items, and a date
    field's ISO date (`kind` "date") as people write it; the patient's copy leaves out the
    notes but the patient's own words, and the SURE score. `young`: a plan for children and
    young people ("Den unge: ..."). `asked`: on the record, the prefix names the question
    the line answers (a field that holds the answers of several questions).
    """
    notes: list[str] = []
    who = _who(item, lang, copy, decided, young, asked)
    text = clean_text(item.text)
    # A date answer filling a text field (the date of the debriefing) is written as people
    # write dates too, not only a date field.
    if copy is not None and (kind == "date" or _date_answer(item)):
        text = _local(text, lang)
    if not isinstance(item, DraftLine):
        return Said(who=who, text=text, patient=item.voice == "patient",
                    role=item.speaker, edit=True)
    items = _items(item, lang) if copy is not None else ()
    patient_copy = copy == "patient"
    if item.corrected and not patient_copy:
        notes.append(word("corrected", lang))
    own_words = None
    if item.verbatim and item.verbatim != item.text:
        own_words = clean_text(item.verbatim)
        notes.append(f"{word('own_words', lang)}: “{own_words}”")
    # The decision's line carries the SURE score beside it (a clinical measure: not on the
    # patient's copy).
    sure = sure if item.step == CHOICE else None
    if sure is not None and not patient_copy:
        notes.append(sure_text(sure, lang))
    return Said(who=who, text=text, notes=tuple(notes),
                patient=item.voice == "patient", role=item.speaker, prepared=item.prepared,
                corrected=item.corrected, own_words=own_words, sure=sure, items=items)


def _decided(fields: tuple[FieldDraft, ...]) -> str | None:
    """Who decided (the decided-by step's choice id), when the paper prints both the
    decision's line and the decided-by step's answer (in the same field or not), so the
    decision's line can say both ("Beslutning (truffet sammen): ..."). Any decision aid: the
    built-in steps are the same in every one."""
    lines = {item.step: item for field in fields for item in field.shown
             if isinstance(item, DraftLine)}
    line = lines.get(DECIDED_BY)
    if CHOICE in lines and line is not None and isinstance(line.value, str) \
            and line.value in _DECIDED:
        return line.value
    return None


def _folded(shown: tuple[DraftLine | EditLine, ...],
            decided: str | None) -> tuple[DraftLine | EditLine, ...]:
    """A field's lines without the decided-by step's line once the decision's line says
    who decided; kept where it is the field's only line (the field would print empty)."""
    if decided is None:
        return shown
    rest = tuple(i for i in shown if not (isinstance(i, DraftLine) and i.step == DECIDED_BY))
    return rest or shown


def _in_copy(field: FieldDraft, copy: Copy | None) -> bool:
    """Whether the paper prints the field: the record every required field and any with
    something in it; the patient's copy only filled fields meant for the patient."""
    if copy == "patient":
        return field.patient_copy and field.status == "filled"
    if copy == "record":
        return field.required or field.status != "empty"
    return True


def _field_view(field: FieldDraft, lang: Language, sure: SureResult | None,
                copy: Copy | None = None, young: bool = False,
                decided: str | None = None) -> FieldView:
    shown = _folded(field.shown, decided) if copy is not None else field.shown
    # One line: the field's label says what it answers. Several (the answers of several
    # questions): on the record each says its question too.
    asked = len(shown) > 1
    said = tuple(said_of(item, lang, sure, copy=copy, decided=decided, kind=field.type,
                         young=young, asked=asked)
                 for item in shown)
    status = None
    if not said:
        key = {"gap": "gap", "discussed": "discussed"}.get(field.status, "empty")
        # The record says "ikke udfyldt" for a required field still empty: a fact, not an
        # alarm (the gaps are listed at the end).
        status = word("empty" if copy == "record" and key == "gap" else key, lang)
    return FieldView(
        id=field.id, label=field.label.get(lang), said=said, status=status,
        gap=field.status == "gap" and copy is None,
        warning=word("awaiting", lang) if field.awaiting_patient else None,
        state=field.status, required=field.required,
    )


def _patient_facts(draft: PlanDraft, lang: Language) -> tuple[Fact, ...]:
    """The patient's copy: when it was made, when it is looked at again, whom to contact,
    who took part. No ids, versions, approval details or scores."""
    rev = draft.revision
    made = rev.approved if rev.approved is not None else rev.last_revised
    facts = [("plan_made", local_day(made, lang)),
             ("review_by", local_day(rev.next_revision_due, lang))]
    if rev.responsible:
        facts.append(("contact", clean_text(rev.responsible)))
    if draft.participants:
        facts.append(("participants", _people(draft, lang)))
    return tuple(Fact(key, word(key, lang), value) for key, value in facts)


def _people(draft: PlanDraft, lang: Language) -> str:
    young = youth(draft.audience)
    return ", ".join(speaker(p.role, lang, young=young)
                     + (f" ({clean_text(p.name)})" if p.name else "")
                     for p in draft.participants)


def _facts(draft: PlanDraft, lang: Language, sure_shown: bool,
           copy: Copy | None = None) -> tuple[Fact, ...]:
    if copy == "patient":
        return _patient_facts(draft, lang)
    rev = draft.revision

    def day_of(moment: dt.date | dt.datetime) -> str:
        return day(moment) if copy is None else local_day(moment, lang)

    if copy is None:
        guide = f"{draft.guide.title.get(lang)} ({draft.guide.id} {draft.guide.version})"
    else:  # the record: the guide's version, not its internal id
        guide = f"{draft.guide.title.get(lang)} ({word('version', lang)} {draft.guide.version})"
    facts = [("conversation", guide)]
    if draft.converted_from is not None:
        source = draft.converted_from.template
        facts.append(("converted", source.title.get(lang) if copy is not None
                      else f"{source.title.get(lang)} ({source.id})"))
    facts += [("created", day_of(rev.created)), ("last_revised", day_of(rev.last_revised))]
    if rev.approved is not None:
        approved = day_of(rev.approved)
        if rev.approved_by is not None:
            approved += (f" {word('approved_by', lang)} "
                         f"{speaker(rev.approved_by, lang, young=youth(draft.audience)).lower()}")
        # Both roles are on record: the patient's own confirmation, or that the patient
        # did not take part.
        if rev.patient_confirmed is not None:
            approved += f"; {word('patient_confirmed', lang)} {day_of(rev.patient_confirmed)}"
        elif rev.patient_present is False:
            approved += f"; {word('patient_absent', lang)}"
        if rev.changed_since_approval:
            approved += f" ({word('changed_since', lang)})"
        facts.append(("approved", approved))
    else:
        facts.append(("approved", word("not_approved", lang)))
    due = day_of(rev.next_revision_due) + (f" ({word('overdue', lang)})" if rev.overdue else "")
    facts.append(("next_revision", due))
    facts.append(("responsible",
                  clean_text(rev.responsible) if rev.responsible else word("not_given", lang)))
    if draft.participants:
        facts.append(("participants", _people(draft, lang)))
    if draft.sure is not None and not sure_shown:
        # The decision's line is not in this plan (another plan holds it, or it was struck
        # or replaced): the score is still told, among the facts.
        facts.append(("sure", _sure_value(draft.sure, lang)))
    return tuple(Fact(key, word(key, lang), value) for key, value in facts)


def _sections(draft: PlanDraft, lang: Language,
              copy: Copy | None = None) -> tuple[SectionView, ...]:
    any_section = any(f.section is not None for f in draft.fields)
    printed = tuple(field for field in draft.fields if _in_copy(field, copy))
    decided = _decided(printed) if copy is not None else None
    groups: list[tuple[str | None, list[FieldView]]] = []
    for field in draft.fields:
        title = field.section.get(lang) if field.section else (
            word("other", lang) if any_section else None)
        if not groups or groups[-1][0] != title:
            groups.append((title, []))
        if _in_copy(field, copy):
            groups[-1][1].append(_field_view(field, lang, draft.sure, copy,
                                             youth(draft.audience), decided))
    # A section with nothing the paper prints is left out with its heading.
    return tuple(SectionView(title, tuple(fields)) for title, fields in groups
                 if fields or copy is None)


def plan_view(draft: PlanDraft, lang: Language | None = None,
              copy: Copy | None = None) -> PlanView:
    """Everything a plan export prints, in order. `lang` defaults to the draft's language;
    `copy` chooses the paper ("record" or "patient", see the module docstring; None: the
    complete view).

    Made of `draft.as_exported()`, the rule every export follows (the JSON export writes
    that draft itself): struck and replaced lines, and the words a correction replaced, are
    not in it.
    """
    draft = draft.as_exported()
    lang = lang or draft.language
    gaps = tuple(g.label.get(lang) for g in draft.gaps)
    rev = draft.revision
    approved = rev.approved is not None and not rev.changed_since_approval
    sections = _sections(draft, lang, copy)
    sure_shown = any(said.sure is not None
                     for section in sections for field in section.fields for said in field.said)
    return PlanView(
        lang=lang,
        # Until it is approved as it stands, the plan says it is a draft.
        title=draft.title(lang) if approved else f"{draft.title(lang)} – {word('draft', lang)}",
        facts=_facts(draft, lang, sure_shown, copy),
        sections=sections,
        gaps_title=word("gaps", lang),
        gaps=gaps if copy != "patient" else (),
        gaps_intro=word("gaps_intro", lang) if gaps else word("no_gaps", lang),
        # The patient's copy ends with the plan: no line about the tool that made it.
        footer=word("generated", lang) if copy != "patient" else "",
        approved=approved,
        copy=copy,
        sources_title=word("sources", lang),
        # The patient's copy speaks in plain words: its sources are on the record's.
        sources=() if copy == "patient" else tuple(
            SourceView(clean_text(s.citation), clean_text(s.url) if s.url else None)
            for s in draft.sources),
    )
