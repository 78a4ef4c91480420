"""Plan drafts: what a session's answers and review make of a plan template.

    draft = build_draft(state, template, today=dt.date.today())
    draft.gaps            # required fields still empty, with the steps that could fill them
    draft.fields[0].shown # what the plan prints for a field (the edit, or the lines)

Pure functions and immutable pydantic models; no Textual, no I/O.
"""

from __future__ import annotations

from assistant.plans.convert import YOUTH_TO_UA, convert_youth_plan
from assistant.plans.draft import (
    REVISION_MONTHS,
    PlanChoiceError,
    add_months,
    build_draft,
    choose_template,
    draft_templates,
)
from assistant.plans.models import (
    SCHEMA_VERSION,
    Conversion,
    DraftLine,
    EditLine,
    FieldDraft,
    FieldStatus,
    Gap,
    Label,
    Participant,
    PlanDraft,
    Ref,
    Reference,
    Revision,
    Voice,
    voice_of,
)

__all__ = [
    "REVISION_MONTHS",
    "SCHEMA_VERSION",
    "YOUTH_TO_UA",
    "Conversion",
    "DraftLine",
    "EditLine",
    "FieldDraft",
    "FieldStatus",
    "Gap",
    "Label",
    "Participant",
    "PlanChoiceError",
    "PlanDraft",
    "Ref",
    "Reference",
    "Revision",
    "Voice",
    "add_months",
    "build_draft",
    "choose_template",
    "convert_youth_plan",
    "draft_templates",
    "voice_of",
]
