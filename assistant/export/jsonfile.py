"""JSON: the plan draft model as every export carries it, with its `schema_version`.

The draft written is `draft.as_exported()`: the lines the plan prints, corrections without
the words first given; struck lines and lines a field edit replaced are not in it. It reads
back exactly.
"""

from __future__ import annotations

from assistant.plans.models import PlanDraft

__all__ = ["export_json", "load_json"]


def export_json(draft: PlanDraft) -> str:
    """The draft as JSON text (indented, UTF-8 characters as they are, one final newline).

    What it holds is `draft.as_exported()`, so `load_json(export_json(d)) ==
    d.as_exported()` (`== d` for a draft whose lines are all in the plan and uncorrected),
    and `export_json(load_json(text)) == text` for any text this function wrote.
    """
    return draft.as_exported().model_dump_json(indent=2) + "\n"


def load_json(text: str | bytes) -> PlanDraft:
    """A draft from `export_json`'s text. Raises pydantic's `ValidationError` (which never
    echoes the input) if the text is not a draft of this `schema_version`."""
    return PlanDraft.model_validate_json(text)
