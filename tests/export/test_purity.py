"""The plan and export layers import no Textual, and nothing the tests alone install."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.conftest import ROOT


@pytest.mark.parametrize("module", ["assistant.plans", "assistant.export",
                                    "assistant.export.formats", "assistant.cli.export"])
def test_module_imports_no_ui_and_no_test_dependency(module: str) -> None:
    code = (f"import sys, {module}; "
            "bad = sorted(m for m in sys.modules if m.split('.')[0] in "
            "('textual', 'fhir', 'fhir_core', 'markdown_it', 'hypothesis'));"
            "print(','.join(bad))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         cwd=ROOT, check=True).stdout.strip()
    assert out == ""
