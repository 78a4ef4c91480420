"""Issue 13, item 2: the length of a sealed record must not give the answer away.

Before padding, yes/no answers differed by one byte (183 vs 184), each choice of a question
had its own length, and so did the decision role and the scale values. Now every plaintext is
padded to a size class before encryption (see `assistant.store.crypto`): a power of two, at
least 256 bytes. The main test goes through the store as the UI does: every bundled guide's
every step with a closed set of answers (each choice of a single- or multiple-choice question,
yes and no, every point of a scale, the decision role and "who decided", the information level)
is answered, by every role, as an answer and as an edit; the stored ciphertext lengths must
fall into one class per step.
"""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
from collections import defaultdict
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from pydantic import JsonValue

from assistant.engine.events import Answer, Edit, SetInformationLevel
from assistant.engine.values import plain, validate_value
from assistant.guides.flow import flow
from assistant.guides.loader import Loaded, load_library
from assistant.guides.models import (
    INFORMATION_LEVELS,
    ROLES,
    AnyStep,
    DecisionAid,
    MeetingGuide,
    MultiStep,
    ScaleStep,
    SingleStep,
)
from assistant.store import Store
from assistant.store.crypto import (
    FORMAT,
    FORMAT_V1,
    KEY_BYTES,
    KEY_ID_BYTES,
    NONCE_BYTES,
    PAD_FLOOR,
    RecordCipher,
    Undecryptable,
    _encode,
    sealed_size,
    size_class,
)
from tests.engine.helpers import sample_value
from tests.privacy.conftest import FAST_KDF, PASSPHRASE

AT = dt.datetime(2026, 5, 1, 10, 0, tzinfo=dt.UTC)
OVERHEAD = len(FORMAT) + KEY_ID_BYTES + NONCE_BYTES + 16  # header, nonce, tag: 40 bytes
KEY_ID, KEY = b"k" * KEY_ID_BYTES, bytes(range(KEY_BYTES))
WHERE = ("events", "payload", "0" * 32, 1)


def closed_answers(step: AnyStep) -> list[JsonValue]:
    """Every answer a step with a closed set of answers can get, as the engine stores it."""
    if isinstance(step, SingleStep):
        raw: list[object] = [c.id for c in step.choices]
    elif isinstance(step, MultiStep):
        raw = [[c.id] for c in step.choices]  # each choice on its own
    elif isinstance(step, ScaleStep):
        raw = list(range(step.min, step.max + 1))
    elif step.type == "yesno":
        raw = [True, False]
    else:
        return []
    return [plain(validate_value(step, value)) for value in raw]


def guides() -> list[tuple[Loaded, DecisionAid | MeetingGuide]]:
    """Every bundled decision aid and meeting guide (plan templates take no answers)."""
    library = load_library()
    assert not library.errors
    return [(d, d.document) for d in library.documents
            if isinstance(d.document, (DecisionAid, MeetingGuide))]


def is_class(length: int) -> bool:
    body = length - OVERHEAD
    return body >= PAD_FLOOR and body & (body - 1) == 0


def test_every_closed_answer_of_every_bundled_guide_is_one_class_per_step(
        tmp_path: Path) -> None:
    path = tmp_path / "sessions.sqlite3"
    steps: dict[tuple[str, int], str] = {}  # (session, seq) -> step
    kinds: dict[str, str] = {}
    checked = 0
    with Store.create_encrypted(path, PASSPHRASE, kdf=FAST_KDF) as store:
        for loaded, guide in guides():
            row = store.create_session(loaded, "AB", list(ROLES))
            for flow_step in flow(guide):
                step = flow_step.step
                values = closed_answers(step)
                if not values:
                    continue
                key = f"{guide.id}:{step.id}"
                kinds[key] = step.type
                events: list[Answer | Edit] = [
                    Answer(step=step.id, value=v, speaker="patient", at=AT) for v in values]
                events += [Edit(step=step.id, value=values[-1], speaker=role, at=AT)
                           for role in ROLES]
                for event in events:
                    steps[(row.id, store.append(row.id, event))] = key
                    checked += 1
            for level in INFORMATION_LEVELS:
                seq = store.append(row.id, SetInformationLevel(level=level, speaker="patient",
                                                               at=AT))
                steps[(row.id, seq)] = f"{guide.id}:set_information_level"
    conn = sqlite3.connect(path)
    try:
        rows = conn.execute("SELECT session_id, seq, length(payload) FROM events").fetchall()
    finally:
        conn.close()
    lengths: dict[str, set[int]] = defaultdict(set)
    for session_id, seq, length in rows:
        lengths[steps[(session_id, seq)]].add(length)
    assert checked > 300 and len(rows) == len(steps)
    # The kinds the issue named are all there: yes/no, single choice, scale, decision role.
    assert {"yesno", "single", "multi", "scale"} <= set(kinds.values())
    assert any(k.endswith(":decision_role") for k in kinds)
    mixed = {k: sorted(v) for k, v in lengths.items() if len(v) != 1}
    assert mixed == {}, f"steps whose answers differ in sealed length: {mixed}"
    assert all(is_class(length) for v in lengths.values() for length in v)


def test_sizes_are_classes() -> None:
    assert [size_class(n) for n in (0, 1, 252, 253, 508, 509, 1020, 1021)] == [
        256, 256, 256, 512, 512, 1024, 1024, 2048]
    cipher = RecordCipher(KEY_ID, KEY)
    for n in [*range(0, 1100, 7), 252, 253, 508, 509, 10_000, 40_000]:
        plaintext = os.urandom(n)
        sealed = cipher.seal(plaintext, WHERE)
        assert sealed.startswith(FORMAT + KEY_ID)
        assert len(sealed) == sealed_size(n) and is_class(len(sealed)), n
        assert cipher.open(sealed, WHERE) == plaintext


def test_labels_responsible_and_drafts_are_padded(tmp_path: Path) -> None:
    ((loaded, _), *_) = guides()
    path = tmp_path / "sessions.sqlite3"
    with Store.create_encrypted(path, PASSPHRASE, kdf=FAST_KDF) as store:
        for label in ("A", "AB", "Anne Bentsen", "x" * 100):
            row = store.create_session(loaded, label)
            store.add_revision(row.id, "approved", '{"plan": "' + label + '"}',
                               responsible=label)
    conn = sqlite3.connect(path)
    try:
        labels = {n for (n,) in conn.execute("SELECT length(label) FROM sessions")}
        other = {n for (n,) in conn.execute("SELECT length(draft) FROM plan_revisions")
                 } | {n for (n,) in conn.execute("SELECT length(responsible) FROM plan_revisions")}
    finally:
        conn.close()
    assert labels == other == {PAD_FLOOR + OVERHEAD}


def _sealed_by_hand(header: bytes, plaintext: bytes) -> bytes:
    """A record sealed with the right key but laid out as `header` says (an old version's
    record, or a forged layout with a valid tag)."""
    nonce = os.urandom(NONCE_BYTES)
    return header + nonce + AESGCM(KEY).encrypt(nonce, plaintext, header + _encode(WHERE))


def test_old_unpadded_records_still_open() -> None:
    old = _sealed_by_hand(FORMAT_V1 + KEY_ID, b'{"type": "answer", "value": true}')
    assert RecordCipher(KEY_ID, KEY).open(old, WHERE) == b'{"type": "answer", "value": true}'


def test_the_format_tag_cannot_be_swapped() -> None:
    cipher = RecordCipher(KEY_ID, KEY)
    padded = cipher.seal(b"yes", WHERE)
    with pytest.raises(Undecryptable):  # read as unpadded, it would show the padding
        cipher.open(FORMAT_V1 + padded[len(FORMAT):], WHERE)
    old = _sealed_by_hand(FORMAT_V1 + KEY_ID, b"yes")
    with pytest.raises(Undecryptable):
        cipher.open(FORMAT + old[len(FORMAT_V1):], WHERE)


@pytest.mark.parametrize("padded", [
    pytest.param(b"\0\0\0\3yes" + bytes(248), id="class-too-small"),
    pytest.param((3).to_bytes(4, "big") + b"yes" + bytes(300 - 7), id="not-a-class"),
    pytest.param((3).to_bytes(4, "big") + b"yes" + b"\1" + bytes(248), id="non-zero-padding"),
    pytest.param((253).to_bytes(4, "big") + bytes(252), id="length-beyond-the-end"),
    pytest.param((3).to_bytes(4, "big") + b"yes" + bytes(505), id="larger-class-than-needed"),
])
def test_padding_not_as_written_is_damage(padded: bytes) -> None:
    """Authenticated, but not laid out as `seal` writes it: refused, never half-read."""
    forged = _sealed_by_hand(FORMAT + KEY_ID, padded)
    with pytest.raises(Undecryptable):
        RecordCipher(KEY_ID, KEY).open(forged, WHERE)


def test_sample_values_of_open_steps_are_padded_too() -> None:
    """Free text, dates, people and tasks: what was said decides the class, nothing finer."""
    cipher = RecordCipher(KEY_ID, KEY)
    for _, guide in guides():
        for flow_step in flow(guide):
            step = flow_step.step
            if step.type == "info" or closed_answers(step):
                continue
            for variant in ("first", "last"):
                event = Answer(step=step.id, value=sample_value(step, variant),
                               speaker="patient", at=AT)
                payload = event.model_dump_json().encode()
                assert is_class(len(cipher.seal(payload, WHERE)))
