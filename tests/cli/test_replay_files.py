"""What `sdm replay` reads: the bundled library, the guide file named, and `--with` files —
never the rest of the guide's folder (issue 18, item 3) — and which plan it drafts
(`--template`)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from assistant.cli import main
from tests.conftest import ROOT

EXAMPLES = ROOT / "docs" / "examples"


def _sdm(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    try:
        code = main(["--lang", "en", *argv])
    except SystemExit as exc:  # argparse's own usage errors
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def author(tmp_path: Path) -> Path:
    """An author's folder: the example aid, two answers files, a broken draft and a virtual
    environment holding YAML of its own — as a home folder has."""
    folder = tmp_path / "mit-arbejde"
    folder.mkdir()
    shutil.copy(EXAMPLES / "eksempel-beslutning.yaml", folder)
    shutil.copy(EXAMPLES / "eksempel-plan.yaml", folder)
    (folder / "svar.yaml").write_text("answers: []\n", encoding="utf-8")
    (folder / "svar-2.yaml").write_text("answers:\n  - {step: x, value: 1}\n",
                                        encoding="utf-8")
    (folder / "kladde.yaml").write_text("id: kladde\nkind: decision_aid\n", encoding="utf-8")
    venv = folder / "venv" / "lib" / "markdown_it"
    venv.mkdir(parents=True)
    (venv / "port.yaml").write_text("- package: markdown-it\n  version: 13\n",
                                    encoding="utf-8")
    return folder


def test_a_guide_path_is_read_alone(author: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _sdm(capsys, "replay", str(author / "eksempel-beslutning.yaml"),
                          "--answers", str(author / "svar.yaml"))
    assert (code, err) == (0, ""), err
    assert json.loads(out)["guide"]["id"] == "eksempel-beslutning"


def test_the_aids_own_plan_beside_it_is_read(author: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    """The plan template in the aid's folder joins (it says `kind: plan_template`); the
    broken draft, the second answers file and the virtual environment there do not."""
    code, out, err = _sdm(capsys, "replay", str(author / "eksempel-beslutning.yaml"),
                          "--answers", str(author / "svar.yaml"), "--export", "text")
    assert (code, err) == (0, ""), err
    assert out.strip()


def test_a_plan_elsewhere_comes_with_with(author: Path, tmp_path: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    plans = tmp_path / "planer"
    plans.mkdir()
    (author / "eksempel-plan.yaml").rename(plans / "eksempel-plan.yaml")
    guide, answers = str(author / "eksempel-beslutning.yaml"), str(author / "svar.yaml")
    code, _, err = _sdm(capsys, "replay", guide, "--answers", answers)
    assert code == 1 and "unknown plan template 'eksempel-plan'" in err
    code, out, err = _sdm(capsys, "replay", guide, "--answers", answers, "--export", "text",
                          "--with", str(plans / "eksempel-plan.yaml"))
    assert (code, err) == (0, ""), err
    assert out.strip()


def test_a_file_given_with_with_is_checked(author: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _sdm(capsys, "replay", str(author / "eksempel-beslutning.yaml"),
                          "--answers", str(author / "svar.yaml"),
                          "--with", str(author / "kladde.yaml"))
    assert (code, out) == (1, "")
    assert "kladde.yaml:" in err


def test_with_takes_a_file_not_a_folder(author: Path,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = _sdm(capsys, "replay", str(author / "eksempel-beslutning.yaml"),
                        "--answers", str(author / "svar.yaml"), "--with", str(author))
    assert code == 2 and "--with takes a file" in err


BLITZ = """\
participants: [patient, clinician]
answers:
  - {step: om-blitz, seen: true}
  - {step: op-til, value: "Jeg blev bange.", speaker: patient}
"""


@pytest.mark.parametrize(("template", "title"), [
    (None, "Udskrivningsaftale"), ("kp", "Koordinationsplan"),
    ("tryghedsplan", "Trygheds- og forebyggelsesplan")])
def test_template_chooses_the_plan_drafted(template: str | None, title: str, tmp_path: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    answers = tmp_path / "blitz.yaml"
    answers.write_text(BLITZ, encoding="utf-8")
    chosen = ["--template", template] if template else []
    code, out, err = _sdm(capsys, "replay", "blitzmoede", "--answers", str(answers),
                          "--export", "text", *chosen)
    assert (code, err) == (0, ""), err
    assert out.splitlines()[0].startswith(title), out.splitlines()[0]


def test_a_plan_the_guide_does_not_fill_is_refused(tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    answers = tmp_path / "blitz.yaml"
    answers.write_text(BLITZ, encoding="utf-8")
    code, out, err = _sdm(capsys, "replay", "blitzmoede", "--answers", str(answers),
                          "--export", "text", "--template", "kriseplan")
    assert (code, out) == (2, "")
    assert "does not fill the plan 'kriseplan'" in err
    code, _, err = _sdm(capsys, "replay", "blitzmoede", "--answers", str(answers),
                        "--template", "kp")
    assert code == 2 and "give --export too" in err


def test_an_error_elsewhere_in_a_library_folder_is_printed_but_does_not_stop_the_guide(
        author: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # The home screen's rule: another author's broken draft in the ward's library folder
    # is reported, but a guide that does not depend on it still replays.
    ward = tmp_path / "afdeling"
    ward.mkdir()
    (ward / "kladde.yaml").write_text("id: kladde\nkind: decision_aid\n", encoding="utf-8")
    code, out, err = _sdm(capsys, "--library", str(ward), "replay",
                          str(author / "eksempel-beslutning.yaml"),
                          "--answers", str(author / "svar.yaml"))
    assert code == 0, err
    assert "kladde.yaml:" in err and "missing required key" in err
    assert json.loads(out)["guide"]["id"] == "eksempel-beslutning"


def test_an_error_in_the_plan_template_the_guide_drafts_stops_it(
        author: Path, capsys: pytest.CaptureFixture[str]) -> None:
    plan = author / "eksempel-plan.yaml"
    text = plan.read_text("utf-8")
    plan.write_text(text.replace("  - id: decision\n", "  - id: wishes\n", 1), encoding="utf-8")
    code, out, err = _sdm(capsys, "replay", str(author / "eksempel-beslutning.yaml"),
                          "--answers", str(author / "svar.yaml"))
    assert (code, out) == (1, "")
    assert "eksempel-plan.yaml:" in err and "wishes" in err
