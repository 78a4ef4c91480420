"""Encryption at rest (R13): AES-256-GCM records under a key that only the passphrase opens.

The scheme is an envelope, as in LUKS or age:

* A random 256-bit **data key** encrypts every record with AES-256-GCM.
* A **passphrase key** is derived from the passphrase and a random per-store 16-byte salt with
  Argon2id (64 MiB, 3 passes, 1 lane; RFC 9106's second recommended setting), or with scrypt
  (N=2^17, r=8, p=1) where this build of `cryptography` has no Argon2id. The parameters are
  stored with the store, so a store keeps opening if the defaults change.
* The data key is stored only **wrapped**: AES-256-GCM-encrypted under the passphrase key. A
  wrong passphrase makes the wrap's tag fail, which is the "wrong passphrase" answer; there is
  no separate verifier that could leak anything. Neither key is ever written to disk in the
  clear. (Changing the passphrase later means re-wrapping the data key, not re-encrypting.)

A sealed record is ``b"sdm1" | key id (8) | nonce (12) | ciphertext | tag (16)``. The nonce is
fresh from the OS's random source for every record (with one data key per store, random 96-bit
nonces stay far below the 2^32-messages bound NIST SP 800-38D sets for them). The associated
data is the header, the key id and the record's identity (table, column, session id, number),
so a record copied to another row, another column or another session does not decrypt.

This module knows nothing about SQLite; `keys.py` connects it to the store.
"""

from __future__ import annotations

import json
import os
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar, Final

from cryptography.exceptions import InvalidTag, UnsupportedAlgorithm
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.argon2 import Argon2id
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

#: The version tag in front of every sealed record; bump it for any change of the scheme.
FORMAT: Final = b"sdm1"
KEY_ID_BYTES: Final = 8
NONCE_BYTES: Final = 12
SALT_BYTES: Final = 16
KEY_BYTES: Final = 32
TAG_BYTES: Final = 16
#: Shortest passphrase accepted when encryption is switched on.
MIN_PASSPHRASE: Final = 8

_HEADER_BYTES = len(FORMAT) + KEY_ID_BYTES
# Parameter ceilings for a stored KDF: a store whose parameters were edited to absurd values
# must give an error, not make the program allocate gigabytes.
_MAX_MEMORY_KIB = 1024 * 1024
_MAX_ITERATIONS = 32
_MAX_LANES = 16

Context = Sequence[str | int]


class Undecryptable(Exception):
    """A sealed value failed to decrypt: changed, damaged, or sealed for another place.

    Carries no message on purpose: the caller says which record it was.
    """


class BadPassphrase(Exception):
    """The passphrase does not unwrap the data key."""


class UnknownFormat(Exception):
    """The stored key record uses a format or KDF this version does not know."""


@dataclass(frozen=True)
class Argon2idParams:
    """Argon2id settings; memory in KiB."""

    memory_kib: int = 64 * 1024
    iterations: int = 3
    lanes: int = 1
    name: ClassVar[str] = "argon2id"


@dataclass(frozen=True)
class ScryptParams:
    """scrypt settings (memory use is 128 * n * r bytes: 128 MiB for the defaults)."""

    n: int = 2**17
    r: int = 8
    p: int = 1
    name: ClassVar[str] = "scrypt"


KdfParams = Argon2idParams | ScryptParams


def argon2id_available() -> bool:
    """True if this build of `cryptography` (and its OpenSSL) can run Argon2id."""
    try:
        _argon2id(Argon2idParams(memory_kib=8, iterations=1), b"\0" * SALT_BYTES)
    except UnsupportedAlgorithm:  # an OpenSSL older than 3.2 under a distro build
        return False
    return True


def default_kdf() -> KdfParams:
    """Argon2id where available, else scrypt (both as R13 asks)."""
    return Argon2idParams() if argon2id_available() else ScryptParams()


def kdf_to_json(params: KdfParams) -> str:
    """The stored form of the KDF settings (canonical JSON, so it can be authenticated)."""
    if isinstance(params, Argon2idParams):
        data = {"name": params.name, "memory_kib": params.memory_kib,
                "iterations": params.iterations, "lanes": params.lanes}
    else:
        data = {"name": params.name, "n": params.n, "r": params.r, "p": params.p}
    return json.dumps(data, sort_keys=True, separators=(",", ":"))


def kdf_from_json(text: str) -> KdfParams:
    """Read stored KDF settings; raises `UnknownFormat` for anything unknown or out of range."""
    try:
        data = json.loads(text)
        name = data["name"]
        if name == "argon2id":
            params: KdfParams = Argon2idParams(
                memory_kib=_int(data["memory_kib"]), iterations=_int(data["iterations"]),
                lanes=_int(data["lanes"]))
        elif name == "scrypt":
            params = ScryptParams(n=_int(data["n"]), r=_int(data["r"]), p=_int(data["p"]))
        else:
            raise UnknownFormat
    except (ValueError, KeyError, TypeError):
        raise UnknownFormat from None
    if not _in_bounds(params):
        raise UnknownFormat
    return params


def _int(value: object) -> int:
    if type(value) is not int:
        raise ValueError
    return value


def _in_bounds(params: KdfParams) -> bool:
    if isinstance(params, Argon2idParams):
        return (8 * params.lanes <= params.memory_kib <= _MAX_MEMORY_KIB
                and 1 <= params.iterations <= _MAX_ITERATIONS
                and 1 <= params.lanes <= _MAX_LANES)
    power_of_two = params.n > 1 and params.n & (params.n - 1) == 0
    return (power_of_two and 1 <= params.r <= 32 and 1 <= params.p <= _MAX_LANES
            and 128 * params.n * params.r <= _MAX_MEMORY_KIB * 1024)


def _argon2id(params: Argon2idParams, salt: bytes) -> Argon2id:
    return Argon2id(salt=salt, length=KEY_BYTES, iterations=params.iterations,
                    lanes=params.lanes, memory_cost=params.memory_kib)


def derive_key(passphrase: str, salt: bytes, params: KdfParams) -> bytes:
    """The passphrase key. The passphrase is NFC-normalised first, so "æ" typed as one code
    point or as "a" + combining "e" ... gives the same key on every keyboard and OS."""
    secret = unicodedata.normalize("NFC", passphrase).encode("utf-8")
    if isinstance(params, Argon2idParams):
        return _argon2id(params, salt).derive(secret)
    return Scrypt(salt=salt, length=KEY_BYTES, n=params.n, r=params.r, p=params.p).derive(secret)


def _encode(parts: Context) -> bytes:
    """Length-prefixed parts: unambiguous, so ("ab", "c") and ("a", "bc") never collide."""
    out = bytearray()
    for part in parts:
        raw = str(part).encode("utf-8")
        out += len(raw).to_bytes(4, "big") + raw
    return bytes(out)


class RecordCipher:
    """Seals and opens records with one store's data key (held in memory only)."""

    def __init__(self, key_id: bytes, data_key: bytes) -> None:
        if len(key_id) != KEY_ID_BYTES or len(data_key) != KEY_BYTES:
            raise ValueError("wrong key id or key length")
        self.key_id = key_id
        self._header = FORMAT + key_id
        self._aead = AESGCM(data_key)

    def seal(self, plaintext: bytes, context: Context) -> bytes:
        """Encrypt `plaintext` for the place named by `context` (a fresh nonce every call)."""
        nonce = os.urandom(NONCE_BYTES)
        sealed = self._aead.encrypt(nonce, plaintext, self._header + _encode(context))
        return self._header + nonce + sealed

    def open(self, blob: bytes, context: Context) -> bytes:
        """Decrypt a sealed record; raises `Undecryptable` if any byte of it, or the place it
        is read from, differs from when it was sealed."""
        if len(blob) < _HEADER_BYTES + NONCE_BYTES + TAG_BYTES or not blob.startswith(
                self._header):
            raise Undecryptable
        nonce = blob[_HEADER_BYTES:_HEADER_BYTES + NONCE_BYTES]
        try:
            return self._aead.decrypt(nonce, blob[_HEADER_BYTES + NONCE_BYTES:],
                                      self._header + _encode(context))
        except InvalidTag:
            raise Undecryptable from None


@dataclass(frozen=True)
class KeyRecord:
    """What the store keeps about its key: everything except the passphrase and the keys."""

    key_id: bytes
    kdf: KdfParams
    salt: bytes
    wrapped_key: bytes
    format: str = FORMAT.decode("ascii")


def _wrap_context(kdf: KdfParams, salt: bytes) -> tuple[str, ...]:
    # The format, KDF settings and salt are authenticated with the wrapped key: editing them
    # in the file makes unwrapping fail instead of quietly weakening anything.
    return ("data key", FORMAT.decode("ascii"), kdf_to_json(kdf), salt.hex())


def new_key(passphrase: str, kdf: KdfParams | None = None) -> tuple[KeyRecord, RecordCipher]:
    """A new random data key, wrapped under `passphrase`: (record to store, cipher to use)."""
    params = kdf or default_kdf()
    key_id, salt, data_key = (os.urandom(KEY_ID_BYTES), os.urandom(SALT_BYTES),
                              os.urandom(KEY_BYTES))
    wrapper = RecordCipher(key_id, derive_key(passphrase, salt, params))
    wrapped = wrapper.seal(data_key, _wrap_context(params, salt))
    record = KeyRecord(key_id=key_id, kdf=params, salt=salt, wrapped_key=wrapped)
    return record, RecordCipher(key_id, data_key)


def unlock(record: KeyRecord, passphrase: str) -> RecordCipher:
    """The store's cipher, if `passphrase` is right; else raises `BadPassphrase`."""
    if record.format != FORMAT.decode("ascii"):
        raise UnknownFormat
    wrapper = RecordCipher(record.key_id, derive_key(passphrase, record.salt, record.kdf))
    try:
        data_key = wrapper.open(record.wrapped_key, _wrap_context(record.kdf, record.salt))
    except Undecryptable:
        raise BadPassphrase from None
    return RecordCipher(record.key_id, data_key)
