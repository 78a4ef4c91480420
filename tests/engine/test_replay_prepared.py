"""Answers files for a meeting built on a preparation: `prepared:` and `prepared: true`."""

from __future__ import annotations

import datetime as dt

from assistant.engine.answersfile import PREPARED_SOURCE, replay_answers
from assistant.guides.loader import load_library
from assistant.guides.models import MeetingGuide
from assistant.guides.yamlsubset import read
from assistant.plans import build_draft

STATEMENT = "Jeg vil gerne selv bestemme, hvem der ringer til min mor."


def _meeting() -> MeetingGuide:
    guide = load_library().guides["netvaerksmoede"].document
    assert isinstance(guide, MeetingGuide)
    return guide


def _replay(text: str):  # type: ignore[no-untyped-def]
    data, positions = read(text, positions=True)
    return replay_answers(_meeting(), data, positions, "answers.yaml")


def test_prepared_words_are_brought_in_and_accepted() -> None:
    state, problems = _replay(f"""\
prepared:
  om-mig: "{STATEMENT}"
answers:
  - {{step: om-mig, value: "{STATEMENT}", prepared: true}}
""")
    assert problems == [] and state is not None
    record = state.prepared["om-mig"]
    assert record.value == STATEMENT and record.source_session == PREPARED_SOURCE
    answer = state.answers["om-mig"]
    assert answer.prepared and answer.speaker == "patient"
    library = load_library()
    plan = library.template(state.guide.plan or "ua")
    assert plan is not None
    draft = build_draft(state, plan, today=dt.date(2026, 11, 23))
    lines = [line for f in draft.fields for line in f.lines if line.step == "om-mig"]
    assert lines and all(line.prepared and line.text == STATEMENT for line in lines)


def test_problems_are_located_with_a_suggestion() -> None:
    state, problems = _replay("""\
prepared:
  om-mg: "x"
answers:
  - {step: om-mig, value: "y", prepared: true}
  - {step: kredsen, skip: true, prepared: true}
""")
    assert state is None
    text = "\n".join(p.format() for p in problems)
    assert "answers.yaml:2:3" in text and "did you mean 'om-mig'" in text
    assert "answers.yaml:5:" in text and "cannot be 'prepared'" in text
    assert "answers.yaml:4:" in text  # accepting words that were never prepared
