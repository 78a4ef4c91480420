"""The engine stays pure: no Textual, no clock, no I/O, no store."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

ENGINE = ROOT / "assistant" / "engine"
MODULES = sorted(p for p in ENGINE.glob("*.py"))


@pytest.mark.parametrize("module", ["assistant.engine", "assistant.engine.rehydrate"])
def test_engine_does_not_import_textual_or_the_store(module: str) -> None:
    code = (f"import sys, {module}; "
            "print(','.join(m for m in sys.modules if m.split('.')[0] == 'textual' "
            "or m.startswith(('assistant.store', 'assistant.export', 'assistant.plans', "
            "'assistant.service', 'assistant.cli'))))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         cwd=ROOT, check=True).stdout.strip()
    assert out == ""


CLOCK = re.compile(r"\b(now|utcnow|today)\(|time\.time\(|\bimport time\b|\brandom\b")
IO = re.compile(r"\bopen\(|\bprint\(|read_text|read_bytes|write_text|sys\.std")


@pytest.mark.parametrize("path", MODULES, ids=lambda p: p.name)
def test_no_clock_and_no_io(path: Path) -> None:
    source = path.read_text(encoding="utf-8")
    assert not CLOCK.search(source), "time comes in on events, never from the clock"
    assert not IO.search(source), "the engine reads no files and writes to no console"
