"""Issue 17, "What to fix", items 1–12: the corrected wording stays corrected.

A clinician and a lawyer reviewed the bundled library. Where a correction can be checked
mechanically, this file checks it over every bundled file, so that a new or edited guide
cannot bring the old sentence back. `docs/content-changes.md` lists each change with its
source.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from assistant.guides.flow import flow
from assistant.guides.loader import load_library
from assistant.guides.models import AnyStep, DecisionAid, MeetingGuide, MultiStep, SingleStep
from assistant.plans.convert import NOT_CARRIED, YOUTH_TO_UA, convert_youth_plan
from tests.plans.helpers import TEMPLATES, full_draft

BUNDLED = Path(__file__).resolve().parents[2] / "decision_aids"
FILES = sorted(BUNDLED.rglob("*.yaml"))
LIBRARY = load_library()


def _flat(path: Path) -> str:
    """The file's text with every run of white space one space: folded YAML blocks break
    sentences over lines, and a sentence must be found wherever it breaks."""
    return re.sub(r"\s+", " ", path.read_text(encoding="utf-8")).lower()


#: Sentences the review found wrong, and why. Lower case; matched across line breaks.
GONE: dict[str, str] = {
    # 1. Promises the law does not support (a KP is made without the patient as a party).
    "hen over hovedet": "item 1: promise what the team can keep",
    "over your head": "item 1: 'over your head' means 'too hard to understand'",
    "dine ønsker styrer planen": "item 1: under § 13 b the patient's wishes do not steer",
    "your wishes steer the plan": "item 1",
    # 2. § 13 c: sharing with the UA/KP parties needs no consent.
    "vi deler kun det, der er nødvendigt": "item 2: say plainly that sharing needs no consent",
    "det kræver dit ja at fortælle andre om dig": "item 2: true for relatives only",
    # 3. Youth consent.
    "dine forældre kan give samtykke for dig": "item 3: both must say yes",
    # 5. Forhåndstilkendegivelse: only compulsory admission is 'skal'.
    "hvis loven kræver den": "item 5: 'hvis lovens betingelser er opfyldt'",
    "if the law requires it": "item 5",
    "alle der behandler dig, kan læse": "item 5: municipal and other regions' staff cannot",
    "everyone who treats you can read it": "item 5",
    # 6. The 23 % figure is the advance-statement subgroup, a relative risk.
    "13 forsøg fandt cirka 23 %": "item 6: the 13 trials covered all interventions",
    "13 trials found about 23%": "item 6",
    "1 ud af 4": "item 6: a relative risk is not a frequency",
    "1 in 4": "item 6",
    # 7. Options that can be combined need a way to choose both.
    "de kan godt kombineres": "item 7: the decision is a single choice",
    # 9. No BVC score in a plan reviewed yearly.
    "bvc_score": "item 9: a 24-hour predictor in a yearly plan",
    "bvc_date": "item 9",
    "bvc_rater": "item 9",
    # 11. Wording.
    "i region midtjylland beskriver, at": "item 11: a sentence without a subject",
    "du søger næppe selv hjælp": "item 11: judgmental",
    "skriv gerne mere om dine valg i næste felt": "item 11: the next field asked something else",
}


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_the_corrected_wording_is_gone_from_every_bundled_file(path: Path) -> None:
    text = _flat(path)
    found = {phrase: why for phrase, why in GONE.items() if phrase in text}
    assert found == {}


def _steps(guide_id: str) -> dict[str, AnyStep]:
    guide = LIBRARY.guides[guide_id].document
    assert isinstance(guide, (DecisionAid, MeetingGuide))
    return {item.id: item.step for item in flow(guide) if not item.builtin}


def _fills(guide_id: str) -> set[str]:
    targets: set[str] = set()
    for step in _steps(guide_id).values():
        targets.update(step.fills)
    return targets


# --- 1. and 2.: what the team can keep; § 13 c ------------------------------------------------


def test_the_network_meeting_promises_to_hear_the_patient_first_and_say_why() -> None:
    text = _flat(BUNDLED / "netvaerksmoede.yaml")
    assert "du får ordet først" in text and "hvad vi beslutter, og hvorfor" in text


def test_the_ua_kp_guide_says_sharing_with_the_parties_needs_no_consent() -> None:
    text = _flat(BUNDLED / "ua-kp-grundoplysninger.yaml")
    assert "også uden dit samtykke" in text and "§ 13 c" in text


# --- 3. youth consent ---------------------------------------------------------------------------


def test_the_youth_plan_says_both_must_say_yes_and_that_a_childs_no_is_coercion() -> None:
    text = _flat(BUNDLED / "tryghedsplan-grundoplysninger.yaml")
    assert "både du og dine forældre skal sige ja" in text
    assert "siger du ikke selv ja, er det tvang – også selvom dine forældre siger ja" in text
    assert "plejeforældre" in text and "har ikke forældremyndigheden" in text
    template = _flat(BUNDLED / "plans" / "tryghedsplan.yaml")
    assert "behandling, indlæggelse og ophold" in template


# --- 4. conversion at 18 ------------------------------------------------------------------------


def test_conversion_asks_again_for_consent_and_carries_what_was_learnt_about_coercion() -> None:
    youth, _ = full_draft("tryghedsplan")
    converted, _ = convert_youth_plan(youth, TEMPLATES["ua"])
    assert converted.converted_from is not None
    carried = converted.converted_from.fields
    assert "info_sharing" in NOT_CARRIED and "info_sharing" not in carried
    sharing = converted.field("info_sharing")
    assert sharing is not None and sharing.lines == () and sharing.status == "empty"
    for youth_field in ("held_history", "self_harm_prevented", "what_helps",
                        "what_does_not_help", "debriefing"):
        target = YOUTH_TO_UA.get(youth_field, youth_field)
        assert carried.get(youth_field) == target, youth_field
        field = converted.field(target)
        assert field is not None and youth_field in [line.step for line in field.lines]


# --- 5. the advance statement ------------------------------------------------------------------


def test_the_advance_statement_says_it_can_be_changed_and_who_can_read_it() -> None:
    text = _flat(BUNDLED / "forhaandstilkendegivelse.yaml")
    assert "hvis lovens betingelser er opfyldt" in text
    assert "trække dem tilbage når som helst" in text
    assert "patientrådgiver" in text and "klage" in text
    assert "kommunen og andre regioner kan ikke se det" in text


# --- 7. "nothing" and "everything" cannot both be chosen ------------------------------------------


def test_relatives_cannot_be_told_nothing_and_everything_at_once() -> None:
    steps = _steps("paaroerende-inddragelse")
    for step in steps.values():
        if isinstance(step, MultiStep):
            ids = {c.id for c in step.choices}
            assert not {"intet", "alt"} & ids, step.id
    first = steps["maa_deles"]
    assert isinstance(first, SingleStep)
    assert {c.id for c in first.choices} == {"intet", "noget", "alt"}


def test_safewards_is_cited_with_its_caveat_on_someone_i_know() -> None:
    for name in ("beroligende-metoder.yaml", "beroligende-metoder-unge.yaml"):
        text = _flat(BUNDLED / name)
        assert "pakke med ti tiltag for hele afsnittet" in text, name


# --- 8. the blitz meeting ----------------------------------------------------------------------


def test_the_blitz_meeting_asks_what_could_have_prevented_it_and_names_the_rights() -> None:
    steps = _steps("blitzmoede")
    assert {"forebygge", "plan-brugt", "dine-rettigheder"} <= set(steps)
    text = _flat(BUNDLED / "blitzmoede.yaml")
    assert "patientrådgiver" in text and "24 timer" in text and "klage" in text


# --- 9. and 10.: risk for staff in the UA/KP; gaps filled ------------------------------------------


def test_risk_is_a_dated_staff_assessment_in_the_ua_and_kp_not_a_score_in_the_crisis_plan() -> None:
    assert not [f.id for f in TEMPLATES["kriseplan"].fields if f.type == "number"]
    assert all(f.patient_copy for f in TEMPLATES["kriseplan"].fields)
    for plan in ("ua", "kp"):
        for field_id in ("suicide_risk", "violence_risk"):
            field = TEMPLATES[plan].field(field_id)
            assert field is not None and not field.patient_copy
            assert field.help is not None and "dateret" in str(field.help).lower()
    fills = _fills("ua-kp-grundoplysninger")
    assert {"ua.suicide_risk", "ua.violence_risk", "kp.suicide_risk", "kp.violence_risk"} <= fills


def test_the_adult_network_meetings_answer_on_the_plan_is_kept_and_youth_get_a_debriefing() -> None:
    assert {"ua.plan_helpfulness", "kp.plan_helpfulness"} <= _fills("netvaerksmoede")
    debriefing = TEMPLATES["tryghedsplan"].field("debriefing")
    assert debriefing is not None and "under 15" in str(debriefing.help)


# --- 11. and 12.: wording; the crisis plan's own order --------------------------------------------


def test_the_youth_meeting_asks_for_the_adult_to_call_not_a_cross_sector_coordinator() -> None:
    steps = _steps("netvaerksmoede-unge")
    assert "som I kan ringe til" in str(steps["tovholder"].prompt)
    asked = " ".join(str(step.prompt) for step in steps.values())
    assert "på tværs af sektorer" not in asked


def test_the_crisis_plan_runs_in_our_own_order() -> None:
    order = [f.id for f in TEMPLATES["kriseplan"].fields]
    wanted = ["warning_signs", "triggers", "self_help", "distraction", "help_people",
              "professional_contacts", "safe_surroundings", "reasons_to_hold_on"]
    assert [f for f in order if f in wanted] == wanted
