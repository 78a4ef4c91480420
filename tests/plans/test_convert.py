"""Conversion at 18: the youth plan carried over into a discharge agreement."""

from __future__ import annotations

import datetime as dt

from assistant.engine import FieldEdit, LineStruck
from assistant.plans import YOUTH_TO_UA, build_draft, convert_youth_plan
from assistant.plans.convert import NOT_CARRIED

from .helpers import T0, TEMPLATES, TODAY, answer_all, full_draft, synthetic_guide


def test_same_ids_and_the_mapped_fields_carry_over_with_who_said_it() -> None:
    youth, _ = full_draft("tryghedsplan")
    ua = TEMPLATES["ua"]
    converted, missing = convert_youth_plan(youth, ua)
    assert converted.template.id == "ua" and [f.id for f in converted.fields] == [
        f.id for f in ua.fields]
    assert converted.converted_from is not None
    assert converted.converted_from.template.id == "tryghedsplan"
    carried = converted.converted_from.fields
    for source, target in YOUTH_TO_UA.items():
        assert carried[source] == target
    for field in ("needs_treatment", "participant_circle", "coping", "revision_due"):
        assert carried[field] == field
        new, old = converted.field(field), youth.field(field)
        assert new is not None and old is not None and new.lines == old.lines
    wishes = converted.field("patient_wishes")
    assert wishes is not None
    assert [line.step for line in wishes.lines] == ["young_person_wishes", "personal_statement"]
    network = converted.field("network")
    assert network is not None and network.lines[0].step == "who_can_help"
    # Youth-only fields have no place in a UA.
    assert "parents_role" not in carried and "consent_u15" not in carried
    # Consent to share lapses at 18, and the new plan's helpfulness is asked anew.
    for field in NOT_CARRIED:
        assert field not in carried
        new = converted.field(field)
        assert new is not None and new.lines == ()
    # What the UA needs and the youth plan does not have must be added.
    assert missing == ("plan_basis", "patient_participates", "parties")
    assert tuple(g.field for g in converted.gaps) == missing
    assert converted.revision.approved is None
    assert converted.revision.next_revision_due == dt.date(2027, 3, 1)


def test_only_what_the_youth_plan_prints_carries_over() -> None:
    plan = TEMPLATES["tryghedsplan"]
    session = answer_all(synthetic_guide(plan), plan, skip=["needs_social"])
    session.apply(LineStruck(step="chief_physician", speaker="patient", at=T0))
    session.apply(FieldEdit(template="tryghedsplan", field="department", text="Afsnit B",
                            speaker="clinician", at=T0))
    youth = build_draft(session.state, plan, today=TODAY)
    converted, missing = convert_youth_plan(youth, TEMPLATES["ua"], today=dt.date(2026, 6, 1))
    assert "chief_physician" in missing and "needs_social" in missing
    department = converted.field("department")
    assert department is not None
    assert [(line.text, line.step) for line in department.lines] == [
        ("Afsnit B", "review:department")]
    assert converted.today == dt.date(2026, 6, 1)
