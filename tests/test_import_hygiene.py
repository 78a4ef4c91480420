"""Importing the package layers below the UI must not import Textual (start-up time, purity)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.conftest import ROOT


@pytest.mark.parametrize(
    "module",
    ["assistant", "assistant.cli", "assistant.guides.loader", "assistant.guides.lint",
     "assistant.guides.references", "assistant.guides.flow"],
)
def test_module_does_not_import_textual(module: str) -> None:
    code = (f"import sys, {module}; "
            "bad = sorted(m for m in sys.modules if m == 'textual' or m.startswith('textual.'));"
            "print(','.join(bad))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         cwd=ROOT, check=True).stdout.strip()
    assert out == ""
