"""`sdm schema`: the generated JSON Schema accepts every good file and refuses bad ones."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from assistant.guides.loader import guide_files
from assistant.guides.scaffold import scaffold
from assistant.guides.schema import guide_schema
from assistant.guides.yamlsubset import read
from tests.conftest import BUNDLED, EXAMPLES

FILES = guide_files([BUNDLED, EXAMPLES])


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft202012Validator:
    schema = guide_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_schema_accepts_every_bundled_and_example_file(
    validator: jsonschema.Draft202012Validator, path: Path
) -> None:
    data, _ = read(path.read_text(encoding="utf-8"))
    errors = [e.message for e in validator.iter_errors(data)]
    assert errors == []


@pytest.mark.parametrize("kind", ["decision_aid", "meeting_guide", "plan_template"])
def test_schema_accepts_scaffolds(validator: jsonschema.Draft202012Validator, kind: str) -> None:
    data, _ = read(scaffold(kind, "ny-guide"))
    assert list(validator.iter_errors(data)) == []


def test_schema_refuses_typos_and_wrong_kinds(validator: jsonschema.Draft202012Validator) -> None:
    data, _ = read((EXAMPLES / "eksempel-beslutning.yaml").read_text(encoding="utf-8"))
    data["opitons"] = data.pop("options")
    assert not validator.is_valid(data)
    data, _ = read((EXAMPLES / "eksempel-plan.yaml").read_text(encoding="utf-8"))
    data["kind"] = "plan"
    assert not validator.is_valid(data)


def test_sdm_schema_prints_the_same_schema(capsys: pytest.CaptureFixture[str]) -> None:
    from assistant.cli import main

    assert main(["schema"]) == 0
    assert json.loads(capsys.readouterr().out) == guide_schema()
