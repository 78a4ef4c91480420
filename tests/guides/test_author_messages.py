"""Small messages an author reads (issue 18, item 6): a tab in the indentation is named as
such, and a count of one is singular."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.cli import main
from assistant.guides.yamlsubset import YamlSubsetError, read


def test_a_tab_in_the_indentation_says_use_spaces() -> None:
    with pytest.raises(YamlSubsetError) as found:
        read('id: x\ntitle:\n\tda: "Hej"\n')
    assert (found.value.line, found.value.column) == (3, 1)
    assert "spaces" in found.value.message and "quotes" not in found.value.message


def test_an_unquoted_colon_still_gets_the_quote_advice() -> None:
    with pytest.raises(YamlSubsetError) as found:
        read("id: x\ntitle: a: b\n")
    assert "quotes" in found.value.message


def test_one_guide_linted_is_singular(capsys: pytest.CaptureFixture[str]) -> None:
    aid = Path(__file__).resolve().parents[2] / "decision_aids" / "valg-af-kontaktperson.yaml"
    main(["lint", str(aid)])
    out = capsys.readouterr().out
    assert "1 guide linted: 0 errors, 0 warnings" in out, out
