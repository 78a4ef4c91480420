"""Loading guides: every problem of every file, each at its line, in words an author can act on."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.guides.loader import load_file, load_library, parse_text
from assistant.guides.models import DecisionAid, PlanTemplate
from tests.conftest import EXAMPLES


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _lines(library_problems: list) -> list[tuple[int, int, str]]:
    return [(p.line, p.column, p.message) for p in library_problems]


def test_example_guides_load_cleanly() -> None:
    library = load_library([EXAMPLES], include_bundled=False)
    assert library.problems == []
    assert isinstance(library.guides["eksempel-beslutning"].document, DecisionAid)
    assert isinstance(library.template("eksempel-plan"), PlanTemplate)


def test_five_mistakes_are_all_reported_with_their_lines(tmp_path: Path, example_aid_text: str) -> None:
    text = example_aid_text
    text = text.replace("audience: [adult]", "audience: [adult, teen]")          # 1 enum
    text = text.replace("reviewed: 2026-11-23", "reviewed: 2026-13-01")          # 2 date
    text = text.replace("    type: single\n", "    type: singel\n")              # 3 step type
    text = text.replace("preferences:\n", "preferences:\n  - {id: x1, type: text, promt: hi}\n")  # 4/5
    text = text.replace("options:\n", "opitons:\n")                                # 6 unknown key
    path = _write(tmp_path, "five.yaml", text)
    library = load_library([EXAMPLES / "eksempel-plan.yaml", path], include_bundled=False)
    got = [(p.line, p.message) for p in library.problems if p.file.endswith("five.yaml")]
    assert [p.column for p in library.problems] == [19, 11, 5, 26, 11, 1]
    assert got == [
        (7, "audience.1: 'teen' is not allowed here (allowed: 'adult' or 'youth')"),
        (9, "reviewed: '2026-13-01' is not a date: write it as YYYY-MM-DD"),
        (26, "preferences.0: missing required key 'prompt'"),
        (26, "preferences.0.promt: unknown key 'promt' — did you mean 'prompt'?"),
        (33, "preferences.2.type: unknown step type 'singel' — did you mean 'single'?"),
        (43, "opitons: unknown key 'opitons' — did you mean 'options'?"),
    ]


def test_problems_of_all_files_are_reported(tmp_path: Path) -> None:
    _write(tmp_path, "a.yaml", "id: a\nkind: decision_aid\n")
    _write(tmp_path, "b.yaml", "id: b\nkind: plan_templat\n")
    _write(tmp_path, "c.yml", "x: [1,\n")
    library = load_library([tmp_path], include_bundled=False)
    files = {Path(p.file).name for p in library.problems}
    assert files == {"a.yaml", "b.yaml", "c.yml"}
    kinds = [p.message for p in library.problems if p.file.endswith("b.yaml")]
    assert kinds == ["kind: unknown kind 'plan_templat' — did you mean 'plan_template'?"]


def test_unquoted_comma_in_flow_text_gets_a_helpful_message(tmp_path: Path, example_aid_text: str) -> None:
    text = example_aid_text.replace(
        'purpose: {da: "Vi taler om, hvem der må få besked.", en:',
        "purpose: {da: Vi taler om, hvem der må få besked., en:",
    )
    assert text != example_aid_text
    _doc, problems = parse_text(text, "f.yaml")
    assert len(problems) == 1
    assert "a comma in an unquoted text split it" in problems[0].message


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (("question: kontakt", "question: kontakt2"),
         "condition refers to unknown step 'kontakt2' — did you mean 'kontakt'?"),
        (("answer: ofte}", "answer: oft}"),
         "'oft' is not a choice of step 'kontakt' — did you mean 'ofte'?"),
        (("sources: [lkt2021]\n    status_quo", "sources: [lkt2020]\n    status_quo"),
         "unknown source 'lkt2020' — did you mean 'lkt2021'?"),
        (("fills: eksempel-plan.wishes", "fills: eksempel-plan.wish"),
         "'eksempel-plan.wish': plan template 'eksempel-plan' has no field 'wish' — did you mean 'wishes'?"),
        (("plan: eksempel-plan", "plan: eksempel-plna"),
         "unknown plan template 'eksempel-plna' — did you mean 'eksempel-plan'?"),
        (("id: hvem", "id: vigtigst"), "duplicate step id 'vigtigst' (first used at line"),
        (("id: hvem", "id: choice"), "step id 'choice' is reserved for a built-in step"),
        (("id: ingen", "id: alle"), "duplicate option id 'alle' (first used at line"),
        (("question: kontakt, operator: \"=\"", "question: hvem, operator: \"=\""),
         "condition refers to step 'hvem', which does not come before step 'hvem'"),
        (("operator: \"=\", answer: ofte", "operator: \">\", answer: ofte"),
         "choices cannot be compared with '>'"),
    ],
)
def test_broken_references_name_the_nearest_ids(
    tmp_path: Path, example_aid_text: str, edit: tuple[str, str], message: str
) -> None:
    old, new = edit
    assert old in example_aid_text
    path = _write(tmp_path, "aid.yaml", example_aid_text.replace(old, new, 1))
    library = load_library([EXAMPLES / "eksempel-plan.yaml", path], include_bundled=False)
    messages = [p.message for p in library.problems]
    assert any(m.startswith(message) for m in messages), messages
    assert all(p.line > 1 for p in library.problems)


def test_duplicate_document_ids_across_files(tmp_path: Path, example_plan_text: str) -> None:
    _write(tmp_path, "copy.yaml", example_plan_text)
    library = load_library([EXAMPLES, tmp_path], include_bundled=False)
    assert [p.message for p in library.problems] == [
        f"id 'eksempel-plan' is already used by {library.templates['eksempel-plan'].file}"
    ]


def test_errors_do_not_echo_long_prose(tmp_path: Path, example_aid_text: str) -> None:
    secret = "CANARY-PHI-7f3a " * 10
    text = example_aid_text.replace("reviewed: 2026-11-23", f"reviewed: '{secret}'")
    _doc, problems = parse_text(text, "f.yaml")
    assert problems and all("CANARY" not in p.format() for p in problems)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "the file is empty"),
        ("# just a comment\n", "the file is empty"),
        ("- a\n- b\n", "a guide file must be a mapping"),
        ("just text\n", "a guide file must be a mapping"),
        ("id: x\n", "missing required key 'kind'"),
        ("kind: 3\n", "missing required key 'kind'"),
    ],
)
def test_degenerate_files(text: str, message: str) -> None:
    doc, problems = parse_text(text, "f.yaml")
    assert doc is None
    assert message in problems[0].message


def test_unreadable_and_missing_paths(tmp_path: Path) -> None:
    folder = tmp_path / "folder.yaml"
    folder.mkdir()
    _doc, problems = load_file(folder)
    assert problems and "cannot read the file" in problems[0].message
    library = load_library([tmp_path / "nope"], include_bundled=False)
    assert [p.message for p in library.problems] == ["no such file or folder"]


def test_problems_are_capped_per_file(tmp_path: Path) -> None:
    keys = "".join(f"unknown{i}: 1\n" for i in range(80))
    _doc, problems = parse_text("id: x\nkind: plan_template\n" + keys, "f.yaml")
    assert len(problems) == 51
    assert problems[-1].message.startswith("… and ")
