"""Sessions and events: create, list, update, append, load."""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Callable

import pytest

from assistant.engine.events import (
    AddParticipant,
    Answer,
    Edit,
    Event,
    Note,
    Seen,
    SetInformationLevel,
    Skip,
    Undo,
)
from assistant.engine.rehydrate import guide_hash
from assistant.guides.loader import Loaded
from assistant.store import (
    InvalidSessionData,
    SessionNotFound,
    Store,
    StoreWriteError,
)
from tests.store.conftest import AT, AnyStore, answer, both


class Clock:
    """A clock the test moves by hand."""

    def __init__(self, start: dt.datetime) -> None:
        self.now = start

    def __call__(self) -> dt.datetime:
        return self.now

    def tick(self, minutes: int = 1) -> None:
        self.now += dt.timedelta(minutes=minutes)


ALL_KINDS: list[Event] = [
    Seen(step="welcome", at=AT),
    Answer(step="information_level", value="some", speaker="patient", at=AT),
    Answer(step="vigtigst", value="at blive hørt – æøå 🙂", speaker="patient", at=AT,
           verbatim="jeg vil bare høres"),
    Edit(step="vigtigst", value={"nested": [1, 2.5, None, True]}, speaker="relative", at=AT),
    Skip(step="decision_role", speaker="clinician", at=AT),
    Undo(at=AT),
    SetInformationLevel(level="everything", speaker="patient", at=AT),
    AddParticipant(role="peer_worker", name="Kim", at=AT),
    Note(text="en note\nmed to linjer", speaker="clinician", step="kontakt", at=AT),
]


@both
def test_create_and_get(store: AnyStore, guide: Loaded) -> None:
    row = store.create_session(guide, "  A.B.\x1b[31m  ", ["patient", "clinician", "patient"])
    assert len(row.id) == 32 and int(row.id, 16) >= 0
    assert row.guide_id == "eksempel-beslutning"
    assert row.guide_version == guide.document.version
    assert row.guide_hash == guide_hash(guide.text)
    assert row.label == "A.B."  # cleaned: no escape sequence, no padding
    assert row.present == ("patient", "clinician")
    assert row.status == "in_progress" and not row.finished
    assert row.created == row.updated and row.created.tzinfo is not None
    assert row.events == 0
    assert store.get_session(row.id) == row


@both
def test_bad_session_data_is_refused(store: AnyStore, guide: Loaded) -> None:
    with pytest.raises(InvalidSessionData):
        store.create_session(guide, "   ")
    with pytest.raises(InvalidSessionData):
        store.create_session(guide, "x" * 101)
    with pytest.raises(InvalidSessionData):
        store.create_session(guide, "AB", ["boss"])  # type: ignore[list-item]
    assert store.list_sessions() == []


@both
def test_events_round_trip_in_order(store: AnyStore, guide: Loaded) -> None:
    row = store.create_session(guide, "AB")
    seqs = [store.append(row.id, e) for e in ALL_KINDS]
    assert seqs == list(range(1, len(ALL_KINDS) + 1))
    assert store.load_events(row.id) == ALL_KINDS
    assert store.get_session(row.id).events == len(ALL_KINDS)
    types = [r["type"] for r in store.db.read("SELECT type FROM events ORDER BY seq")]
    assert types == [e.type for e in ALL_KINDS]


@both
def test_seq_counts_per_session(store: AnyStore, guide: Loaded) -> None:
    a = store.create_session(guide, "A")
    b = store.create_session(guide, "B")
    assert [store.append(a.id, answer()), store.append(b.id, answer()),
            store.append(a.id, answer())] == [1, 1, 2]
    assert store.load_events(b.id) == [answer()]


@both
def test_unknown_session(store: AnyStore) -> None:
    missing = "0" * 32
    with pytest.raises(SessionNotFound):
        store.append(missing, answer())
    with pytest.raises(SessionNotFound):
        store.load_events(missing)
    with pytest.raises(SessionNotFound):
        store.get_session(missing)
    with pytest.raises(SessionNotFound):
        store.update_session(missing, status="finished")


@both
def test_empty_session_loads_empty(store: AnyStore, guide: Loaded) -> None:
    row = store.create_session(guide, "AB")
    assert store.load_events(row.id) == []


def test_list_newest_first_and_unfinished_only(make_store: Callable[..., AnyStore],
                                               guide: Loaded) -> None:
    clock = Clock(AT)
    with make_store(clock=clock) as store:
        first = store.create_session(guide, "first")
        clock.tick()
        second = store.create_session(guide, "second")
        clock.tick()
        third = store.create_session(guide, "third")
        clock.tick()
        store.append(first.id, answer())  # now the most recently updated
        clock.tick()
        store.update_session(third.id, status="finished")
        assert [r.label for r in store.list_sessions()] == ["third", "first", "second"]
        unfinished = store.list_sessions(unfinished_only=True)
        assert [r.id for r in unfinished] == [first.id, second.id]
        assert store.get_session(first.id).updated == AT + dt.timedelta(minutes=3)


@both
def test_update_session(store: AnyStore, guide: Loaded) -> None:
    row = store.create_session(guide, "AB")
    updated = store.update_session(row.id, label="CD", present=["relative"],
                                   status="plan_approved")
    assert (updated.label, updated.present, updated.status) == ("CD", ("relative",),
                                                               "plan_approved")
    with pytest.raises(InvalidSessionData):
        store.update_session(row.id, status="gone")  # type: ignore[arg-type]


@both
def test_update_session_records_a_new_guide_version(store: AnyStore, guide: Loaded) -> None:
    row = store.create_session(guide, "AB")
    new_text = guide.text.replace("version: 1.0.0", "version: 1.1.0")
    newer = Loaded(guide.file, guide.document.model_copy(update={"version": "1.1.0"}), new_text)
    updated = store.update_session(row.id, guide=newer)
    assert updated.guide_version == "1.1.0"
    assert updated.guide_hash == guide_hash(new_text)


@both
def test_events_are_append_only_in_the_schema(store: AnyStore, guide: Loaded) -> None:
    row = store.create_session(guide, "AB")
    store.append(row.id, answer())
    with pytest.raises(StoreWriteError), store.db.write() as tx:
        tx.execute("UPDATE events SET payload = '{}'")
    assert store.load_events(row.id) == [answer()]


def test_damaged_payload_is_reported_by_seq_only(store: Store, guide: Loaded) -> None:
    row = store.create_session(guide, "AB")
    with store.db.write() as tx:
        tx.execute("INSERT INTO events VALUES (?, 1, 'answer', '{\"type\": \"answer\", "
                   "\"step\": \"x\", \"value\": \"SECRET-WORDS\"}', '')", (row.id,))
    with pytest.raises(Exception) as caught:
        store.load_events(row.id)
    assert "event 1" in str(caught.value)
    assert "SECRET" not in str(caught.value)



def test_append_is_committed_when_it_returns(store: Store, guide: Loaded) -> None:
    row = store.create_session(guide, "AB")
    other = sqlite3.connect(store.path)  # an independent reader sees only committed data
    try:
        for n in range(1, 4):
            store.append(row.id, answer(value=f"v{n}"))
            assert not store.db._conn.in_transaction
            count = other.execute("SELECT count(*) FROM events").fetchone()[0]
            assert count == n
    finally:
        other.close()
