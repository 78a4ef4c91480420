"""FHIR R4: the Questionnaire from the guide and the QuestionnaireResponse from the session."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.questionnaire import Questionnaire
from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse

from assistant.engine import (
    AddParticipant,
    Answer,
    ApproveDraft,
    Edit,
    FieldDiscussed,
    FieldEdit,
    LineCorrected,
    LineStruck,
    Session,
)
from assistant.export import (
    check_fhir,
    fhir_bundle,
    fhir_string,
    plan_questionnaire,
    plan_response,
    questionnaire,
)
from assistant.export.fhir import (
    AWAITING_EXTENSION,
    FIELD_STATUS_EXTENSION,
    MAX_STRING,
    SPEAKER_EXTENSION,
    plan_url,
    questionnaire_response,
)
from assistant.plans import build_draft
from tests.engine.helpers import AID, MEETING, at, walk
from tests.plans.helpers import (
    LIBRARY,
    TEMPLATE_IDS,
    TEMPLATES,
    TODAY,
    answer_all,
    full_draft,
    synthetic_guide,
)

JSON = dict[str, Any]


def validate_bundle(bundle: JSON) -> None:
    """Every resource validates with the fhir.resources R4B models, alone and in the Bundle:
    the guide's Questionnaire and the session's response, and the plan's pair if there."""
    Bundle.model_validate(bundle)
    kinds = [entry["resource"]["resourceType"] for entry in bundle["entry"]]
    assert kinds in (["Questionnaire", "QuestionnaireResponse"],
                     ["Questionnaire", "QuestionnaireResponse"] * 2)
    models = {"Questionnaire": Questionnaire, "QuestionnaireResponse": QuestionnaireResponse}
    for entry in bundle["entry"]:
        models[entry["resource"]["resourceType"]].model_validate(entry["resource"])


def items_by_id(resource: JSON) -> dict[str, JSON]:
    out: dict[str, JSON] = {}

    def walk_items(items: list[JSON]) -> None:
        for item in items:
            out.setdefault(item["linkId"], item)
            walk_items(item.get("item", []))

    walk_items(resource.get("item", []))
    return out


# --- the Questionnaire ------------------------------------------------------------------------


def test_step_types_map_to_item_types() -> None:
    items = items_by_id(questionnaire(AID))
    kinds = {link: item["type"] for link, item in items.items()}
    assert kinds["welcome"] == "display" and "required" not in items["welcome"]
    assert kinds["information_level"] == "choice" and items["information_level"]["required"]
    options = items["information_level"]["answerOption"]
    assert [o["valueCoding"]["code"] for o in options] == ["a_little", "some", "everything"]
    assert options[0]["valueCoding"]["system"] == "urn:sdm-assistant:choices:test-aid:information_level"
    assert (kinds["hvad"], items["hvad"]["repeats"]) == ("choice", True)
    assert kinds["naerhed"] == "integer"
    assert [e["valueInteger"] for e in items["naerhed"]["extension"]] == [0, 10]
    assert kinds["bekymret"] == "boolean"
    assert (kinds["hoej"], items["hoej"]["maxLength"]) == ("string", 50)
    assert kinds["bekymring"] == "text"
    assert kinds["dato"] == "date"
    assert (kinds["hvem"], items["hvem"]["repeats"]) == ("group", True)
    assert [c["linkId"] for c in items["hvem"]["item"]] == [
        "hvem.name", "hvem.relation", "hvem.helps", "hvem.when", "hvem.contact"]
    assert kinds["opfoelgning"] == "group"
    assert [(c["linkId"], c["type"]) for c in items["opfoelgning"]["item"]] == [
        ("opfoelgning.what", "text"), ("opfoelgning.who", "string"), ("opfoelgning.by", "date")]


def test_conditions_become_enable_when() -> None:
    items = items_by_id(questionnaire(AID))
    assert items["bekymring"]["enableWhen"] == [
        {"question": "bekymret", "operator": "=", "answerBoolean": True}]
    assert items["bekymring_info"]["enableWhen"] == [
        {"question": "bekymring", "operator": "exists", "answerBoolean": True}]
    assert items["hvem"]["enableWhen"] == [{"question": "hvad", "operator": "!=", "answerCoding": {
        "system": "urn:sdm-assistant:choices:test-aid:hvad", "code": "intet"}}]
    assert items["hoej"]["enableBehavior"] == "any"
    assert items["hoej"]["enableWhen"][0] == {"question": "naerhed", "operator": ">=",
                                              "answerInteger": 8}


@pytest.mark.parametrize("guide_id", sorted(LIBRARY.guides))
def test_every_bundled_guide_gives_a_valid_questionnaire_and_response(guide_id: str) -> None:
    guide = LIBRARY.guides[guide_id].document
    session = Session(guide)  # type: ignore[arg-type]
    walk(session)
    for lang in ("da", "en"):
        bundle = fhir_bundle(session.state, lang=lang)  # type: ignore[arg-type]
        validate_bundle(bundle)
        q, qr = (e["resource"] for e in bundle["entry"])
        assert check_fhir(q, qr) == []
        assert qr["status"] == "completed"
        assert qr["questionnaire"] == f"{q['url']}|{q['version']}"


@pytest.mark.parametrize("template_id", TEMPLATE_IDS)
def test_synthetic_full_sessions_validate(template_id: str) -> None:
    _, session = full_draft(template_id)
    bundle = fhir_bundle(session.state)
    validate_bundle(bundle)
    assert check_fhir(*(e["resource"] for e in bundle["entry"])) == []
    assert fhir_bundle(session.state) == bundle  # deterministic


# --- the response -----------------------------------------------------------------------------


def test_answers_only_for_enabled_items_with_who_answered() -> None:
    session = Session(AID)
    session.apply(Answer(step="bekymret", value=True, speaker="patient", at=at(0)))
    session.apply(Answer(step="bekymring", value="Søvn", speaker="patient", at=at(1)))
    session.apply(Answer(step="hvad", value=["medicin"], speaker="relative", at=at(2)))
    session.apply(Answer(step="hvem", value=[{"name": "Mette"}, {"name": "Ole", "relation": "bror"}],
                         speaker="patient", at=at(3)))
    qr = questionnaire_response(session.state)
    assert [i["linkId"] for i in qr["item"]] == ["bekymret", "bekymring", "hvad", "hvem", "hvem"]
    assert qr["item"][2]["extension"] == [{"url": SPEAKER_EXTENSION, "valueCode": "relative"}]
    assert qr["item"][4]["item"] == [
        {"linkId": "hvem.name", "answer": [{"valueString": "Ole"}]},
        {"linkId": "hvem.relation", "answer": [{"valueString": "bror"}]}]
    assert qr["status"] == "in-progress"
    # An edit disables `bekymring`: its answer leaves the response.
    session.apply(Edit(step="bekymret", value=False, speaker="patient", at=at(4)))
    qr = questionnaire_response(session.state)
    assert "bekymring" not in [i["linkId"] for i in qr["item"]]
    assert check_fhir(questionnaire(AID), qr) == []


def test_the_review_is_honoured() -> None:
    session = Session(AID)
    session.apply(Answer(step="bekymret", value=True, speaker="patient", at=at(0)))
    session.apply(Answer(step="bekymring", value="Søvn", speaker="patient", at=at(1)))
    session.apply(Answer(step="naerhed", value=4, speaker="patient", at=at(2)))
    session.apply(LineCorrected(step="bekymring", text="At sove", speaker="patient", at=at(3)))
    session.apply(LineStruck(step="naerhed", speaker="patient", at=at(4)))
    session.apply(LineCorrected(step="bekymret", text="Lidt", speaker="patient", at=at(5)))
    qr = questionnaire_response(session.state)
    assert [(i["linkId"], i["answer"]) for i in qr["item"]] == [
        ("bekymring", [{"valueString": "At sove"}])]


def test_a_completed_session_missing_a_required_answer_is_in_progress() -> None:
    session = Session(MEETING)
    walk(session)
    assert questionnaire_response(session.state)["status"] == "completed"
    required = copy.deepcopy(questionnaire(MEETING))
    required["item"][1]["required"] = True
    struck = Session(MEETING, session.events)
    struck.apply(LineStruck(step="emne", speaker="patient", at=at(99)))
    qr = questionnaire_response(struck.state)
    assert qr["status"] == "completed"  # `emne` is not required in the guide
    assert check_fhir(required, qr) == ["required 'emne' is missing from a completed response"]


def test_the_checker_finds_what_is_wrong() -> None:
    session = Session(AID)
    session.apply(Answer(step="bekymret", value=False, speaker="patient", at=at(0)))
    q = questionnaire(AID)
    qr = questionnaire_response(session.state)
    bad = copy.deepcopy(qr)
    bad["item"].append({"linkId": "bekymring", "answer": [{"valueString": "x"}]})
    bad["item"].append({"linkId": "nope", "answer": [{"valueString": ""}]})
    bad["item"].append({"linkId": "naerhed", "answer": [{"valueString": "a\x01b"}]})
    problems = check_fhir(q, bad)
    assert "'bekymring' is answered but not enabled" in problems
    assert "'nope' is not an item of the questionnaire" in problems
    assert any("empty string" in p for p in problems)
    assert any("control character" in p for p in problems)
    assert "'naerhed': expected one valueInteger, got ['valueString']" in problems
    twice = copy.deepcopy(q)
    twice["item"].append(copy.deepcopy(twice["item"][1]))
    assert "linkId 'information_level' is not unique" in check_fhir(twice, qr)


def test_fhir_strings() -> None:
    assert fhir_string("  a\x1b[31mb\u00a0c\u2028d\x00 ") == "ab c d"
    assert fhir_string(" \x07 ") is None
    assert len(fhir_string("x" * (MAX_STRING + 10)) or "") == MAX_STRING


# --- the plan ---------------------------------------------------------------------------------


@pytest.mark.parametrize("template_id", TEMPLATE_IDS)
@pytest.mark.parametrize("lang", ["da", "en"])
def test_the_plan_is_a_questionnaire_and_response_from_the_draft(
    template_id: str, lang: str
) -> None:
    draft, session = full_draft(template_id)
    bundle = fhir_bundle(session.state, draft=draft, lang=lang)  # type: ignore[arg-type]
    validate_bundle(bundle)
    q, qr, plan_q, plan_qr = (e["resource"] for e in bundle["entry"])
    assert check_fhir(q, qr) == [] and check_fhir(plan_q, plan_qr) == []
    assert len({e["fullUrl"] for e in bundle["entry"]}) == 4
    assert plan_q["url"] == plan_url(template_id) == f"urn:sdm-assistant:plan:{template_id}"
    assert plan_qr["questionnaire"] == f"{plan_q['url']}|{draft.template.version}"
    assert (plan_q["language"], plan_qr["language"]) == (lang, lang)
    assert plan_qr["status"] == "in-progress"  # not approved
    items = items_by_id(plan_q)
    assert items["plan.facts"]["type"] == "group"
    assert "plan.facts.created" in items and "plan.facts.next_revision" in items
    # Every field, in the template's order, with its label, as repeating text.
    fields = [link for link in items if "." not in link]
    assert fields == [f.id for f in draft.fields]
    for field in draft.fields:
        item = items[field.id]
        assert item["text"] == field.label.get(lang)  # type: ignore[arg-type]
        assert (item["type"], item["repeats"]) == ("text", True)
        assert item.get("required", False) == field.required
    # Every line of the plan is an answer, with who said it.
    answers = items_by_id(plan_qr)
    for field in draft.fields:
        given = answers[field.id].get("answer", [])
        assert [a["valueString"] for a in given] == [fhir_string(x.text) for x in field.shown]
        assert [a["extension"][0] for a in given] == [
            {"url": SPEAKER_EXTENSION, "valueCode": x.speaker} for x in field.shown]
    assert fhir_bundle(session.state, draft=draft, lang=lang) == bundle  # type: ignore[arg-type]


def test_the_plan_response_says_what_is_missing_and_when_it_is_approved() -> None:
    plan = TEMPLATES["kriseplan"]
    session = answer_all(synthetic_guide(plan), plan, skip=["warning_signs", "triggers"])
    session.apply(FieldDiscussed(template="kriseplan", field="triggers", speaker="clinician",
                                 at=at(100)))
    draft = build_draft(session.state, plan, today=TODAY)
    items = items_by_id(plan_response(draft))
    assert items["warning_signs"] == {"linkId": "warning_signs", "extension": [
        {"url": FIELD_STATUS_EXTENSION, "valueCode": "gap"}]}
    assert items["triggers"]["extension"] == [
        {"url": FIELD_STATUS_EXTENSION, "valueCode": "discussed"}]
    session.apply(AddParticipant(role="clinician", at=at(101)))
    session.apply(Answer(step="warning_signs", value="Uro", speaker="patient", at=at(102)))
    session.apply(ApproveDraft(template="kriseplan", speaker="clinician", at=at(103)))
    draft = build_draft(session.state, plan, today=TODAY)
    q, qr = plan_questionnaire(draft), plan_response(draft)
    assert qr["status"] == "completed" and qr["authored"] == "2026-01-05T10:01:43Z"
    assert check_fhir(q, qr) == []
    facts = items_by_id(qr)
    assert facts["plan.facts.approved"]["answer"] == [
        {"valueString": "2026-01-05 af behandleren; patienten deltog ikke"}]


def test_the_checker_knows_the_plans_rules() -> None:
    draft, _ = full_draft("kriseplan")
    q, qr = plan_questionnaire(draft), plan_response(draft)
    bad = copy.deepcopy(qr)
    first = bad["item"][1]
    first["item"][0].pop("answer") if "item" in first else first.pop("answer")
    assert any("has no answer" in p for p in check_fhir(q, bad))
    both = copy.deepcopy(qr)
    target = both["item"][1]["item"][0] if "item" in both["item"][1] else both["item"][1]
    target["extension"] = [{"url": FIELD_STATUS_EXTENSION, "valueCode": "gap"}]
    assert any("has answers and a field status" in p for p in check_fhir(q, both))


def test_a_field_awaiting_the_patient_says_so() -> None:
    plan = TEMPLATES["kriseplan"]
    session = Session(synthetic_guide(plan))
    session.apply(Answer(step="warning_signs", value="Uro", speaker="patient", at=at(0)))
    session.apply(FieldEdit(template="kriseplan", field="warning_signs", text="Uro om natten",
                            speaker="clinician", at=at(1)))
    draft = build_draft(session.state, plan, today=TODAY)
    assert draft.awaiting_patient == ("warning_signs",)
    bundle = fhir_bundle(session.state, draft=draft)
    validate_bundle(bundle)
    item = items_by_id(bundle["entry"][3]["resource"])["warning_signs"]
    assert item["extension"] == [{"url": AWAITING_EXTENSION, "valueBoolean": True}]
    assert [a["valueString"] for a in item["answer"]] == ["Uro om natten"]
