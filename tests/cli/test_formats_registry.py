"""A format added to the export registry reaches every reader of it, with no other file
changed: `sdm export --help`, `sdm replay --export`, the review's save dialog and the
cross-format test (issue 14, item 4)."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from assistant.cli import main
from assistant.export import formats
from tests.cli.dummy_format import DUMMY, register_dummy
from tests.cli.test_export import stored
from tests.conftest import ROOT

__all__ = ["stored"]  # the fixture: a store with one finished session


@pytest.fixture
def dummy() -> Iterator[formats.Exporter]:
    """The dummy format, registered for the test and removed afterwards."""
    exporter = register_dummy()
    try:
        yield exporter
    finally:
        formats.unregister(DUMMY)
    assert DUMMY not in formats.names()


def test_the_registry_lists_the_built_in_formats() -> None:
    assert formats.names() == ("text", "md", "html", "json", "fhir")
    assert [e.suffix for e in formats.exporters()] == [
        ".txt", ".md", ".html", ".json", ".fhir.json"]
    assert all(e.label_key == f"format_{e.id}" and not e.binary for e in formats.exporters())
    with pytest.raises(KeyError):
        formats.get("docx")
    with pytest.raises(ValueError, match="registered already"):
        formats.register(formats.get("text"))


@pytest.mark.usefixtures("dummy")
def test_a_registered_format_is_in_sdm_export_help(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as done:
        main(["export", "--help"])
    assert done.value.code == 0
    assert f"--format {{text,md,html,json,fhir,{DUMMY}}}" in capsys.readouterr().out


@pytest.mark.usefixtures("dummy")
def test_a_registered_format_is_a_replay_export(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    answers = tmp_path / "answers.yaml"
    answers.write_text("answers:\n"
                       "  - {step: chief_physician, value: Dr. Hansen, speaker: clinician}\n",
                       encoding="utf-8")
    assert main(["replay", "ua-kp-grundoplysninger", "--answers", str(answers),
                 "--export", "text"]) == 0
    text = capsys.readouterr().out
    assert main(["replay", "ua-kp-grundoplysninger", "--answers", str(answers),
                 "--export", DUMMY]) == 0
    out, err = capsys.readouterr()
    assert (out, err) == (text, "")
    assert "Dr. Hansen" in out


def test_a_registered_format_is_in_the_review_save_dialog(
    dummy: formats.Exporter, monkeypatch: pytest.MonkeyPatch
) -> None:
    from assistant import catalogue
    from assistant.tui.screens.review import ReviewScreen

    # A real format brings its label in the catalogue; the dummy's is put there here.
    monkeypatch.setitem(catalogue.MESSAGES, dummy.label_key, ("Attrap", "Dummy"))
    pushed: list[Any] = []
    screen = SimpleNamespace(
        store=None, lang="en", template=SimpleNamespace(id="ua"),
        _clock=lambda: dt.datetime(2026, 3, 1),
        app=SimpleNamespace(push_screen=lambda dialog, done: pushed.append(dialog)))
    screen.default_path = lambda fmt: ReviewScreen.default_path(screen, fmt)  # type: ignore[arg-type]
    ReviewScreen.action_save(screen)  # type: ignore[arg-type]
    (dialog,) = pushed
    assert type(dialog).__name__ == "ExportDialog"
    assert (DUMMY, "Dummy") in dialog.formats
    assert [key for key, _ in dialog.formats] == [o.key for o in formats.offers()]
    assert {formats.Offer.of(key).format for key, _ in dialog.formats} == set(formats.names())
    assert dialog.default_path(DUMMY).name.endswith(dummy.suffix)


def test_the_cross_format_test_covers_a_registered_format() -> None:
    """tests/export/test_every_format.py, run with the dummy format registered (by a pytest
    plugin, before collection), collects and passes its cases for the dummy too."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
         "-p", "tests.cli.dummy_format", "tests/export/test_every_format.py",
         "-k", DUMMY, "-o", "addopts="],
        capture_output=True, text=True, cwd=ROOT, env=env, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    summary = done.stdout.strip().splitlines()[-1]
    assert " passed" in summary and "deselected" in summary, summary
    assert int(summary.split(" passed")[0].split()[-1]) >= 5, summary


BINARY = b"\x00\xffPK binary \xc3"


@pytest.fixture
def binary() -> Iterator[formats.Exporter]:
    """A binary format (its bytes are no UTF-8 text), registered for the test only."""
    exporter = formats.register(formats.Exporter("bin", ".bin", "format_text", True,
                                                 lambda request: BINARY))
    try:
        yield exporter
    finally:
        formats.unregister("bin")


@pytest.mark.usefixtures("binary")
def test_a_binary_format_is_written_as_bytes(
    stored: tuple[Path, str], tmp_path: Path, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    path, session_id = stored
    out = tmp_path / "plan.bin"
    assert main(["export", session_id, "--store", str(path), "--format", "bin",
                 "-o", str(out)]) == 0
    assert out.read_bytes() == BINARY
    capsysbinary.readouterr()
    assert main(["export", session_id, "--store", str(path), "--format", "bin"]) == 0
    assert capsysbinary.readouterr().out == BINARY  # to a pipe, as the bytes


@pytest.mark.usefixtures("binary")
def test_a_binary_format_is_not_printed_on_a_terminal(
    stored: tuple[Path, str], monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str]
) -> None:
    path, session_id = stored
    monkeypatch.setattr("sys.stdout.isatty", lambda: True)
    assert main(["export", session_id, "--store", str(path), "--format", "bin"]) == 2
    out, err = capsys.readouterr()
    assert out == "" and "not text" in err and "-o FILE" in err


@pytest.mark.usefixtures("binary")
def test_the_review_saves_a_binary_format_as_its_bytes(tmp_path: Path) -> None:
    """The review's save writes the registry's bytes unchanged (no text round trip)."""
    from assistant.tui.screens.review import ReviewScreen

    notices: list[str] = []
    screen = SimpleNamespace(
        store=None, lang="en", draft=None, state=None,
        notify=lambda message, **kwargs: notices.append(message))
    out = tmp_path / "plan.bin"
    assert ReviewScreen.save_export(screen, "bin", out) is True  # type: ignore[arg-type]
    assert out.read_bytes() == BINARY
    assert oct(out.stat().st_mode & 0o777) == "0o600"
    assert notices and str(out) in notices[-1]
