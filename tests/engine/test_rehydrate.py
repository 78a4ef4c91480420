"""`rehydrate`: a stored session replayed on the guide as it is now (issue 14, item 1)."""

from __future__ import annotations

import datetime as dt

import pytest

from assistant.engine import Answer, Note, Undo, fold, rehydrate
from assistant.engine.events import Event
from assistant.engine.rehydrate import guide_changed, guide_hash, rehydrate_session
from assistant.guides.loader import Loaded, load_file
from assistant.guides.models import DecisionAid
from tests.conftest import EXAMPLES

AT = dt.datetime(2026, 5, 1, 10, 0, tzinfo=dt.UTC)


@pytest.fixture(scope="module")
def guide() -> Loaded:
    loaded, problems = load_file(EXAMPLES / "eksempel-beslutning.yaml")
    assert loaded is not None, problems
    return loaded


def changed(guide: Loaded) -> Loaded:
    """The guide without the step `vigtigst`, and `kontakt` offering only `sjaeldent`."""
    aid = guide.document
    assert isinstance(aid, DecisionAid)
    kontakt = next(s for s in aid.preferences if s.id == "kontakt")
    fewer = kontakt.model_copy(update={"choices": kontakt.choices[1:]})  # type: ignore[union-attr]
    prefs = [fewer if s.id == "kontakt" else s for s in aid.preferences if s.id != "vigtigst"]
    newer = aid.model_copy(update={"preferences": prefs, "version": "1.1.0"})
    return Loaded(guide.file, newer, guide.text + "\n# changed\n")


def ans(step: str, value: object, seconds: int = 0) -> Answer:
    return Answer(step=step, value=value, speaker="patient", at=AT + dt.timedelta(seconds=seconds))


def test_on_the_same_guide_every_event_counts(guide: Loaded) -> None:
    events: list[Event] = [ans("vigtigst", "at blive hørt"), ans("kontakt", "ofte", 1),
                           Undo(at=AT + dt.timedelta(seconds=2))]
    state, dropped = rehydrate(guide, events)
    assert dropped == []
    assert state == fold(guide.document, events)  # type: ignore[arg-type]


def test_events_that_no_longer_fit_are_dropped_in_recorded_order(guide: Loaded) -> None:
    newer = changed(guide)
    gone = ans("vigtigst", "at blive hørt")
    refused = ans("kontakt", "ofte", 1)  # the choice is no longer offered
    note = Note(text="om vigtigst", speaker="clinician", step="vigtigst", at=AT)
    kept = ans("kontakt", "sjaeldent", 2)
    state, dropped = rehydrate(newer, [gone, refused, note, kept])
    assert dropped == [gone, refused, note]
    assert state.answers["kontakt"].value == "sjaeldent" and "vigtigst" not in state.answers
    assert state == fold(newer.document, [kept])  # type: ignore[arg-type]


def test_a_rehydrated_session_goes_on_in_the_language_asked(guide: Loaded) -> None:
    session, dropped = rehydrate_session(guide, [ans("vigtigst", "x")], language="en")
    assert dropped == [] and session.state.language == "en"
    session.apply(ans("kontakt", "ofte", 1))
    assert session.state.answers["kontakt"].value == "ofte"


def test_guide_changed_compares_version_and_text(guide: Loaded) -> None:
    class Recorded:
        guide_version = guide.document.version
        guide_hash = guide_hash(guide.text)

    assert not guide_changed(Recorded(), guide)
    assert guide_changed(Recorded(), changed(guide))
    assert guide_changed(Recorded(), Loaded(guide.file, guide.document, guide.text + " "))
