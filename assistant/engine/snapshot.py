"""The state as JSON data: what `sdm replay` prints, and what UI tests compare against."""

from __future__ import annotations

import datetime as dt
from typing import Any

from assistant.engine.state import SessionState
from assistant.engine.values import plain


def iso(at: dt.datetime) -> str:
    """An event time as ISO 8601, with `Z` for UTC."""
    text = at.isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def state_to_json(state: SessionState) -> dict[str, Any]:
    """The state as JSON-ready data (dicts, lists, strings, numbers, booleans, None).

    Keys: guide {id, version}, language, information_level, decision_role, choice,
    decided_by, finished, current (step id or None), answers (in conversation order: step,
    value, speaker, at, verbatim, edited), skipped, inactive (step ids of answers that no
    longer count), sure (None when the guide has no SURE test; else items, score, route),
    participants, notes. The same state always gives the same data.
    """
    sure = state.sure
    return {
        "guide": {"id": state.guide.id, "version": state.guide.version},
        "language": state.language,
        "information_level": state.information_level,
        "decision_role": state.decision_role,
        "choice": state.choice,
        "decided_by": state.decided_by,
        "finished": state.finished,
        "current": state.current.id if state.current else None,
        "answers": [
            {
                "step": record.step,
                "value": plain(record.value),
                "speaker": record.speaker,
                "at": iso(record.at),
                "verbatim": record.verbatim,
                "edited": record.edited,
            }
            for record in state.answers.values()
        ],
        "skipped": list(state.skipped),
        "inactive": list(state.inactive),
        "sure": None if not sure else {
            "items": sure,
            # The SURE score counts the "yes" answers (0–4) once all items are answered.
            "score": (sum(1 for v in sure.values() if v)
                      if all(v is not None for v in sure.values()) else None),
            "route": [
                {"item": r.item, "action": r.action, "phase": r.phase, "step": r.step}
                for r in state.sure_route
            ],
        },
        "participants": [{"role": p.role, "name": p.name} for p in state.participants],
        "notes": [
            {"text": n.text, "speaker": n.speaker, "at": iso(n.at), "step": n.step}
            for n in state.notes
        ],
    }
