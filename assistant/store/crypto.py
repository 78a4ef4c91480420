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

A sealed record is ``b"sdm2" | key id (8) | nonce (12) | ciphertext | tag (16)``. The nonce is
fresh from the OS's random source for every record (with one data key per store, random 96-bit
nonces stay far below the 2^32-messages bound NIST SP 800-38D sets for them). The associated
data is the header, the key id and the record's identity (table, column, session id, number),
so a record copied to another row, another column or another session does not decrypt.

**Padding** (format ``sdm2``): before encryption the plaintext gets a 4-byte big-endian length
in front and zero bytes behind, up to its *size class*: the next power of two of (length + 4),
at least 256 bytes. So a sealed record is always 40 bytes more than a power of two (296, 552,
1064, ... bytes), and its length tells only the class: every answer to a yes/no, single-choice
or scale question, every decision role, every short label, lands in the smallest one. Records
of format ``sdm1`` (written before padding) have no length prefix and are still read; the
format tag is authenticated, so a padded record cannot be passed off as an unpadded one. The
wrapped data key keeps format ``sdm1``: it is always 32 bytes, so there is nothing to hide.

**Key material in memory.** The passphrase key and the data key live only in `bytearray`s that
this module overwrites with zeros as soon as they are no longer needed: the passphrase key
right after unwrapping, the data key when the cipher is wiped (`RecordCipher.wipe`, which the
store's `forget_key` calls when it locks or closes). The passphrase is encoded into a
`bytearray` that is zeroed right after key derivation. The passphrase itself arrives as a
Python `str`, which is immutable and cannot be overwritten; this module keeps no reference to
it, and the callers drop theirs once the store is open. The process is also kept from writing
core dumps (`assistant.hardening`), which is where such copies would otherwise reach disk.

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

#: The version tag in front of every record sealed now (padded); bump it for any change.
FORMAT: Final = b"sdm2"
#: The tag of records written before padding: still opened, never written for a record.
FORMAT_V1: Final = b"sdm1"
#: The key record's format (how the data key is wrapped): unchanged since "sdm1".
KEY_FORMAT: Final = "sdm1"
KEY_ID_BYTES: Final = 8
NONCE_BYTES: Final = 12
SALT_BYTES: Final = 16
KEY_BYTES: Final = 32
TAG_BYTES: Final = 16
#: Shortest passphrase accepted when encryption is switched on.
MIN_PASSPHRASE: Final = 8
#: The smallest size class a padded plaintext fills (see the module docstring).
PAD_FLOOR: Final = 256
#: The length prefix in front of a padded plaintext.
LENGTH_BYTES: Final = 4

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


class KeyForgotten(Exception):
    """The cipher was wiped (the store locked or closed): its key is gone from memory."""


def wipe(buffer: bytearray) -> None:
    """Overwrite `buffer` with zeros in place (its length stays)."""
    buffer[:] = bytes(len(buffer))


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


def derive_key(passphrase: str, salt: bytes, params: KdfParams) -> bytearray:
    """The passphrase key, in a `bytearray` the caller zeroes (`wipe`) once it is used.

    The passphrase is NFC-normalised first, so "æ" typed as one code point or as "a" +
    combining "e" ... gives the same key on every keyboard and OS. Its UTF-8 form is made in a
    `bytearray` that is zeroed as soon as the key is derived; the `str` cannot be (see the
    module docstring).
    """
    secret = bytearray(unicodedata.normalize("NFC", passphrase), "utf-8")
    key = bytearray(KEY_BYTES)
    try:
        if isinstance(params, Argon2idParams):
            # The stub says bytes; the Rust side takes any buffer (bytearray tested).
            _argon2id(params, salt).derive_into(secret, key)  # type: ignore[arg-type]
        else:
            Scrypt(salt=salt, length=KEY_BYTES, n=params.n, r=params.r,
                   p=params.p).derive_into(secret, key)
    except BaseException:
        wipe(key)
        raise
    finally:
        wipe(secret)
    return key


def size_class(length: int) -> int:
    """The padded size of a plaintext of `length` bytes: the next power of two of
    `length` + the length prefix, and at least `PAD_FLOOR`."""
    need = length + LENGTH_BYTES
    return max(PAD_FLOOR, 1 << (need - 1).bit_length())


def sealed_size(length: int) -> int:
    """The stored size of a record whose plaintext has `length` bytes (format sdm2)."""
    return _HEADER_BYTES + NONCE_BYTES + size_class(length) + TAG_BYTES


def _pad(plaintext: bytes) -> bytearray:
    if len(plaintext) >= 1 << (8 * LENGTH_BYTES):
        raise ValueError("record too long to seal")
    padded = bytearray(size_class(len(plaintext)))
    padded[:LENGTH_BYTES] = len(plaintext).to_bytes(LENGTH_BYTES, "big")
    padded[LENGTH_BYTES:LENGTH_BYTES + len(plaintext)] = plaintext
    return padded


def _unpad(padded: bytearray) -> bytes:
    """The plaintext inside `padded`; `Undecryptable` unless the padding is exactly as `_pad`
    writes it (authenticated data that does not parse was not written by this scheme)."""
    if len(padded) < PAD_FLOOR:
        raise Undecryptable
    length = int.from_bytes(padded[:LENGTH_BYTES], "big")
    end = LENGTH_BYTES + length
    if (end > len(padded) or size_class(length) != len(padded)
            or padded[end:] != bytes(len(padded) - end)):
        raise Undecryptable
    return bytes(padded[LENGTH_BYTES:end])


def _encode(parts: Context) -> bytes:
    """Length-prefixed parts: unambiguous, so ("ab", "c") and ("a", "bc") never collide."""
    out = bytearray()
    for part in parts:
        raw = str(part).encode("utf-8")
        out += len(raw).to_bytes(4, "big") + raw
    return bytes(out)


class RecordCipher:
    """Seals and opens records with one store's data key, held in memory only.

    The key is copied into a `bytearray` this object owns (the caller wipes its own copy);
    `wipe` zeroes it and drops the AES-GCM context (whose OpenSSL key schedule is cleansed
    when it is freed). After `wipe`, `seal` and `open` raise `KeyForgotten`.
    """

    def __init__(self, key_id: bytes, data_key: bytes | bytearray) -> None:
        if len(key_id) != KEY_ID_BYTES or len(data_key) != KEY_BYTES:
            raise ValueError("wrong key id or key length")
        self.key_id = key_id
        self._key = bytearray(data_key)
        self._aead: AESGCM | None = AESGCM(self._key)

    @property
    def wiped(self) -> bool:
        """True once `wipe` ran: the key is gone from this object."""
        return self._aead is None

    def wipe(self) -> None:
        """Forget the key: drop the AES-GCM context and overwrite the key bytes with zeros.

        Safe to call more than once, and while another thread seals: that call either
        finishes with the context it already had or raises `KeyForgotten`.
        """
        self._aead = None
        wipe(self._key)

    def _context(self) -> AESGCM:
        aead = self._aead  # read once: `wipe` may run in another thread
        if aead is None:
            raise KeyForgotten
        return aead

    def seal(self, plaintext: bytes, context: Context) -> bytes:
        """Encrypt `plaintext`, padded to its size class, for the place named by `context`
        (a fresh nonce every call). Raises `KeyForgotten` after `wipe`."""
        aead = self._context()
        header = FORMAT + self.key_id
        nonce = os.urandom(NONCE_BYTES)
        padded = _pad(plaintext)
        try:
            sealed = aead.encrypt(nonce, padded, header + _encode(context))
        finally:
            wipe(padded)
        return header + nonce + sealed

    def open(self, blob: bytes, context: Context) -> bytes:
        """Decrypt a sealed record (format sdm2, or sdm1 from before padding); raises
        `Undecryptable` if any byte of it, or the place it is read from, differs from when it
        was sealed, and `KeyForgotten` after `wipe`."""
        aead = self._context()
        padded = blob.startswith(FORMAT + self.key_id)
        if not padded and not blob.startswith(FORMAT_V1 + self.key_id):
            raise Undecryptable
        header = FORMAT + self.key_id if padded else FORMAT_V1 + self.key_id
        plain = self._decrypt(aead, blob, header, context)
        try:
            return _unpad(plain) if padded else bytes(plain)
        finally:
            wipe(plain)

    def _seal_v1(self, plaintext: bytes | bytearray, context: Context) -> bytes:
        """Format sdm1, unpadded: only for the wrapped data key (always 32 bytes)."""
        aead = self._context()
        header = FORMAT_V1 + self.key_id
        nonce = os.urandom(NONCE_BYTES)
        return header + nonce + aead.encrypt(nonce, plaintext, header + _encode(context))

    def _open_v1_key(self, blob: bytes, context: Context) -> bytearray:
        """The wrapped data key (format sdm1), decrypted into a `bytearray` the caller wipes."""
        return self._decrypt(self._context(), blob, FORMAT_V1 + self.key_id, context)

    @staticmethod
    def _decrypt(aead: AESGCM, blob: bytes, header: bytes, context: Context) -> bytearray:
        """`blob` decrypted into a new `bytearray` (the caller wipes it), if it starts with
        `header` and its tag fits the header and `context`."""
        start = _HEADER_BYTES + NONCE_BYTES
        if len(blob) < start + TAG_BYTES or not blob.startswith(header):
            raise Undecryptable
        out = bytearray(len(blob) - start - TAG_BYTES)
        try:
            aead.decrypt_into(blob[_HEADER_BYTES:start], blob[start:],
                              header + _encode(context), out)
        except InvalidTag:
            raise Undecryptable from None
        return out


@dataclass(frozen=True)
class KeyRecord:
    """What the store keeps about its key: everything except the passphrase and the keys."""

    key_id: bytes
    kdf: KdfParams
    salt: bytes
    wrapped_key: bytes
    format: str = KEY_FORMAT


def _wrap_context(kdf: KdfParams, salt: bytes) -> tuple[str, ...]:
    # The format, KDF settings and salt are authenticated with the wrapped key: editing them
    # in the file makes unwrapping fail instead of quietly weakening anything.
    return ("data key", KEY_FORMAT, kdf_to_json(kdf), salt.hex())


def new_key(passphrase: str, kdf: KdfParams | None = None) -> tuple[KeyRecord, RecordCipher]:
    """A new random data key, wrapped under `passphrase`: (record to store, cipher to use)."""
    params = kdf or default_kdf()
    key_id, salt = os.urandom(KEY_ID_BYTES), os.urandom(SALT_BYTES)
    # os.urandom's own bytes object cannot be zeroed: it is dropped at once, the copy is ours.
    data_key = bytearray(os.urandom(KEY_BYTES))
    passphrase_key = derive_key(passphrase, salt, params)
    try:
        wrapper = RecordCipher(key_id, passphrase_key)
        try:
            wrapped = wrapper._seal_v1(data_key, _wrap_context(params, salt))
        finally:
            wrapper.wipe()
        cipher = RecordCipher(key_id, data_key)
    finally:
        wipe(passphrase_key)
        wipe(data_key)
    record = KeyRecord(key_id=key_id, kdf=params, salt=salt, wrapped_key=wrapped)
    return record, cipher


def unlock(record: KeyRecord, passphrase: str) -> RecordCipher:
    """The store's cipher, if `passphrase` is right; else raises `BadPassphrase`."""
    if record.format != KEY_FORMAT:
        raise UnknownFormat
    passphrase_key = derive_key(passphrase, record.salt, record.kdf)
    try:
        wrapper = RecordCipher(record.key_id, passphrase_key)
    finally:
        wipe(passphrase_key)
    try:
        data_key = wrapper._open_v1_key(record.wrapped_key, _wrap_context(record.kdf,
                                                                          record.salt))
    except Undecryptable:
        raise BadPassphrase from None
    finally:
        wrapper.wipe()
    try:
        if len(data_key) != KEY_BYTES:
            raise BadPassphrase
        return RecordCipher(record.key_id, data_key)
    finally:
        wipe(data_key)
