"""FHIR R4: the Questionnaire from the guide and the QuestionnaireResponse from the session."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.questionnaire import Questionnaire
from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse

from assistant.engine import Answer, Edit, LineCorrected, LineStruck, Session
from assistant.export import check_fhir, fhir_bundle, fhir_string, questionnaire
from assistant.export.fhir import MAX_STRING, SPEAKER_EXTENSION, questionnaire_response
from tests.engine.helpers import AID, MEETING, at, walk
from tests.plans.helpers import LIBRARY, TEMPLATE_IDS, full_draft

JSON = dict[str, Any]


def validate_bundle(bundle: JSON) -> None:
    """Both resources validate with the fhir.resources R4B models, alone and in the Bundle."""
    Bundle.model_validate(bundle)
    q, qr = (entry["resource"] for entry in bundle["entry"])
    Questionnaire.model_validate(q)
    QuestionnaireResponse.model_validate(qr)


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
