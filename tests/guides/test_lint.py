"""IPDAS lint: each rule fires on the mistake it names, and stays quiet on a good aid."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from assistant.guides.lint import lint_library, lix
from assistant.guides.loader import load_library
from tests.conftest import EXAMPLES

TODAY = dt.date(2026, 11, 23)


def _lint(tmp_path: Path, text: str, today: dt.date = TODAY) -> list[tuple[str, str, str]]:
    path = tmp_path / "aid.yaml"
    path.write_text(text, encoding="utf-8")
    library = load_library([EXAMPLES / "eksempel-plan.yaml", path], include_bundled=False)
    assert library.problems == [], [p.format() for p in library.problems]
    report = lint_library(library, today=today)
    return [(p.severity, p.code, p.message) for p in report.problems]


def test_the_example_aid_is_clean(tmp_path: Path, example_aid_text: str) -> None:
    assert _lint(tmp_path, example_aid_text) == []


def test_lix_of_plain_and_hard_danish() -> None:
    assert lix("Jeg har det godt. Du er her.") < 20
    hard = ("Behandlingsmæssige foranstaltninger iværksættes efter forudgående "
            "individualiseret sundhedsfaglig vurdering af patientens helbredstilstand.")
    assert lix(hard) > 45
    assert lix("") == 0.0


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("situation:\n  da: Du er indlagt. Nogle af dine nære vil gerne vide, hvordan du har det.\n"
         "  en: You are in hospital. Some people close to you would like to know how you are.\n",
         "", ("error", "IPDAS-Q1")),
        ('question: {da: "Hvem må vi give besked?", en: "Whom may we tell?"}\n', "",
         ("error", "IPDAS-Q2")),
        ("update_policy:", "# update_policy:", ("error", "IPDAS-C4")),
        ("funding:", "# funding:", ("error", "IPDAS-C6")),
        ("conflicts_of_interest:", "# conflicts_of_interest:", ("warning", "IPDAS-QC")),
        ("review_due: 2027-11-23", "review_due: 2026-11-01", ("error", "IPDAS-C4")),
        ("reviewed: 2026-11-23", "reviewed: 2026-12-01", ("error", "IPDAS-C3")),
        ("    sources: [lkt2021]\n    status_quo: true\n", "    status_quo: true\n",
         ("error", "IPDAS-C2")),
        ('    pros: [{da: "Du bestemmer selv hvornår.", en: "You decide when."}]',
         '    pros: [{da: "Du bestemmer selv hvornår.", en: "You decide when."}, a, b]',
         ("error", "IPDAS-C1")),
        ('    pros: [{da: "Du bestemmer selv hvornår.", en: "You decide when."}]',
         '    pros: [{da: "Du bestemmer selv hvornår, hvem og hvordan, og hvad de skal vide om '
         'det hele fra starten af.", en: "x"}]',
         ("error", "IPDAS-C1")),
        ('    experience: {da: "Flere spørger til dig.", en: "More people ask about you."}\n', "",
         ("warning", "IPDAS-Q6")),
        ('summary: {da: "Vi giver dem besked, du nævner."', 'summary: {da: "Vi anbefaler dette."',
         ("warning", "IPDAS-balance")),
        ('en: "We tell the people you name."', 'en: "The best option for you."',
         ("warning", "IPDAS-balance")),
        ('title: {da: "Hvem skal vide besked?", en: "Who should be told?"}',
         'title: "Hvem skal vide besked?"', ("warning", "translation")),
        ("    type: longtext\n", "    type: text\n", None),
        ("    status_quo: true\n", "", None),  # "not yet" still allowed by default
    ],
)
def test_each_rule_fires_on_its_mistake(
    tmp_path: Path, example_aid_text: str, old: str, new: str,
    expected: tuple[str, str] | None,
) -> None:
    assert old in example_aid_text
    found = _lint(tmp_path, example_aid_text.replace(old, new, 1))
    if expected is None:
        assert found == []
    else:
        assert expected in [(sev, code) for sev, code, _msg in found], found


def test_no_own_words_and_no_not_yet_are_warnings(tmp_path: Path, example_aid_text: str) -> None:
    text = example_aid_text.replace("    type: longtext\n", "    type: yesno\n")
    text = text.replace("    status_quo: true\n", "")
    text = text.replace("decision:\n", "decision:\n  allow_not_yet: false\n")
    codes = {code for _sev, code, _msg in _lint(tmp_path, text)}
    assert {"own-words", "IPDAS-not-yet"} <= codes


def test_one_option_is_not_a_decision(tmp_path: Path, example_aid_text: str) -> None:
    start = example_aid_text.index("  - id: ingen")
    end = example_aid_text.index("decision:")
    text = example_aid_text[:start] + example_aid_text[end:]
    assert ("error", "IPDAS-Q3") in [(s, c) for s, c, _m in _lint(tmp_path, text)]


def test_hard_danish_is_a_readability_warning(tmp_path: Path, example_aid_text: str) -> None:
    hard = ("Behandlingsmæssige foranstaltninger iværksættes efter forudgående individualiseret "
            "sundhedsfaglig vurdering af patientens helbredstilstand og funktionsniveau")
    text = example_aid_text.replace(
        "  da: Du er indlagt. Nogle af dine nære vil gerne vide, hvordan du har det.\n",
        f"  da: {hard}\n" * 1,
    )
    text = text.replace('{da: "Vi beslutter det sammen.",', f'{{da: "{hard} {hard}",')
    text = text.replace('{da: "Vi taler om, hvem der må få besked.",', f'{{da: "{hard} {hard}",')
    found = _lint(tmp_path, text)
    assert ("warning", "readability") in [(s, c) for s, c, _m in found]


def test_findings_carry_a_position_and_a_fix(tmp_path: Path, example_aid_text: str) -> None:
    path = tmp_path / "aid.yaml"
    path.write_text(example_aid_text.replace("review_due: 2027-11-23", "review_due: 2026-01-01"))
    library = load_library([EXAMPLES / "eksempel-plan.yaml", path], include_bundled=False)
    problems = lint_library(library, today=TODAY).problems
    assert [p.message.split(":")[0] for p in problems] == [
        "review_due 2026-01-01 has passed", "review_due must come after reviewed"]
    problem = problems[0]
    assert (problem.line, problem.column) == (10, 13)
    assert problem.hint and "review_due" in problem.hint
    assert problem.format().startswith(f"{path}:10:13: error [IPDAS-C4]: review_due 2026-01-01")
