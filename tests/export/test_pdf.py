"""The HTML export prints to PDF in headless Chromium, with the plan's text in it."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from assistant.export import export_html
from tests.plans.helpers import full_draft

CHROMIUM = Path("/usr/bin/chromium")
pytestmark = pytest.mark.slow


def pdf_text(pdf: Path) -> str:
    """The text of `pdf`: pdftotext (poppler-utils), else pypdf."""
    if shutil.which("pdftotext"):
        return subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                              text=True, check=True, timeout=60).stdout
    pypdf = pytest.importorskip("pypdf", reason="neither pdftotext nor pypdf is installed")
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(pdf).pages)


@pytest.mark.skipif(not CHROMIUM.exists(),
                    reason="/usr/bin/chromium is not installed (apt-get install chromium)")
def test_html_prints_to_pdf_with_the_plans_text(tmp_path: Path) -> None:
    draft, _ = full_draft("kriseplan")
    page = tmp_path / "plan.html"
    page.write_text(export_html(draft), encoding="utf-8")
    out = tmp_path / "plan.pdf"
    profile = tmp_path / "profile"
    subprocess.run(
        [str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         f"--user-data-dir={profile}", "--no-pdf-header-footer", f"--print-to-pdf={out}",
         page.as_uri()],
        capture_output=True, check=True, timeout=120)
    assert out.read_bytes().startswith(b"%PDF")
    text = " ".join(pdf_text(out).split())
    assert "Kriseplan – udkast" in text
    for field in draft.fields[:5]:
        assert " ".join(field.label.da.split()) in text
    assert "Svar til Mine første tegn" in text
