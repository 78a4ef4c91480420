"""The clinician's step in approving the plan: the next revision, and who sees to it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Button, Input, Static

from assistant.engine.records import ConfirmationRecord
from assistant.engine.values import parse_date
from assistant.export.words import local_day
from assistant.language import Language
from assistant.plans.draft import REVISION_MONTHS, add_months
from assistant.plans.models import PlanDraft
from assistant.text import clean_text
from assistant.tui.approval import approval_word, moment
from assistant.tui.dialogs.base import Dialog
from assistant.tui.strings import t


@dataclass(frozen=True)
class Approval:
    """What the approve dialog decided: when the plan is due again, and who sees to it."""

    due: dt.date | None
    responsible: str | None


class ApproveDialog(Dialog[Approval | None]):
    """The clinician's step: approve the draft with the next revision and who is responsible
    (both optional; the plan's own fields or 12 months apply otherwise). Says whether the
    patient confirmed it (`confirmation`), or that the patient is not taking part."""

    BINDINGS = [Binding("escape", "dismiss(None)", "Annullér")]

    def __init__(self, draft: PlanDraft, lang: Language, today: dt.date, *,
                 confirmation: ConfirmationRecord | None = None,
                 patient_present: bool = True) -> None:
        super().__init__()
        self.draft = draft
        self.lang = lang
        self.today = today
        self.confirmation = confirmation
        self.patient_present = patient_present

    def compose(self) -> ComposeResult:
        lang, draft = self.lang, self.draft
        with Vertical():
            yield Static(Content(t("approve_title", lang) + " — ")
                         + Content(clean_text(draft.title(lang))), classes="dialog-title")
            yield Static(Content(approval_word("clinician_step", lang)))
            if self.confirmation is not None:
                yield Static(Content(approval_word("confirmed_at", lang).format(
                    when=moment(self.confirmation.at, lang))), id="patient-confirmed")
            elif not self.patient_present:
                yield Static(Content(approval_word("patient_absent", lang)),
                             id="patient-absent")
            if draft.gaps:  # the engine refuses these; shown should the dialog be used alone
                missing = ", ".join(g.label.get(lang) for g in draft.gaps)
                yield Static(Content(t("approve_gaps", lang).format(n=len(draft.gaps)) + " ")
                             + Content(clean_text(missing)), classes="warning")
            discussed = [f.label.get(lang) for f in draft.fields
                         if f.required and f.status == "discussed"]
            if discussed:
                yield Static(Content(approval_word("discussed", lang) + " ")
                             + Content(clean_text(", ".join(discussed))))
            default = draft.revision.next_revision_due if draft.revision.due_from == "field" \
                else add_months(self.today, REVISION_MONTHS)
            yield Static(Content(t("approve_due", lang).format(default=local_day(default, lang))))
            yield Input(placeholder=local_day(default, lang), id="due", max_length=10)
            yield Static(Content(t("approve_responsible", lang)))
            yield Input(draft.revision.responsible or "", id="responsible", max_length=500)
            yield Static("", id="approve-error", classes="error", markup=False)
            with Horizontal():
                yield Button(Content(approval_word("approve", lang)), id="approve",
                             variant="primary")
                yield Button(Content(t("cancel", lang)), id="cancel")

    def on_mount(self) -> None:
        self.query_one("#due", Input).focus()

    @on(Button.Pressed, "#cancel")
    def _cancel(self) -> None:
        self.dismiss(None)

    @on(Button.Pressed, "#approve")
    @on(Input.Submitted)
    def _approve(self) -> None:
        raw = self.query_one("#due", Input).value.strip()
        due: dt.date | None = None
        error = self.query_one("#approve-error", Static)
        if raw:
            # The one date parser: 15.12.2026, 15-12-2026 or 2026-12-15 (engine/values.py).
            iso = parse_date(raw)
            if iso is None:
                error.update(Content(t("approve_bad_date", self.lang)))
                return
            due = dt.date.fromisoformat(iso)
            if due <= self.today:
                error.update(Content(t("approve_past_date", self.lang)))
                return
        responsible = clean_text(self.query_one("#responsible", Input).value).strip()
        self.dismiss(Approval(due, responsible or None))
