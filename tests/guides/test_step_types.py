"""Step types come from one union, and every place that branches on them handles each type.

`mypy --strict` names a place that misses a new type (each branch ends in `assert_never`);
these tests catch the same gap at run time, and check that the lists derived from the union
(the type names, the discriminated `Step`) and the built-in step ids agree with it.
"""

from __future__ import annotations

from typing import Any, get_args

import pytest
from pydantic import TypeAdapter

from assistant.engine.values import AnswerError, validate_value
from assistant.export.fhir import item_type
from assistant.guides import step_ids
from assistant.guides.flow import RESERVED_STEP_IDS, flow
from assistant.guides.models import (
    STEP_MODELS,
    STEP_TYPES,
    AnyStep,
    Condition,
    Step,
    choices_of,
    step_type_name,
    takes_answer,
)
from assistant.guides.references import condition_mismatch, prepared_fits
from assistant.tui.answers import AnswerWidget, widget_class
from assistant.wording import value_text
from tests.engine.helpers import AID

#: The Questionnaire item types of FHIR R4 that a step may become.
FHIR_ITEM_TYPES = {"display", "choice", "integer", "boolean", "string", "text", "date", "group"}


def _sample(name: str) -> AnyStep:
    """A valid step of type `name`, read through the discriminated union as a guide is."""
    model = STEP_MODELS[STEP_TYPES.index(name)]
    data: dict[str, Any] = {"id": f"step-{name}", "type": name, "prompt": "Spørgsmål"}
    if "choices" in model.model_fields:
        data["choices"] = [{"id": "a", "label": "A"}, {"id": "b", "label": "B"}]
    step: AnyStep = TypeAdapter(Step).validate_python(data)
    return step


def test_step_types_are_the_members_of_the_one_union() -> None:
    assert get_args(AnyStep) == STEP_MODELS
    literals = [get_args(m.model_fields["type"].annotation) for m in STEP_MODELS]
    assert [name for (name,) in literals] == list(STEP_TYPES)
    assert len(set(STEP_TYPES)) == len(STEP_TYPES)
    assert [step_type_name(m) for m in STEP_MODELS] == list(STEP_TYPES)


@pytest.mark.parametrize("name", STEP_TYPES)
def test_the_step_union_reads_each_type_as_its_model(name: str) -> None:
    assert type(_sample(name)) is STEP_MODELS[STEP_TYPES.index(name)]


def test_an_unknown_type_is_refused_naming_every_type() -> None:
    with pytest.raises(ValueError, match="one of " + ", ".join(STEP_TYPES)):
        TypeAdapter(Step).validate_python({"id": "x", "type": "no-such-type", "prompt": "p"})


@pytest.mark.parametrize("name", STEP_TYPES)
def test_every_step_type_is_handled_everywhere(name: str) -> None:
    # `assert_never` raises AssertionError at run time: a missing case fails here.
    step = _sample(name)
    assert issubclass(widget_class(step), AnswerWidget)
    assert isinstance(value_text(step, "a", "da"), str)
    assert item_type(step) in FHIR_ITEM_TYPES
    assert (item_type(step) == "display") is (not takes_answer(step))
    assert isinstance(choices_of(step), list)
    assert prepared_fits(step, step) is takes_answer(step)
    mismatch = condition_mismatch(Condition(question=step.id, answer="a"), step)
    assert mismatch is None or isinstance(mismatch, str)
    with pytest.raises(AnswerError):
        validate_value(step, object())  # nothing takes an arbitrary object


def test_the_builtin_steps_are_the_named_ids_in_order() -> None:
    # The test aid asks everything: information level, decision role, SURE, next steps.
    assert [s.id for s in flow(AID) if s.builtin] == list(step_ids.BUILTIN)
    assert frozenset(step_ids.BUILTIN) == RESERVED_STEP_IDS
    assert set(step_ids.SURE_IDS) <= RESERVED_STEP_IDS
