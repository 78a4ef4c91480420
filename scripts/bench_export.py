"""How fast a session of 200 answers is exported to every format.

    python scripts/bench_export.py [--json]

* export_ms: median time, from the session's state, to build the plan draft and write it as
  text, Markdown, HTML, JSON and a FHIR Bundle (Questionnaire and QuestionnaireResponse).
  Target: under 100 ms.
* draft_ms and the per-format figures show where the time goes.

The session is synthetic: a meeting guide with 200 steps of every answerable type, each
filling a field of the bundled UA template (so fields collect several lines each), answered
by speakers taking turns.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

ANSWERS = 200
RUNS = 15


def _session() -> tuple[Any, Any]:
    """(state, UA template) of a 200-answer session."""
    from assistant.engine import Answer, Session
    from assistant.guides.loader import load_library
    from assistant.guides.models import MeetingGuide, SingleStep

    template = load_library().template("ua")
    assert template is not None
    kinds = {"text": "text", "longtext": "longtext", "date": "date", "people": "people",
             "tasks": "tasks", "yesno": "yesno", "choice": "single"}
    fields = [f for f in template.fields if f.type in kinds]
    steps = []
    for i in range(ANSWERS):
        field = fields[i % len(fields)]
        step: dict[str, Any] = {"id": f"s{i}", "type": kinds[field.type],
                                "prompt": f"Spørgsmål {i}", "fills": [f"ua.{field.id}"]}
        if field.type == "choice":
            step["choices"] = [c.model_dump(exclude_none=True) for c in field.choices]
        steps.append(step)
    guide = MeetingGuide.model_validate({
        "id": "bench", "kind": "meeting_guide", "version": "1.0.0", "title": "Bench",
        "audience": ["adult"], "authors": ["bench"], "reviewed": "2026-01-01",
        "review_due": "2027-01-01", "plan": "ua", "purpose": "Bench.",
        "sections": [{"id": "s", "title": "S", "steps": steps}],
    })
    words = ("Jeg vil gerne have ro om aftenen, og at nogen ringer til min søster, hvis det "
             "bliver svært. ") * 3
    values = {"text": words[:120], "longtext": words + "\nAnden linje.", "date": "2026-02-01",
              "yesno": True,
              "people": [{"name": "Mette", "relation": "søster", "contact": "12 34 56 78"}],
              "tasks": [{"what": "Ringe til kommunen", "who": "Tovholder", "by": "2026-02-01"}]}
    roles = ("patient", "clinician", "relative", "municipality")
    session = Session(guide)
    start = dt.datetime(2026, 1, 5, 10, tzinfo=dt.UTC)
    for i, asked in enumerate(guide.sections[0].steps):
        value = (asked.choices[0].id if isinstance(asked, SingleStep)
                 else values[asked.type])
        session.apply(Answer(step=asked.id, value=value, speaker=roles[i % 4],
                             at=start + dt.timedelta(seconds=i)))
    return session.state, template


def _median_ms(work: Callable[[], object], runs: int = RUNS) -> float:
    work()  # warm up: first calls build pydantic serialisers and import lazily
    times = []
    for _ in range(runs):
        begin = time.perf_counter()
        work()
        times.append((time.perf_counter() - begin) * 1000)
    return round(statistics.median(times), 2)


def bench_export(runs: int = RUNS) -> dict[str, float]:
    """Median milliseconds to export a 200-answer session (`export_ms`), with a breakdown
    (`draft_ms`, and `text_ms` ... `fhir_ms` for each format from a built draft)."""
    from assistant.export import render
    from assistant.plans import build_draft

    state, template = _session()
    today = dt.date(2026, 3, 1)
    draft = build_draft(state, template, today=today)
    assert sum(len(f.lines) for f in draft.fields) >= ANSWERS

    def everything() -> None:
        fresh = build_draft(state, template, today=today)
        for fmt in ("text", "md", "html", "json", "fhir"):
            render(fmt, fresh, state)

    result = {"export_ms": _median_ms(everything, runs),
              "draft_ms": _median_ms(lambda: build_draft(state, template, today=today), runs)}
    for fmt in ("text", "md", "html", "json", "fhir"):
        result[f"{fmt}_ms"] = _median_ms(lambda f=fmt: render(f, draft, state), runs)  # type: ignore[misc]
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()
    result = bench_export()
    if args.json:
        print(json.dumps(result))
        return
    for key, value in result.items():
        print(f"{key:>10}: {value:8.2f} ms")
    target = "ok" if result["export_ms"] < 100 else "OVER the 100 ms target"
    print(f"{ANSWERS} answers to every format: {target}")


if __name__ == "__main__":
    main()
