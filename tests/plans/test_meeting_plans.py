"""What a network meeting puts in the plan: the circle of participants, who does what, the
coordinator, who reacts when the plan is not kept, and the first cross-sector meeting's date —
in the UA and KP from the adult meeting, and in the youth plan from the youth meeting.
Prepared answers (from the preparation with a peer worker) keep their mark in the draft."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from assistant.engine import Answer, Prepared, Seen, Session, Skip
from assistant.export import export_json, export_text, fhir_bundle, load_json
from assistant.export.fhir import PREPARED_EXTENSION, SPEAKER_EXTENSION
from assistant.export.words import speaker
from assistant.plans import build_draft
from assistant.wording import youth
from tests.plans.helpers import LIBRARY, T0, TEMPLATES, TODAY

CIRCLE = [{"name": "Mor", "relation": "mor", "helps": "Henter mig", "when": None,
           "contact": None},
          {"name": "Sagsbehandler Jens", "relation": "kommunen", "helps": None, "when": None,
           "contact": None}]
TASKS = [{"what": "Finde en bolig", "who": "Kommunen", "by": "2027-01-15"},
         {"what": "Ringe til mor hver søndag", "who": "Patienten", "by": None}]
ANSWERS: dict[str, Any] = {
    "kredsen": CIRCLE,
    "hvem-goer-hvad": TASKS,
    "tovholder": "Kontaktperson Lise, distriktspsykiatrien",
    "hvem-reagerer": "Sagsbehandler Jens ringer inden for to dage",
    "foerste-moede": "2027-01-10",
}
#: Meeting step → plan field, per template.
FIELDS = {
    "kredsen": "participant_circle",
    "tovholder": "coordinator",
    "hvem-reagerer": "noncompliance_responsible",
    "foerste-moede": "first_meeting_date",
}
WHO_DOES_WHAT = {"ua": "responsibilities", "kp": "responsibilities",
                 "tryghedsplan": "near_term_plan"}


def at(minute: int) -> dt.datetime:
    return T0 + dt.timedelta(minutes=minute)


def run(guide_id: str, *events: Any) -> Session:
    """The meeting with `events` first, then ANSWERS where asked, everything else skipped."""
    session = Session(LIBRARY.guides[guide_id].document)  # type: ignore[arg-type]
    for event in events:
        session.apply(event)
    minute = 1
    while (current := session.state.current) is not None:
        if current.step.type == "info":
            event = Seen(step=current.id, at=at(minute))
        elif current.id in ANSWERS:
            event = Answer(step=current.id, value=ANSWERS[current.id], speaker="clinician",
                           at=at(minute))
        elif current.id in session.state.prepared:
            event = Answer(step=current.id, value=session.state.prepared[current.id].value,
                           speaker="patient", at=at(minute), prepared=True)
        else:
            event = Skip(step=current.id, speaker="clinician", at=at(minute))
        session.apply(event)
        minute += 1
    return session


@pytest.mark.parametrize(("guide_id", "template_id"), [
    ("netvaerksmoede", "ua"), ("netvaerksmoede", "kp"), ("netvaerksmoede-unge", "tryghedsplan"),
])
def test_the_meeting_fills_the_plans_agreements(guide_id: str, template_id: str) -> None:
    session = run(guide_id)
    draft = build_draft(session.state, TEMPLATES[template_id], today=TODAY)
    for step, field_id in {**FIELDS, "hvem-goer-hvad": WHO_DOES_WHAT[template_id]}.items():
        field = draft.field(field_id)
        assert field is not None, field_id
        assert [line.step for line in field.lines] == [step], field_id
        assert field.status == "filled"
    circle = draft.field("participant_circle")
    assert circle is not None and circle.lines[0].value == CIRCLE
    assert "Mor (mor) — Henter mig" in circle.lines[0].text
    tasks = draft.field(WHO_DOES_WHAT[template_id])
    assert tasks is not None and tasks.lines[0].value == TASKS
    assert "Finde en bolig" in tasks.lines[0].text and "Kommunen" in tasks.lines[0].text
    date = draft.field("first_meeting_date")
    # Written as people write a date; the value stays the ISO date the answer stored.
    assert date is not None and date.lines[0].text == "10.01.2027"
    assert date.lines[0].value == "2027-01-10"
    coordinator = draft.field("coordinator")
    assert coordinator is not None
    assert coordinator.lines[0].text == "Kontaktperson Lise, distriktspsykiatrien"
    text = export_text(draft, width=200)
    for words in ("Finde en bolig", "Kontaktperson Lise", "Sagsbehandler Jens ringer",
                  "10.01.2027"):
        assert words in text


STATEMENT = "Jeg vil gerne selv bestemme, hvem der ringer til min mor."


def prepared_events() -> list[Prepared]:
    when = dt.datetime(2026, 1, 2, 14, 0, tzinfo=dt.UTC)
    return [Prepared(step="om-mig", value=STATEMENT, source_session="prep", at=T0,
                     source_step="personlig-udtalelse", prepared_at=when)]


@pytest.mark.parametrize(("guide_id", "template_id", "field_id"), [
    ("netvaerksmoede", "ua", "patient_wishes"),
    ("netvaerksmoede", "kp", "patient_wishes"),
    ("netvaerksmoede-unge", "tryghedsplan", "personal_statement"),
])
def test_a_prepared_line_keeps_its_mark_in_the_draft_and_every_export(
    guide_id: str, template_id: str, field_id: str
) -> None:
    session = run(guide_id, *prepared_events())
    draft = build_draft(session.state, TEMPLATES[template_id], today=TODAY)
    field = draft.field(field_id)
    assert field is not None
    (line,) = [x for x in field.lines if x.step == "om-mig"]
    assert (line.text, line.speaker, line.voice, line.prepared) == (
        STATEMENT, "patient", "patient", True)
    assert load_json(export_json(draft)) == draft
    young = youth(draft.audience)  # the youth meeting's plan: "Den unge", "Young person"
    assert f"{speaker('patient', 'da', young=young)} (forberedt med peer-medarbejder): " \
        f"{STATEMENT}" in export_text(draft, width=200)
    assert f"{speaker('patient', 'en', young=young)} (prepared with the peer worker): " \
        f"{STATEMENT}" in export_text(draft, width=200, lang="en")
    others = [x for f in draft.fields for x in f.lines if x.step != "om-mig"]
    assert not any(x.prepared for x in others)

    bundle = fhir_bundle(session.state)
    response = bundle["entry"][1]["resource"]
    (item,) = [i for i in response["item"] if i["linkId"] == "om-mig"]
    assert {"url": PREPARED_EXTENSION, "valueBoolean": True} in item["extension"]
    assert {"url": SPEAKER_EXTENSION, "valueCode": "patient"} in item["extension"]
    plain_items = [i for i in response["item"] if i["linkId"] != "om-mig"]
    assert all(PREPARED_EXTENSION not in str(i) for i in plain_items)


def test_a_draft_written_before_prepared_lines_existed_still_reads() -> None:
    session = run("netvaerksmoede")
    draft = build_draft(session.state, TEMPLATES["ua"], today=TODAY)
    data = draft.model_dump(mode="json")
    for field in data["fields"]:
        for line in field["lines"]:
            del line["prepared"]
    old = type(draft).model_validate(data)
    assert old == draft and old.schema_version == 1
