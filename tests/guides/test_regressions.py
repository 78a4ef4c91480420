"""Inputs that once broke YAML loaders (hostile-inputs.md, Appendix A) and any input the fuzzer
(`scripts/fuzz_loader.py`) ever crashed on: each must end in clean problems. How quickly is a
figure of `scripts/bench.py --only hostile`, not a test: wall-clock time on a shared machine
is no outcome."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.guides.loader import parse_text
from assistant.guides.yamlsubset import YamlSubsetError, decode

CORPUS = Path(__file__).resolve().parent.parent / "corpus" / "loader"

APPENDIX_A = [
    "? {a: [b]}\n",
    "[{a: [b]}: c]",
    ": #\n d\n\n",
    "title: # TODO oversæt\n  Min kriseplan\n\nid: plan\n",
    "title:  # c\n  x\n\n",
    "[" * 494 + "]" * 494,
    "x: !!python/object/apply:os.system [echo hacked]\n",
    "%YAML 1.1\n---\na: no\nb: 0755\n",
    "a: 0101901234",
    "id: 'x\x85y'",
    "id: '?ja'\n",
    "id: ??\n",
    "id: ? ja\n",
    "a0: &a0 [x,x,x,x,x,x,x,x,x]\na1: &a1 [*a0,*a0,*a0,*a0,*a0,*a0,*a0,*a0,*a0]\n",
    "title: '[@click=app.quit]quit me[/]'\nid: x\nkind: plan_template\n",
]


@pytest.mark.parametrize("text", APPENDIX_A)
def test_appendix_a_inputs_end_in_clean_problems(text: str) -> None:
    doc, problems = parse_text(text, "a.yaml")
    assert doc is None and problems
    assert all(p.line >= 1 and p.column >= 1 and p.message for p in problems)


CRASHES = sorted(CORPUS.glob("crash-*")) if CORPUS.is_dir() else []


@pytest.mark.parametrize("path", CRASHES, ids=[p.name for p in CRASHES])
def test_fuzzer_findings_stay_fixed(path: Path) -> None:
    try:
        text = decode(path.read_bytes())
    except YamlSubsetError:
        return
    parse_text(text, path.name)  # must not raise
