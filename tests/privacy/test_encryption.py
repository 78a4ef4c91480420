"""Encryption at rest (R13): round trip, clean errors, tamper detection, no plaintext on disk."""

from __future__ import annotations

import hashlib
import sqlite3
import traceback
from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant.engine.events import Answer, Note
from assistant.guides.loader import Loaded
from assistant.store import (
    CannotEncrypt,
    InvalidSessionData,
    PassphraseRequired,
    Store,
    StoreDamaged,
    StoreError,
    StoreNotEncrypted,
    StoreUnavailable,
    WrongPassphrase,
    is_encrypted,
)
from assistant.store.crypto import (
    FORMAT,
    KEY_ID_BYTES,
    NONCE_BYTES,
    Argon2idParams,
    KeyForgotten,
    RecordCipher,
    ScryptParams,
    default_kdf,
    derive_key,
    kdf_to_json,
)
from assistant.store.db import sidecars
from tests.privacy.conftest import AT, CANARY, FAST_KDF, PASSPHRASE, files_containing

NEEDLE = CANARY.encode()


def rendered(exc: BaseException) -> str:
    """Everything a traceback printer would show of `exc`."""
    return "".join(traceback.format_exception(exc)) + str(exc) + repr(exc)


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def fill(store: Store, guide: Loaded) -> str:
    """A session with the canary in every sealed column; returns its id."""
    row = store.create_session(guide, f"{CANARY} label", ["patient", "clinician"])
    store.append(row.id, Answer(step="vigtigst", value=CANARY, speaker="patient", at=AT))
    store.append(row.id, Note(text=f"{CANARY} note", speaker="clinician", at=AT))
    store.add_revision(row.id, "approved", f'{{"plan": "{CANARY}"}}',
                       responsible=f"{CANARY} responsible")
    store.update_session(row.id, label=f"{CANARY} renamed")
    return row.id


@pytest.fixture
def raw(db_path: Path) -> Iterator[sqlite3.Connection]:
    """A plain SQLite connection beside the store, to play the attacker with."""
    conn = sqlite3.connect(db_path, isolation_level=None)
    yield conn
    conn.close()


# --- round trip and API ----------------------------------------------------------------------


def test_round_trip(db_path: Path, encrypted: Store, guide: Loaded) -> None:
    session_id = fill(encrypted, guide)
    assert encrypted.encrypted and encrypted.key_loaded
    encrypted.close()
    with Store.open(db_path, passphrase=PASSPHRASE) as store:
        row = store.get_session(session_id)
        assert row.label == f"{CANARY} renamed"
        assert [type(e).__name__ for e in store.load_events(session_id)] == ["Answer", "Note"]
        assert store.load_events(session_id)[0].value == CANARY  # type: ignore[union-attr]
        (revision,) = store.list_revisions(session_id)
        assert revision.draft == f'{{"plan": "{CANARY}"}}'
        assert revision.responsible == f"{CANARY} responsible"
        assert store.list_sessions()[0].label == row.label


def test_sealed_columns_hold_versioned_blobs(encrypted: Store, guide: Loaded,
                                             raw: sqlite3.Connection) -> None:
    session_id = fill(encrypted, guide)
    values = [
        *raw.execute("SELECT label FROM sessions").fetchone(),
        *(r[0] for r in raw.execute("SELECT payload FROM events")),
        *raw.execute("SELECT draft, responsible FROM plan_revisions").fetchone(),
    ]
    assert len(values) == 5
    for value in values:
        assert isinstance(value, bytes) and value.startswith(FORMAT)
    # What stays in clear is what the docs say: ids, numbers, times, types, guide, roles.
    clear = raw.execute("SELECT id, guide_id, present, status FROM sessions").fetchone()
    assert clear[0] == session_id and clear[1] == guide.document.id


def test_unicode_passphrase_is_normalised(db_path: Path, guide: Loaded) -> None:
    composed = "ærø og å, 8+ tegn"
    decomposed = composed.replace("å", "a\u030a")
    Store.create_encrypted(db_path, composed, kdf=FAST_KDF).close()
    with Store.open(db_path, passphrase=decomposed) as store:
        assert store.key_loaded


def test_scrypt_store_opens(db_path: Path, guide: Loaded) -> None:
    with Store.create_encrypted(db_path, PASSPHRASE, kdf=ScryptParams(n=2**4, r=8, p=1)) as s:
        session_id = fill(s, guide)
    with Store.open(db_path, passphrase=PASSPHRASE) as store:
        assert store.get_session(session_id).label == f"{CANARY} renamed"


def test_is_encrypted_reads_only(tmp_path: Path, db_path: Path) -> None:
    missing = tmp_path / "nowhere" / "sessions.sqlite3"
    assert not is_encrypted(missing)
    assert not missing.parent.exists()
    assert not is_encrypted(tmp_path)  # a folder
    plain = tmp_path / "plain.sqlite3"
    Store.open(plain).close()
    assert not is_encrypted(plain)
    Store.create_encrypted(db_path, PASSPHRASE, kdf=FAST_KDF).close()
    before = sha256(db_path)
    assert is_encrypted(db_path)
    assert sha256(db_path) == before


def test_unencrypted_store_is_unchanged_in_behaviour(tmp_path: Path, guide: Loaded) -> None:
    path = tmp_path / "plain.sqlite3"
    with Store.open(path) as store:
        assert not store.encrypted and not store.key_loaded
        row = store.create_session(guide, "AB")
        store.append(row.id, Answer(step="vigtigst", value="x", speaker="patient", at=AT))
    conn = sqlite3.connect(path)
    assert conn.execute("SELECT label FROM sessions").fetchone() == ("AB",)
    conn.close()


# --- clean errors ----------------------------------------------------------------------------


def test_wrong_passphrase_is_a_clean_error_and_changes_nothing(
    db_path: Path, encrypted: Store, guide: Loaded
) -> None:
    fill(encrypted, guide)
    encrypted.close()
    before = sha256(db_path)
    with pytest.raises(WrongPassphrase) as caught:
        Store.open(db_path, passphrase="not the passphrase")
    assert caught.value.code == "wrong_passphrase"
    assert "passphrase does not open" in caught.value.message
    assert caught.value.__cause__ is None and caught.value.__suppress_context__
    assert CANARY not in rendered(caught.value)
    assert sha256(db_path) == before


def test_no_passphrase_for_an_encrypted_store(db_path: Path, encrypted: Store) -> None:
    encrypted.close()
    with pytest.raises(PassphraseRequired) as caught:
        Store.open(db_path)
    assert caught.value.code == "passphrase_required"


def test_passphrase_for_a_plain_store_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "plain.sqlite3"
    Store.open(path).close()
    with pytest.raises(StoreNotEncrypted):
        Store.open(path, passphrase=PASSPHRASE)


def test_cannot_encrypt_a_store_with_plain_sessions(tmp_path: Path, guide: Loaded) -> None:
    path = tmp_path / "plain.sqlite3"
    with Store.open(path) as store:
        store.create_session(guide, "AB")
    before = sha256(path)
    with pytest.raises(CannotEncrypt, match="1 unencrypted sessions"):
        Store.create_encrypted(path, PASSPHRASE, kdf=FAST_KDF)
    assert sha256(path) == before
    assert not is_encrypted(path)


def test_an_empty_plain_store_can_be_encrypted(tmp_path: Path, guide: Loaded) -> None:
    path = tmp_path / "plain.sqlite3"
    Store.open(path).close()
    with Store.create_encrypted(path, PASSPHRASE, kdf=FAST_KDF) as store:
        assert store.encrypted


def test_cannot_encrypt_twice(db_path: Path, encrypted: Store) -> None:
    encrypted.close()
    with pytest.raises(CannotEncrypt, match="encrypted already"):
        Store.create_encrypted(db_path, PASSPHRASE, kdf=FAST_KDF)


def test_short_passphrase_is_refused(db_path: Path) -> None:
    with pytest.raises(InvalidSessionData, match="at least 8"):
        Store.create_encrypted(db_path, "kort", kdf=FAST_KDF)
    assert not db_path.exists()


# --- tampering -------------------------------------------------------------------------------


def _flips(blob: bytes) -> Iterator[bytes]:
    """`blob` with one bit flipped, at every byte position in turn."""
    for i in range(len(blob)):
        yield blob[:i] + bytes([blob[i] ^ 0x01]) + blob[i + 1:]


def test_every_flipped_byte_of_an_event_is_damage(
    encrypted: Store, guide: Loaded, raw: sqlite3.Connection
) -> None:
    session_id = fill(encrypted, guide)
    (blob,) = raw.execute("SELECT payload FROM events WHERE seq = 1").fetchone()
    raw.execute("DROP TRIGGER events_are_append_only")
    for tampered in _flips(blob):
        raw.execute("UPDATE events SET payload = ? WHERE seq = 1", (tampered,))
        with pytest.raises(StoreDamaged) as caught:
            encrypted.load_events(session_id)
        assert f"event 1 of session {session_id}" in caught.value.message
        assert "changed or damaged" in caught.value.message
        assert CANARY not in rendered(caught.value)
    raw.execute("UPDATE events SET payload = ? WHERE seq = 1", (blob,))
    assert len(encrypted.load_events(session_id)) == 2


def test_every_flipped_byte_of_a_label_and_revision_is_damage(
    encrypted: Store, guide: Loaded, raw: sqlite3.Connection
) -> None:
    session_id = fill(encrypted, guide)
    (label,) = raw.execute("SELECT label FROM sessions").fetchone()
    for tampered in _flips(label):
        raw.execute("UPDATE sessions SET label = ?", (tampered,))
        with pytest.raises(StoreDamaged, match="the label of session"):
            encrypted.list_sessions()
    raw.execute("UPDATE sessions SET label = ?", (label,))
    raw.execute("DROP TRIGGER plan_revisions_are_append_only")
    for column in ("draft", "responsible"):
        (value,) = raw.execute(f"SELECT {column} FROM plan_revisions").fetchone()
        for tampered in _flips(value):
            raw.execute(f"UPDATE plan_revisions SET {column} = ?", (tampered,))
            with pytest.raises(StoreDamaged, match="revision 1 of session"):
                encrypted.list_revisions(session_id)
        raw.execute(f"UPDATE plan_revisions SET {column} = ?", (value,))
    assert encrypted.list_revisions(session_id)[0].responsible == f"{CANARY} responsible"


def test_records_cannot_be_moved(
    encrypted: Store, guide: Loaded, raw: sqlite3.Connection
) -> None:
    first = fill(encrypted, guide)
    second = fill(encrypted, guide)
    raw.execute("DROP TRIGGER events_are_append_only")
    raw.execute("DROP TRIGGER plan_revisions_are_append_only")
    # Two events of one session swapped:
    one, two = (r[0] for r in raw.execute(
        "SELECT payload FROM events WHERE session_id = ? ORDER BY seq", (first,)))
    raw.execute("UPDATE events SET payload = ? WHERE session_id = ? AND seq = 1", (two, first))
    with pytest.raises(StoreDamaged):
        encrypted.load_events(first)
    raw.execute("UPDATE events SET payload = ? WHERE session_id = ? AND seq = 1", (one, first))
    # The same event number copied from another session:
    (other,) = raw.execute("SELECT payload FROM events WHERE session_id = ? AND seq = 1",
                           (second,)).fetchone()
    raw.execute("UPDATE events SET payload = ? WHERE session_id = ? AND seq = 1", (other, first))
    with pytest.raises(StoreDamaged):
        encrypted.load_events(first)
    # A label copied from another session, and a draft moved into 'responsible':
    raw.execute("UPDATE sessions SET label = (SELECT label FROM sessions WHERE id = ?)"
                " WHERE id = ?", (second, first))
    with pytest.raises(StoreDamaged):
        encrypted.get_session(first)
    raw.execute("UPDATE plan_revisions SET responsible = draft WHERE session_id = ?", (second,))
    with pytest.raises(StoreDamaged):
        encrypted.list_revisions(second)


def test_a_flipped_byte_in_the_file_is_damage(db_path: Path, guide: Loaded) -> None:
    """The realistic case: the bit rots in the database file itself, not through SQL."""
    with Store.create_encrypted(db_path, PASSPHRASE, kdf=FAST_KDF) as store:
        session_id = fill(store, guide)
    conn = sqlite3.connect(db_path)
    (blob,) = conn.execute("SELECT payload FROM events WHERE seq = 2").fetchone()
    conn.close()  # the last connection folds the WAL into the file
    data = bytearray(db_path.read_bytes())
    at = data.find(blob)
    assert at > 0 and data.count(blob) == 1
    data[at + len(blob) // 2] ^= 0x80
    db_path.write_bytes(bytes(data))
    with (Store.open(db_path, passphrase=PASSPHRASE) as store,
          pytest.raises(StoreDamaged, match=f"event 2 of session {session_id}")):
        store.load_events(session_id)


def test_plain_text_slipped_into_an_encrypted_store_is_damage(
    encrypted: Store, guide: Loaded, raw: sqlite3.Connection
) -> None:
    session_id = fill(encrypted, guide)
    raw.execute("UPDATE sessions SET label = 'injected'")
    with pytest.raises(StoreDamaged, match="not encrypted in an encrypted"):
        encrypted.get_session(session_id)


def test_edited_kdf_settings_do_not_open(db_path: Path, encrypted: Store,
                                        raw: sqlite3.Connection) -> None:
    encrypted.close()
    raw.execute("DROP TRIGGER encryption_is_fixed")
    weaker = kdf_to_json(Argon2idParams(memory_kib=32, iterations=1, lanes=1))
    raw.execute("UPDATE encryption SET kdf = ?", (weaker,))
    with pytest.raises(WrongPassphrase):
        Store.open(db_path, passphrase=PASSPHRASE)
    absurd = '{"iterations":1,"lanes":1,"memory_kib":1073741824,"name":"argon2id"}'
    raw.execute("UPDATE encryption SET kdf = ?", (absurd,))
    with pytest.raises(StoreUnavailable, match="does not know"):
        Store.open(db_path, passphrase=PASSPHRASE)


def test_every_flipped_byte_of_the_wrapped_key_refuses(
    db_path: Path, encrypted: Store, raw: sqlite3.Connection
) -> None:
    encrypted.close()
    raw.execute("DROP TRIGGER encryption_is_fixed")
    (wrapped,) = raw.execute("SELECT wrapped_key FROM encryption").fetchone()
    for tampered in _flips(wrapped):
        raw.execute("UPDATE encryption SET wrapped_key = ?", (tampered,))
        with pytest.raises(WrongPassphrase):
            Store.open(db_path, passphrase=PASSPHRASE)
    raw.execute("UPDATE encryption SET wrapped_key = ?", (wrapped,))
    Store.open(db_path, passphrase=PASSPHRASE).close()


def test_removed_key_record_is_damage_not_a_plain_store(
    db_path: Path, encrypted: Store, guide: Loaded, raw: sqlite3.Connection
) -> None:
    fill(encrypted, guide)
    encrypted.close()
    raw.execute("DROP TRIGGER encryption_is_kept")
    raw.execute("DELETE FROM encryption")
    with pytest.raises(StoreDamaged, match="key record is missing"):
        Store.open(db_path)


# --- the key while running -------------------------------------------------------------------


def test_forget_key_and_unlock(encrypted: Store, guide: Loaded) -> None:
    session_id = fill(encrypted, guide)
    encrypted.forget_key()
    assert encrypted.encrypted and not encrypted.key_loaded
    with pytest.raises(PassphraseRequired):
        encrypted.list_sessions()
    with pytest.raises(PassphraseRequired):
        encrypted.append(session_id, Answer(step="vigtigst", value="x", speaker="patient", at=AT))
    with pytest.raises(WrongPassphrase):
        encrypted.unlock("not the passphrase")
    assert not encrypted.key_loaded
    encrypted.unlock(PASSPHRASE)
    assert len(encrypted.load_events(session_id)) == 2  # the refused append wrote nothing


def test_forget_key_zeroes_the_key_bytes(encrypted: Store, guide: Loaded) -> None:
    session_id = fill(encrypted, guide)
    cipher = encrypted.keys._cipher
    assert cipher is not None
    key = cipher._key  # the bytearray the data key lives in
    assert isinstance(key, bytearray) and len(key) == 32 and any(key)
    encrypted.forget_key()
    assert key == bytearray(32) and cipher.wiped
    with pytest.raises(KeyForgotten):  # a thread still holding the old cipher gets nothing
        cipher.seal(b"x", ("events", "payload", session_id, 9))
    encrypted.unlock(PASSPHRASE)
    assert encrypted.keys._cipher is not cipher and len(encrypted.load_events(session_id)) == 2
    fresh = encrypted.keys._cipher
    assert fresh is not None
    encrypted.close()  # closing wipes too
    assert fresh.wiped and fresh._key == bytearray(32)


def test_a_lock_racing_a_write_or_read_is_a_clean_error(
    monkeypatch: pytest.MonkeyPatch, encrypted: Store, guide: Loaded
) -> None:
    """The UI locks (another thread) after a call has taken the cipher but before it seals
    or opens: the call gets "locked", nothing is written, and nothing is sealed with a wiped
    key."""
    session_id = fill(encrypted, guide)
    stale = encrypted.keys._cipher
    assert stale is not None
    stale.wipe()  # what a concurrent forget_key does to the cipher the call already holds
    monkeypatch.setattr(encrypted.keys, "_needs_key", lambda: stale)
    with pytest.raises(PassphraseRequired, match="locked"):
        encrypted.append(session_id, Answer(step="vigtigst", value="x", speaker="patient",
                                            at=AT))
    with pytest.raises(PassphraseRequired, match="locked"):
        encrypted.load_events(session_id)
    monkeypatch.undo()
    encrypted.unlock(PASSPHRASE)
    assert len(encrypted.load_events(session_id)) == 2


def test_unlock_zeroes_the_passphrase_key_and_its_encoding(
    monkeypatch: pytest.MonkeyPatch, db_path: Path, encrypted: Store
) -> None:
    """What the passphrase turns into (its UTF-8 bytes, the key derived from it) is zeroed as
    soon as the data key is unwrapped; only the data key stays, in the cipher."""
    from assistant.store import crypto

    encrypted.close()
    secrets: list[bytearray] = []
    keys: list[bytearray] = []
    real_argon2id, real_derive = crypto._argon2id, crypto.derive_key

    class Spy:
        def __init__(self, inner: object) -> None:
            self.inner = inner

        def derive_into(self, secret: bytearray, out: bytearray) -> int:
            secrets.append(secret)
            return self.inner.derive_into(secret, out)  # type: ignore[attr-defined, no-any-return]

    def derive(*args: object) -> bytearray:
        key = real_derive(*args)  # type: ignore[arg-type]
        keys.append(key)
        return key

    monkeypatch.setattr(crypto, "_argon2id", lambda *a: Spy(real_argon2id(*a)))
    monkeypatch.setattr(crypto, "derive_key", derive)
    with Store.open(db_path, passphrase=PASSPHRASE) as store:
        assert store.key_loaded
        assert len(secrets) == len(keys) == 1
        assert secrets[0] == bytearray(len(PASSPHRASE.encode()))  # was the UTF-8 passphrase
        assert keys[0] == bytearray(32)
    with pytest.raises(WrongPassphrase):
        Store.open(db_path, passphrase="not the passphrase")
    assert all(s == bytearray(len(s)) for s in secrets) and keys[-1] == bytearray(32)


def test_nothing_plain_is_written_after_another_program_encrypts(
    tmp_path: Path, guide: Loaded
) -> None:
    path = tmp_path / "shared.sqlite3"
    with Store.open(path) as early:
        with Store.create_encrypted(path, PASSPHRASE, kdf=FAST_KDF):
            pass
        with pytest.raises(PassphraseRequired, match="encrypted by another program"):
            early.create_session(guide, f"{CANARY} label")
    assert not files_containing(tmp_path, NEEDLE)


# --- nothing in the clear on disk ------------------------------------------------------------


def test_canary_in_no_file_of_the_data_directory(tmp_path: Path, guide: Loaded) -> None:
    data = tmp_path / "data"
    path = data / "sessions.sqlite3"
    with Store.create_encrypted(path, PASSPHRASE) as store:  # the real KDF settings
        reader = sqlite3.connect(path)  # a reader keeps the WAL from being folded away
        reader.execute("BEGIN")
        reader.execute("SELECT count(*) FROM sessions").fetchone()
        session_id = fill(store, guide)
        with store.lock(session_id):
            for i in range(20):
                store.append(session_id, Note(text=f"{CANARY} {i}", speaker="patient", at=AT))
            _, wal, shm = sidecars(path)
            assert wal.stat().st_size > 0 and shm.exists()
            assert files_containing(data, NEEDLE) == []
        reader.rollback()
        reader.close()
        store.delete_session(fill(store, guide))
    assert files_containing(data, NEEDLE) == []
    assert files_containing(data, b"renamed") == []


def test_nonces_are_unique() -> None:
    cipher = RecordCipher(b"k" * KEY_ID_BYTES, b"\x01" * 32)
    start = len(FORMAT) + KEY_ID_BYTES
    nonces = {cipher.seal(b"same text", ("events", "payload", "s", 1))[start:start + NONCE_BYTES]
              for _ in range(10_000)}
    assert len(nonces) == 10_000


def test_store_nonces_are_unique(encrypted: Store, guide: Loaded,
                                 raw: sqlite3.Connection) -> None:
    session_id = fill(encrypted, guide)
    for _ in range(50):
        encrypted.append(session_id, Note(text="same", speaker="patient", at=AT))
    start = len(FORMAT) + KEY_ID_BYTES
    blobs = [r[0] for r in raw.execute("SELECT payload FROM events")]
    assert len({b[start:start + NONCE_BYTES] for b in blobs}) == len(blobs) == 52


# --- the key derivation ----------------------------------------------------------------------


def test_default_kdf_meets_r13() -> None:
    """The settings, not the time: how long derivation takes is measured by
    `scripts/bench.py --only kdf` (a busy machine must not fail a test). 64 MiB and 3 passes
    of Argon2id (RFC 9106's second recommendation) take about 0.2 s on a current laptop."""
    params = default_kdf()
    if isinstance(params, Argon2idParams):
        assert params == Argon2idParams(memory_kib=64 * 1024, iterations=3, lanes=1)
        assert params.memory_kib >= 19 * 1024 and params.iterations >= 2  # OWASP's floor
    else:
        assert params == ScryptParams(n=2**17, r=8, p=1)
    key = derive_key(PASSPHRASE, b"s" * 16, params)
    assert isinstance(key, bytearray) and len(key) == 32 and any(key)
    assert derive_key(PASSPHRASE, b"s" * 16, params) == key  # deterministic


def test_errors_are_store_errors() -> None:
    for kind in (PassphraseRequired, WrongPassphrase, StoreNotEncrypted, CannotEncrypt):
        assert issubclass(kind, StoreError)


def test_scrypt_is_the_fallback_without_argon2id(monkeypatch: pytest.MonkeyPatch) -> None:
    from assistant.store import crypto

    monkeypatch.setattr(crypto, "argon2id_available", lambda: False)
    assert crypto.default_kdf() == ScryptParams(n=2**17, r=8, p=1)


@pytest.mark.parametrize("text", [
    "", "[]", '{"name": "pbkdf2"}', '{"name": "scrypt", "n": 1000, "r": 8, "p": 1}',
    '{"name": "scrypt", "n": 1048576, "r": 32, "p": 1}',
    '{"name": "argon2id", "memory_kib": true, "iterations": 3, "lanes": 1}',
    '{"name": "argon2id", "memory_kib": 65536, "iterations": 0, "lanes": 1}',
])
def test_unknown_or_absurd_kdf_settings_are_refused(text: str) -> None:
    from assistant.store.crypto import UnknownFormat, kdf_from_json

    with pytest.raises(UnknownFormat):
        kdf_from_json(text)
