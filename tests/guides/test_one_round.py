"""All problems in one round (issue 18, item 6): a file's reference problems come with its shape
problems, not after they are fixed; a mistake is reported once, not again by what it breaks;
`sdm validate FILE` and `sdm lint FILE` see the plan template beside the file."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

from assistant.cli import main
from assistant.guides.loader import Library, Loaded, Rejected, load_library, parse_document
from assistant.guides.references import _model_guide, _raw_guide, check_library
from assistant.guides.yamlsubset import read, yaml_lines
from tests.conftest import BUNDLED, EXAMPLES
from tests.guides.test_properties import PLAN_DOC, PLAN_TEXT, mutated

PLAN = EXAMPLES / "eksempel-plan.yaml"


def _edit(text: str, *edits: tuple[str, str]) -> str:
    for old, new in edits:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    return text


def _problems(tmp_path: Path, text: str) -> list[tuple[int, str]]:
    """(line, message) of every problem of `text` as an aid beside the example plan."""
    aid = tmp_path / "aid.yaml"
    aid.write_text(text, encoding="utf-8")
    library = load_library([PLAN, aid], include_bundled=False)
    assert all(p.file.endswith("aid.yaml") for p in library.problems), library.problems
    return [(p.line, p.message) for p in library.problems]


def test_five_mistakes_of_five_kinds_in_one_run(tmp_path: Path, example_aid_text: str) -> None:
    text = _edit(
        example_aid_text,
        ("conflicts_of_interest:", "conflicts_of_intrest:"),                     # 13: unknown key
        ("    ask: patient\n", "    ask: patient\n    required: maybe\n"),         # 29: wrong type
        ("fills: eksempel-plan.wishes", "fills: eksempel-plan.wish"),            # 31: fills
        ("  - id: hvem\n", "  - id: kontakt\n"),                                 # 38: duplicate id
        ("{question: kontakt,", "{question: kontakkt,"),                         # 42: condition
    )
    assert _problems(tmp_path, text) == [
        (13, "conflicts_of_intrest: unknown key 'conflicts_of_intrest' — did you mean "
             "'conflicts_of_interest'?"),
        (29, "preferences.0.required: expected true or false, got text"),
        (31, "'eksempel-plan.wish': plan template 'eksempel-plan' has no field 'wish' — "
             "did you mean 'wishes'?"),
        (38, "duplicate step id 'kontakt' (first used at line 32)"),
        (42, "condition refers to unknown step 'kontakkt' — did you mean 'kontakt'?"),
    ]


def test_references_of_a_meeting_guide_with_a_shape_error(tmp_path: Path) -> None:
    text = _edit(
        (BUNDLED / "netvaerksmoede.yaml").read_text(encoding="utf-8"),
        ("preparation: forberedelse-med-peer\n",
         "preparation: forberedelse-med-peer\nmeeting_typ: network\n"),
        ("prepared: hvem-skal-med", "prepared: hvem-skal-mes"),
    )
    path = tmp_path / "moede.yaml"
    path.write_text(text, encoding="utf-8")
    library = load_library([path], include_bundled=True)
    got = [p.message for p in library.problems if p.file.endswith("moede.yaml")]
    assert len(got) == 3, got
    assert got[0].startswith("id 'netvaerksmoede' is already used by")
    assert got[1].startswith("meeting_typ: unknown key 'meeting_typ' — did you mean 'meeting_type'")
    assert got[2] == ("preparation guide 'forberedelse-med-peer' has no step 'hvem-skal-mes' "
                      "— did you mean 'hvem-skal-med'?")


# --- knock-on errors ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("edits", "expected"),
    [
        # A step whose type is wrong keeps its id: the condition on it is not "unknown".
        ((("    type: single\n", "    type: singel\n"),),
         [(32, "preferences.1.type: unknown step type 'singel' — did you mean 'single'?")]),
        # A step whose id is not valid may be the one a condition means.
        ((("  - id: kontakt\n", "  - id: Kontakt\n"),),
         [(31, "preferences.1.id: 'Kontakt' is not a valid id: use lower-case letters, digits, "
               "'-' and '_', starting with a letter or digit")]),
        # A duplicate id: the second step's condition looks back at the first, not at itself.
        ((("  - id: hvem\n", "  - id: kontakt\n"),),
         [(37, "duplicate step id 'kontakt' (first used at line 31)")]),
        # A value that fits no member of a union: one problem, not one per member.
        ((("answer: ofte}", "answer: [1]}"),),
         [(41, "preferences.2.enable_when.0.answer: expected true or false, a whole number, "
               "a number or text, got a list")]),
        # A source whose id is not valid may be the one an option cites.
        ((("  - id: lkt2021\n", "  - id: LKT 2021\n"),),
         [(20, "sources.0.id: 'LKT 2021' is not a valid id: use lower-case letters, digits, "
               "'-' and '_', starting with a letter or digit")]),
        # Options that cannot be read: a condition on the choice is not checked against them.
        ((("{question: kontakt, operator: \"=\", answer: ofte}",
           "{question: choice, operator: \"=\", answer: alle}"),
          ("options:\n", "options: 3\nx_options:\n")),
         [(41, "condition refers to step 'choice', which does not come before step 'hvem': "
               "a condition can only look back"),
          (42, "options: expected a list, got a number"),
          (43, "x_options: unknown key 'x_options' — did you mean 'options'?")]),
    ],
)
def test_knock_on_errors_are_not_reported(
    tmp_path: Path, example_aid_text: str, edits: tuple[tuple[str, str], ...],
    expected: list[tuple[int, str]],
) -> None:
    assert _problems(tmp_path, _edit(example_aid_text, *edits)) == expected


def test_a_plan_template_with_a_shape_error_is_still_read(
    tmp_path: Path, example_aid_text: str, example_plan_text: str
) -> None:
    plan = tmp_path / "plan.yaml"
    plan.write_text(_edit(example_plan_text, ("version: 1.0.0", "version: one")),
                    encoding="utf-8")
    aid = tmp_path / "aid.yaml"
    aid.write_text(_edit(example_aid_text, ("fills: eksempel-plan.wishes",
                                            "fills: eksempel-plan.wish")), encoding="utf-8")
    library = load_library([tmp_path], include_bundled=False)
    assert [(Path(p.file).name, p.line) for p in library.problems] == [
        ("aid.yaml", 30), ("plan.yaml", 4)]
    # Its kind unreadable too: its id is still known, its fields are not checked.
    plan.write_text(_edit(example_plan_text, ("kind: plan_template", "kind: plan")),
                    encoding="utf-8")
    library = load_library([tmp_path], include_bundled=False)
    assert [(Path(p.file).name, p.line) for p in library.problems] == [("plan.yaml", 3)]


def test_the_raw_outline_of_every_bundled_guide_is_its_models() -> None:
    """Read as plain data (as when its shape is wrong), each bundled guide gives the checks
    the same steps, in the same order, at the same places, as its model does."""
    library = load_library(check=False)
    checked = 0
    for loaded in library.documents:
        doc = loaded.document
        if doc.kind == "plan_template":
            continue
        data, positions = read(loaded.text, positions=True)
        assert positions is not None
        raw = _raw_guide(Rejected(loaded.file, data, positions))
        model = _model_guide(loaded, doc)  # type: ignore[arg-type]
        def seen(step: Any) -> tuple[Any, ...]:
            return (step.id, step.path, list(step.conditions), list(step.fills),
                    list(step.choices), step.prepared)

        assert [seen(s) for s in raw.steps] == [seen(s) for s in model.steps]
        assert raw.steps_known
        assert (raw.options, raw.option_sources, raw.sources, raw.sections, raw.plan,
                raw.preparation, raw.meeting_type, raw.decision_fills) == (
            model.options, model.option_sources, model.sources, model.sections, model.plan,
            model.preparation, model.meeting_type, model.decision_fills)
        checked += 1
    assert checked >= 10


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated())
def test_mutated_guides_are_checked_as_far_as_they_can_be_read(text: str) -> None:
    """Whatever the shape, the reference checks end in located problems, never an exception."""
    doc, _problems, rejected = parse_document(text, "guide.yaml")
    library = Library(documents=[Loaded("plan.yaml", PLAN_DOC, PLAN_TEXT)])
    if doc is not None:
        library.documents.append(Loaded("guide.yaml", doc, text))
    if rejected is not None:
        library.rejected.append(rejected)
    lines = len(yaml_lines(text))
    for p in check_library(library):
        assert p.code == "ref" and p.message
        assert 1 <= p.line <= (lines if p.file == "guide.yaml" else 100)


# --- the file's siblings -----------------------------------------------------------------------


def _folder(tmp_path: Path, example_aid_text: str, example_plan_text: str) -> Path:
    (tmp_path / "eksempel-plan.yaml").write_text(example_plan_text, encoding="utf-8")
    aid = tmp_path / "aid.yaml"
    aid.write_text(example_aid_text, encoding="utf-8")
    # Not guides: an answers file, and text that is not YAML, are passed over.
    (tmp_path / "answers.yaml").write_text("answers:\n  - {step: kontakt, value: ofte}\n",
                                           encoding="utf-8")
    (tmp_path / "notes.yml").write_text("a: [\n", encoding="utf-8")
    return aid


def test_lint_file_sees_the_plan_template_beside_it(
    tmp_path: Path, example_aid_text: str, example_plan_text: str,
    capsys: pytest.CaptureFixture[str],
) -> None:
    aid = _folder(tmp_path, example_aid_text, example_plan_text)
    assert main(["lint", "--strict", "--today", "2026-11-23", str(aid)]) == 0
    assert "1 guide linted: 0 errors, 0 warnings" in capsys.readouterr().out
    assert main(["validate", "--no-bundled", str(aid)]) == 0
    assert "1 file checked: no problems" in capsys.readouterr().out


def test_a_sibling_is_known_not_checked(
    tmp_path: Path, example_aid_text: str, example_plan_text: str,
    capsys: pytest.CaptureFixture[str],
) -> None:
    aid = _folder(tmp_path, example_aid_text, example_plan_text)
    plan = tmp_path / "eksempel-plan.yaml"
    # A sibling with the id of a file named is left out (no "already used").
    (tmp_path / "copy.yaml").write_text(example_aid_text, encoding="utf-8")
    assert main(["validate", "--no-bundled", str(aid)]) == 0
    capsys.readouterr()
    # A sibling whose shape is wrong: named once where it is referred to.
    plan.write_text(_edit(example_plan_text, ("version: 1.0.0", "version: one")),
                    encoding="utf-8")
    assert main(["validate", "--no-bundled", "--format", "json", str(aid)]) == 1
    problems = json.loads(capsys.readouterr().out)["problems"]
    assert [(Path(p["file"]).name, p["line"]) for p in problems] == [("aid.yaml", 14)]
    assert problems[0]["message"] == (
        f"plan template 'eksempel-plan' in {plan} has problems of its own: check it with "
        f"'sdm validate {plan}'")
