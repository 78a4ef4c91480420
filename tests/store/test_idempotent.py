"""Idempotent appends (issue 19, item 2): a retried event, sent again with the number it
was to get after the answer from the store was lost, is not stored twice; other content at
that number is refused. On both backends."""

from __future__ import annotations

import pytest

from assistant.guides.loader import Loaded
from assistant.store import InvalidSessionData, SessionNotFound
from tests.store.conftest import CANARY, AnyStore, answer, both


@both
def test_a_retry_with_the_same_seq_is_stored_once(store: AnyStore, guide: Loaded) -> None:
    row = store.create_session(guide, "AB")
    assert store.append(row.id, answer(value="a"), seq=1) == 1
    assert store.append(row.id, answer(value="a"), seq=1) == 1  # the retry
    assert store.append(row.id, answer(value="b"), seq=2) == 2
    assert store.append(row.id, answer(value="a"), seq=1) == 1  # a late retry
    assert store.load_events(row.id) == [answer(value="a"), answer(value="b")]
    assert store.append(row.id, answer(value="c")) == 3  # without seq: the next number


@both
def test_other_content_at_a_taken_seq_is_refused(store: AnyStore, guide: Loaded) -> None:
    row = store.create_session(guide, "AB")
    store.append(row.id, answer(value="a"), seq=1)
    with pytest.raises(InvalidSessionData) as refused:
        store.append(row.id, answer(value=CANARY), seq=1)
    assert "event 1 of session" in refused.value.message
    assert CANARY not in str(refused.value)
    with pytest.raises(InvalidSessionData):  # a gap: 2 is next, not 3
        store.append(row.id, answer(value="c"), seq=3)
    with pytest.raises(SessionNotFound):
        store.append("0" * 32, answer(), seq=1)
    assert store.load_events(row.id) == [answer(value="a")]
