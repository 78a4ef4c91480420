"""`sdm --help` stays cheap: building the parser loads no Textual, no models and no store."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.conftest import ROOT

HEAVY = ("textual", "pydantic", "assistant.guides.models", "assistant.store",
         "assistant.service", "assistant.tui")

SCRIPT = """
import json, sys
from assistant.cli import main
try:
    main(sys.argv[1:])
except SystemExit as exc:
    assert exc.code in (0, None), exc.code
print(json.dumps(sorted(sys.modules)))
"""


@pytest.mark.parametrize("argv", [["--help"], ["export", "--help"], ["sessions", "--help"],
                                  ["replay", "--help"]], ids=" ".join)
def test_help_imports_nothing_heavy(argv: list[str]) -> None:
    done = subprocess.run([sys.executable, "-c", SCRIPT, *argv], capture_output=True,
                          text=True, cwd=ROOT, check=True)
    modules = json.loads(done.stdout.strip().splitlines()[-1])
    loaded = [m for m in modules
              if any(m == heavy or m.startswith(heavy + ".") for heavy in HEAVY)]
    assert loaded == []
