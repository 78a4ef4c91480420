"""Resuming on a changed guide: guide_changed and split_events_for_guide."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from assistant.engine.events import (
    Answer,
    Edit,
    Event,
    Note,
    Seen,
    SetInformationLevel,
    Skip,
    Undo,
)
from assistant.engine.rehydrate import guide_changed, split_events_for_guide
from assistant.guides.flow import flow
from assistant.guides.loader import Loaded, load_file
from assistant.guides.models import DecisionAid
from assistant.store import Store
from tests.conftest import EXAMPLES
from tests.store.conftest import AT


def without_step(guide: Loaded, step_id: str) -> Loaded:
    """The guide with one preference step removed (and its text changed accordingly)."""
    aid = guide.document
    assert isinstance(aid, DecisionAid)
    prefs = [s for s in aid.preferences if s.id != step_id]
    changed = aid.model_copy(update={"preferences": prefs, "version": "1.1.0"})
    return Loaded(guide.file, changed, guide.text + "\n# changed\n")


def ans(step: str, value: object = "x") -> Answer:
    return Answer(step=step, value=value, speaker="patient", at=AT)


def test_guide_changed(store: Store, guide: Loaded) -> None:
    row = store.create_session(guide, "AB")
    assert not guide_changed(row, guide)
    same_version_new_text = Loaded(guide.file, guide.document, guide.text + "\n")
    assert guide_changed(row, same_version_new_text)
    new_version = Loaded(guide.file, guide.document.model_copy(update={"version": "2.0"}),
                         guide.text)
    assert guide_changed(row, new_version)


def test_split_drops_events_of_removed_steps(guide: Loaded) -> None:
    newer = without_step(guide, "vigtigst")
    events: list[Event] = [
        Seen(step="welcome", at=AT),
        ans("vigtigst"),
        Edit(step="vigtigst", value="y", speaker="patient", at=AT),
        Skip(step="vigtigst", speaker="patient", at=AT),
        Note(text="om vigtigst", speaker="clinician", step="vigtigst", at=AT),
        Note(text="generelt", speaker="clinician", at=AT),
        ans("kontakt", "a"),
        SetInformationLevel(level="some", speaker="patient", at=AT),
    ]
    kept, dropped = split_events_for_guide(events, newer)
    assert kept == [events[0], events[5], events[6], events[7]]
    assert dropped == [events[1], events[2], events[3], events[4]]
    assert split_events_for_guide(events, guide) == (events, [])
    assert isinstance(newer.document, DecisionAid)
    assert split_events_for_guide(events, newer.document) == (kept, dropped)


def test_undo_of_a_dropped_event_is_dropped_with_it(guide: Loaded) -> None:
    newer = without_step(guide, "vigtigst")
    a, gone, b = ans("information_level", "some"), ans("vigtigst"), ans("kontakt", "a")
    undo1, undo2 = Undo(at=AT), Undo(at=AT + dt.timedelta(seconds=1))
    # a, gone, undo1 (undoes gone), b, undo2 (undoes b)
    kept, dropped = split_events_for_guide([a, gone, undo1, b, undo2], newer)
    assert kept == [a, b, undo2]
    assert dropped == [gone, undo1]
    # gone, a, undo1 (undoes a), undo2 (undoes gone): both undos must keep their targets.
    kept, dropped = split_events_for_guide([gone, a, undo1, undo2], newer)
    assert kept == [a, undo1]
    assert dropped == [gone, undo2]


_LOADED, _ = load_file(EXAMPLES / "eksempel-beslutning.yaml")
assert _LOADED is not None
_GUIDE: Loaded = _LOADED

STEPS = ["welcome", "information_level", "vigtigst", "kontakt", "hvem", "gone1", "gone2"]


@st.composite
def event_lists(draw: st.DrawFn) -> list[Event]:
    out: list[Event] = []
    for _ in range(draw(st.integers(0, 25))):
        kind = draw(st.sampled_from(["answer", "edit", "skip", "seen", "undo", "note", "level"]))
        step = draw(st.sampled_from(STEPS))
        if kind == "answer":
            out.append(ans(step))
        elif kind == "edit":
            out.append(Edit(step=step, value="v", speaker="patient", at=AT))
        elif kind == "skip":
            out.append(Skip(step=step, speaker="patient", at=AT))
        elif kind == "seen":
            out.append(Seen(step=step, at=AT))
        elif kind == "note":
            out.append(Note(text="n", speaker="patient", step=step, at=AT))
        elif kind == "level":
            out.append(SetInformationLevel(level="some", speaker="patient", at=AT))
        else:
            out.append(Undo(at=AT))
    return out


def _undone_targets(events: list[Event]) -> list[tuple[int, int]]:
    """(undo, target) identity pairs, by object id, as the engine's stack would pair them."""
    stack: list[Event] = []
    pairs: list[tuple[int, int]] = []
    for e in events:
        if isinstance(e, Undo):
            if stack:
                pairs.append((id(e), id(stack.pop())))
        elif not isinstance(e, Note):
            stack.append(e)
    return pairs


@given(event_lists())
def test_split_properties(events: list[Event]) -> None:
    # Give every event its own identity (hypothesis may reuse equal frozen objects).
    events = [e.model_copy() for e in events]
    newer = without_step(_GUIDE, "vigtigst")
    loaded_steps = {s.id for s in flow(newer.document)}  # type: ignore[arg-type]
    kept, dropped = split_events_for_guide(events, newer)
    # Nothing lost, nothing invented, order kept.
    assert sorted(map(id, kept + dropped)) == sorted(map(id, events))
    assert [id(e) for e in events if id(e) in set(map(id, kept))] == list(map(id, kept))
    # No kept event refers to a step that is gone.
    for e in kept:
        step = getattr(e, "step", None)
        assert step is None or step in loaded_steps
    # Every kept Undo takes back the same event in `kept` as it did in `events`.
    original = dict(_undone_targets(events))
    for undo, target in _undone_targets(kept):
        assert original[undo] == target

