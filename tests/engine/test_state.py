"""The fold: determinism, undo, conditions after edits, info steps, progress, SURE, detail."""

from __future__ import annotations

import pytest

from assistant.engine import (
    AddParticipant,
    Answer,
    Edit,
    EngineError,
    Note,
    Seen,
    Session,
    SetInformationLevel,
    Skip,
    Undo,
    fold,
)
from assistant.engine.events import Event
from assistant.engine.snapshot import state_to_json
from assistant.engine.state import initial
from assistant.guides.models import LevelText, LocalText

from .helpers import AID, AID_YAML, MEETING, at, load_guide, walk

A, C = "patient", "clinician"


def script() -> list[Event]:
    """A realistic run: answers, an edit, a skip, an undo, notes and participants."""
    return [
        AddParticipant(role="patient", at=at(0)),
        AddParticipant(role="relative", name="Mette", at=at(0)),
        Seen(step="welcome", speaker=C, at=at(1)),
        Answer(step="information_level", value="everything", speaker=A, at=at(2)),
        Answer(step="decision_role", value="shared", speaker=A, at=at(3)),
        Answer(step="naerhed", value=9, speaker=A, at=at(4), verbatim="ret meget"),
        Answer(step="bekymret", value=True, speaker=A, at=at(5)),
        Answer(step="bekymring", value="At blive glemt", speaker=A, at=at(6)),
        Note(text="Vigtigt for patienten", speaker=C, at=at(7), step="bekymring"),
        Answer(step="hvad", value=["medicin", "aftaler"], speaker=A, at=at(8)),
        Answer(step="hvem", value=[{"name": "Mette", "relation": "søster"}], speaker=A,
               at=at(9)),
        Skip(step="hoej", speaker=A, at=at(10)),
        Answer(step="dato", value="2026-02-01", speaker=C, at=at(11)),
        Edit(step="naerhed", value=6, speaker=A, at=at(12)),
        Undo(at=at(13)),
        Seen(step="options_overview", speaker=C, at=at(14)),
        Answer(step="choice", value="samtaler", speaker=A, at=at(15), verbatim="samtale"),
    ]


def test_initial_state() -> None:
    state = initial(AID)
    assert state.current is not None and state.current.id == "welcome"
    assert not state.finished and not state.can_undo
    assert state.information_level == "some" and state.language == "da"
    assert state.answers == {} and state.history == () and state.skipped == ()
    assert [(p.phase, p.done, p.total) for p in state.progress] == [
        ("framing", 0, 2), ("preferences", 0, 4), ("options", 0, 0), ("decision", 0, 7)]
    # hvem and opfoelgning wait for '!=' conditions, which are false while unanswered
    assert state.phases == ("framing", "preferences", "options", "decision")
    assert initial(AID, language="en").language == "en"


def test_fold_is_deterministic_and_matches_the_session() -> None:
    events = script()
    first, second = fold(AID, events), fold(AID, list(events))
    assert first == second
    assert state_to_json(first) == state_to_json(second)
    assert Session(AID, events).state == first
    session = Session(AID)
    for event in events:
        session.apply(event)
    assert session.state == first
    assert session.events == tuple(events)


def test_fold_reports_which_event_is_wrong() -> None:
    events = script()
    events.insert(3, Answer(step="naerhed", value=42, speaker=A, at=at()))
    with pytest.raises(EngineError) as exc:
        fold(AID, events)
    assert exc.value.index == 3
    with pytest.raises(EngineError):
        Session(AID, events)


def test_script_state() -> None:
    state = fold(AID, script())
    assert state.answers["naerhed"].value == 9  # the edit was undone
    assert not state.answers["naerhed"].edited
    assert state.skipped == ("hoej",)
    assert state.decision_role == "shared" and state.choice == "samtaler"
    assert state.decided_by is None
    assert state.current is not None and state.current.id == "decided_by"
    assert state.seen == ("welcome", "bekymring_info", "options_overview")  # one passed
    assert state.information_level == "everything"
    assert [n.step for n in state.notes] == ["bekymring"]
    assert [p.name for p in state.participants] == [None, "Mette"]
    sure = ("sure_sure", "sure_understand", "sure_risk_benefit", "sure_support")
    assert state.answerable == ("hoej", "decided_by", *sure, "next_steps", "opfoelgning")
    # hoej is skipped already and decided_by is required
    assert state.skippable == (*sure, "next_steps", "opfoelgning")
    assert state.editable == tuple(state.answers)
    assert state.unseen == ()  # bekymring_info was passed


def test_answers_are_in_conversation_order_whatever_the_order_given() -> None:
    session = Session(AID)
    session.apply(Answer(step="dato", value="2026-02-01", speaker=A, at=at(1)))
    session.apply(Answer(step="naerhed", value=3, speaker=A, at=at(2)))
    state = session.apply(Answer(step="information_level", value="some", speaker=A, at=at(3)))
    assert list(state.answers) == ["information_level", "naerhed", "dato"]
    assert [r.step for r in state.history] == ["dato", "naerhed", "information_level"]
    # The first gap comes next: the conversation does not skip what was never asked.
    assert state.current is not None and state.current.id == "decision_role"


# --- undo -------------------------------------------------------------------------------------


UNDOABLE_CUTS = [n for n, e in enumerate(script(), start=1)
                 if isinstance(e, (Answer, Edit, Skip, Seen, SetInformationLevel))]


@pytest.mark.parametrize("cut", UNDOABLE_CUTS)
def test_undo_restores_the_previous_state_exactly(cut: int) -> None:
    events = script()[:cut]
    before = fold(AID, events[:-1])
    after = fold(AID, [*events, Undo(at=at(99))])
    assert after == before
    assert state_to_json(after) == state_to_json(before)


def test_undo_after_a_note_still_restores_the_move_but_keeps_the_note() -> None:
    base = script()[:8]
    move = Answer(step="hvad", value=["intet"], speaker=A, at=at(50))
    note = Note(text="Senere", speaker=C, at=at(51))
    after = fold(AID, [*base, move, note, Undo(at=at(52))])
    assert after == fold(AID, [*base, note])


def test_double_undo_goes_back_two_moves() -> None:
    base = script()[:6]
    state = fold(AID, [*base, Undo(at=at(20)), Undo(at=at(21))])
    assert state == fold(AID, base[:4])


# --- conditions after an edit -----------------------------------------------------------------


def test_an_edit_that_disables_later_steps_keeps_their_answers_inactive() -> None:
    session = Session(AID)
    walk(session)  # bekymret = True, so bekymring was asked and bekymring_info was shown
    state = session.state
    assert state.finished
    assert "bekymring" in state.answers and "bekymring_info" in state.seen
    assert not state.enabled("hoej")

    state = session.apply(Edit(step="bekymret", value=False, speaker=A, at=at(100)))
    assert "bekymring" not in state.answers
    assert list(state.inactive) == ["bekymring"]
    assert not state.enabled("bekymring") and not state.enabled("bekymring_info")
    assert "bekymring_info" not in state.seen
    # hoej is enabled now (bekymret = false) and comes up next, though it is earlier on.
    assert state.enabled("hoej")
    assert state.current is not None and state.current.id == "hoej"
    assert not state.finished
    assert "bekymring" in [r.step for r in state.history]

    state = session.apply(Edit(step="bekymret", value=True, speaker=A, at=at(101)))
    assert state.answers["bekymring"].value == "tekst"  # counts again
    assert state.inactive == {}
    assert state.finished


def test_progress_counts_only_enabled_answerable_steps() -> None:
    session = Session(AID)
    walk(session)
    prefs = next(p for p in session.state.progress if p.phase == "preferences")
    assert (prefs.done, prefs.total) == (5, 5)  # naerhed bekymret bekymring hvad dato
    state = session.apply(Edit(step="hvad", value=["medicin"], speaker=A, at=at(100)))
    prefs = next(p for p in state.progress if p.phase == "preferences")
    assert (prefs.done, prefs.total) == (5, 6)  # hvem is asked now
    assert not prefs.complete
    assert state.overall.total == sum(p.total for p in state.progress)


# --- information steps ------------------------------------------------------------------------


def test_information_steps_wait_for_seen_when_they_are_current() -> None:
    session = Session(MEETING)
    assert session.state.current is not None and session.state.current.id == "hello"
    session.apply(Answer(step="emne", value="Bolig", speaker=A, at=at(1)))
    session.apply(Answer(step="opgaver", value=[{"what": "Ring", "who": "Ole"}], speaker=C,
                         at=at(2)))
    state = session.state
    assert state.seen == ("hello",)  # passed
    assert state.current is not None and state.current.id == "farvel"  # the last word
    assert not state.finished
    assert [(p.phase, p.done, p.total) for p in state.progress] == [
        ("start", 1, 1), ("slut", 1, 1)]
    state = session.apply(Seen(step="farvel", at=at(3)))
    assert state.finished and state.unseen == ()


# --- SURE -------------------------------------------------------------------------------------


def sure_answers(**items: bool) -> Session:
    session = Session(AID)
    walk(session)
    for item, value in items.items():
        session.apply(Edit(step=item, value=value, speaker=A, at=at(200)))
    return session


def test_sure_all_yes_means_no_routes() -> None:
    state = sure_answers().state
    assert state.sure == {"sure_sure": True, "sure_understand": True,
                          "sure_risk_benefit": True, "sure_support": True}
    assert state.sure_route == ()
    assert state_to_json(state)["sure"]["score"] == 4


def test_each_sure_no_routes_to_what_would_help() -> None:
    state = sure_answers(sure_sure=False, sure_understand=False, sure_risk_benefit=False,
                         sure_support=False).state
    routes = {r.item: r for r in state.sure_route}
    assert [r.item for r in state.sure_route] == [
        "sure_understand", "sure_risk_benefit", "sure_support", "sure_sure"]
    assert (routes["sure_understand"].action, routes["sure_understand"].phase,
            routes["sure_understand"].step) == ("revisit", "options", "options_overview")
    assert (routes["sure_risk_benefit"].phase, routes["sure_risk_benefit"].step) == (
        "preferences", "naerhed")
    assert routes["sure_support"].action == "add_support"
    assert (routes["sure_sure"].action, routes["sure_sure"].step) == ("not_yet", "choice")
    assert all(r.message.da and r.message.en for r in state.sure_route)
    assert state_to_json(state)["sure"]["score"] == 0


def test_sure_routes_follow_edits_and_guides_without_not_yet() -> None:
    session = sure_answers(sure_support=False)
    assert [r.item for r in session.state.sure_route] == ["sure_support"]
    session.apply(Edit(step="sure_support", value=True, speaker=A, at=at(300)))
    assert session.state.sure_route == ()

    guide = load_guide(AID_YAML.replace("decision:\n", "decision:\n  allow_not_yet: false\n"))
    session = Session(guide)
    walk(session)
    state = session.apply(Edit(step="sure_sure", value=False, speaker=A, at=at(300)))
    assert state.sure_route[0].step is None  # no "not yet" choice to point at


def test_guides_without_sure_have_no_sure_items() -> None:
    session = Session(MEETING)
    assert session.state.sure == {} and session.state.sure_route == ()
    assert state_to_json(session.state)["sure"] is None


# --- detail by information level --------------------------------------------------------------

MORE = LevelText(a_little="Kort.", some=LocalText(da="Mere.", en="More."), everything="Alt.")


@pytest.mark.parametrize(
    ("level", "expected"),
    [("a_little", ("Kort.",)), ("some", ("Kort.", "Mere.")),
     ("everything", ("Kort.", "Mere.", "Alt."))],
)
def test_detail_nests_by_level(level: str, expected: tuple[str, ...]) -> None:
    state = fold(AID, [SetInformationLevel(level=level, speaker=A, at=at())])
    assert state.detail(MORE) == expected


def test_detail_skips_missing_levels_and_follows_the_language() -> None:
    state = fold(AID, [SetInformationLevel(level="everything", speaker=A, at=at())])
    assert state.detail(LevelText(some=LocalText(da="Mere.", en="More."))) == ("Mere.",)
    assert state.detail(MORE, "en") == ("Kort.", "More.", "Alt.")
    assert state.detail(None) == ()
    assert fold(AID, [], language="en").detail(MORE) == ("Kort.", "More.")
    option = AID.options[0]  # type: ignore[union-attr]
    assert state.detail(option.more) == ("Kort.", "Mere.", "Alt.")


def test_language_can_change_without_an_event() -> None:
    session = Session(AID, script())
    state = session.set_language("en")
    assert state.language == "en" and state.detail(MORE) == ("Kort.", "More.", "Alt.")
    assert state.answers == Session(AID, script()).state.answers


def test_step_lookup() -> None:
    state = initial(AID)
    assert state.step("dato").phase == "preferences"
    assert state.has_step("dato") and not state.has_step("nope")
    with pytest.raises(KeyError):
        state.step("nope")
    with pytest.raises(KeyError):
        state.enabled("nope")



def test_a_long_fold_equals_advancing_event_by_event_and_is_frozen() -> None:
    """`fold` builds one log for a whole replay (linear time, issue 16); it must give the
    very state `advance` gives one event at a time — Undo included — and a state whose
    collections the fold can no longer change."""
    from types import MappingProxyType

    from assistant.engine import Edit, Undo
    from assistant.engine.state import advance

    events = script()
    level = next(e for e in events if getattr(e, "step", None) == "information_level")
    extra: list[Event] = []
    for i in range(300):
        extra.append(Edit(step="information_level", value=("some", "everything")[i % 2],
                          speaker="patient", at=at(200 + i)))
        if i % 97 == 0:
            extra.append(Undo(at=at(200 + i)))
    assert level is not None
    everything = [*events, *extra]
    stepwise = initial(AID)
    for event in everything:
        stepwise = advance(stepwise, event)
    folded = fold(AID, everything)
    assert folded == stepwise
    assert state_to_json(folded) == state_to_json(stepwise)
    for name in ("history", "participants", "notes", "effective_events", "review_history",
                 "approvals"):
        assert isinstance(getattr(folded, name), tuple), name
    assert isinstance(folded.answers, MappingProxyType)
    # Folding more events later leaves the earlier state as it was.
    before = state_to_json(folded)
    fold(AID, [*everything, *extra])
    assert state_to_json(folded) == before
