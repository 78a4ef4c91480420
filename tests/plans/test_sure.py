"""The SURE score beside the decision: the engine's pure `sure_score`, and the draft's `sure`."""

from __future__ import annotations

import datetime as dt

import pytest

from assistant.engine import Answer, Edit, Session, Skip
from assistant.engine.sure import SureScore, sure_score
from assistant.export import export_json, load_json
from assistant.guides.flow import SURE_STEPS
from assistant.guides.models import LocalText
from assistant.guides.step_ids import SURE_IDS
from assistant.plans import build_draft
from tests.plans.helpers import LIBRARY, T0, TEMPLATES, TODAY, full_draft

AID = LIBRARY.guides["beroligende-metoder"].document


def at(minute: int) -> dt.datetime:
    return T0 + dt.timedelta(minutes=minute)


def answered(**items: bool | None) -> Session:
    """The aid with these SURE items answered (None: skipped), in the order given."""
    session = Session(AID)
    for minute, (item, value) in enumerate(items.items()):
        if value is None:
            session.apply(Skip(step=item, speaker="patient", at=at(minute)))
        else:
            session.apply(Answer(step=item, value=value, speaker="patient", at=at(minute)))
    return session


@pytest.mark.parametrize(("items", "expected"), [
    ({}, None),
    ({"sure_sure": None}, None),
    ({name: True for name in SURE_IDS}, SureScore(4, 4)),
    ({"sure_sure": True, "sure_support": False, "sure_understand": False,
      "sure_risk_benefit": True}, SureScore(2, 4, ("sure_understand", "sure_support"))),
    ({"sure_sure": False, "sure_understand": None}, SureScore(0, 1, ("sure_sure",))),
    ({"sure_sure": True, "sure_understand": True}, SureScore(2, 2)),
])
def test_the_score_counts_the_yes_answers_among_the_items_asked(
    items: dict[str, bool | None], expected: SureScore | None
) -> None:
    score = sure_score(answered(**items).state)
    if expected is None:
        assert score is None
        return
    assert score is not None
    assert (score.score, score.asked, score.unmet) == (
        expected.score, expected.asked, expected.unmet)
    assert score.met == (not score.unmet)
    assert [item for item, _ in score.items] == list(SURE_IDS)
    assert dict(score.items) == {k: items.get(k) for k in SURE_IDS}


def test_a_meeting_has_no_sure_score() -> None:
    draft, session = full_draft("ua")
    assert sure_score(session.state) is None and draft.sure is None


@pytest.mark.parametrize("template_id", ["ua", "kriseplan", "kp"])
def test_the_draft_keeps_the_score_with_the_guides_questions(template_id: str) -> None:
    session = answered(sure_sure=True, sure_understand=False, sure_risk_benefit=True)
    draft = build_draft(session.state, TEMPLATES[template_id], today=TODAY)
    sure = draft.sure
    assert sure is not None and (sure.score, sure.asked) == (2, 3)
    # Every item the guide asks, in the test's order, with its question as the guide asks it.
    prompts = {s.id: s.prompt for s in SURE_STEPS}
    assert [i.id for i in sure.items] == list(SURE_IDS)
    for item in sure.items:
        prompt = prompts[item.id]
        assert isinstance(prompt, LocalText)
        assert (item.prompt.da, item.prompt.en) == (prompt.da, prompt.en)
    assert [i.answer for i in sure.items] == [True, False, True, None]
    assert [i.id for i in sure.unmet] == ["sure_understand"]
    assert load_json(export_json(draft)) == draft


def test_a_changed_answer_changes_the_score() -> None:
    session = answered(sure_sure=True, sure_understand=False)
    session.apply(Edit(step="sure_understand", value=True, speaker="patient", at=at(9)))
    draft = build_draft(session.state, TEMPLATES["ua"], today=TODAY)
    assert draft.sure is not None and (draft.sure.score, draft.sure.asked) == (2, 2)
    assert draft.sure.unmet == ()


def test_a_draft_written_before_the_score_existed_still_reads() -> None:
    session = answered(sure_sure=True)
    draft = build_draft(session.state, TEMPLATES["ua"], today=TODAY)
    data = draft.model_dump(mode="json")
    del data["sure"]
    old = type(draft).model_validate(data)
    assert old.sure is None and old.schema_version == 1


def test_the_score_is_the_current_decisions() -> None:
    """The SURE loop: a "no" leaves the decision's score as it is until the decision is made
    again; then the items answered before it are asked again and count only when they are."""
    session = Session(AID)
    choice = session.state.step("choice").step
    first, second = (c.id for c in choice.choices[:2])  # type: ignore[attr-defined]
    session.apply(Answer(step="choice", value=first, speaker="patient", at=at(0)))
    for minute, item in enumerate(SURE_IDS, start=1):
        session.apply(Answer(step=item, value=item != "sure_understand", speaker="patient",
                             at=at(minute)))
    score = sure_score(session.state)
    assert score is not None and (score.score, score.asked) == (3, 4)
    session.apply(Edit(step="choice", value=second, speaker="patient", at=at(10)))
    assert sure_score(session.state) is None  # a new decision: not asked again yet
    draft = build_draft(session.state, TEMPLATES["ua"], today=TODAY)
    assert draft.sure is None
    session.apply(Edit(step="sure_sure", value=True, speaker="patient", at=at(11)))
    session.apply(Edit(step="sure_understand", value=True, speaker="patient", at=at(12)))
    score = sure_score(session.state)
    assert score is not None and (score.score, score.asked, score.unmet) == (2, 2, ())
    draft = build_draft(session.state, TEMPLATES["ua"], today=TODAY)
    assert draft.sure is not None
    assert [i.answer for i in draft.sure.items] == [True, True, None, None]
