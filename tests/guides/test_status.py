"""Which guides the home screen refuses to open: those whose own file, or whose plan
template, has an error — not every guide in the library because of one author's template."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from assistant.guides.loader import load_library
from assistant.guides.status import LibraryStatus

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "docs" / "examples"


def _author_folder(tmp_path: Path, template_text: str) -> Path:
    """A library folder as an author has it: the example aid and its (edited) template."""
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "eksempel-beslutning.yaml").write_text(
        (EXAMPLES / "eksempel-beslutning.yaml").read_text("utf-8"), encoding="utf-8")
    (folder / "eksempel-plan.yaml").write_text(template_text, encoding="utf-8")
    return folder


def _status(folder: Path) -> LibraryStatus:
    library = load_library(folders=[folder])
    assert library.errors, "the edited template should have an error"
    return LibraryStatus.from_library(library)


TEMPLATE = (EXAMPLES / "eksempel-plan.yaml").read_text("utf-8")


@pytest.mark.parametrize("broken", [
    # Loads, but a field id is used twice: an error in a loaded template.
    pytest.param(TEMPLATE.replace("  - id: decision\n", "  - id: wishes\n", 1),
                 id="duplicate-field"),
    # Cannot be read as a template at all: the kind is misspelt.
    pytest.param(TEMPLATE.replace("kind: plan_template", "kind: plan_templte", 1),
                 id="unknown-kind"),
    # The right kind, but a field has no label: rejected by the schema.
    pytest.param(TEMPLATE.replace("    label: {da: Beslutning, en: Decision}\n", "", 1),
                 id="missing-label"),
])
def test_a_broken_template_blocks_only_the_guides_that_draft_it(
        tmp_path: Path, broken: str) -> None:
    assert broken != TEMPLATE
    status = _status(_author_folder(tmp_path, broken))
    assert "eksempel-beslutning" in status.blocked
    assert status.guide("eksempel-beslutning") is None
    # Every bundled guide still opens: their templates are fine.
    bundled = {card.id for card in status.cards} - {"eksempel-beslutning"}
    assert bundled and not (bundled & status.blocked)
    assert status.guide("netvaerksmoede") is not None


def test_a_broken_bundled_template_still_blocks_its_guides(tmp_path: Path) -> None:
    # The same rule for a bundled id: a library folder's UA template that replaces the
    # bundled one but has an error blocks the guides that draft a UA, and only those.
    ua = (ROOT / "decision_aids" / "plans" / "ua.yaml").read_text("utf-8")
    assert "\nfields:\n" in ua
    broken = ua.replace("\nfields:\n", "\nreplaces_bundled: true\nfields:\n", 1)
    # The second field gets the first field's id (field items are indented two spaces).
    head, fields = broken.split("\nfields:\n", 1)
    ids = re.findall(r"^  - id: (\S+)$", fields, re.MULTILINE)
    fields = fields.replace(f"\n  - id: {ids[1]}\n", f"\n  - id: {ids[0]}\n", 1)
    broken = head + "\nfields:\n" + fields
    folder = tmp_path / "ward"
    folder.mkdir()
    (folder / "ua.yaml").write_text(broken, encoding="utf-8")
    library = load_library(folders=[folder])
    assert any("ua.yaml" in p.file for p in library.errors)
    status = LibraryStatus.from_library(library)
    from assistant.guides.flow import draft_templates
    from assistant.guides.models import DecisionAid, MeetingGuide

    drafting_ua = {loaded.id for loaded in library.guides.values()
                   if isinstance(loaded.document, (DecisionAid, MeetingGuide))
                   and "ua" in draft_templates(loaded.document)}
    assert drafting_ua, "some bundled guide drafts the UA"
    assert status.blocked == drafting_ua
    assert len(status.blocked) < len(status.cards)


def test_a_clean_library_blocks_nothing() -> None:
    status = LibraryStatus.from_library(load_library())
    assert status.blocked == frozenset()
