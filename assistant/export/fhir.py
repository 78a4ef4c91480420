"""FHIR R4: the guide as a Questionnaire, the session as a QuestionnaireResponse.

The Questionnaire is generated from the guide's steps in conversation order (built-in steps
included); each item's `linkId` is the step id. Step types map to item types:

==========  =====================================================================
step        Questionnaire item
==========  =====================================================================
info        display
single      choice, `answerOption` as `valueCoding` (system: one per guide and step)
multi       choice, `repeats: true`
scale       integer (with the `minValue` and `maxValue` extensions)
yesno       boolean
text        string (`maxLength`)
longtext    text (`maxLength`)
date        date
people      group, `repeats: true`: name (required), relation, helps, when, contact
tasks       group, `repeats: true`: what (required), who (required), by (a date)
==========  =====================================================================

Conditions become `enableWhen` (same operators; the answer typed after the step they look
at; `exists` with a boolean), with `enableBehavior`.

The response holds only answers that count (their step is enabled) and honours the review:
a line the patient struck is left out; a corrected text answer carries the correction, and a
corrected answer of another kind is left out (its value is no longer what the patient
accepts, and the correction does not fit the item's type). Each answered item carries who
answered (`SPEAKER_EXTENSION`). Strings are never empty, at most 1,048,576 characters, and
hold no character below U+0020 except TAB, CR and LF.

Given the plan draft, the Bundle also holds **the plan**: `plan_questionnaire` and
`plan_response`, written from the same view of the draft as the text, Markdown and HTML
exports (`assistant.export.layout.plan_view`), so every export says the same thing. The
plan's Questionnaire has a group of facts about the plan (created, approved, next revision
...), then the template's fields in order (type `text`, repeating), under a group per section.
The response has one answer per line the plan prints: the words (a correction replaces the
original; a field's text written in the review stands for the field's lines; struck and
replaced lines are not there), with who said it (`SPEAKER_EXTENSION`) and, as the other
exports say in words, whether the patient prepared (`PREPARED_EXTENSION`) or corrected it
(`CORRECTED_EXTENSION`), the patient's own words (`OWN_WORDS_EXTENSION`) and whether it was
written in the review (`FIELD_EDIT_EXTENSION`). A field with nothing printed carries its status
(`FIELD_STATUS_EXTENSION`: `gap`, `empty` or `discussed`) and no answer; a field whose edit
awaits the patient's acceptance says so (`AWAITING_EXTENSION`). The decision's SURE
score (`SURE_EXTENSION`: score, asked, each unmet item, and the words the other exports print)
is on the decision's answer, or on the SURE fact when the decision is not in the plan; the
session's response carries it too. The plan's response is `completed` when the plan is
approved as it stands.

`check_fhir(questionnaire, response)` checks our own invariants (unique linkIds, answers
only to enabled items and of the item's type, required items in a completed response, the
string rules); the tests also validate both with the `fhir.resources` R4B models.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import uuid
from collections.abc import Mapping, Sequence
from typing import Any, assert_never

from assistant.catalogue import t
from assistant.engine.records import AnswerRecord
from assistant.engine.snapshot import iso
from assistant.engine.state import SessionState
from assistant.engine.sure import sure_score
from assistant.engine.values import Person, Task
from assistant.export.layout import Fact, FieldView, PlanView, Said, plan_view, sure_text
from assistant.export.words import word
from assistant.guides.flow import FlowStep, flow
from assistant.guides.models import (
    AnyStep,
    Condition,
    DateStep,
    Guide,
    InfoStep,
    Language,
    LongTextStep,
    MultiStep,
    PeopleStep,
    ScaleStep,
    SingleStep,
    TasksStep,
    TextStep,
    YesNoStep,
    free_text,
    several_answers,
    text_in,
)
from assistant.plans.models import PlanDraft, SureResult
from assistant.text import clean_text

__all__ = [
    "AWAITING_EXTENSION",
    "CORRECTED_EXTENSION",
    "FIELD_EDIT_EXTENSION",
    "FIELD_STATUS_EXTENSION",
    "MAX_STRING",
    "OWN_WORDS_EXTENSION",
    "PREPARED_EXTENSION",
    "SPEAKER_EXTENSION",
    "SURE_EXTENSION",
    "check_fhir",
    "choice_system",
    "fhir_bundle",
    "fhir_string",
    "item_type",
    "plan_questionnaire",
    "plan_response",
    "plan_url",
    "questionnaire",
    "questionnaire_response",
    "questionnaire_url",
]

#: FHIR's limit for a string's length (characters).
MAX_STRING = 1_048_576
#: Who answered an item: a code from our roles (`patient`, `clinician`, ...).
SPEAKER_EXTENSION = "urn:sdm-assistant:fhir:extension:speaker"
#: True on an answer that is the patient's, prepared with a peer worker before the meeting.
PREPARED_EXTENSION = "urn:sdm-assistant:fhir:extension:prepared"
#: True on a plan line the patient corrected (the answer is the correction).
CORRECTED_EXTENSION = "urn:sdm-assistant:fhir:extension:corrected"
#: The patient's own words, when free text was matched to a choice.
OWN_WORDS_EXTENSION = "urn:sdm-assistant:fhir:extension:own-words"
#: True on a plan field's text written in the review: it stands for the field's lines.
FIELD_EDIT_EXTENSION = "urn:sdm-assistant:fhir:extension:field-edit"
#: A plan field that prints nothing: `gap`, `empty` or `discussed` (nothing to add).
FIELD_STATUS_EXTENSION = "urn:sdm-assistant:fhir:extension:field-status"
#: True on a plan field whose edit awaits the patient's acceptance.
AWAITING_EXTENSION = "urn:sdm-assistant:fhir:extension:awaiting-patient"
#: The SURE test: `score` and `asked` (integers), an `unmet` code per item answered "no",
#: and `text`, the words the other exports print.
SURE_EXTENSION = "urn:sdm-assistant:fhir:extension:sure"
_MIN_VALUE = "http://hl7.org/fhir/StructureDefinition/minValue"
_MAX_VALUE = "http://hl7.org/fhir/StructureDefinition/maxValue"

JSON = dict[str, Any]

#: Children of the people and tasks groups: key, item type, required (their texts are the
#: catalogue's `fhir.person.KEY` and `fhir.task.KEY`).
_PERSON_ITEMS: tuple[tuple[str, str, bool], ...] = (
    ("name", "string", True),
    ("relation", "string", False),
    ("helps", "text", False),
    ("when", "string", False),
    ("contact", "string", False),
)
_TASK_ITEMS: tuple[tuple[str, str, bool], ...] = (
    ("what", "text", True),
    ("who", "string", True),
    ("by", "date", False),
)

# Whitespace other than space, TAB, CR and LF: FHIR strings allow only those (`[ \r\n\t\S]+`).
_ODD_SPACE = re.compile(r"[^\S \t\r\n]")
_BELOW_SPACE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


# --- names ------------------------------------------------------------------------------------


def questionnaire_url(guide: Guide) -> str:
    """The Questionnaire's canonical URL (a URN: the guide has no web address)."""
    return f"urn:sdm-assistant:questionnaire:{guide.id}"


def choice_system(guide: Guide, step_id: str) -> str:
    """The code system of a choice step's codes (the choice ids)."""
    return f"urn:sdm-assistant:choices:{guide.id}:{step_id}"


def _fhir_id(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9\-.]", "-", text)[:64] or "x"


def _fhir_name(text: str) -> str:
    name = "".join(part[:1].upper() + part[1:] for part in re.split(r"[-_]+", text) if part)
    name = re.sub(r"[^A-Za-z0-9_]", "", name)
    return name if name[:1].isalpha() and name[:1].isupper() else f"Guide{name}"


def fhir_string(text: str) -> str | None:
    """`text` as a valid FHIR string, or None when nothing is left (FHIR has no empty strings).

    Cleaned (`clean_text`), odd whitespace made a space, trimmed, at most `MAX_STRING`
    characters.
    """
    text = _BELOW_SPACE.sub("", _ODD_SPACE.sub(" ", clean_text(text))).strip()
    return text[:MAX_STRING].rstrip() or None


def _text(value: Any, lang: Language, default: Language) -> str:
    return fhir_string(text_in(value, lang, default)) or "–"


# --- the Questionnaire ------------------------------------------------------------------------


def item_type(step: AnyStep) -> str:
    """The Questionnaire item type `step` becomes (see the module docstring's table)."""
    match step:
        case InfoStep():
            return "display"
        case SingleStep() | MultiStep():
            return "choice"
        case ScaleStep():
            return "integer"
        case YesNoStep():
            return "boolean"
        case TextStep():
            return "string"
        case LongTextStep():
            return "text"
        case DateStep():
            return "date"
        case PeopleStep() | TasksStep():
            return "group"
        case _:
            assert_never(step)


def _coding(guide: Guide, step: SingleStep | MultiStep, choice_id: str, lang: Language) -> JSON:
    coding: JSON = {"system": choice_system(guide, step.id), "code": choice_id}
    for choice in step.choices:
        if choice.id == choice_id:
            coding["display"] = _text(choice.label, lang, guide.language)
    return coding


def _enable_when(guide: Guide, cond: Condition, steps: Mapping[str, AnyStep]) -> JSON:
    out: JSON = {"question": cond.question, "operator": cond.operator}
    target = steps.get(cond.question)
    # The answer is typed after the item it looks at.
    target_type = item_type(target) if target is not None else None
    answer = cond.answer
    if cond.operator == "exists" or isinstance(answer, bool):
        out["answerBoolean"] = answer if isinstance(answer, bool) else True
    elif target_type == "choice":
        out["answerCoding"] = {"system": choice_system(guide, cond.question),
                               "code": str(answer)}
    elif isinstance(answer, int):
        out["answerInteger"] = answer
    elif isinstance(answer, float):
        out["answerDecimal"] = answer
    elif target_type == "date":
        out["answerDate"] = str(answer)
    else:
        out["answerString"] = fhir_string(str(answer)) or "-"
    return out


def _children(sid: str, group: str, spec: Sequence[tuple[str, str, bool]],
              lang: Language) -> list[JSON]:
    items: list[JSON] = []
    for key, kind, required in spec:
        child: JSON = {"linkId": f"{sid}.{key}", "text": t(f"fhir.{group}.{key}", lang),
                       "type": kind}
        if required:
            child["required"] = True
        items.append(child)
    return items


def _q_item(guide: Guide, fs: FlowStep, steps: Mapping[str, AnyStep], lang: Language) -> JSON:
    step = fs.step
    kind = item_type(step)
    item: JSON = {"linkId": step.id, "text": _text(step.prompt, lang, guide.language),
                  "type": kind}
    if step.enable_when:
        item["enableWhen"] = [_enable_when(guide, c, steps) for c in step.enable_when]
        item["enableBehavior"] = step.enable_behavior
    if kind == "display":
        return item  # que-6: no required or repeats on display items
    if step.required:
        item["required"] = True
    match step:
        case SingleStep() | MultiStep():
            if several_answers(step):
                item["repeats"] = True
            item["answerOption"] = [{"valueCoding": _coding(guide, step, c.id, lang)}
                                    for c in step.choices]
        case ScaleStep():
            item["extension"] = [{"url": _MIN_VALUE, "valueInteger": step.min},
                                 {"url": _MAX_VALUE, "valueInteger": step.max}]
        case TextStep() | LongTextStep():
            item["maxLength"] = step.max_length
        case PeopleStep():
            item["repeats"] = True
            item["item"] = _children(step.id, "person", _PERSON_ITEMS, lang)
        case TasksStep():
            item["repeats"] = True
            item["item"] = _children(step.id, "task", _TASK_ITEMS, lang)
        case InfoStep() | YesNoStep() | DateStep():
            pass  # the item type says it all
        case _:
            assert_never(step)
    return item


def questionnaire(guide: Guide, *, lang: Language | None = None) -> JSON:
    """The guide as a FHIR R4 Questionnaire (JSON data); see the module docstring.

    `lang` chooses the language of the texts (default: the guide's language).
    """
    lang = lang or guide.language
    steps = flow(guide)
    by_id = {s.id: s.step for s in steps}
    return {
        "resourceType": "Questionnaire",
        "id": _fhir_id(guide.id),
        "language": lang,
        "url": questionnaire_url(guide),
        "version": guide.version,
        "name": _fhir_name(guide.id),
        "title": _text(guide.title, lang, guide.language),
        "status": "active",
        "date": guide.reviewed.isoformat(),
        "subjectType": ["Patient"],
        "item": [_q_item(guide, s, by_id, lang) for s in steps],
    }


# --- the QuestionnaireResponse ----------------------------------------------------------------


def _string_answer(text: str | None) -> list[JSON]:
    value = fhir_string(text) if text is not None else None
    return [{"valueString": value}] if value is not None else []


def _group_items(sid: str, entry: Person | Task,
                 spec: Sequence[tuple[str, str, bool]]) -> list[JSON]:
    items: list[JSON] = []
    for key, kind, _required in spec:
        raw = getattr(entry, key)
        if raw is None:
            continue
        answer = [{"valueDate": raw}] if kind == "date" else _string_answer(raw)
        if answer:
            items.append({"linkId": f"{sid}.{key}", "answer": answer})
    return items


def _answered(state: SessionState, fs: FlowStep, record: AnswerRecord,
              lang: Language) -> list[JSON]:
    """The response item(s) for one answer; [] when the answer is left out."""
    step, sid, value = fs.step, fs.id, record.value
    speaker: list[JSON] = [{"url": SPEAKER_EXTENSION, "valueCode": record.speaker}]
    if record.prepared:
        speaker.append({"url": PREPARED_EXTENSION, "valueBoolean": True})
    review = state.line_review(sid)
    if review is not None and review.kind == "struck":
        return []
    corrected = review.text if review is not None and review.kind == "corrected" else None
    if corrected is not None and not free_text(step):
        return []
    spec: Sequence[tuple[str, str, bool]] | None = None
    answers: list[JSON]
    match step:
        case SingleStep() | MultiStep():
            codes = value if isinstance(value, tuple) else (value,)
            answers = [{"valueCoding": _coding(state.guide, step, str(c), lang)}
                       for c in codes]
        case DateStep() if isinstance(value, str):
            answers = [{"valueDate": value}]
        case PeopleStep():
            spec, answers = _PERSON_ITEMS, _plain_answers(value, corrected)
        case TasksStep():
            spec, answers = _TASK_ITEMS, _plain_answers(value, corrected)
        case (InfoStep() | ScaleStep() | YesNoStep() | TextStep() | LongTextStep()
              | DateStep()):
            answers = _plain_answers(value, corrected)
        case _:
            assert_never(step)
    if spec is not None and isinstance(value, tuple):
        groups = []
        for entry in value:
            if isinstance(entry, (Person, Task)):
                children = _group_items(sid, entry, spec)
                if children:
                    groups.append({"linkId": sid, "extension": speaker, "item": children})
        return groups
    if not answers:
        return []
    return [{"linkId": sid, "extension": speaker, "answer": answers}]


def _plain_answers(value: object, corrected: str | None) -> list[JSON]:
    """An answer typed by the value's own shape: yes/no, a whole number or text."""
    if isinstance(value, bool):
        return [{"valueBoolean": value}]
    if isinstance(value, int):
        return [{"valueInteger": value}]
    if isinstance(value, str):
        return _string_answer(corrected if corrected is not None else value)
    return []


def _authored(state: SessionState) -> dt.datetime | None:
    return max((e.at for e in state.effective_events), default=None)


def questionnaire_response(state: SessionState, *, lang: Language | None = None) -> JSON:
    """The session as a FHIR R4 QuestionnaireResponse (JSON data) to `questionnaire`.

    Only enabled steps' answers, after the review (see the module docstring). `status` is
    `completed` when the conversation is finished and every required item it asked has an
    answer in the response, else `in-progress`. `lang` chooses the language of choice
    displays (default: the session's language).
    """
    lang = lang or state.language
    items: list[JSON] = []
    missing_required = False
    for fs in state.steps:
        record = state.answers.get(fs.id)
        found = _answered(state, fs, record, lang) if record is not None else []
        items += found
        if (not found and fs.step.required and item_type(fs.step) != "display"
                and fs.id in state.enabled_ids):
            missing_required = True
    guide = state.guide
    out: JSON = {
        "resourceType": "QuestionnaireResponse",
        "language": lang,
        "questionnaire": f"{questionnaire_url(guide)}|{guide.version}",
        "status": "completed" if state.finished and not missing_required else "in-progress",
    }
    authored = _authored(state)
    if authored is not None:
        out["authored"] = iso(authored)
    score = sure_score(state)
    if score is not None:
        out["extension"] = [_sure_extension(score.score, score.asked, score.unmet)]
    if items:
        out["item"] = items
    return out


def fhir_bundle(state: SessionState, *, draft: PlanDraft | None = None,
                lang: Language | None = None) -> JSON:
    """A FHIR `collection` Bundle with the guide's Questionnaire and the session's response,
    and, given the session's plan `draft`, the plan's Questionnaire and response.

    Entry URLs are UUID URNs derived from the guide and the resources' content, so the same
    session always gives the same Bundle.
    """
    q = questionnaire(state.guide, lang=lang or state.language)
    qr = questionnaire_response(state, lang=lang)
    q_uuid = uuid.uuid5(uuid.NAMESPACE_URL, f"{q['url']}|{q['version']}|{q['language']}")
    qr_uuid = uuid.uuid5(q_uuid, repr(sorted(qr.items())))
    bundle: JSON = {"resourceType": "Bundle", "type": "collection"}
    if "authored" in qr:
        bundle["timestamp"] = qr["authored"]
    bundle["entry"] = [{"fullUrl": f"urn:uuid:{q_uuid}", "resource": q},
                       {"fullUrl": f"urn:uuid:{qr_uuid}", "resource": qr}]
    if draft is not None:
        view = plan_view(draft, lang)
        pq, pqr = plan_questionnaire(draft, view), plan_response(draft, view)
        pq_uuid = uuid.uuid5(uuid.NAMESPACE_URL, json.dumps(pq, sort_keys=True))
        pqr_uuid = uuid.uuid5(pq_uuid, json.dumps(pqr, sort_keys=True))
        bundle["entry"] += [{"fullUrl": f"urn:uuid:{pq_uuid}", "resource": pq},
                            {"fullUrl": f"urn:uuid:{pqr_uuid}", "resource": pqr}]
    return bundle


# --- the plan ---------------------------------------------------------------------------------

_FACTS = "plan.facts"


def plan_url(template_id: str) -> str:
    """The plan Questionnaire's canonical URL (a URN, like the guide's)."""
    return f"urn:sdm-assistant:plan:{template_id}"


def _sure_extension(score: int, asked: int, unmet: Sequence[str],
                    text: str | None = None) -> JSON:
    parts: list[JSON] = [{"url": "score", "valueInteger": score},
                         {"url": "asked", "valueInteger": asked}]
    parts += [{"url": "unmet", "valueCode": item} for item in unmet]
    shown = fhir_string(text) if text is not None else None
    if shown is not None:
        parts.append({"url": "text", "valueString": shown})
    return {"url": SURE_EXTENSION, "extension": parts}


def _plan_sure(sure: SureResult, lang: Language) -> JSON:
    return _sure_extension(sure.score, sure.asked, [i.id for i in sure.unmet],
                           sure_text(sure, lang))


def _sections_of(view: PlanView) -> list[tuple[str | None, str | None, tuple[FieldView, ...]]]:
    """(linkId, title, fields) of each section; no linkId for fields outside any section.
    Field ids never hold a dot, so the plan's own linkIds cannot collide with them."""
    return [(None if s.title is None else f"plan.section.{n}", s.title, s.fields)
            for n, s in enumerate(view.sections, start=1)]


def _plan_field_item(field: FieldView) -> JSON:
    item: JSON = {"linkId": field.id, "text": fhir_string(field.label) or field.id,
                  "type": "text", "repeats": True}
    if field.required:
        item["required"] = True
    return item


def plan_questionnaire(draft: PlanDraft, view: PlanView | None = None) -> JSON:
    """The plan's template as a FHIR R4 Questionnaire, in the view's language: the facts
    about the plan (strings), then each field (`text`, repeating), grouped by section."""
    view = view or plan_view(draft)
    template = draft.template
    items: list[JSON] = [{
        "linkId": _FACTS, "text": word("about", view.lang), "type": "group",
        "item": [{"linkId": f"{_FACTS}.{fact.key}", "text": fhir_string(fact.label) or fact.key,
                  "type": "string"} for fact in view.facts],
    }]
    for link, title, fields in _sections_of(view):
        children = [_plan_field_item(f) for f in fields]
        if link is None:
            items += children
        else:
            items.append({"linkId": link, "text": fhir_string(title or "") or link,
                          "type": "group", "item": children})
    return {
        "resourceType": "Questionnaire",
        "id": _fhir_id(f"plan-{template.id}"),
        "language": view.lang,
        "url": plan_url(template.id),
        "version": template.version,
        "name": _fhir_name(f"plan-{template.id}"),
        "title": fhir_string(template.title.get(view.lang)) or template.id,
        "status": "active",
        "subjectType": ["Patient"],
        "item": items,
    }


def _said_answer(said: Said, lang: Language) -> JSON | None:
    text = fhir_string(said.text)
    if text is None:
        return None
    extension: list[JSON] = [{"url": SPEAKER_EXTENSION, "valueCode": said.role}]
    if said.prepared:
        extension.append({"url": PREPARED_EXTENSION, "valueBoolean": True})
    if said.corrected:
        extension.append({"url": CORRECTED_EXTENSION, "valueBoolean": True})
    own = fhir_string(said.own_words) if said.own_words else None
    if own is not None:
        extension.append({"url": OWN_WORDS_EXTENSION, "valueString": own})
    if said.edit:
        extension.append({"url": FIELD_EDIT_EXTENSION, "valueBoolean": True})
    if said.sure is not None:
        extension.append(_plan_sure(said.sure, lang))
    return {"extension": extension, "valueString": text}


def _plan_field_answer(field: FieldView, lang: Language) -> JSON:
    answers = [a for said in field.said if (a := _said_answer(said, lang)) is not None]
    item: JSON = {"linkId": field.id}
    extension: list[JSON] = []
    if not answers:
        extension.append({"url": FIELD_STATUS_EXTENSION, "valueCode": field.state})
    if field.warning:
        extension.append({"url": AWAITING_EXTENSION, "valueBoolean": True})
    if extension:
        item["extension"] = extension
    if answers:
        item["answer"] = answers
    return item


def _fact_item(fact: Fact, draft: PlanDraft, lang: Language) -> JSON | None:
    value = fhir_string(fact.value)
    if value is None:
        return None
    answer: JSON = {"valueString": value}
    if fact.key == "sure" and draft.sure is not None:
        answer = {"extension": [_plan_sure(draft.sure, lang)], **answer}
    return {"linkId": f"{_FACTS}.{fact.key}", "answer": [answer]}


def plan_response(draft: PlanDraft, view: PlanView | None = None) -> JSON:
    """The plan draft as a FHIR R4 QuestionnaireResponse to `plan_questionnaire`: what the
    other exports print, as data (see the module docstring)."""
    view = view or plan_view(draft)
    lang = view.lang
    facts = [f for fact in view.facts if (f := _fact_item(fact, draft, lang)) is not None]
    items: list[JSON] = [{"linkId": _FACTS, "item": facts}] if facts else []
    for link, _title, fields in _sections_of(view):
        children = [_plan_field_answer(f, lang) for f in fields]
        if link is None:
            items += children
        else:
            items.append({"linkId": link, "item": children})
    template = draft.template
    return {
        "resourceType": "QuestionnaireResponse",
        "language": lang,
        "questionnaire": f"{plan_url(template.id)}|{template.version}",
        "status": "completed" if view.approved else "in-progress",
        "authored": iso(draft.revision.last_revised),
        "item": items,
    }


# --- our own checks ---------------------------------------------------------------------------

_VALUE_KEYS = {"choice": "valueCoding", "boolean": "valueBoolean", "integer": "valueInteger",
               "decimal": "valueDecimal", "date": "valueDate", "string": "valueString",
               "text": "valueString"}


def _index(items: Sequence[JSON], parent: str | None, out: dict[str, tuple[JSON, str | None]],
           problems: list[str]) -> None:
    for item in items:
        link = item.get("linkId")
        if not isinstance(link, str) or not link:
            problems.append("an item has no linkId")
            continue
        if link in out:
            problems.append(f"linkId '{link}' is not unique")
        out[link] = (item, parent)
        kind = item.get("type")
        children = item.get("item", [])
        if kind == "group" and not children:
            problems.append(f"group '{link}' has no items (que-1)")
        if kind == "display" and (children or "required" in item or "repeats" in item):
            problems.append(f"display '{link}' has items, required or repeats (que-1, que-6)")
        when = item.get("enableWhen", [])
        if len(when) > 1 and "enableBehavior" not in item:
            problems.append(f"'{link}' has several enableWhen but no enableBehavior (que-12)")
        for cond in when:
            if cond.get("operator") == "exists" and "answerBoolean" not in cond:
                problems.append(f"'{link}': an 'exists' condition needs answerBoolean (que-7)")
        _index(children, link, out, problems)


def _strings(value: Any, where: str, problems: list[str]) -> None:
    if isinstance(value, str):
        if not value:
            problems.append(f"{where}: empty string")
        elif len(value) > MAX_STRING:
            problems.append(f"{where}: string longer than {MAX_STRING} characters")
        elif _BELOW_SPACE.search(value):
            problems.append(f"{where}: control character in a string")
    elif isinstance(value, list):
        for v in value:
            _strings(v, where, problems)
    elif isinstance(value, dict):
        for key, v in value.items():
            _strings(v, f"{where}.{key}", problems)


def _value_keys(answer: JSON) -> list[str]:
    return [key for key in answer if key.startswith("value")]


def _values(answers: Mapping[str, list[JSON]], link: str) -> list[Any]:
    return [a[keys[0]] for a in answers.get(link, []) if (keys := _value_keys(a))]


def _holds(cond: JSON, answers: Mapping[str, list[JSON]]) -> bool:
    """One enableWhen, evaluated FHIR-style on the response's top-level answers."""
    values = _values(answers, cond["question"])
    op = cond["operator"]
    expected = next(v for k, v in cond.items() if k.startswith("answer"))
    if op == "exists":
        return bool(values) == bool(expected)
    if not values:
        return False

    def same(v: Any) -> bool:
        if isinstance(v, dict) and isinstance(expected, dict):
            return bool(v.get("code") == expected.get("code")
                        and v.get("system") == expected.get("system"))
        return bool(v == expected)

    if op == "=":
        return any(same(v) for v in values)
    if op == "!=":
        return not any(same(v) for v in values)
    def kind(v: Any) -> str:
        if isinstance(v, (bool, dict)):
            return "other"
        return "number" if isinstance(v, (int, float)) else type(v).__name__

    comparable = [v for v in values if kind(v) == kind(expected) != "other"]
    checks = {">": lambda a: a > expected, "<": lambda a: a < expected,
              ">=": lambda a: a >= expected, "<=": lambda a: a <= expected}
    return any(checks[op](v) for v in comparable)


def check_fhir(questionnaire: JSON, response: JSON) -> list[str]:
    """Our own checks of a Questionnaire and a response to it; [] when all hold.

    Unique linkIds and the que-1, que-6, que-7 and que-12 invariants; every response item
    known and at the right level; answers of the item's type (codes among its options);
    one answer and one occurrence for items that do not repeat; every item answered, but
    a plan field that says its status (`FIELD_STATUS_EXTENSION`) instead; answers only to
    enabled items; required items present in a `completed` response; the FHIR string rules.
    """
    problems: list[str] = []
    index: dict[str, tuple[JSON, str | None]] = {}
    _index(questionnaire.get("item", []), None, index, problems)
    _strings(questionnaire, "Questionnaire", problems)
    _strings(response, "QuestionnaireResponse", problems)

    top = response.get("item", [])
    answers: dict[str, list[JSON]] = {}
    seen: dict[str, int] = {}
    for item in top:
        link = item.get("linkId", "")
        seen[link] = seen.get(link, 0) + 1
        answers.setdefault(link, []).extend(item.get("answer", []))
        _check_item(item, None, index, problems)
    for link, count in seen.items():
        q_item = index.get(link, ({}, None))[0]
        if count > 1 and not (q_item.get("type") == "group" and q_item.get("repeats")):
            problems.append(f"'{link}' occurs {count} times but is not a repeating group")
    for link, (q_item, parent) in index.items():
        if parent is not None:
            continue
        when = q_item.get("enableWhen", [])
        if when and link in seen:
            results = [_holds(c, answers) for c in when]
            on = all(results) if q_item.get("enableBehavior", "all") == "all" else any(results)
            if not on:
                problems.append(f"'{link}' is answered but not enabled")
    if response.get("status") == "completed":
        for link, (q_item, parent) in index.items():
            if parent is None and q_item.get("required") and link not in seen:
                when = q_item.get("enableWhen", [])
                results = [_holds(c, answers) for c in when]
                on = (not when or (all(results) if q_item.get("enableBehavior", "all") == "all"
                                   else any(results)))
                if on:
                    problems.append(f"required '{link}' is missing from a completed response")
    return problems


def _check_item(item: JSON, parent: str | None, index: Mapping[str, tuple[JSON, str | None]],
                problems: list[str]) -> None:
    link = item.get("linkId", "")
    if link not in index:
        problems.append(f"'{link}' is not an item of the questionnaire")
        return
    q_item, q_parent = index[link]
    if q_parent != parent:
        problems.append(f"'{link}' is at the wrong level")
    kind = q_item.get("type")
    given = item.get("answer", [])
    if kind in ("group", "display") and given:
        problems.append(f"'{link}' is a {kind}: it takes no answer")
    if kind == "group":
        if not item.get("item"):
            problems.append(f"group '{link}' has no items")
        for child in item.get("item", []):
            _check_item(child, link, index, problems)
        return
    status = [e for e in item.get("extension", []) if e.get("url") == FIELD_STATUS_EXTENSION]
    if kind != "display" and not given and not status:
        problems.append(f"'{link}' has no answer")
    if status and given:
        problems.append(f"'{link}' has answers and a field status")
    if len(given) > 1 and not q_item.get("repeats"):
        problems.append(f"'{link}' has several answers but does not repeat")
    key = _VALUE_KEYS.get(str(kind))
    options = [o.get("valueCoding", {}).get("code") for o in q_item.get("answerOption", [])]
    for answer in given:
        if _value_keys(answer) != [key] or not set(answer) <= {key, "extension"}:
            problems.append(f"'{link}': expected one {key}, got {sorted(answer)}")
        elif key == "valueCoding" and answer[key].get("code") not in options:
            problems.append(f"'{link}': code not among the answer options")
