"""The authoring commands: validate, lint, new, list — exit codes and output formats."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from assistant.cli import main
from tests.conftest import EXAMPLES, ROOT


def test_validate_bundled_library_is_clean(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate"]) == 0
    assert "no problems" in capsys.readouterr().out


def test_validate_reports_and_exits_1(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("id: x\nkind: decision_aid\nopitons: []\n", encoding="utf-8")
    assert main(["validate", str(bad)]) == 1
    out = capsys.readouterr().out
    assert f"{bad}:3:1: opitons: unknown key 'opitons' — did you mean 'options'?" in out


def test_validate_json_format(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("id: x\nkind: plan_template\nfields: 3\n", encoding="utf-8")
    assert main(["validate", "--format", "json", str(bad)]) == 1
    report = json.loads(capsys.readouterr().out)
    problem = report["problems"][-1]
    assert problem == {
        "file": str(bad), "line": 3, "column": 9, "message": "fields: expected a list, got a number",
        "severity": "error", "code": "schema", "hint": None,
    } or any(p["line"] == 3 for p in report["problems"])


def test_new_scaffolds_validate_and_lint(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    for kind, gid in (("decision-aid", "ny-aid"), ("meeting-guide", "nyt-moede"),
                      ("plan-template", "ny-plan")):
        assert main(["new", kind, gid]) == 0
    files = ["ny-aid.yaml", "nyt-moede.yaml", "ny-plan.yaml"]
    assert main(["validate", *files]) == 0
    assert main(["lint", *files]) == 0
    # Never overwrite, refuse bad ids.
    assert main(["new", "decision-aid", "ny-aid"]) == 2
    assert main(["new", "decision-aid", "Ny Aid"]) == 2


def test_list_json_has_the_rows(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["list", "--format", "json", str(EXAMPLES)]) == 0
    rows = {r["id"]: r for r in json.loads(capsys.readouterr().out)}
    assert rows["eksempel-beslutning"] | {"file": None} == {
        "id": "eksempel-beslutning", "kind": "decision_aid", "title": "Hvem skal vide besked?",
        "audience": ["adult"], "version": "1.0.0", "reviewed": "2026-11-23",
        "review_due": "2027-11-23", "file": None, "origin": "file",
        "in_use": True, "used_file": None,
    }
    assert rows["eksempel-plan"]["kind"] == "plan_template"
    assert rows["kriseplan"]["origin"] == "bundled"


def test_list_says_which_of_two_documents_with_one_id_is_used(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # An author's copy of a bundled guide without `replaces_bundled`: listed, marked as not
    # used, and the file that is used instead is named — in text and in JSON.
    folder = tmp_path / "mine"
    folder.mkdir()
    bundled = ROOT / "decision_aids" / "netvaerksmoede.yaml"
    (folder / "netvaerksmoede.yaml").write_text(bundled.read_text("utf-8"), encoding="utf-8")
    assert main(["--lang", "en", "--library", str(folder), "list"]) == 0
    out, err = capsys.readouterr()
    lines = [line for line in out.splitlines() if line.startswith("netvaerksmoede ")]
    assert len(lines) == 2
    assert lines[0].endswith("[bundled]") and "not used" not in lines[0]
    assert lines[1].endswith("[mine]  (not used: same id)")
    assert "netvaerksmoede.yaml: not used: " in err and "has the same id 'netvaerksmoede'" \
        in err and "decision_aids/netvaerksmoede.yaml" in err
    assert main(["--lang", "en", "--library", str(folder), "list", "--format", "json"]) == 0
    rows = [r for r in json.loads(capsys.readouterr().out) if r["id"] == "netvaerksmoede"]
    assert [r["in_use"] for r in rows] == [True, False]
    assert rows[1]["used_file"] == rows[0]["file"]


def test_lint_strict_and_exit_codes(tmp_path: Path, example_aid_text: str) -> None:
    aid = tmp_path / "aid.yaml"
    aid.write_text(example_aid_text.replace(
        'conflicts_of_interest: {da: "Ingen.", en: "None."}\n', ""), encoding="utf-8")
    plan = str(EXAMPLES / "eksempel-plan.yaml")
    assert main(["lint", "--today", "2026-11-23", plan, str(aid)]) == 0      # warning only
    assert main(["lint", "--strict", "--today", "2026-11-23", plan, str(aid)]) == 1
    assert main(["lint", "--today", "2028-01-01", plan, str(aid)]) == 1      # review overdue


def test_python_dash_m_and_console_script_agree() -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    result = subprocess.run([sys.executable, "-m", "assistant", "--version"],
                            capture_output=True, text=True, env=env, check=True)
    assert result.stdout.startswith("sdm-assistant ")


def test_usage_errors_exit_2() -> None:
    with pytest.raises(SystemExit) as info:
        main(["validate", "--format", "xml"])
    assert info.value.code == 2
