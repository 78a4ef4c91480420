"""The approval in words: what blocks it, the patient's confirmation, the clinician's step.

What blocks approval is the engine's (`rules.approval_blockers`); the review screen and its
dialogs only put it in words here, Danish first (the engine's messages are English, for the
CLI).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from assistant.catalogue import t
from assistant.engine.records import ApprovalBlocker
from assistant.language import Language
from assistant.plans.models import PlanDraft


def approval_word(key: str, lang: Language) -> str:
    """One of the approval's words (the catalogue's `approval.KEY`) in `lang`."""
    return t(f"approval.{key}", lang)


def moment(at: dt.datetime, lang: Language) -> str:
    """A time as people read it, in local time: 23.11.2026 14:05 in Danish, 23 November 2026
    14:05 in English."""
    from assistant.export.words import local_day

    local = at.astimezone()
    return f"{local_day(local.date(), lang)} {local:%H:%M}"


def _labels(draft: PlanDraft, fields: Sequence[str], lang: Language) -> str:
    """The fields' labels as the draft has them (the id for a field it lacks)."""
    out: list[str] = []
    for field_id in fields:
        found = draft.field(field_id)
        out.append(found.label.get(lang) if found is not None else field_id)
    return ", ".join(out)


def blocker_text(blocker: ApprovalBlocker, draft: PlanDraft, lang: Language) -> str:
    """One blocker in words for the screen (the engine's message is English, for the CLI)."""
    if blocker.kind == "no_clinician":
        return approval_word("no_clinician", lang)
    if blocker.kind == "gaps":
        return (f"{approval_word('gaps', lang)} {_labels(draft, blocker.fields, lang)}. "
                f"{approval_word('gaps_hint', lang)}")
    if blocker.kind == "awaiting_patient":
        return (f"{approval_word('awaiting', lang)} {_labels(draft, blocker.fields, lang)}. "
                f"{approval_word('awaiting_hint', lang)}")
    return approval_word("confirm_voided" if blocker.voided else "confirm_text", lang)
