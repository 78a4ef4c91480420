"""`preparation` and `prepared` in meeting guides: what `sdm validate` checks."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.guides.loader import load_library
from tests.conftest import ROOT

NETWORK = (ROOT / "decision_aids" / "netvaerksmoede.yaml").read_text(encoding="utf-8")


def problems(tmp_path: Path, text: str) -> list[str]:
    guide = tmp_path / "kopi.yaml"
    guide.write_text(text.replace("id: netvaerksmoede\n", "id: netvaerksmoede-kopi\n", 1),
                     encoding="utf-8")
    return [p.format() for p in load_library([guide]).errors]


def test_the_bundled_meetings_are_clean(tmp_path: Path) -> None:
    assert problems(tmp_path, NETWORK) == []


@pytest.mark.parametrize(("change", "message"), [
    (("prepared: personlig-udtalelse", "prepared: hvem-skal-med"),
     "step 'om-mig' (longtext) cannot take the answer to 'hvem-skal-med' (people)"),
    (("prepared: personlig-udtalelse", "prepared: personlig-udtalelsen"),
     "has no step 'personlig-udtalelsen'"),
    (("preparation: forberedelse-med-peer", "preparation: netvaerksmoede-unge"),
     "'netvaerksmoede-unge' is not a preparation guide"),
])
def test_a_prepared_step_must_name_a_fitting_preparation_step(
    tmp_path: Path, change: tuple[str, str], message: str
) -> None:
    found = problems(tmp_path, NETWORK.replace(*change))
    assert any(message in p for p in found), found
