"""The approval in words: what blocks it, the patient's confirmation, the clinician's step.

What blocks approval is the engine's (`rules.approval_blockers`); the review screen and its
dialogs only put it in words here, Danish first (the engine's messages are English, for the
CLI).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from assistant.engine.records import ApprovalBlocker
from assistant.guides.models import Language
from assistant.plans.models import PlanDraft

#: The approval's own words (Danish, English).
WORDS: dict[str, tuple[str, str]] = {
    "blocked_title": ("Planen kan ikke godkendes endnu", "The plan cannot be approved yet"),
    "no_clinician": (
        "Ingen behandler er med i samtalen. Planen godkendes på mødet med en behandler.",
        "No clinician is taking part. The plan is approved at the meeting with a clinician."),
    "no_clinician_other": (
        "Planen godkendes sammen med en behandler: ingen behandler er med i samtalen.",
        "The plan is approved together with a clinician: no clinician is taking part."),
    "no_clinician_note": (
        "Planen godkendes på mødet med en behandler. Gem dine punkter til mødet: F3 (oversigt), "
        "derefter s.",
        "The plan is approved at the meeting with a clinician. Save your points for the "
        "meeting: F3 (summary), then s."),
    "gaps": (
        "Påkrævede felter er tomme og ikke markeret „drøftet, intet at tilføje“:",
        "Required fields are empty and not marked “discussed, nothing to add”:"),
    "gaps_hint": (
        "Udfyld dem (e skriver i feltet, g går til spørgsmålet), eller tryk d på feltet, hvis "
        "det er drøftet, og der ikke er noget at tilføje.",
        "Fill them in (e writes in the field, g goes to the question), or press d on the field "
        "if it was discussed and there is nothing to add."),
    "awaiting": (
        "Afventer patienten – en andens tekst står i stedet for patientens ord i:",
        "Awaiting the patient – someone else's text stands in for the patient's words in:"),
    "awaiting_hint": (
        "Patienten gør teksten til sin egen (e, med patienten som taler) eller stryger sine "
        "linjer (x); ellers ryddes feltets tekst.",
        "The patient makes the text their own (e, with the patient speaking) or strikes their "
        "lines (x); otherwise the field's text is cleared."),
    "ok": ("OK", "OK"),
    "confirm_title": ("Patienten bekræfter", "The patient confirms"),
    "confirm_text": (
        "Patienten bekræfter: Planen er gennemgået med mig, og jeg kan genkende mine ord.",
        "The patient confirms: The plan has been gone through with me, and I recognise my "
        "words."),
    "confirm_voided": (
        "Planen er ændret, siden patienten bekræftede den. Patienten bekræfter den igen.",
        "The plan changed after the patient confirmed it. The patient confirms it again."),
    "confirm_next": ("Bagefter godkender behandleren planen.",
                     "Then the clinician approves the plan."),
    "confirm": ("Patienten bekræfter", "The patient confirms"),
    "not_yet": ("Ikke endnu", "Not yet"),
    "clinician_step": ("Behandleren godkender planen.", "The clinician approves the plan."),
    "confirmed_at": ("Patienten bekræftede planen {when}.",
                     "The patient confirmed the plan {when}."),
    "patient_absent": ("Patienten deltager ikke i samtalen.",
                       "The patient is not taking part in the conversation."),
    "discussed": ("Drøftet, intet at tilføje:", "Discussed, nothing to add:"),
    "approve": ("Godkend som behandler", "Approve as the clinician"),
    "patient_confirmed": ("patienten bekræftede {when}", "the patient confirmed {when}"),
    "patient_not_present": ("patienten deltog ikke", "the patient did not take part"),
}


def approval_word(key: str, lang: Language) -> str:
    """One of the approval's words (`WORDS`) in `lang`."""
    da, en = WORDS[key]
    return en if lang == "en" else da


def moment(at: dt.datetime) -> str:
    """A time as the approval shows it: YYYY-MM-DD HH:MM, local time."""
    return at.astimezone().strftime("%Y-%m-%d %H:%M")


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
