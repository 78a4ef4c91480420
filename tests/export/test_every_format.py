"""Every export says the same thing (issue 12, items 7 and 9).

One network meeting, built with engine events: the patient's prepared words accepted, a line
corrected (a text answer and a list of people), a line struck, a field written in the review
and a field marked "discussed". And one decision with its SURE test. Every format in the
export registry (`formats.names()`) — a new one is covered as soon as it is registered —
carries the corrected words, the review text, the "discussed" mark, the prepared words attributed to the patient and the
SURE score beside the decision, and none carries the struck words or the words a correction
replaced.

How a format is read: HTML and Markdown as a browser or renderer shows them, JSON and FHIR
decoded (FHIR's answers are its `valueString`s), any other text format as plain text, and a
binary format by its reader in `READERS` (bytes to the words a reader sees).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from assistant.engine import (
    Answer,
    FieldDiscussed,
    FieldEdit,
    LineCorrected,
    LineStruck,
    Prepared,
    Seen,
    Session,
    Skip,
)
from assistant.engine.state import SessionState
from assistant.export import check_fhir, load_json
from assistant.export.fhir import (
    CORRECTED_EXTENSION,
    FIELD_EDIT_EXTENSION,
    FIELD_STATUS_EXTENSION,
    PREPARED_EXTENSION,
    SPEAKER_EXTENSION,
    SURE_EXTENSION,
)
from assistant.export.formats import get, names, render
from assistant.guides.models import Language
from assistant.plans import PlanDraft, build_draft
from tests.plans.helpers import LIBRARY, T0, TEMPLATES, TODAY

from .inspect import md_text, parse_html, squash
from .test_fhir import validate_bundle

JSON = dict[str, Any]

# Canaries: one word each, so no wrapping can split them.
PREPARED_WORDS = "Jeg vil selv ringe til min mor, kanariefugl-forberedt-5b1e."
ORIGINAL = "kanariefugl-oprindelig-2c7d"
CORRECTED = "kanariefugl-rettet-9a4f"
ORIGINAL_PERSON = "kanariefugl-oprindelig-person-8f0c"
CORRECTED_PEOPLE = "kanariefugl-rettet-kreds-6d1b"
STRUCK = "kanariefugl-overstreget-7e3b"
REVIEW = "kanariefugl-gennemgang-4d2a"
DISCUSSED_FIELD = "partner_involvement"


def at(minute: int) -> dt.datetime:
    return T0 + dt.timedelta(minutes=minute)


# --- what an export says ----------------------------------------------------------------------


def strings(data: Any) -> Iterator[str]:
    """Every string in decoded JSON, keys too."""
    if isinstance(data, str):
        yield data
    elif isinstance(data, list):
        for value in data:
            yield from strings(value)
    elif isinstance(data, dict):
        for key, value in data.items():
            yield key
            yield from strings(value)


def value_strings(data: Any) -> Iterator[str]:
    """Every `valueString` in decoded FHIR JSON: the answers and what extensions say."""
    if isinstance(data, list):
        for value in data:
            yield from value_strings(value)
    elif isinstance(data, dict):
        for key, value in data.items():
            if key == "valueString":
                yield value
            else:
                yield from value_strings(value)


#: How to read a binary format's bytes as text: one entry per binary format registered.
READERS: dict[str, Callable[[bytes], str]] = {}


def rendered(fmt: str, draft: PlanDraft, state: SessionState, *,
             lang: Language | None = None) -> str:
    """The export in format `fmt` as text: a text format's bytes decoded, a binary one's
    read by its entry in `READERS`. A format that makes papers makes the health-record
    copy here, the one that must say everything (the patient's: test_copies.py)."""
    copy = "record" if "record" in get(fmt).copies else None
    data = render(fmt, draft, state, lang=lang, copy=copy)
    if not get(fmt).binary:
        return data.decode("utf-8")
    if fmt not in READERS:
        pytest.fail(f"the binary format '{fmt}' needs a reader in READERS")
    return READERS[fmt](data)


def said(fmt: str, out: str) -> str:
    """What the export says in words, whitespace collapsed."""
    if fmt == "html":
        return squash(parse_html(out).text)
    if fmt == "md":
        return squash(md_text(out))
    if fmt == "fhir":
        return squash("\n".join(value_strings(json.loads(out))))
    if fmt == "json":
        return squash("\n".join(strings(json.loads(out))))
    return squash(out)


def everything(fmt: str, out: str) -> str:
    """Every character of the export, and every string in it decoded (nothing escaped away)."""
    decoded = "\n".join(strings(json.loads(out))) if fmt in ("json", "fhir") else ""
    return "\n".join([out, said(fmt, out), decoded])


def plan_items(bundle: JSON) -> dict[str, JSON]:
    """The plan response's items by linkId (groups opened)."""
    (response,) = [e["resource"] for e in bundle["entry"]
                   if e["resource"]["resourceType"] == "QuestionnaireResponse"
                   and e["resource"]["questionnaire"].startswith("urn:sdm-assistant:plan:")]
    out: dict[str, JSON] = {}

    def walk(items: list[JSON]) -> None:
        for item in items:
            out[item["linkId"]] = item
            walk(item.get("item", []))

    walk(response["item"])
    return out


def extensions(element: JSON) -> dict[str, Any]:
    return {e["url"]: e.get("valueBoolean", e.get("valueCode", e.get("valueString", e)))
            for e in element.get("extension", [])}


def answer_with(items: dict[str, JSON], field: str, words: str) -> JSON:
    (answer,) = [a for a in items[field].get("answer", []) if words in a["valueString"]]
    return answer


# --- the meeting ------------------------------------------------------------------------------

NETWORK = LIBRARY.guides["netvaerksmoede"].document
ANSWERS: dict[str, Any] = {
    "det-vil-jeg-sige": f"Det vil jeg sige: {ORIGINAL}",
    "hjaelp-til": f"Hjælp til: {STRUCK}",
    "kredsen": [{"name": ORIGINAL_PERSON, "relation": "ven"}],
}


def meeting() -> tuple[PlanDraft, SessionState]:
    session = Session(NETWORK)
    session.apply(Prepared(step="om-mig", value=PREPARED_WORDS, source_session="prep-1",
                           source_step="personlig-udtalelse",
                           prepared_at=dt.datetime(2026, 1, 2, 14, 0, tzinfo=dt.UTC), at=at(0)))
    minute = 1
    while (current := session.state.current) is not None:
        sid = current.id
        if current.step.type == "info":
            session.apply(Seen(step=sid, at=at(minute)))
        elif sid in session.state.prepared:  # accepted as it was
            session.apply(Answer(step=sid, value=session.state.prepared[sid].value,
                                 speaker="patient", at=at(minute), prepared=True))
        elif sid in ANSWERS:
            session.apply(Answer(step=sid, value=ANSWERS[sid], speaker="patient",
                                 at=at(minute)))
        else:
            session.apply(Skip(step=sid, speaker="clinician", at=at(minute)))
        minute += 1
    # The review.
    session.apply(LineCorrected(step="det-vil-jeg-sige", text=f"Det vil jeg sige: {CORRECTED}",
                                speaker="patient", at=at(60)))
    session.apply(LineCorrected(step="kredsen", text=f"Kredsen: {CORRECTED_PEOPLE}",
                                speaker="patient", at=at(61)))
    session.apply(LineStruck(step="hjaelp-til", speaker="patient", at=at(62)))
    session.apply(FieldEdit(template="ua", field="needs_social", text=f"Bolig: {REVIEW}",
                            speaker="clinician", at=at(63)))
    session.apply(FieldDiscussed(template="ua", field=DISCUSSED_FIELD, speaker="clinician",
                                 at=at(64)))
    state = session.state
    return build_draft(state, TEMPLATES["ua"], today=TODAY), state


@pytest.fixture(scope="module")
def reviewed() -> tuple[PlanDraft, SessionState]:
    return meeting()


def test_the_scenario_is_what_the_draft_says(reviewed: tuple[PlanDraft, SessionState]) -> None:
    draft, _ = reviewed
    wishes = draft.field("patient_wishes")
    assert wishes is not None
    by_step = {line.step: line for line in wishes.lines}
    assert by_step["om-mig"].prepared and by_step["om-mig"].text == PREPARED_WORDS
    assert by_step["det-vil-jeg-sige"].corrected and by_step["hjaelp-til"].struck
    circle = draft.field("participant_circle")
    assert circle is not None and circle.lines[0].corrected
    social, discussed = draft.field("needs_social"), draft.field(DISCUSSED_FIELD)
    assert social is not None and social.edit is not None and social.status == "filled"
    assert discussed is not None and discussed.status == "discussed"


@pytest.mark.parametrize("fmt", names())
def test_every_format_has_the_corrected_and_review_words_and_not_the_struck(
    fmt: str, reviewed: tuple[PlanDraft, SessionState]
) -> None:
    draft, state = reviewed
    out = rendered(fmt, draft, state)
    seen = said(fmt, out)
    for words in (CORRECTED, CORRECTED_PEOPLE, REVIEW, PREPARED_WORDS):
        assert words in seen, (fmt, words)
    anywhere = everything(fmt, out)
    for words in (STRUCK, ORIGINAL, ORIGINAL_PERSON):
        assert words not in anywhere, (fmt, words)


@pytest.mark.parametrize("fmt", names())
def test_every_format_says_who_prepared_corrected_and_discussed(
    fmt: str, reviewed: tuple[PlanDraft, SessionState]
) -> None:
    draft, state = reviewed
    out = rendered(fmt, draft, state)
    discussed_label = squash(TEMPLATES["ua"].field(DISCUSSED_FIELD).label.da)  # type: ignore[union-attr]
    if fmt == "json":
        again = load_json(out)
        lines = {line.step: line for f in again.fields for line in f.lines}
        assert lines["om-mig"].prepared and lines["om-mig"].speaker == "patient"
        assert lines["det-vil-jeg-sige"].corrected and lines["det-vil-jeg-sige"].original is None
        assert "hjaelp-til" not in lines
        social, discussed = again.field("needs_social"), again.field(DISCUSSED_FIELD)
        assert social is not None and social.edit is not None
        assert social.edit.speaker == "clinician" and social.lines == ()
        assert discussed is not None and discussed.status == "discussed"
        assert discussed.discussed_by == "clinician"
    elif fmt == "fhir":
        bundle = json.loads(out)
        validate_bundle(bundle)
        entries = [e["resource"] for e in bundle["entry"]]
        assert check_fhir(entries[0], entries[1]) == []
        assert check_fhir(entries[2], entries[3]) == []
        items = plan_items(bundle)
        prepared = extensions(answer_with(items, "patient_wishes", PREPARED_WORDS))
        assert prepared[PREPARED_EXTENSION] is True and prepared[SPEAKER_EXTENSION] == "patient"
        corrected = extensions(answer_with(items, "patient_wishes", CORRECTED))
        assert corrected[CORRECTED_EXTENSION] is True
        assert CORRECTED_EXTENSION in extensions(
            answer_with(items, "participant_circle", CORRECTED_PEOPLE))
        edit = extensions(answer_with(items, "needs_social", REVIEW))
        assert edit[FIELD_EDIT_EXTENSION] is True and edit[SPEAKER_EXTENSION] == "clinician"
        assert "answer" not in items[DISCUSSED_FIELD]
        assert extensions(items[DISCUSSED_FIELD])[FIELD_STATUS_EXTENSION] == "discussed"
    else:
        seen = said(fmt, out)
        # The patient's wishes hold the answers of several questions: each line says which
        # it answers, beside who said it (the record's copy, these formats' default).
        assert ("„Hvordan ser du dig selv, og hvad er vigtigt for dig?“ – Patienten "
                f"(forberedt med peer-medarbejder): {PREPARED_WORDS}") in seen
        assert ("„Hvad vil du gerne sige til os i dag?“ – Patienten: Det vil jeg sige: "
                f"{CORRECTED} (rettet af patienten)") in seen
        assert f"Patienten: Kredsen: {CORRECTED_PEOPLE} (rettet af patienten)" in seen
        assert f"Behandleren: Bolig: {REVIEW}" in seen
        assert re.search(re.escape(discussed_label) + r" \(?drøftet, intet at tilføje", seen)


def test_the_text_export_of_the_json_export_is_the_text_export(
    reviewed: tuple[PlanDraft, SessionState]
) -> None:
    """What the JSON export leaves out is exactly what no export prints: a plan revision
    (stored as the JSON export) prints as the plan did."""
    draft, state = reviewed
    again = load_json(render("json", draft, state))
    assert again == draft.as_exported() and again.as_exported() is again
    for fmt in names():
        if fmt != "fhir":  # FHIR carries the session too, which the JSON does not
            assert render(fmt, again, state) == render(fmt, draft, state), fmt


# --- the decision and its SURE test -----------------------------------------------------------

AID = LIBRARY.guides["beroligende-metoder"].document
UNMET_DA = "Kender du fordele og ulemper ved hver mulighed?"
UNMET_EN = "Do you know the benefits and risks of each option?"


def decision(understood: bool = False, *, struck: bool = False) -> Session:
    """The choice, who decided, and the four SURE items (`sure_understand` last)."""
    session = Session(AID)
    choice = session.state.step("choice").step
    session.apply(Answer(step="choice", value=choice.choices[0].id,  # type: ignore[attr-defined]
                         speaker="patient", at=at(1)))
    session.apply(Answer(step="decided_by", value="shared", speaker="clinician", at=at(2)))
    for minute, (item, value) in enumerate([("sure_sure", True), ("sure_risk_benefit", True),
                                            ("sure_support", True),
                                            ("sure_understand", understood)], start=3):
        session.apply(Answer(step=item, value=value, speaker="patient", at=at(minute)))
    if struck:
        session.apply(LineStruck(step="choice", speaker="patient", at=at(10)))
    return session


def sure_extension(element: JSON) -> dict[str, list[Any]]:
    (ext,) = [e for e in element.get("extension", []) if e["url"] == SURE_EXTENSION]
    parts: dict[str, list[Any]] = {}
    for part in ext["extension"]:
        value = next(v for k, v in part.items() if k.startswith("value"))
        parts.setdefault(part["url"], []).append(value)
    return parts


@pytest.mark.parametrize("fmt", names())
@pytest.mark.parametrize("lang", ["da", "en"])
def test_every_format_has_the_sure_score_beside_the_decision(fmt: str, lang: Language) -> None:
    session = decision()
    state = session.state
    draft = build_draft(state, TEMPLATES["ua"], today=TODAY, lang=lang)
    decided = next(line.text for f in draft.fields for line in f.lines if line.step == "choice")
    phrase = (f"SURE: 3/4 — not met: {UNMET_EN}" if lang == "en"
              else f"SURE: 3/4 — ikke opfyldt: {UNMET_DA}")
    out = rendered(fmt, draft, state, lang=lang)
    if fmt == "json":
        sure = load_json(out).sure
        assert sure is not None and (sure.score, sure.asked) == (3, 4)
        assert [(i.id, i.prompt.get(lang)) for i in sure.unmet] == [
            ("sure_understand", UNMET_EN if lang == "en" else UNMET_DA)]
    elif fmt == "fhir":
        bundle = json.loads(out)
        validate_bundle(bundle)
        answer = answer_with(plan_items(bundle), "decisions", decided)
        assert sure_extension(answer) == {"score": [3], "asked": [4],
                                          "unmet": ["sure_understand"], "text": [phrase]}
        # The session's response carries the score too, beside its four answers.
        session_response = bundle["entry"][1]["resource"]
        assert sure_extension(session_response) == {"score": [3], "asked": [4],
                                                    "unmet": ["sure_understand"]}
        assert check_fhir(*(e["resource"] for e in bundle["entry"][2:])) == []
    else:
        seen = said(fmt, out)
        assert re.search(re.escape(decided) + r" \(?" + re.escape(phrase), seen), seen
        assert seen.count("SURE:") == 1


@pytest.mark.parametrize("fmt", names())
def test_a_full_score_says_so(fmt: str) -> None:
    state = decision(understood=True).state
    draft = build_draft(state, TEMPLATES["ua"], today=TODAY)
    out = rendered(fmt, draft, state)
    if fmt == "json":
        sure = load_json(out).sure
        assert sure is not None and (sure.score, sure.asked, sure.unmet) == (4, 4, ())
    elif fmt == "fhir":
        answer = answer_with(plan_items(json.loads(out)), "decisions", "")
        assert sure_extension(answer) == {"score": [4], "asked": [4], "text": ["SURE: 4/4"]}
    else:
        seen = said(fmt, out)
        assert "SURE: 4/4" in seen and "ikke opfyldt" not in seen


@pytest.mark.parametrize("fmt", names())
@pytest.mark.parametrize(("template_id", "struck"), [("kp", False), ("ua", True)])
def test_without_the_decision_in_the_plan_the_score_is_among_the_facts(
    fmt: str, template_id: str, struck: bool
) -> None:
    """The decision fills no field of this plan, or the patient struck it: the score is
    still told, once, among the facts about the plan."""
    state = decision(struck=struck).state
    draft = build_draft(state, TEMPLATES[template_id], today=TODAY)
    assert not any(line.step == "choice" and line.in_plan
                   for f in draft.fields for line in f.lines)
    out = rendered(fmt, draft, state)
    if fmt == "json":
        sure = load_json(out).sure
        assert sure is not None and sure.score == 3
    elif fmt == "fhir":
        bundle = json.loads(out)
        validate_bundle(bundle)
        fact = plan_items(bundle)["plan.facts.sure"]["answer"][0]
        assert fact["valueString"] == f"3/4 — ikke opfyldt: {UNMET_DA}"
        assert sure_extension(fact)["score"] == [3]
    else:
        seen = said(fmt, out)
        assert f"SURE: 3/4 — ikke opfyldt: {UNMET_DA}" in seen
        assert seen.count("SURE:") == 1
