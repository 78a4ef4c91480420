"""Small messages an author reads (issue 18, item 6): a tab in the indentation is named as
such, so is a line indented off its siblings, and a count of one is singular."""

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


@pytest.mark.parametrize(
    ("old", "new", "line", "message"),
    [
        # A key one space too far in, or out: named with its siblings' indentation.
        ("  invitation:", "   invitation:", 24,
         "this line is indented 3 spaces; its siblings above use 2"),
        ("  invitation:", " invitation:", 24,
         "this line is indented 1 space; its siblings above use 2"),
        # The parser stops at the next line; the misplaced line is the one named.
        ("  purpose:", "   purpose:", 23,
         "this line is indented 3 spaces; its siblings below use 2"),
        ("    choice: eksempel", "     choice: eksempel", 60,
         "this line is indented 5 spaces; its siblings below use 4"),
        # Inside a list item, siblings line up after the '- '.
        ("    type: single\n", "     type: single\n", 32,
         "this line is indented 5 spaces; its siblings above use 4"),
        ("  - id: ingen\n", "   - id: ingen\n", 50,
         "this line is indented 3 spaces; its siblings above use 2"),
        ("review_due: 2027", "  review_due: 2027", 10,
         "this line is indented 2 spaces; its siblings above use 0"),
    ],
)
def test_a_line_indented_off_its_siblings_is_named(
    example_aid_text: str, old: str, new: str, line: int, message: str
) -> None:
    assert example_aid_text.count(old) == 1
    with pytest.raises(YamlSubsetError) as found:
        read(example_aid_text.replace(old, new))
    assert found.value.line == line
    assert found.value.column == len(new) - len(new.lstrip(" ")) + 1
    assert message in found.value.message and "quotes" not in found.value.message


def test_an_indentation_mistake_is_one_problem_of_the_file(
    tmp_path: Path, example_aid_text: str
) -> None:
    from assistant.guides.loader import load_library

    aid = tmp_path / "aid.yaml"
    aid.write_text(example_aid_text.replace("  invitation:", "   invitation:"), encoding="utf-8")
    library = load_library([aid], include_bundled=False)
    assert [(p.line, p.column, p.code) for p in library.problems] == [(24, 4, "yaml")]


def test_one_guide_linted_is_singular(capsys: pytest.CaptureFixture[str]) -> None:
    aid = Path(__file__).resolve().parents[2] / "decision_aids" / "valg-af-kontaktperson.yaml"
    main(["lint", str(aid)])
    out = capsys.readouterr().out
    assert "1 guide linted: 0 errors, 0 warnings" in out, out
