"""`enable_when` evaluated FHIR-style: which steps are asked, given the answers so far.

A condition on a question that has no answer — unanswered, skipped, or itself disabled — is
false, except `exists: false`, which is then true. For a multi-choice answer `=` means
"contains" and `!=` means "does not contain". Ordering operators compare numbers (scale
answers) and dates; anything else compared with them is false rather than an error, because
the validator (`sdm validate`) already reports such conditions to the author.

Conditions read the shape of the canonical value (`values.validate_value`, which handles every
step type), not the step type: which operators and answers fit a type is decided once, per
type, by the validator (`guides.references.condition_mismatch`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping

from assistant.engine.values import Value
from assistant.guides.models import AnyStep, Condition

__all__ = ["condition_holds", "enabled_steps", "is_enabled"]


def is_enabled(step: AnyStep, answers: Mapping[str, Value]) -> bool:
    """True when `step` is asked, given `answers` (step id → value).

    `answers` must hold only answers that count: answers of enabled steps. `enabled_steps`
    takes care of that for a whole flow, which is how chains of conditions resolve.
    """
    if not step.enable_when:
        return True
    results = (condition_holds(cond, answers) for cond in step.enable_when)
    return all(results) if step.enable_behavior == "all" else any(results)


def enabled_steps(
    steps: Iterable[AnyStep], answers: Mapping[str, Value]
) -> tuple[frozenset[str], dict[str, Value]]:
    """Walk `steps` in conversation order and resolve every condition.

    Returns the ids of the enabled steps and the answers that count (those of enabled
    steps). An answer to a disabled step is left out before later steps look at it, so a
    disabled step disables whatever depends on its answer (conditions only look back).
    """
    enabled: set[str] = set()
    counting: dict[str, Value] = {}
    for step in steps:
        if is_enabled(step, counting):
            enabled.add(step.id)
            if step.id in answers:
                counting[step.id] = answers[step.id]
    return frozenset(enabled), counting


def condition_holds(cond: Condition, answers: Mapping[str, Value]) -> bool:
    """Whether one condition is true for `answers` (see the module docstring)."""
    expected = cond.answer
    if cond.operator == "exists":
        wanted = expected if isinstance(expected, bool) else True
        return (cond.question in answers) == wanted
    if cond.question not in answers:
        return False
    actual = answers[cond.question]
    if isinstance(actual, tuple):  # multi choice (or people/tasks, where only exists fits)
        if cond.operator == "=":
            return any(_equal(item, expected) for item in actual)
        if cond.operator == "!=":
            return not any(_equal(item, expected) for item in actual)
        return False
    if cond.operator == "=":
        return _equal(actual, expected)
    if cond.operator == "!=":
        return not _equal(actual, expected)
    return _compare(cond.operator, actual, expected)


def _number(value: object) -> float | None:
    # bool is an int in Python, but a yes/no answer is not a number here.
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    return None


def _equal(actual: object, expected: object) -> bool:
    # True == 1 in Python; a yes/no answer must never equal a scale value.
    if isinstance(actual, bool) or isinstance(expected, bool):
        return isinstance(actual, bool) and isinstance(expected, bool) and actual == expected
    left, right = _number(actual), _number(expected)
    if left is not None and right is not None:
        return left == right
    return type(actual) is type(expected) and actual == expected


def _day(value: object) -> float | None:
    """A YYYY-MM-DD string as a day number, so dates compare like numbers."""
    if not isinstance(value, str):
        return None
    try:
        return float(dt.date.fromisoformat(value).toordinal())
    except ValueError:
        return None


def _compare(operator: str, actual: object, expected: object) -> bool:
    left, right = _number(actual), _number(expected)
    if left is None or right is None:
        left, right = _day(actual), _day(expected)
    if left is None or right is None:
        return False
    if operator == ">":
        return left > right
    if operator == "<":
        return left < right
    if operator == ">=":
        return left >= right
    if operator == "<=":
        return left <= right
    return False
