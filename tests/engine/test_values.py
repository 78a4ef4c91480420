"""Answer values per step type, and matching free text to a choice."""

from __future__ import annotations

from typing import Any

import pytest

from assistant.engine.values import (
    AnswerError,
    Person,
    Task,
    match_choice,
    plain,
    validate_value,
)
from assistant.guides.flow import INFORMATION_LEVEL
from assistant.guides.models import (
    Choice,
    DateStep,
    InfoStep,
    LocalText,
    LongTextStep,
    MultiStep,
    PeopleStep,
    ScaleStep,
    SingleStep,
    TasksStep,
    TextStep,
    YesNoStep,
)

CHOICES = [
    Choice(id="medicin", label=LocalText(da="Medicin", en="Medication")),
    Choice(id="samtaler", label=LocalText(da="Samtaleterapi", en="Talking therapy")),
    Choice(id="ingen-aendring", label=LocalText(da="Ingen ændring", en="No change")),
]
SINGLE = SingleStep(id="valg", type="single", prompt="Hvad?", choices=CHOICES)
MULTI = MultiStep(id="flere", type="multi", prompt="Hvad?", choices=CHOICES)
SCALE = ScaleStep(id="skala", type="scale", prompt="Hvor meget?", min=1, max=5)
YESNO = YesNoStep(id="jn", type="yesno", prompt="Ja?")
TEXT = TextStep(id="kort", type="text", prompt="Hvad?", max_length=10)
LONG = LongTextStep(id="lang", type="longtext", prompt="Fortæl")
DATE = DateStep(id="dato", type="date", prompt="Hvornår?")
PEOPLE = PeopleStep(id="folk", type="people", prompt="Hvem?")
TASKS = TasksStep(id="opg", type="tasks", prompt="Hvad?")
INFO = InfoStep(id="info", type="info", prompt="Bare tekst.")


def error(step: Any, raw: object) -> str:
    with pytest.raises(AnswerError) as exc:
        validate_value(step, raw)
    return exc.value.message


# --- valid values -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("step", "raw", "expected"),
    [
        (SINGLE, "samtaler", "samtaler"),
        (MULTI, ["ingen-aendring", "medicin"], ("medicin", "ingen-aendring")),  # choice order
        (MULTI, ("samtaler",), ("samtaler",)),
        (SCALE, 1, 1),
        (SCALE, 5, 5),
        (YESNO, False, False),
        (TEXT, "  hej  ", "hej"),
        (LONG, "linje 1\nlinje 2\n", "linje 1\nlinje 2"),
        (DATE, "2028-02-29", "2028-02-29"),
        (PEOPLE, [{"name": "Mette", "relation": ""}], (Person(name="Mette"),)),
        (TASKS, [{"what": "Ring", "who": "Ole", "by": None}], (Task(what="Ring", who="Ole"),)),
        (TASKS, [{"what": "Ring", "who": "Ole", "by": "2026-03-01"}],
         (Task(what="Ring", who="Ole", by="2026-03-01"),)),
    ],
)
def test_valid_values_become_canonical(step: Any, raw: object, expected: object) -> None:
    assert validate_value(step, raw) == expected


def test_people_keep_every_field_and_plain_gives_json_back() -> None:
    raw = [{"name": " Mette ", "relation": "søster", "helps": "lytter", "when": "aften",
            "contact": "12345678"}]
    value = validate_value(PEOPLE, raw)
    assert value == (Person(name="Mette", relation="søster", helps="lytter", when="aften",
                            contact="12345678"),)
    assert plain(value) == [{"name": "Mette", "relation": "søster", "helps": "lytter",
                             "when": "aften", "contact": "12345678"}]
    assert validate_value(PEOPLE, plain(value)) == value  # canonical values round-trip
    assert validate_value(PEOPLE, list(value)) == value  # models are accepted as they are


# --- bad values -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("step", "raw", "words"),
    [
        (SINGLE, "medicn", "did you mean 'medicin'"),
        (SINGLE, 3, "expected a choice id"),
        (SINGLE, ["medicin"], "got a list"),
        (MULTI, "medicin", "expected a list of choice ids"),
        (MULTI, [], "choose at least one"),
        (MULTI, ["medicin", "medicin"], "more than once"),
        (MULTI, ["medicin", "x"], "'x' is not a choice"),
        (SCALE, 0, "outside the scale"),
        (SCALE, 6, "from 1 to 5"),
        (SCALE, 2.5, "whole number"),
        (SCALE, True, "got true/false"),
        (SCALE, "3", "got text"),
        (YESNO, "ja", "expected true or false"),
        (YESNO, 1, "got a number"),
        (TEXT, "   ", "empty"),
        (TEXT, "x" * 11, "at most 10 characters (got 11)"),
        (TEXT, None, "got nothing"),
        (DATE, "2026-02-30", "not a real date"),
        (DATE, "5/1/2026", "YYYY-MM-DD"),
        (DATE, 20260101, "got a number"),
        (PEOPLE, [], "at least one person"),
        (PEOPLE, {"name": "Mette"}, "expected a list of persons"),
        (PEOPLE, ["Mette"], "person 1: expected a mapping"),
        (PEOPLE, [{"name": "A"}, {"relation": "bror"}], "person 2: 'name' is required"),
        (PEOPLE, [{"name": "   "}], "'name' is required"),
        (PEOPLE, [{"nam": "A"}], "unknown key 'nam' — did you mean 'name'"),
        (PEOPLE, [{"name": 7}], "'name' must be text"),
        (PEOPLE, [{"name": "x" * 201}], "'name' is too long (at most 200)"),
        (TASKS, [{"what": "Ring"}], "task 1: 'who' is required"),
        (TASKS, [{"what": "Ring", "who": "Ole", "by": "i morgen"}], "task 1: 'by'"),
        (INFO, "ok", "information only"),
    ],
)
def test_bad_values_say_what_is_expected(step: Any, raw: object, words: str) -> None:
    assert words in error(step, raw)


def test_messages_never_echo_long_text() -> None:
    secret = "Jeg hører stemmer om natten, og det gør mig bange " * 3
    for step in (SINGLE, MULTI, DATE, SCALE, YESNO):
        assert "stemmer" not in error(step, secret)
    assert "stemmer" not in error(TEXT, secret)  # too long: only the length is given
    assert "stemmer" not in error(PEOPLE, [{secret: "x"}])


# --- matching free text -----------------------------------------------------------------------


def test_a_typo_finds_the_choice_with_that_label() -> None:
    choice, score, certain = match_choice(SINGLE, "medicn", "da")
    assert (choice, certain) == ("medicin", True)
    assert score >= 85


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        ("Medicin", "da", "medicin"),
        ("talking therapy", "da", "samtaler"),  # the other language counts too
        ("samtaleterapi", "en", "samtaler"),
        ("ingen-aendring", "da", "ingen-aendring"),  # the id
        ("INGEN ÆNDRING!", "da", "ingen-aendring"),  # case and punctuation do not matter
        ("no change", "en", "ingen-aendring"),
    ],
)
def test_labels_in_both_languages_and_ids_match(text: str, lang: Any, expected: str) -> None:
    choice, _score, certain = match_choice(SINGLE, text, lang)
    assert choice == expected
    assert certain


def test_short_or_vague_text_is_never_certain() -> None:
    assert match_choice(SINGLE, "me", "da")[2] is False
    assert match_choice(SINGLE, "", "da") == (None, 0.0, False)
    assert match_choice(SINGLE, "?!", "da") == (None, 0.0, False)
    choice, score, certain = match_choice(SINGLE, "xyzzy", "da")
    assert choice is None and score < 60 and not certain


def test_close_runner_up_makes_a_match_uncertain() -> None:
    step = SingleStep(id="s", type="single", prompt="?", choices=[
        Choice(id="a", label="Samtale med læge"), Choice(id="b", label="Samtale med sygeplejerske"),
    ])
    choice, _score, certain = match_choice(step, "samtale", "da")
    assert choice == "a" and not certain


def test_builtin_information_level_matches_danish_words() -> None:
    assert match_choice(INFORMATION_LEVEL, "lidt", "da")[0] == "a_little"
    assert match_choice(INFORMATION_LEVEL, "alt med detaljer", "da")[0] == "everything"


def test_matching_needs_a_choice_step() -> None:
    with pytest.raises(AnswerError, match="no choices"):
        match_choice(SCALE, "7", "da")
    assert match_choice(MULTI, "samtaler", "da")[0] == "samtaler"  # multi steps are fine


def test_a_long_sentence_is_never_certain() -> None:
    # Words are not understood: "ikke" does not turn the match around, so ask back.
    choice, score, certain = match_choice(SINGLE, "jeg vil helst ikke have medicin", "da")
    assert choice == "medicin" and score >= 85
    assert not certain
    assert match_choice(SINGLE, "medicin tak", "da")[2]
