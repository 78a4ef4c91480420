"""Hostile answers are inert in every format (requirement R9)."""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assistant.engine import Answer, FieldEdit, LineCorrected, Session
from assistant.export import (
    check_fhir,
    export_html,
    export_json,
    export_markdown,
    export_text,
    fhir_bundle,
    load_json,
    md_escape,
)
from assistant.export.formats import COPIES, Copy
from assistant.export.words import iso_text_day
from assistant.plans import PlanDraft, build_draft
from assistant.text import clean_text
from tests.plans.helpers import (
    HOSTILE,
    T0,
    TEMPLATE_IDS,
    TEMPLATES,
    TODAY,
    full_draft,
    synthetic_guide,
)

from .inspect import FORBIDDEN_MD, assert_inert_html, md_links, md_text, md_tokens, squash
from .test_fhir import validate_bundle

_CONTROL = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029]")


def hostile_draft(template_id: str) -> tuple[PlanDraft, Session]:
    draft, session = full_draft(template_id, texts=HOSTILE)
    # A correction and a field edit from the review are user text too. (The first field's
    # answer is the patient's: the synthetic sessions start with the patient speaking.)
    session.apply(LineCorrected(step=draft.fields[0].id, text=HOSTILE[0] + HOSTILE[6],
                                speaker="patient", at=T0))
    session.apply(FieldEdit(template=template_id, field=draft.fields[1].id,
                            text=HOSTILE[2] + "\n" + HOSTILE[4], speaker="clinician", at=T0))
    return build_draft(session.state, TEMPLATES[template_id], today=TODAY), session


_ISO = re.compile(r"\d{4}-\d{2}-\d{2}")


def printed(draft: PlanDraft, copy: Copy = "record") -> list[str]:
    """Every text the plan prints (the patient's copy: of fields meant for the patient);
    the hostile strings are among them. Dates as the papers write them."""
    texts = [_ISO.sub(lambda m: iso_text_day(m.group(), "da"), item.text)
             for field in draft.fields for item in field.shown
             if copy == "record" or field.patient_copy]
    assert any(text in HOSTILE for text in texts)
    return texts


@pytest.mark.parametrize("copy", COPIES)
@pytest.mark.parametrize("template_id", TEMPLATE_IDS)
def test_html_runs_nothing_and_shows_the_text(template_id: str, copy: Copy) -> None:
    draft, _ = hostile_draft(template_id)
    page = export_html(draft, copy=copy)
    report = assert_inert_html(page)
    shown = squash(report.text)
    assert "<script>alert(1)</script>" in shown  # as text, escaped in the source
    for said in printed(draft, copy):
        assert squash(said) in shown
    assert "\x1b" not in page and "\x00" not in page and "\u202e" not in page
    # User text never lands in an attribute.
    for _tag, _name, value in report.attrs:
        assert value is None or not any(marker in value for marker in
                                        ("alert", "evil", "PWNED", "javascript"))


@pytest.mark.parametrize("template_id", TEMPLATE_IDS)
def test_markdown_makes_no_markup_from_user_text(template_id: str) -> None:
    draft, _ = hostile_draft(template_id)
    text = export_markdown(draft)
    tokens = md_tokens(text)
    assert not {t.type for t in tokens} & FORBIDDEN_MD
    assert md_links(text) == []  # under linkify too
    headings = [t for t in tokens if t.type == "heading_open"]
    sections = {f.section.da for f in draft.fields if f.section}
    assert len(headings) == 1 + len(sections) + len(draft.fields) + 1
    # Emphasis and bold come only from our own words.
    inside = []
    for i, token in enumerate(tokens):
        if token.type in ("em_open", "strong_open"):
            inside.append(tokens[i + 1].content)
    ours = {"mangler", "ikke udfyldt", "drøftet, intet at tilføje", "Lavet med sdm-assistant",
            "venter på patientens accept af ændringen", "Samtale:", "Oprettet:",
            "Sidst revideret:", "Godkendt:", "Næste revision senest:",
            "Ansvarlig for revision:", "Patienten:", "Behandleren:", "Pårørende:",
            "Kommunen:", "Peer-medarbejderen:", "Den unge:", "Forældrene:"}
    assert set(inside) <= ours, set(inside) - ours
    shown = squash(md_text(text))
    assert "<script>alert(1)</script>" in shown
    for said in printed(draft):
        assert squash(said) in shown


@pytest.mark.parametrize("template_id", TEMPLATE_IDS)
def test_text_has_no_control_characters(template_id: str) -> None:
    draft, _ = hostile_draft(template_id)
    text = export_text(draft, width=72)
    assert not _CONTROL.search(text)
    assert all(len(line) <= 72 for line in text.splitlines())
    assert "PWNED" not in text  # the escape sequences went, with their payload
    unwrapped = "".join(text.split())
    for said in printed(draft):
        assert "".join(said.split()) in unwrapped


@pytest.mark.parametrize("template_id", TEMPLATE_IDS)
def test_json_round_trips_and_fhir_validates(template_id: str) -> None:
    draft, session = hostile_draft(template_id)
    text = export_json(draft)
    # The JSON is the draft as exported: the corrected line without its first words.
    assert load_json(text) == draft.as_exported() and export_json(load_json(text)) == text
    assert "\\u001b" not in text and "\x1b" not in text
    bundle = fhir_bundle(session.state, draft=draft)
    validate_bundle(bundle)
    q, qr, plan_q, plan_qr = (e["resource"] for e in bundle["entry"])
    assert check_fhir(q, qr) == []  # includes: no control characters in any string
    assert check_fhir(plan_q, plan_qr) == []


# --- properties -------------------------------------------------------------------------------

_ANY_TEXT = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=80)
_MARKUPISH = st.lists(st.sampled_from(
    ["[", "]", "(", ")", "!", "<", ">", "#", "*", "_", "`", "~", "|", "&", "\\", "-", "+",
     "=", ":", "1.", "2)", " ", "    ", "\n", "a", "http://e", "www.e", "&amp;", "<b>",
     "https://e.dk", "www.e.dk", "a@b.dk", "sundhed.dk", "//localhost", "mailto:", "xmpp:",
     ".", "@", "/", "10.0.0.1", "dk"]),
    max_size=40).map("".join)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(_ANY_TEXT, _MARKUPISH))
def test_md_escape_renders_as_exactly_the_text(text: str) -> None:
    for line in clean_text(text).splitlines():
        escaped = md_escape(line)
        tokens = md_tokens(f"- **Patienten:** {escaped}")
        assert not {t.type for t in tokens} & FORBIDDEN_MD
        assert md_links(f"- **Patienten:** {escaped}") == []
        assert not [t for t in tokens if t.type in ("em_open", "strong_open")][1:]
        shown = "".join(t.content for t in tokens if t.type == "text")
        assert squash(shown) == squash("Patienten:" + " " + line)


_ANSWER_TEXT = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)),
                       min_size=1, max_size=200).filter(lambda s: s.strip() != "")


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(words=_ANSWER_TEXT, name=_ANSWER_TEXT.map(lambda s: s[:200]))
def test_any_answer_is_inert_in_every_format(words: str, name: str) -> None:
    plan = TEMPLATES["kriseplan"]
    session = Session(synthetic_guide(plan))
    session.apply(Answer(step="warning_signs", value=words, speaker="patient", at=T0))
    session.apply(Answer(step="help_people", value=[{"name": name, "helps": words}],
                         speaker="relative", at=T0))
    draft = build_draft(session.state, plan, today=TODAY)
    report = assert_inert_html(export_html(draft))
    shown = squash(report.text)
    assert squash(clean_text(words)) in shown
    assert not {t.type for t in md_tokens(export_markdown(draft))} & FORBIDDEN_MD
    assert md_links(export_markdown(draft)) == []
    assert squash(clean_text(words)) in squash(md_text(export_markdown(draft)))
    assert not _CONTROL.search(export_text(draft))
    assert load_json(export_json(draft)) == draft
    bundle = fhir_bundle(session.state)
    validate_bundle(bundle)
    assert check_fhir(*(e["resource"] for e in bundle["entry"])) == []
