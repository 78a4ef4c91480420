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


#: What `sdm --help` has no use for either: the crash reporter (logging), the process
#: hardening (ctypes), argparse's terminal-size helper (shutil and its compression modules),
#: json and copy (issue 16: each was a few ms of a 40 ms command).
LIGHT_EXTRAS = ("logging", "ctypes", "shutil", "json", "copy", "assistant.crash",
                "assistant.hardening", "assistant.export.text", "datetime")


BARE_SCRIPT = """
import sys
from assistant.cli import main
try:
    main(["--help"])
except SystemExit:
    pass
sys.stdout.write("\\n" + " ".join(sorted(sys.modules)))
"""


def test_top_level_help_loads_only_the_parser() -> None:
    done = subprocess.run([sys.executable, "-c", BARE_SCRIPT], capture_output=True,
                          text=True, cwd=ROOT, check=True)
    modules = set(done.stdout.splitlines()[-1].split())
    assert not modules & set(LIGHT_EXTRAS), sorted(modules & set(LIGHT_EXTRAS))


LIST_SCRIPT = """
import json, sys
from assistant.cli import main
code = main(sys.argv[1:])
print(json.dumps([code, sorted(sys.modules)]))
"""


@pytest.mark.parametrize("argv", [["validate"], ["list"], ["list", "--format", "json"]],
                         ids=" ".join)
def test_library_commands_load_no_ui_and_no_store(argv: list[str]) -> None:
    """`sdm validate` and `sdm list` read guides: no Textual, no store, no encryption."""
    done = subprocess.run([sys.executable, "-c", LIST_SCRIPT, *argv], capture_output=True,
                          text=True, cwd=ROOT, check=True)
    code, modules = json.loads(done.stdout.strip().splitlines()[-1])
    assert code == 0
    loaded = [m for m in modules
              if any(m == heavy or m.startswith(heavy + ".")
                     for heavy in ("textual", "assistant.store", "assistant.service",
                                   "assistant.tui", "cryptography", "sqlite3"))]
    assert loaded == []
