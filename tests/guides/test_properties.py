"""Property-based: any mutation of a valid guide ends in a guide or in clean problems.

Mutations: wrong types, missing keys, unknown keys, broken references, random YAML text.
Never an uncaught exception; every problem has a position inside the file.
"""

from __future__ import annotations

import copy
import json
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assistant.guides.loader import Library, Loaded, parse_text
from assistant.guides.references import check_library
from assistant.guides.yamlsubset import read, yaml_lines
from tests.conftest import EXAMPLES

AID_TEXT = (EXAMPLES / "eksempel-beslutning.yaml").read_text(encoding="utf-8")
PLAN_TEXT = (EXAMPLES / "eksempel-plan.yaml").read_text(encoding="utf-8")
AID, _ = read(AID_TEXT)
PLAN, _ = read(PLAN_TEXT)
PLAN_DOC, _ = parse_text(PLAN_TEXT, "plan.yaml")

scalars = st.one_of(
    st.none(), st.booleans(), st.integers(-10**6, 10**6), st.floats(allow_nan=False),
    st.text(max_size=20), st.sampled_from(["ua.needs", "x", "kontakt", "ofte", "lkt2021",
                                           "2026-01-01", "[/]", "\x1b[2J", "single", "not_yet"]),
)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=3),
                            st.dictionaries(st.text(max_size=8), inner, max_size=3)),
    max_leaves=8,
)


def _paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [prefix]
    if isinstance(node, dict):
        for k, v in node.items():
            out += _paths(v, (*prefix, k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            out += _paths(v, (*prefix, i))
    return out


@st.composite
def mutated(draw: st.DrawFn) -> str:
    doc = copy.deepcopy(draw(st.sampled_from([AID, PLAN])))
    for _ in range(draw(st.integers(1, 4))):
        paths = _paths(doc)
        path = draw(st.sampled_from(paths))
        if not path:
            continue
        parent = doc
        for p in path[:-1]:
            parent = parent[p]
        action = draw(st.sampled_from(["replace", "delete", "unknown", "rename"]))
        last = path[-1]
        if action == "replace":
            parent[last] = draw(values)
        elif action == "delete":
            del parent[last]
        elif action == "unknown" and isinstance(parent, dict):
            parent[draw(st.text(min_size=1, max_size=10))] = draw(values)
        elif action == "rename" and isinstance(parent[last], str):
            parent[last] = parent[last] + draw(st.sampled_from(["x", "-2", "_", ""]))
    # JSON is a subset of YAML 1.2, so this is a YAML document too.
    return json.dumps(doc, ensure_ascii=draw(st.booleans()), indent=draw(st.sampled_from([None, 1])))


def _check(text: str) -> None:
    doc, problems = parse_text(text, "guide.yaml")
    lines = len(yaml_lines(text))
    if doc is None:
        assert problems
        for p in problems:
            assert 1 <= p.line <= lines
            assert p.message
        return
    library = Library(documents=[Loaded("guide.yaml", doc, text)])
    if PLAN_DOC is not None and doc.id != PLAN_DOC.id:
        library.documents.append(Loaded("plan.yaml", PLAN_DOC, PLAN_TEXT))
    for p in check_library(library):
        assert p.line >= 1 and p.message


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated())
def test_mutated_guides_load_or_fail_cleanly(text: str) -> None:
    _check(text)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300))
def test_random_text_loads_or_fails_cleanly(text: str) -> None:
    _check(text)


@settings(max_examples=200, deadline=None)
@given(st.data())
def test_random_yaml_fragments_fail_cleanly(data: st.DataObject) -> None:
    pieces = data.draw(st.lists(st.sampled_from(
        ["id: x\n", "kind: decision_aid\n", "- ", "  ", "? ", ": ", "[", "]", "{", "}", ",",
         "&a ", "*a", "!!str ", "%YAML 1.2\n", "---\n", "...\n", "#c\n", "'q'", '"\\x00"',
         "|\n  lit\n", ">-\n", "\t", "\n", "title: ", "steps:\n", "\ufeff", "\x85"]),
        max_size=40))
    _check("".join(pieces))
