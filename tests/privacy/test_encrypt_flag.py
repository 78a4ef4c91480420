"""`sdm --encrypt`, starting the UI on an encrypted store, and exports from one (issue #7).

The passphrase is only ever read with getpass on a terminal; the tests stand in for both. The
UI itself is replaced by a stand-in that records how it was built, so nothing draws.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from assistant import cli
from assistant.engine.events import Answer
from assistant.guides.loader import Loaded, load_library
from assistant.store import Store, is_encrypted
from tests.privacy.conftest import AT, CANARY, FAST_KDF, PASSPHRASE


class FakeApp:
    """Stands in for the Textual app: records how `make_app` was called."""

    built: list[dict[str, Any]] = []

    def __init__(self, **kwargs: Any) -> None:
        self.kwargs = kwargs
        self.exit_when_ready = False
        self.return_code = 0

    def run(self, headless: bool = False) -> None:
        service = self.kwargs["service"]
        self.kwargs["key_loaded"] = service.store.key_loaded
        self.kwargs["encrypted"] = service.store.encrypted
        FakeApp.built.append(self.kwargs)


@pytest.fixture(autouse=True)
def no_ui(monkeypatch: pytest.MonkeyPatch) -> None:
    FakeApp.built = []
    monkeypatch.setattr("assistant.tui.app.make_app",
                        lambda library, **kwargs: FakeApp(**kwargs))
    # The real key derivation is tested elsewhere; here it would only cost time.
    monkeypatch.setattr("assistant.store.crypto.default_kdf", lambda: FAST_KDF)


def _terminal(monkeypatch: pytest.MonkeyPatch, answers: list[str]) -> list[str]:
    """Stand in for a terminal that types `answers`; returns the prompts shown."""
    prompts: list[str] = []

    def getpass(prompt: str = "") -> str:
        prompts.append(prompt)
        return answers.pop(0)

    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    monkeypatch.setattr("getpass.getpass", getpass)
    return prompts


def test_encrypt_creates_an_encrypted_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "new" / "sessions.sqlite3"
    prompts = _terminal(monkeypatch, ["kort", "langt nok 1", "langt nok 2",
                                      PASSPHRASE, PASSPHRASE])
    assert cli.main(["--encrypt", "--store", str(path), "--lock-after", "2"]) == 0
    err = capsys.readouterr().err
    assert "mindst 8 tegn" in err  # too short: asked again
    assert "forskellige" in err  # the two differed: asked again
    assert "nu krypteret" in err and "Traceback" not in err
    assert len(prompts) == 5 and "Gentag" in prompts[-1]
    assert is_encrypted(path)
    (built,) = FakeApp.built
    assert built["encrypted"] and built["key_loaded"]
    assert built["lock_after"] == dt.timedelta(minutes=2)
    with Store.open(path, passphrase=PASSPHRASE) as store:
        assert store.encrypted


def test_encrypt_refuses_a_store_with_unencrypted_sessions(
    tmp_path: Path, guide: Loaded, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    path = tmp_path / "plain.sqlite3"
    with Store.open(path) as store:
        row = store.create_session(guide, "AB")
        store.append(row.id, Answer(step="vigtigst", value=CANARY, speaker="patient", at=AT))
    before = path.read_bytes()
    prompts = _terminal(monkeypatch, [])
    assert cli.main(["--encrypt", "--store", str(path)]) == 1
    err = capsys.readouterr().err
    assert "cannot be encrypted in place" in err and "--store" in err
    assert "Traceback" not in err and CANARY not in err
    assert prompts == []  # refused before a passphrase was asked for
    assert not is_encrypted(path) and path.read_bytes() == before
    assert FakeApp.built == []


def test_encrypt_needs_a_terminal(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                  capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr("sys.stdin.isatty", lambda: False)
    path = tmp_path / "new.sqlite3"
    assert cli.main(["--encrypt", "--store", str(path)]) == 1
    assert "terminal" in capsys.readouterr().err
    assert not is_encrypted(path)


def test_encrypt_only_with_the_ui(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stop:
        cli.main(["--encrypt", "sessions", "list"])
    assert stop.value.code == 2
    assert "chat UI only" in capsys.readouterr().err


def test_lock_after_is_checked(capsys: pytest.CaptureFixture[str]) -> None:
    for bad in ("-1", "soon", "nan"):
        with pytest.raises(SystemExit):
            cli.main(["--lock-after", bad])
    assert "minutes" in capsys.readouterr().err


def test_the_ui_asks_for_the_passphrase_of_an_encrypted_store(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
) -> None:
    path = tmp_path / "enc.sqlite3"
    Store.create_encrypted(path, PASSPHRASE, kdf=FAST_KDF).close()
    prompts = _terminal(monkeypatch, ["forkert forkert", PASSPHRASE])
    assert cli.main(["--store", str(path), "--lock-after", "0"]) == 0
    # The retry is said in the UI's language (Danish by default), as the prompt is.
    assert "prøv igen" in capsys.readouterr().err
    assert prompts[0] == "Adgangsudtryk til sessionslageret: "
    (built,) = FakeApp.built
    assert built["key_loaded"] and built["lock_after"] is None

    # `--encrypt` on a store that is encrypted already: simply opens it.
    _terminal(monkeypatch, [PASSPHRASE])
    assert cli.main(["--encrypt", "--store", str(path), "--lang", "en"]) == 0
    assert FakeApp.built[-1]["key_loaded"]


def test_the_ui_without_a_terminal_ends_cleanly(tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "enc.sqlite3"
    Store.create_encrypted(path, PASSPHRASE, kdf=FAST_KDF).close()
    monkeypatch.setattr("sys.stdin.isatty", lambda: False)
    assert cli.main(["--store", str(path)]) == 1
    err = capsys.readouterr().err
    assert "terminal" in err and "Traceback" not in err
    assert FakeApp.built == []


@pytest.mark.parametrize(("fmt", "lang", "warning"), [
    ("text", "da", "Bemærk: eksporten er ikke krypteret"),
    ("json", "en", "the export is NOT encrypted"),
])
def test_export_from_an_encrypted_store_warns(
    tmp_path: Path, guide: Loaded, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str], fmt: str, lang: str, warning: str,
) -> None:
    library = load_library()
    loaded = library.guides["blitzmoede"]
    path = tmp_path / "enc.sqlite3"
    with Store.create_encrypted(path, PASSPHRASE, kdf=FAST_KDF) as store:
        row = store.create_session(loaded, "AB", ["patient"])
        store.append(row.id, Answer(step="op-til", value=CANARY, speaker="patient", at=AT))
    _terminal(monkeypatch, ["forkert forkert", PASSPHRASE])
    out_file = tmp_path / f"plan.{fmt}"
    assert cli.main(["--lang", lang, "export", row.id, "--store", str(path), "--format", fmt,
                     "-o", str(out_file)]) == 0
    err = capsys.readouterr().err
    assert warning in err  # in the language of the command's messages (--lang, else locale)
    assert CANARY in out_file.read_text(encoding="utf-8")  # the export is plain, as warned
    assert CANARY not in err


def test_export_without_a_terminal_ends_cleanly(
    tmp_path: Path, guide: Loaded, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    path = tmp_path / "enc.sqlite3"
    with Store.create_encrypted(path, PASSPHRASE, kdf=FAST_KDF) as store:
        row = store.create_session(guide, "AB", ["patient"])
    monkeypatch.setattr("sys.stdin.isatty", lambda: False)
    assert cli.main(["export", row.id, "--store", str(path)]) == 1
    err = capsys.readouterr().err
    assert "run this command in a terminal" in err and "Traceback" not in err


def test_the_documented_defaults_are_the_ones_used() -> None:
    from assistant.store.crypto import MIN_PASSPHRASE
    from assistant.tui import locking, run
    from tests.conftest import ROOT

    doc = (ROOT / "docs" / "privacy.md").read_text(encoding="utf-8")
    assert run.DEFAULT_LOCK_AFTER == locking.DEFAULT_LOCK_AFTER == dt.timedelta(minutes=5)
    assert "**5 minutes**" in doc and "`--lock-after 0`" in doc
    assert f"at least {MIN_PASSPHRASE} characters" in doc
    assert "Ctrl+L" in doc
