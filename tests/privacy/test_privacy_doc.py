"""docs/privacy.md stays true: the numbers and words it gives are the ones the code uses."""

from __future__ import annotations

from assistant.crash import MESSAGES
from assistant.store.crypto import FORMAT, Argon2idParams, ScryptParams
from tests.conftest import ROOT

DOC = (ROOT / "docs" / "privacy.md").read_text(encoding="utf-8")


def test_kdf_settings_match() -> None:
    argon, scrypt = Argon2idParams(), ScryptParams()
    assert f"{argon.memory_kib // 1024} MiB of memory, {argon.iterations} passes" in DOC
    assert f"{argon.lanes}\n  lane" in DOC or f"{argon.lanes} lane" in DOC
    assert scrypt.n == 2**17 and "N = 2^17" in DOC
    assert f"r = {scrypt.r}, p = {scrypt.p}" in DOC


def test_format_and_message_match() -> None:
    assert f"`{FORMAT.decode()}`" in DOC
    assert MESSAGES["en"] in DOC.replace("\n  > ", " ")


def test_sealed_columns_are_documented() -> None:
    for column in ("events.payload", "plan_revisions.draft"):
        assert column in DOC
