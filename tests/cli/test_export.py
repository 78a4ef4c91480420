"""`sdm export SESSION`: from the store to a private file, recorded as a plan revision."""

from __future__ import annotations

import argparse
import json
import stat
from collections.abc import Sequence
from pathlib import Path

import pytest

from assistant.cli.export import register
from assistant.cli.replay import replay_command
from assistant.engine import Session
from assistant.export import load_json
from assistant.store import Store
from tests.engine.helpers import walk
from tests.export.inspect import assert_inert_html
from tests.plans.helpers import LIBRARY


def sdm(argv: Sequence[str]) -> int:
    """`sdm` with the export command registered, as `assistant.cli` wires it."""
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


def test_an_existing_file_is_replaced_only_with_force(
    stored: tuple[Path, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path, session_id = stored
    out = tmp_path / "plan.html"
    out.write_text("old", encoding="utf-8")
    out.chmod(0o644)
    assert sdm(["export", session_id, "--store", str(path), "--format", "html",
                "-o", str(out), "--lang", "en"]) == 1
    assert capsys.readouterr().err == f"sdm export: {out} exists; use --force to replace it\n"
    assert out.read_text(encoding="utf-8") == "old"
    assert stat.S_IMODE(out.stat().st_mode) == 0o644  # not chmodded either
    assert sdm(["export", session_id, "--store", str(path), "--format", "html",
                "-o", str(out), "--lang", "en", "--force"]) == 0
    assert stat.S_IMODE(out.stat().st_mode) == 0o600  # a new file, private from the start
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
    assert sdm(["export", session_id, "--store", str(path), "--template", "kriseplan"]) == 1
    assert "does not fill the plan 'kriseplan' (it fills: ua, kp)" in capsys.readouterr().err
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
    assert "\\[x\\](http\\:\\/\\/e) \\<b\\>samtaler\\</b\\>" in out
    assert replay_command("ua-kp-grundoplysninger", answers, export="json") == 0
    draft = load_json(capsys.readouterr().out)
    assert draft.today.isoformat() == "2000-01-01"  # the day of the last answer


# --- issue 12: ids as in git, printing is not a revision, the guide's own plan ------------------


def _revisions(path: Path, session_id: str) -> list[str]:
    with Store.open(path) as store:
        return [r.kind for r in store.list_revisions(session_id)]


@pytest.mark.parametrize("fmt", ["text", "md", "html", "json", "fhir"])
def test_printing_an_export_records_no_revision(
    stored: tuple[Path, str], tmp_path: Path, capsys: pytest.CaptureFixture[str], fmt: str
) -> None:
    path, session_id = stored
    assert sdm(["export", session_id, "--store", str(path), "--format", fmt]) == 0
    assert capsys.readouterr().out
    assert _revisions(path, session_id) == []  # only looked at
    assert sdm(["export", session_id, "--store", str(path), "--format", fmt,
                "-o", str(tmp_path / "plan")]) == 0
    assert _revisions(path, session_id) == ["exported"]  # a file: recorded


def test_export_takes_a_unique_id_prefix(
    stored: tuple[Path, str], capsys: pytest.CaptureFixture[str]
) -> None:
    path, session_id = stored
    assert sdm(["export", session_id[:6], "--store", str(path), "--format", "json"]) == 0
    assert load_json(capsys.readouterr().out).template.id == "ua"
    assert sdm(["export", session_id[:5], "--store", str(path)]) == 2
    err = capsys.readouterr().err
    assert err == (f"sdm export: session id '{session_id[:5]}' is too short: give the whole "
                   "id or at least its first 6 characters (see 'sdm sessions list')\n")
    missing = "f" * 8 if not session_id.startswith("f" * 8) else "e" * 8
    assert sdm(["export", missing, "--store", str(path)]) == 1
    assert capsys.readouterr().err == (
        f"sdm export: no session with id '{missing}' in the store\n")


def test_an_ambiguous_prefix_lists_the_sessions(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from types import SimpleNamespace

    import assistant.store.sessions as sessions_module

    ids = iter(["abcdef01" + "0" * 24, "abcdef02" + "0" * 24])  # uuid4 stands in
    monkeypatch.setattr(sessions_module, "uuid",
                        SimpleNamespace(uuid4=lambda: SimpleNamespace(hex=next(ids))))
    path = tmp_path / "sessions.sqlite3"
    with Store.open(path) as store:
        first = store.create_session(LIBRARY.guides["netvaerksmoede"], "AB")
        second = store.create_session(LIBRARY.guides["netvaerksmoede"], "CD")
    assert sdm(["export", "abcdef", "--store", str(path)]) == 1
    assert capsys.readouterr().err == (
        f"sdm export: session id prefix 'abcdef' is ambiguous: {first.id}, {second.id}\n")
    assert sdm(["export", "abcdef02", "--store", str(path), "-o",
                str(tmp_path / "plan.txt")]) == 0
    assert _revisions(path, second.id) == ["exported"] and _revisions(path, first.id) == []


def test_export_defaults_to_the_guides_plan_and_names_the_others(
    stored: tuple[Path, str], capsys: pytest.CaptureFixture[str]
) -> None:
    path, session_id = stored  # netvaerksmoede: plan ua, also fills kp
    assert sdm(["export", session_id, "--store", str(path)]) == 0
    out, err = capsys.readouterr()
    assert out.startswith("Udskrivningsaftale – udkast\n")
    assert err == ("sdm export: exporting 'ua', the guide's own plan; it also fills: kp — use "
                   "--template kp\n")
    assert sdm(["export", session_id, "--store", str(path), "--template", "kp"]) == 0
    out, err = capsys.readouterr()
    assert out.startswith("Koordinationsplan – udkast\n") and err == ""


def test_a_plan_the_guide_does_not_fill_suggests_one(
    stored: tuple[Path, str], capsys: pytest.CaptureFixture[str]
) -> None:
    path, session_id = stored
    assert sdm(["export", session_id, "--store", str(path), "--template", "kpp"]) == 1
    assert capsys.readouterr().err == (
        "sdm export: the guide 'netvaerksmoede' does not fill the plan 'kpp' (it fills: ua, "
        "kp) — did you mean 'kp'?\n")


class Full:
    """Standard output that cannot be written (a full disk)."""

    def write(self, text: str) -> int:
        raise OSError(28, "No space left on device")

    def flush(self) -> None:
        raise OSError(28, "No space left on device")


def test_export_to_stdout_that_fails(
    stored: tuple[Path, str], monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    path, session_id = stored
    monkeypatch.setattr("sys.stdout", Full())
    assert sdm(["export", session_id, "--store", str(path), "--template", "kp"]) == 1
    assert capsys.readouterr().err == (
        "sdm export: cannot write to standard output: No space left on device\n")
    assert _revisions(path, session_id) == []


def test_export_to_dev_full_in_a_real_process(stored: tuple[Path, str]) -> None:
    import subprocess
    import sys

    from tests.conftest import ROOT

    if not Path("/dev/full").exists():
        pytest.skip("no /dev/full here")
    path, session_id = stored
    with open("/dev/full", "w") as full:
        done = subprocess.run(
            [sys.executable, "-m", "assistant", "export", session_id, "--store", str(path),
             "--template", "ua"], stdout=full, stderr=subprocess.PIPE, text=True, cwd=ROOT,
            timeout=60)
    assert (done.returncode, done.stderr) == (
        1, "sdm export: cannot write to standard output: No space left on device\n")


# --- the two papers: --copy -------------------------------------------------------------------


def _print(argv: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    assert sdm(argv) == 0, capsys.readouterr().err
    return capsys.readouterr().out


def test_copy_chooses_the_paper_with_a_default_per_format(
    stored: tuple[Path, str], capsys: pytest.CaptureFixture[str]
) -> None:
    path, session_id = stored
    base = ["export", session_id, "--store", str(path), "--today", "2026-03-01"]
    record = _print([*base, "--format", "text"], capsys)
    assert record == _print([*base, "--format", "text", "--copy", "record"], capsys)
    patient = _print([*base, "--format", "text", "--copy", "patient"], capsys)
    # The record lists the gaps and says "ikke udfyldt" for a required field still empty;
    # the patient's copy has neither, nor any version.
    assert "MANGLER" in record and "(version " in record
    assert "MANGLER" not in patient and "ikke udfyldt" not in patient
    assert "version" not in patient and "Vi ser på planen igen senest:" in patient
    html = _print([*base, "--format", "html"], capsys)
    assert html == _print([*base, "--format", "html", "--copy", "patient"], capsys)
    assert "Mangler" not in html and "patient-copy" in html
    assert "Mangler" in _print([*base, "--format", "html", "--copy", "record"], capsys)


def test_the_record_text_is_not_wrapped_unless_a_width_is_given(
    stored: tuple[Path, str], capsys: pytest.CaptureFixture[str]
) -> None:
    path, session_id = stored
    base = ["export", session_id, "--store", str(path), "--today", "2026-03-01"]
    unwrapped = _print(base, capsys)
    wrapped = _print([*base, "--width", "40"], capsys)
    assert max(len(line) for line in wrapped.splitlines()) <= 40
    assert max(len(line) for line in unwrapped.splitlines()) > 40
    assert "".join(unwrapped.split()) == "".join(wrapped.split())


def test_a_copy_the_format_does_not_make_is_wrong_use(
    stored: tuple[Path, str], capsys: pytest.CaptureFixture[str]
) -> None:
    path, session_id = stored
    assert sdm(["export", session_id, "--store", str(path), "--format", "json",
                "--copy", "patient"]) == 2
    err = capsys.readouterr().err
    assert "makes no patient copy" in err and "html" in err
