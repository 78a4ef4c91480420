"""enable_when, FHIR-style: every operator, all/any, and chains through disabled steps."""

from __future__ import annotations

from typing import Any

import pytest

from assistant.engine.conditions import condition_holds, enabled_steps, is_enabled
from assistant.engine.values import Person, Value
from assistant.guides.models import AnyStep, Condition, InfoStep, TextStep


def cond(question: str, operator: Any, answer: Any) -> Condition:
    return Condition(question=question, operator=operator, answer=answer)


def holds(operator: str, answer: Any, value: Value | None) -> bool:
    answers: dict[str, Value] = {} if value is None else {"q": value}
    return condition_holds(cond("q", operator, answer), answers)


def step(sid: str, *conditions: Condition, behavior: Any = "all") -> TextStep:
    return TextStep(id=sid, type="text", prompt="?", enable_when=list(conditions),
                    enable_behavior=behavior)


@pytest.mark.parametrize(
    ("operator", "answer", "value", "expected"),
    [
        # exists
        ("exists", True, 3, True),
        ("exists", True, None, False),
        ("exists", False, None, True),  # the one condition that holds without an answer
        ("exists", False, "x", False),
        # = and != on single choices, yes/no, text, dates
        ("=", "medicin", "medicin", True),
        ("=", "medicin", "samtaler", False),
        ("!=", "medicin", "samtaler", True),
        ("!=", "medicin", "medicin", False),
        ("=", True, True, True),
        ("=", False, True, False),
        ("!=", False, True, True),
        ("=", "2026-01-05", "2026-01-05", True),
        # multi: '=' means contains, '!=' means does not contain
        ("=", "medicin", ("samtaler", "medicin"), True),
        ("=", "medicin", ("samtaler",), False),
        ("!=", "intet", ("samtaler",), True),
        ("!=", "intet", ("intet", "samtaler"), False),
        (">", "intet", ("intet",), False),
        # scales
        ("=", 7, 7, True),
        ("=", 7.0, 7, True),
        ("!=", 7, 6, True),
        (">", 7, 8, True),
        (">", 7, 7, False),
        ("<", 7, 6, True),
        ("<", 7, 7, False),
        (">=", 7, 7, True),
        (">=", 7, 6, False),
        ("<=", 7, 7, True),
        ("<=", 7, 8, False),
        # dates compare as dates
        (">", "2026-01-05", "2026-02-01", True),
        ("<=", "2026-01-05", "2025-12-31", True),
        # never: a yes/no is not a number, text is not ordered, unanswered is false
        ("=", 1, True, False),
        ("=", True, 1, False),
        (">", 1, True, False),
        (">", "abc", "abd", False),
        ("=", "x", None, False),
        ("!=", "x", None, False),
        (">", 3, None, False),
        ("=", "Mette", (Person(name="Mette"),), False),
    ],
)
def test_operators(operator: str, answer: Any, value: Value | None, expected: bool) -> None:
    assert holds(operator, answer, value) is expected


def test_no_conditions_means_always_enabled() -> None:
    assert is_enabled(step("a"), {})


def test_all_needs_every_condition_and_any_needs_one() -> None:
    both = (cond("a", "=", True), cond("b", ">", 5))
    answers: dict[str, Value] = {"a": True, "b": 3}
    assert not is_enabled(step("c", *both, behavior="all"), answers)
    assert is_enabled(step("c", *both, behavior="any"), answers)
    assert is_enabled(step("c", *both, behavior="all"), {"a": True, "b": 9})
    assert not is_enabled(step("c", *both, behavior="any"), {"a": False, "b": 1})
    assert not is_enabled(step("c", *both, behavior="any"), {})


def test_a_disabled_step_disables_what_depends_on_it() -> None:
    steps: list[AnyStep] = [
        step("a"),
        step("b", cond("a", "=", "ja")),
        step("c", cond("b", "exists", True)),
        InfoStep(id="d", type="info", prompt="!", enable_when=[cond("b", "exists", False)]),
        step("e", cond("c", "=", "x"), cond("a", "=", "nej"), behavior="any"),
    ]
    answers: dict[str, Value] = {"a": "ja", "b": "svar", "c": "x"}
    enabled, counting = enabled_steps(steps, answers)
    assert enabled == {"a", "b", "c", "e"}
    assert counting == answers

    answers["a"] = "nej"  # b is no longer asked, so its answer no longer counts...
    enabled, counting = enabled_steps(steps, answers)
    assert enabled == {"a", "d", "e"}  # ...c depended on b; d wanted b unanswered
    assert counting == {"a": "nej"}


def test_conditions_only_see_answers_that_count() -> None:
    # A forward reference (reported by the validator) cannot see an answer given later.
    steps: list[AnyStep] = [step("a", cond("b", "exists", True)), step("b")]
    enabled, _ = enabled_steps(steps, {"b": "x"})
    assert enabled == {"b"}
