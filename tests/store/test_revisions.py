"""Plan revisions: add, list, and which plans are due."""

from __future__ import annotations

import datetime as dt

import pytest

from assistant.guides.loader import Loaded
from assistant.store import InvalidSessionData, SessionNotFound, StoreWriteError
from tests.store.conftest import AnyStore, both

DAY = dt.date(2026, 6, 1)


@both
def test_add_and_list(store: AnyStore, guide: Loaded) -> None:
    row = store.create_session(guide, "AB")
    draft = '{"fields": {"needs": "ro og søvn"}, "v": 1}'
    first = store.add_revision(row.id, "exported", draft)
    second = store.add_revision(row.id, "approved", "{}", next_revision_due=DAY,
                                responsible="kontaktperson i kommunen")
    assert (first.revision, second.revision) == (1, 2)
    assert first.draft == draft  # opaque: exactly as given
    assert first.next_revision_due is None and first.responsible is None
    assert second.next_revision_due == DAY
    assert store.list_revisions(row.id) == [first, second]
    assert store.list_revisions() == [first, second]
    assert store.get_session(row.id).status == "plan_approved"


@both
def test_list_only_one_kind(store: AnyStore, guide: Loaded) -> None:
    a = store.create_session(guide, "A")
    b = store.create_session(guide, "B")
    exported = store.add_revision(a.id, "exported", "{}")
    approved = store.add_revision(a.id, "approved", "{}")
    other = store.add_revision(b.id, "approved", "{}")
    assert store.list_revisions(a.id, kind="approved") == [approved]
    assert store.list_revisions(a.id, kind="exported") == [exported]
    assert store.list_revisions(kind="approved") == sorted(
        [approved, other], key=lambda r: (r.session_id, r.revision))
    with pytest.raises(InvalidSessionData):
        store.list_revisions(a.id, kind="draft")  # type: ignore[arg-type]


@both
def test_exported_does_not_change_status(store: AnyStore, guide: Loaded) -> None:
    row = store.create_session(guide, "AB")
    store.add_revision(row.id, "exported", "{}")
    assert store.get_session(row.id).status == "in_progress"


@both
def test_refusals(store: AnyStore, guide: Loaded) -> None:
    row = store.create_session(guide, "AB")
    with pytest.raises(SessionNotFound):
        store.add_revision("f" * 32, "approved", "{}")
    with pytest.raises(InvalidSessionData):
        store.add_revision(row.id, "draft", "{}")  # type: ignore[arg-type]
    with pytest.raises(InvalidSessionData):
        store.add_revision(row.id, "approved", "{}", responsible="x" * 501)
    with pytest.raises(InvalidSessionData):
        store.add_revision(row.id, "approved", "{}",
                           next_revision_due=dt.datetime(2026, 1, 1))
    assert store.list_revisions(row.id) == []


@both
def test_revisions_are_append_only(store: AnyStore, guide: Loaded) -> None:
    row = store.create_session(guide, "AB")
    store.add_revision(row.id, "approved", "{}")
    with pytest.raises(StoreWriteError), store.db.write() as tx:
        tx.execute("UPDATE plan_revisions SET draft = 'x'")


@both
def test_revisions_due_uses_the_latest_revision(store: AnyStore, guide: Loaded) -> None:
    a = store.create_session(guide, "A")
    b = store.create_session(guide, "B")
    c = store.create_session(guide, "C")
    d = store.create_session(guide, "D")
    store.add_revision(a.id, "approved", "{}", next_revision_due=DAY)
    store.add_revision(b.id, "approved", "{}", next_revision_due=DAY - dt.timedelta(days=10))
    # c was due, but a newer revision moved the date out.
    store.add_revision(c.id, "approved", "{}", next_revision_due=DAY - dt.timedelta(days=5))
    store.add_revision(c.id, "approved", "{}", next_revision_due=DAY + dt.timedelta(days=90))
    store.add_revision(d.id, "exported", "{}")  # no due date
    due = store.revisions_due(DAY)
    assert [(r.session_id, r.revision) for r in due] == [(b.id, 1), (a.id, 1)]
    assert [r.session_id for r in store.revisions_due(DAY - dt.timedelta(days=1))] == [b.id]
    assert store.revisions_due(DAY + dt.timedelta(days=100))[-1].session_id == c.id
