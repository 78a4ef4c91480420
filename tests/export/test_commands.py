"""`sdm export SESSION`: from the store to a private file, recorded as a plan revision."""

from __future__ import annotations

import argparse
import json
import stat
from collections.abc import Sequence
from pathlib import Path

import pytest

from assistant.engine import Session
from assistant.engine.replay import replay_command
from assistant.export import load_json
from assistant.export.commands import register
from assistant.store import Store
from tests.engine.helpers import walk
from tests.plans.helpers import LIBRARY

from .inspect import assert_inert_html


def sdm(argv: Sequence[str]) -> int:
    """`sdm` with the export command registered, as cli.py will wire it."""
    parser = argparse.ArgumentParser(prog="sdm")
    parser.add_argument("--lang", choices=("da", "en"), default="da")
    parser.add_argument("--store", type=Path)
    register(parser.add_subparsers(dest="command"))
    args = parser.parse_args(argv)
    return int(args.func(args))


@pytest.fixture
def stored(tmp_path: Path) -> tuple[Path, str]:
    """A store with one finished network-meeting session; returns (store path, session id)."""
    path = tmp_path / "store" / "sessions.sqlite3"
    loaded = LIBRARY.guides["netvaerksmoede"]
    session = Session(loaded.document)  # type: ignore[arg-type]
    walk(session)
    with Store.open(path) as store:
        row = store.create_session(loaded, "AB", ["patient", "clinician"])
        for event in session.events:
            store.append(row.id, event)
    return path, row.id


def test_export_writes_a_private_file_and_records_a_revision(
    stored: tuple[Path, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path, session_id = stored
    out = tmp_path / "plan.txt"
    code = sdm(["export", session_id, "--store", str(path), "-o", str(out), "--width", "60",
                "--today", "2026-03-01"])
    assert code == 0, capsys.readouterr().err
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    text = out.read_text(encoding="utf-8")
    assert text.startswith("Udskrivningsaftale – udkast\n")
    assert all(len(line) <= 60 for line in text.splitlines())
    with Store.open(path) as store:
        (revision,) = store.list_revisions(session_id)
    assert revision.kind == "exported"
    draft = load_json(revision.draft)
    assert draft.template.id == "ua"
    assert revision.next_revision_due == draft.revision.next_revision_due


def test_an_existing_file_is_made_private(stored: tuple[Path, str], tmp_path: Path) -> None:
    path, session_id = stored
    out = tmp_path / "plan.html"
    out.write_text("old", encoding="utf-8")
    out.chmod(0o644)
    assert sdm(["export", session_id, "--store", str(path), "--format", "html",
                "-o", str(out), "--lang", "en"]) == 0
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    page = out.read_text(encoding="utf-8")
    assert '<html lang="en">' in page and "Discharge agreement" in page
    assert_inert_html(page)


@pytest.mark.parametrize("fmt", ["json", "fhir", "md"])
def test_export_to_stdout(stored: tuple[Path, str], fmt: str,
                          capsys: pytest.CaptureFixture[str]) -> None:
    path, session_id = stored
    assert sdm(["export", session_id, "--store", str(path), "--format", fmt,
                "--template", "kp"]) == 0
    out = capsys.readouterr().out
    if fmt == "json":
        assert load_json(out).template.id == "kp"
    elif fmt == "fhir":
        assert json.loads(out)["resourceType"] == "Bundle"
    else:
        assert out.startswith("# Koordinationsplan – udkast\n")


def test_export_problems(stored: tuple[Path, str], tmp_path: Path,
                         capsys: pytest.CaptureFixture[str]) -> None:
    path, session_id = stored
    assert sdm(["export", session_id, "--store", str(path), "--template", "kriseplan"]) == 2
    assert "does not fill the plan 'kriseplan'" in capsys.readouterr().err
    assert sdm(["export", "0" * 32, "--store", str(path)]) == 1
    assert capsys.readouterr().err.startswith("sdm export: ")
    assert sdm(["export", session_id, "--store", str(path), "-o", str(tmp_path)]) == 2
    with pytest.raises(SystemExit):
        sdm(["export", session_id, "--width", "5"])
    with Store.open(path) as store:
        assert store.list_revisions(session_id) == []  # nothing was exported


def test_replay_exports_a_plan(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    answers = tmp_path / "answers.yaml"
    answers.write_text(
        "answers:\n"
        "  - {step: chief_physician, value: Dr. Hansen, speaker: clinician}\n"
        "  - {step: needs_treatment, value: \"[x](http://e) <b>samtaler</b>\", "
        "speaker: patient}\n", encoding="utf-8")
    assert replay_command("ua-kp-grundoplysninger", answers, export="md") == 0
    out, err = capsys.readouterr()
    assert err == "" and out.startswith("# Udskrivningsaftale – udkast\n")
    assert "- **Behandleren:** Dr. Hansen" in out
    assert "\\[x\\](http://e) \\<b\\>samtaler\\</b\\>" in out
    assert replay_command("ua-kp-grundoplysninger", answers, export="json") == 0
    draft = load_json(capsys.readouterr().out)
    assert draft.today.isoformat() == "2000-01-01"  # the day of the last answer
