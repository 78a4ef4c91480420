"""Old-format test vectors (R13): a store encrypted by an earlier version still decrypts.

`fixtures/encrypted-sdm1.sqlite3` was written once by `fixtures/make_encrypted_fixture.py`
with the real key-derivation settings of format "sdm1". It is never regenerated: if this test
fails after a change, the change broke every encrypted store in the field.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import sqlite3
from pathlib import Path

import pytest

from assistant.engine.events import Answer, Note
from assistant.store import PassphraseRequired, Store, WrongPassphrase, is_encrypted

FIXTURE = Path(__file__).parent / "fixtures" / "encrypted-sdm1.sqlite3"
PASSPHRASE = "fixture passphrase æøå 2026"
SESSION = "6eb173f0b905432fbc1669e0f684c7b6"
AT = dt.datetime(2026, 5, 1, 10, 0, tzinfo=dt.UTC)


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    """The fixture copied (opening may migrate a store: never touch the committed file)."""
    target = tmp_path / "old" / "sessions.sqlite3"
    target.parent.mkdir(mode=0o700)
    shutil.copyfile(FIXTURE, target)
    return target


def test_fixture_holds_no_plain_text() -> None:
    data = FIXTURE.read_bytes()
    for clear in ("Fixture AB", "at blive hørt", "Noten med æøå", "Team Nord", "fixture\""):
        assert clear.encode() not in data


def test_fixture_format_is_sdm1_with_argon2id() -> None:
    conn = sqlite3.connect(f"{FIXTURE.as_uri()}?mode=ro", uri=True)
    try:
        fmt, kdf = conn.execute("SELECT format, kdf FROM encryption").fetchone()
        payloads = [r[0] for r in conn.execute("SELECT payload FROM events")]
    finally:
        conn.close()
    assert fmt == "sdm1"
    assert json.loads(kdf) == {"name": "argon2id", "memory_kib": 65536, "iterations": 3,
                               "lanes": 1}
    assert all(p.startswith(b"sdm1") for p in payloads)


def test_fixture_still_decrypts(copy: Path) -> None:
    assert is_encrypted(copy)
    with pytest.raises(PassphraseRequired):
        Store.open(copy)
    with pytest.raises(WrongPassphrase):
        Store.open(copy, passphrase="fixture passphrase aeoeaa 2026")
    with Store.open(copy, passphrase=PASSPHRASE) as store:
        assert not store.read_only, store.damage
        (row,) = store.list_sessions()
        assert (row.id, row.label, row.present) == (SESSION, "Fixture AB",
                                                    ("patient", "clinician"))
        assert store.load_events(SESSION) == [
            Answer(step="vigtigst", value="at blive hørt", speaker="patient", at=AT),
            Note(text="Noten med æøå", speaker="clinician", at=AT),
        ]
        (revision,) = store.list_revisions(SESSION)
        assert revision.draft == '{"plan": "fixture"}'
        assert revision.responsible == "Team Nord"
        assert revision.next_revision_due == dt.date(2026, 11, 1)
        # And the old store keeps working: new records are sealed with the same key.
        store.append(SESSION, Note(text="ny", speaker="patient", at=AT))
    with Store.open(copy, passphrase=PASSPHRASE) as store:
        assert len(store.load_events(SESSION)) == 3
