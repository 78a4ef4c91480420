"""Test guides, times and answer values shared by the engine tests."""

from __future__ import annotations

import datetime as dt
from typing import Any

from hypothesis import strategies as st

from assistant.engine.events import Answer, Edit, Seen, Skip
from assistant.engine.session import Session
from assistant.guides.loader import parse_text
from assistant.guides.models import AnyStep, DecisionAid, Guide, MeetingGuide, ScaleStep

T0 = dt.datetime(2026, 1, 5, 10, 0, tzinfo=dt.UTC)


def at(seconds: int = 0) -> dt.datetime:
    """A fixed time `seconds` after T0."""
    return T0 + dt.timedelta(seconds=seconds)


_META = """\
version: 1.0.0
language: da
title: {da: Test, en: Test}
audience: [adult]
authors: [test]
reviewed: 2026-01-01
review_due: 2027-01-01
"""

AID_YAML = "id: test-aid\nkind: decision_aid\n" + _META + """\
question: {da: "Hvad vil du?", en: "What do you want?"}
framing:
  purpose: Formål
  invitation: Invitation
preferences:
  - id: naerhed
    type: scale
    prompt: Hvor meget?
    min: 0
    max: 10
  - id: bekymret
    type: yesno
    prompt: Er du bekymret?
  - id: bekymring
    type: longtext
    prompt: Hvad bekymrer dig?
    enable_when: [{question: bekymret, operator: "=", answer: true}]
  - id: bekymring_info
    type: info
    prompt: Tak, fordi du fortalte det.
    enable_when: [{question: bekymring, operator: exists, answer: true}]
  - id: hvad
    type: multi
    prompt: Hvad må deles?
    choices:
      - {id: intet, label: {da: Intet, en: Nothing}}
      - {id: medicin, label: {da: Medicin, en: Medication}}
      - {id: aftaler, label: {da: Aftaler, en: Appointments}}
  - id: hvem
    type: people
    prompt: Hvem?
    enable_when: [{question: hvad, operator: "!=", answer: intet}]
  - id: hoej
    type: text
    prompt: Hvorfor?
    max_length: 50
    enable_behavior: any
    enable_when:
      - {question: naerhed, operator: ">=", answer: 8}
      - {question: bekymret, operator: "=", answer: false}
  - id: dato
    type: date
    prompt: Hvornår?
    required: true
options:
  - id: medicin
    title: {da: Medicin, en: Medication}
    summary: Piller.
    pros: [Virker hurtigt.]
    cons: [Bivirkninger.]
    more: {a_little: Kort., some: Mere., everything: Alt.}
  - id: samtaler
    title: {da: Samtaleterapi, en: Talking therapy}
    summary: Samtaler.
    pros: [Ingen piller.]
    cons: [Tager tid.]
  - id: ingen
    title: {da: Ingen ændring, en: No change}
    summary: Som nu.
    pros: [Intet nyt.]
    cons: [Intet bliver bedre.]
    status_quo: true
decision:
  steps:
    - id: opfoelgning
      type: tasks
      prompt: Opfølgning
      enable_when: [{question: choice, operator: "!=", answer: not_yet}]
"""

MEETING_YAML = "id: test-meeting\nkind: meeting_guide\n" + _META + """\
purpose: Et møde.
sections:
  - id: start
    title: Start
    steps:
      - {id: hello, type: info, prompt: Velkommen.}
      - {id: emne, type: text, prompt: "Hvad skal vi tale om?"}
  - id: slut
    title: Slut
    steps:
      - {id: opgaver, type: tasks, prompt: "Hvem gør hvad?"}
      - {id: farvel, type: info, prompt: Tak for i dag.}
"""


def load_guide(text: str) -> Guide:
    """A guide from YAML text; fails the test if it does not validate."""
    document, problems = parse_text(text, "test.yaml")
    assert not problems, [p.format() for p in problems]
    assert isinstance(document, (DecisionAid, MeetingGuide))
    return document


AID = load_guide(AID_YAML)
MEETING = load_guide(MEETING_YAML)


def sample_value(step: AnyStep, variant: str = "first") -> Any:
    """A simple valid answer for any answerable step.

    `first`: the first choice, mid-scale, yes, "tekst". `last`: the last choice, every choice
    of a multi, the top of the scale, no — the other branch of most conditions.
    """
    kind = step.type
    last = variant == "last"
    if kind in ("single", "multi"):
        ids = [c.id for c in step.choices]  # type: ignore[union-attr]
        if kind == "multi":
            return ids if last else ids[:1]
        return ids[-1] if last else ids[0]
    if isinstance(step, ScaleStep):
        return step.max if last else (step.min + step.max) // 2
    if kind == "yesno":
        return not last
    if kind in ("text", "longtext"):
        return "tekst"
    if kind == "date":
        return "2026-02-01"
    if kind == "people":
        return [{"name": "Mette", "relation": "søster"}]
    if kind == "tasks":
        return [{"what": "Ringe til Mette", "who": "patient", "by": "2026-02-01"}]
    raise AssertionError(f"no sample value for step type {kind}")


def walk(session: Session, start: int = 0, *, until: str | None = None) -> int:
    """Answer every step as it comes up (info steps are seen) until the session finishes,
    or until the step `until` is the one asked.

    Returns the next free second for timestamps.
    """
    second = start
    for _ in range(500):
        current = session.state.current
        if current is None or current.id == until:
            return second
        if current.step.type == "info":
            session.apply(Seen(step=current.id, speaker="clinician", at=at(second)))
        else:
            session.apply(Answer(step=current.id, value=sample_value(current.step),
                                 speaker="patient", at=at(second)))
        second += 1
    raise AssertionError("the session did not finish")


# --- hypothesis ------------------------------------------------------------------------------

_short_text = st.text(
    alphabet=st.characters(codec="utf-8", categories=("L", "N", "P", "Zs")),
    min_size=1, max_size=30,
).filter(lambda s: s.strip() != "")


def values_for(step: AnyStep) -> st.SearchStrategy[Any]:
    """Valid raw values for `step` (as a UI would send them)."""
    kind = step.type
    if kind == "single":
        return st.sampled_from([c.id for c in step.choices])  # type: ignore[union-attr]
    if kind == "multi":
        ids = [c.id for c in step.choices]  # type: ignore[union-attr]
        return st.lists(st.sampled_from(ids), min_size=1, max_size=len(ids), unique=True)
    if isinstance(step, ScaleStep):
        return st.integers(step.min, step.max)
    if kind == "yesno":
        return st.booleans()
    if kind in ("text", "longtext"):
        return _short_text
    if kind == "date":
        return st.dates().map(lambda d: d.isoformat())
    if kind == "people":
        person = st.fixed_dictionaries({"name": _short_text},
                                       optional={"relation": _short_text, "when": _short_text})
        return st.lists(person, min_size=1, max_size=3)
    if kind == "tasks":
        task = st.fixed_dictionaries({"what": _short_text, "who": _short_text},
                                     optional={"by": st.dates().map(lambda d: d.isoformat())})
        return st.lists(task, min_size=1, max_size=3)
    raise AssertionError(f"no values for step type {kind}")


#: Any raw value at all, valid or not for a given step.
any_value: st.SearchStrategy[Any] = st.recursive(
    st.none() | st.booleans() | st.integers(-5, 20) | st.floats(allow_nan=False)
    | st.text(max_size=12) | st.sampled_from(["medicin", "intet", "2026-02-30", "2026-02-01"]),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(
        st.sampled_from(["name", "what", "who", "by", "x"]), inner, max_size=3),
    max_leaves=6,
)

__all__ = ["AID", "MEETING", "T0", "Answer", "Edit", "Seen", "Skip", "any_value", "at",
           "load_guide", "sample_value", "values_for", "walk"]
