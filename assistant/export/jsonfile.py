"""JSON: the plan draft model itself, with its `schema_version`; it reads back exactly."""

from __future__ import annotations

from assistant.plans.models import PlanDraft

__all__ = ["export_json", "load_json"]


def export_json(draft: PlanDraft) -> str:
    """The draft as JSON text (indented, UTF-8 characters as they are, one final newline).

    `load_json(export_json(d)) == d`, and `export_json(load_json(text)) == text` for any
    text this function wrote.
    """
    return draft.model_dump_json(indent=2) + "\n"


def load_json(text: str | bytes) -> PlanDraft:
    """A draft from `export_json`'s text. Raises pydantic's `ValidationError` (which never
    echoes the input) if the text is not a draft of this `schema_version`."""
    return PlanDraft.model_validate_json(text)
