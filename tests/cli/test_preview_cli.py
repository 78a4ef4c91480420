"""`sdm preview FILE` on the command line (cli/preview.py): a file that is not there, or not a
file, fails with one line before any UI starts. The UI itself: tests/tui/test_preview.py."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from assistant.cli import main
from tests.conftest import ROOT


def test_a_missing_file_fails_with_one_line(tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "missing.yaml"
    assert main(["preview", str(missing)]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err == f"sdm preview: no such file or folder: {missing}\n"


def test_a_missing_file_in_danish(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--lang", "da", "preview", "missing.yaml"]) == 2
    assert capsys.readouterr().err == \
        "sdm preview: filen eller mappen findes ikke: missing.yaml\n"


def test_a_folder_is_not_a_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["preview", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert err.startswith(f"sdm preview: not a file: {tmp_path}")


SCRIPT = """
import json, sys
from assistant.cli import main
code = main(sys.argv[1:])
print(json.dumps([code, sorted(sys.modules)]))
"""


HELP_SCRIPT = """
import json, sys
from assistant.cli import main
try:
    main(["preview", "--help"])
except SystemExit as exc:
    assert exc.code in (0, None), exc.code
print(json.dumps(sorted(sys.modules)))
"""


def _heavy(modules: list[str]) -> list[str]:
    heavy = ("textual", "pydantic", "assistant.tui", "assistant.store", "assistant.service")
    return [m for m in modules if any(m == h or m.startswith(h + ".") for h in heavy)]


def test_a_missing_file_starts_no_ui(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, "-c", SCRIPT, "preview", str(tmp_path / "x.yaml")],
                          capture_output=True, text=True, cwd=ROOT, check=True)
    code, modules = json.loads(done.stdout.strip().splitlines()[-1])
    assert code == 2
    assert _heavy(modules) == []


def test_preview_help_imports_nothing_heavy() -> None:
    done = subprocess.run([sys.executable, "-c", HELP_SCRIPT], capture_output=True, text=True,
                          cwd=ROOT, check=True)
    assert _heavy(json.loads(done.stdout.strip().splitlines()[-1])) == []


def test_preview_is_listed_in_the_help(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["--help"])
    assert "preview" in capsys.readouterr().out
