"""The plan review: the draft as a form, read through together, approved, then exported.

Everything done here is an engine event (`FieldEdit`, `FieldDiscussed`, `LineCorrected`,
`LineStruck`, `ConfirmDraft`, `ApproveDraft`), recorded through the conversation's recorder
*before* the screen shows it, so the review is as durable as the answers. After each event
the draft is built again from the session's state (`build_draft` is pure and takes a few
milliseconds).

The screen opens on the guide's own plan (the first template), or on the plan approved last
when the guide's own plan is not approved. Approving (`a`) follows the engine's approval
rule (`rules.approval_blockers`), which the screen lists in words rather than decides: first
what blocks approval (no clinician taking part, required fields left empty and not marked
discussed, fields awaiting the patient), then — when the patient takes part — the patient's
own confirmation, then the clinician's approval with the next revision date and who sees to
it. Without a clinician taking part (a preparation with a peer worker) `a` is not offered:
the screen says the plan is approved at the meeting with a clinician, and F3 leads to the
summary, where `s` saves the patient's points for the meeting.

Two voices stay visible: every line says who said it, the patient's lines are marked apart
from everyone else's, and only the patient can correct or strike a line given in the
patient's name (the engine enforces it; the screen says it in words first).

The screen dismisses with a step id when someone chooses to go back and answer the question
behind a field (a gap), or with None.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Static, Tab, Tabs

from assistant.engine import (
    ApproveDraft,
    Event,
    FieldDiscussed,
    FieldEdit,
    LineCorrected,
    LineStruck,
    SessionState,
)
from assistant.engine.events import ConfirmDraft
from assistant.engine.rules import APPROVER, required_fields
from assistant.export.words import local_day, speaker, word
from assistant.guides.models import Language, MeetingGuide, PlanTemplate, Role, text_in
from assistant.plans import build_draft
from assistant.plans.models import DraftLine, EditLine, FieldDraft, PlanDraft
from assistant.text import clean_text
from assistant.tui.approval import approval_word, moment
from assistant.tui.ports import Clock, Commit, NotRecorded, PlanStore
from assistant.tui.strings import t
from assistant.tui.widgets.key_footer import KeyFooter
from assistant.tui.widgets.speaker_bar import SpeakerBar
from assistant.wording import youth

# --- one field ----------------------------------------------------------------------------------


def line_content(line: DraftLine | EditLine, lang: Language, *, young: bool = False) -> Content:
    """One line of a field as the review shows it: who said it, then the words (as data).
    `young`: a plan for children and young people ("Den unge: ...")."""
    who = Content(f"{speaker(line.speaker, lang, young=young)}: ").stylize("bold")
    body = who + Content(clean_text(line.text))
    notes: list[str] = []
    if isinstance(line, EditLine):
        notes.append(t("review_edited", lang))
    else:
        if line.prepared:
            notes.append(t("review_prepared", lang))
        if line.verbatim:
            body = body + Content(f"\n  {word('own_words', lang)}: “") + Content(
                clean_text(line.verbatim)) + Content("”")
        if line.corrected:
            notes.append(word("corrected", lang))
        if line.struck:
            notes.append(t("review_struck", lang))
        if line.replaced:
            notes.append(t("review_replaced", lang))
    if notes:
        body = body + Content(f"  ({'; '.join(notes)})").stylize("italic")
    return body


class FieldCard(Vertical, can_focus=True):
    """One field of the plan: label and status, then its lines with their speakers."""

    @dataclass
    class Focused(Message):
        """A field got the focus (the detail pane follows it)."""

        field_id: str

    def __init__(self, draft_field: FieldDraft, lang: Language, *, young: bool = False) -> None:
        super().__init__(id=f"field-{draft_field.id}", classes=f"field -{draft_field.status}")
        self.field = draft_field
        self.lang = lang
        self.young = young

    def compose(self) -> ComposeResult:
        f, lang = self.field, self.lang
        status = {
            "filled": "✓", "gap": f"! {word('gap', lang)}",
            "discussed": f"– {word('discussed', lang)}", "empty": f"· {word('empty', lang)}",
        }[f.status]
        title = Content(clean_text(f.label.get(lang))).stylize("bold")
        if f.required:
            title = title + Content(" *")
        header = title + Content(f"   {status}").stylize("italic")
        if f.awaiting_patient:
            header = header + Content(f"   ⚠ {word('awaiting', lang)}")
        yield Static(header, classes="field-label", markup=False)
        if f.edit is not None:
            yield Static(line_content(f.edit, lang, young=self.young), markup=False,
                         classes=f"line -{f.edit.voice} -edit")
        for line in f.lines:
            classes = f"line -{line.voice}"
            if not line.in_plan:
                classes += " -out"
            yield Static(line_content(line, lang, young=self.young), markup=False,
                         classes=classes)

    def show(self, draft_field: FieldDraft) -> None:
        """Show `draft_field` (the same field, after a change) if it differs."""
        if draft_field == self.field:
            return
        self.set_class(False, f"-{self.field.status}")
        self.field = draft_field
        self.set_class(True, f"-{draft_field.status}")
        self.refresh(recompose=True)

    def on_focus(self) -> None:
        self.post_message(self.Focused(self.field.id))


# --- the screen ---------------------------------------------------------------------------------


def opening_template(state: SessionState, templates: list[PlanTemplate]) -> PlanTemplate:
    """The plan the review opens on: the guide's own (the first), unless it is not approved
    and another is: then the one approved last."""
    first = templates[0]
    if state.approval(first.id) is not None:
        return first
    approved = [(a.at, i) for i, tpl in enumerate(templates)
                if (a := state.approval(tpl.id)) is not None]
    return templates[max(approved)[1]] if approved else first


class ReviewScreen(Screen[str | None]):
    """Review the plan draft together; approve it; save or copy it."""

    CSS_PATH = "review.tcss"
    BINDINGS = [
        Binding("escape", "back", "Tilbage"),
        Binding("f2", "next_speaker", "Taler", priority=True, show=False),
        # Up/Down move the field marker (scrolling follows). Priority: else the scrolling
        # list of fields would take them to scroll, leaving the marker behind.
        Binding("down", "move(1)", "Felt op/ned", key_display="↑↓", priority=True),
        Binding("up", "move(-1)", show=False, priority=True),
        # In the order of the footer, which a narrow terminal cuts short: F1 lists them all.
        Binding("e", "edit_field", "Ret felt"),
        Binding("k", "correct_line", "Ret linje"),
        Binding("x", "strike_line", "Ikke mine ord"),
        Binding("a", "approve", "Godkend"),
        Binding("s", "save", "Gem"),
        Binding("d", "discussed", "Drøftet"),
        Binding("g", "goto_step", "Gå til"),
        Binding("c", "copy", "Kopiér"),
        Binding("r", "revisions", "Revisioner", show=False),
        Binding("p", "next_plan", "Skift plan", show=False),
        Binding("f3", "summary", "Oversigt", show=False),
    ]

    def __init__(
        self,
        state: SessionState,
        templates: list[PlanTemplate],
        present: list[Role],
        *,
        lang: Language,
        commit: Commit,
        clock: Clock,
        speaker: Role | None = None,
        store: PlanStore | None = None,
    ) -> None:
        super().__init__()
        if not templates:
            raise ValueError("a review needs at least one plan template")
        self.state = state
        self.templates = templates
        self.template = opening_template(state, templates)
        self.present = list(present)
        self.lang = lang
        self._commit = commit
        self._clock = clock
        self._first_speaker = speaker
        self.store = store
        self.draft = self._build()
        self._focused: str | None = None

    # --- drawing ------------------------------------------------------------------------------

    def _build(self) -> PlanDraft:
        return build_draft(self.state, self.template, today=self._clock().date(),
                           lang=self.state.language)

    def compose(self) -> ComposeResult:
        yield Static("", id="review-title", markup=False)
        if len(self.templates) > 1:
            yield Tabs(*(Tab(Content(clean_text(text_in(tpl.title, self.lang))),
                             id=f"plan-{tpl.id}") for tpl in self.templates),
                       active=f"plan-{self.template.id}", id="plans")
        yield Static("", id="review-status", markup=False)
        yield VerticalScroll(id="fields")
        yield Static("", id="detail", markup=False)
        with Horizontal(id="review-speakers"):
            yield SpeakerBar(self.present, self.lang, id="speakers",
                             young=youth(self.state.guide.audience))
        yield KeyFooter()

    def on_mount(self) -> None:
        self._relabel_bindings()
        if self._first_speaker is not None:
            self.query_one(SpeakerBar).select(self._first_speaker)
        self._draw()

    def _relabel_bindings(self) -> None:
        import dataclasses

        for bindings in self._bindings.key_to_bindings.values():
            for i, binding in enumerate(bindings):
                if binding.show and binding.action:
                    key = "review_" + binding.action.split("(")[0]
                    bindings[i] = dataclasses.replace(binding, description=t(key, self.lang))
        self.refresh_bindings()

    @property
    def can_approve_here(self) -> bool:
        """True when a clinician takes part, so that a plan can be approved in this session
        at all (the engine's rule; other blockers can be resolved in the review)."""
        return self.state.takes_part(APPROVER)

    @property
    def _no_clinician_note(self) -> str:
        """Where the plan is approved instead; after a preparation, where the patient's
        points for the meeting are saved."""
        guide = self.state.guide
        preparation = isinstance(guide, MeetingGuide) and guide.meeting_type == "preparation"
        return approval_word("no_clinician_note" if preparation else "no_clinician_other",
                             self.lang)

    def _sync_approve_binding(self) -> None:
        """Offer `a` in the footer only where a plan can be approved (a clinician takes
        part); pressed anyway, it says where the plan is approved instead."""
        import dataclasses

        show = self.can_approve_here
        bindings = self._bindings.key_to_bindings.get("a", [])
        changed = False
        for i, binding in enumerate(bindings):
            if binding.action == "approve" and binding.show != show:
                bindings[i] = dataclasses.replace(binding, show=show)
                changed = True
        if changed:
            self.refresh_bindings()

    @property
    def speaker(self) -> Role:
        """Who is acting now (F2 switches)."""
        return self.query_one(SpeakerBar).role

    def _draw(self) -> None:
        """Show the draft: title, status and every field. Cards of the same plan are updated
        in place (only those whose field changed); another plan gets new cards."""
        draft, lang = self.draft, self.lang
        title = f"{t('review_title', lang)} — {draft.title(lang)}"
        self.query_one("#review-title", Static).update(Content(clean_text(title)))
        self.query_one("#review-status", Static).update(self._status())
        self._sync_approve_binding()
        cards = list(self.query(FieldCard))
        if [c.field.id for c in cards] == [f.id for f in draft.fields]:
            for card, draft_field in zip(cards, draft.fields, strict=True):
                card.show(draft_field)
            if self._focused is not None:
                self.query_one("#detail", Static).update(self._detail(self._focused))
            return
        self.run_worker(self._replace_cards(), exclusive=True, group="cards")

    async def _replace_cards(self) -> None:
        fields = self.query_one("#fields", VerticalScroll)
        await fields.remove_children()
        young = youth(self.draft.audience)
        cards = [FieldCard(f, self.lang, young=young) for f in self.draft.fields]
        await fields.mount_all(cards)
        fields.scroll_home(animate=False)
        if cards:
            self._focus_card(cards[0])

    def _focus_card(self, card: FieldCard) -> None:
        if card.is_attached:
            card.focus()
            card.scroll_visible(animate=False)

    def _status(self) -> Content:
        draft, lang = self.draft, self.lang
        rev = draft.revision
        parts: list[str] = []
        if draft.gaps:
            parts.append(t("review_gaps", lang).format(n=len(draft.gaps)))
        else:
            parts.append(word("no_gaps", lang))
        if rev.approved is not None:
            approved = f"{word('approved', lang)}: {local_day(rev.approved, lang)}"
            if rev.approved_by:
                approved += f" {word('approved_by', lang)} {speaker(rev.approved_by, lang).lower()}"
            record = self.state.approval(self.template.id)
            if record is not None and record.patient_confirmed is not None:
                approved += ", " + approval_word("patient_confirmed", lang).format(
                    when=moment(record.patient_confirmed, lang))
            elif record is not None and not record.patient_present:
                approved += ", " + approval_word("patient_not_present", lang)
            if rev.changed_since_approval:
                approved += f" ({word('changed_since', lang)})"
            parts.append(approved)
        else:
            parts.append(f"{word('approved', lang)}: {word('not_approved', lang)}")
        due = f"{word('next_revision', lang)}: {local_day(rev.next_revision_due, lang)}"
        if rev.overdue:
            due += f" ({word('overdue', lang)})"
        parts.append(due)
        if rev.responsible:
            parts.append(f"{word('responsible', lang)}: {clean_text(rev.responsible)}")
        status = Content("  ·  ".join(parts))
        if self.store is not None and self.store.encrypted:
            status = status + Content(f"  ·  {t('review_encrypted', lang)}")
        if not self.can_approve_here:
            status = status + Content("\n") + Content(self._no_clinician_note).stylize("bold")
        return status

    def _detail(self, field_id: str) -> Content:
        """Where a field's words came from, and how it can be filled."""
        f = self.draft.field(field_id)
        if f is None:
            return Content("")
        lang = self.lang
        out = Content("")
        if f.help is not None:
            out = out + Content(clean_text(f.help.get(lang))) + Content("\n")
        if f.legal_basis is not None:
            out = out + Content(clean_text(f.legal_basis.get(lang))).stylize("italic") \
                + Content("\n")
        if f.lines:
            out = out + Content(t("review_sources", lang)).stylize("bold")
            for line in f.lines:
                prompt = text_in(self.state.step(line.step).step.prompt, lang) \
                    if self.state.has_step(line.step) else line.step
                when = line.at.astimezone().strftime("%Y-%m-%d %H:%M")
                who = speaker(line.speaker, lang, young=youth(self.draft.audience))
                out = out + Content(f"\n  • {clean_text(prompt)} — {who}, {when}")
        elif f.steps:
            out = out + Content(t("review_fill_from", lang)).stylize("bold")
            for sid in f.steps:
                if self.state.has_step(sid):
                    prompt = text_in(self.state.step(sid).step.prompt, lang)
                    out = out + Content(f"\n  • {clean_text(prompt)}")
            out = out + Content(f"\n{t('review_goto_hint', lang)}").stylize("dim")
        else:
            out = out + Content(t("review_no_source", lang)).stylize("dim")
        return out

    @on(FieldCard.Focused)
    def _field_focused(self, message: FieldCard.Focused) -> None:
        self._focused = message.field_id
        self.query_one("#detail", Static).update(self._detail(message.field_id))
        # The detail pane's new height changes the room for the fields: bring the marked
        # field into view once that layout is done (Up/Down: scrolling follows the marker).
        self.call_after_refresh(self._keep_in_view, message.field_id)

    def _keep_in_view(self, field_id: str) -> None:
        for card in self.query(FieldCard):
            if card.field.id == field_id and card.is_attached:
                card.scroll_visible(animate=False)

    @on(Tabs.TabActivated, "#plans")
    def _plan_chosen(self, event: Tabs.TabActivated) -> None:
        tab_id = event.tab.id or ""
        chosen = next((tpl for tpl in self.templates if f"plan-{tpl.id}" == tab_id), None)
        if chosen is not None and chosen is not self.template:
            self.template = chosen
            self._focused = None
            self.draft = self._build()
            self._draw()

    # --- events -------------------------------------------------------------------------------

    def _apply(self, event: Event) -> bool:
        """Record and apply `event`, then draw the new draft; False (and a message) if not."""
        try:
            self.state = self._commit(event)
        except NotRecorded as exc:
            self.notify(self._refusal(event, exc.message), severity="error", markup=False)
            return False
        self.draft = self._build()
        self._draw()
        return True

    def _refusal(self, event: Event, message: str) -> str:
        """A refusal in words for the screen: an approval or confirmation refused by the
        engine says what blocks it, Danish first (the engine's message is English)."""
        from assistant.tui.approval import blocker_text

        if not isinstance(event, (ConfirmDraft, ApproveDraft)):
            return message
        template = next((tpl for tpl in self.templates if tpl.id == event.template), None)
        if template is None:
            return message
        blockers = self.state.approval_blockers(template.id, required_fields(template))
        texts = [blocker_text(b, self.draft, self.lang) for b in blockers
                 if isinstance(event, ApproveDraft) or b.kind != "patient_confirmation"]
        return " ".join(texts) or message

    def _current(self) -> FieldDraft | None:
        if self._focused is None:
            return None
        return self.draft.field(self._focused)

    def _patient_lines(self, f: FieldDraft) -> list[DraftLine]:
        return [line for line in f.lines if line.voice == "patient" and line.speaker == "patient"]

    def _pick_line(self, lines: list[DraftLine], then: Callable[[DraftLine], None]) -> None:
        if len(lines) == 1:
            then(lines[0])
            return
        from assistant.tui.dialogs.step_picker import StepPicker

        by_step = {line.step: line for line in lines}

        def picked(step_id: str | None) -> None:
            if step_id is not None and step_id in by_step:
                then(by_step[step_id])

        self.app.push_screen(StepPicker([(line.step, line.text) for line in lines], self.lang,
                                        title=t("review_pick_line", self.lang)), picked)

    def _only_patient(self) -> bool:
        """True if the patient is the speaker; else say that only the patient can do this."""
        if self.speaker == "patient":
            return True
        self.notify(t("review_patient_only", self.lang), severity="warning", markup=False)
        return False

    # --- actions ------------------------------------------------------------------------------

    def action_back(self) -> None:
        """Back to the conversation."""
        self.dismiss(None)

    def action_next_speaker(self) -> None:
        """Let the next person present act."""
        self.query_one(SpeakerBar).cycle()

    def action_move(self, delta: int) -> None:
        """Focus the next or previous field."""
        cards = list(self.query(FieldCard))
        if not cards:
            return
        index = next((i for i, c in enumerate(cards) if c.field.id == self._focused), -1)
        index = max(0, min(len(cards) - 1, index + delta))
        self._focus_card(cards[index])

    def action_next_plan(self) -> None:
        """Show the next plan this conversation fills."""
        if len(self.templates) > 1:
            self.query_one("#plans", Tabs).action_next_tab()

    def action_edit_field(self) -> None:
        """Write the field's text directly; it stands in the plan for the answers' lines."""
        f = self._current()
        if f is None:
            return
        from assistant.tui.dialogs.text_editor import TextEditor

        current = "\n".join(item.text for item in f.shown)
        template = self.template.id

        def done(text: str | None) -> None:
            if text is None or text.strip() == current.strip():
                return
            if not text.strip() and f.edit is None:
                return
            self._apply(FieldEdit(template=template, field=f.id, text=clean_text(text),
                                  speaker=self.speaker, at=self._clock()))

        self.app.push_screen(TextEditor(f.label.get(self.lang), current, self.lang,
                                        hint=t("review_edit_hint", self.lang)), done)

    def action_discussed(self) -> None:
        """Mark an empty field "discussed, nothing to add"."""
        f = self._current()
        if f is None:
            return
        if f.status not in ("gap", "empty"):
            self.notify(t("review_not_empty", self.lang), markup=False)
            return
        self._apply(FieldDiscussed(template=self.template.id, field=f.id,
                                   speaker=self.speaker, at=self._clock()))

    def action_correct_line(self) -> None:
        """The patient corrects one of their lines in this field."""
        f = self._current()
        if f is None:
            return
        lines = self._patient_lines(f)
        if not lines:
            self.notify(t("review_no_patient_line", self.lang), markup=False)
            return
        if not self._only_patient():
            return
        from assistant.tui.dialogs.text_editor import TextEditor

        def correct(line: DraftLine) -> None:
            def done(text: str | None) -> None:
                if text is None or not text.strip() or text.strip() == line.text.strip():
                    return
                self._apply(LineCorrected(step=line.step, text=clean_text(text),
                                          speaker="patient", at=self._clock()))

            self.app.push_screen(TextEditor(f.label.get(self.lang), line.text, self.lang,
                                            hint=t("review_correct_hint", self.lang)), done)

        self._pick_line(lines, correct)

    def action_strike_line(self) -> None:
        """"Not my words": the patient leaves one of their lines out of the plan."""
        f = self._current()
        if f is None:
            return
        lines = [line for line in self._patient_lines(f) if not line.struck]
        if not lines:
            self.notify(t("review_no_patient_line", self.lang), markup=False)
            return
        if not self._only_patient():
            return

        def strike(line: DraftLine) -> None:
            self._apply(LineStruck(step=line.step, speaker="patient", at=self._clock()))

        self._pick_line(lines, strike)

    def action_goto_step(self) -> None:
        """Go back to the conversation to answer (or change) a question behind this field."""
        f = self._current()
        if f is None:
            return
        steps = [sid for sid in f.steps
                 if self.state.has_step(sid) and self.state.enabled(sid)]
        if not steps:
            self.notify(t("review_no_step", self.lang), markup=False)
            return
        if len(steps) == 1:
            self.dismiss(steps[0])
            return
        from assistant.tui.dialogs.step_picker import StepPicker

        choices = [(sid, text_in(self.state.step(sid).step.prompt, self.lang)) for sid in steps]

        def picked(step_id: str | None) -> None:
            if step_id:
                self.dismiss(step_id)

        self.app.push_screen(StepPicker(choices, self.lang,
                                        title=t("review_pick_step", self.lang)), picked)

    def action_approve(self) -> None:
        """Approve the draft, in the steps the engine's approval rule asks for: what blocks
        it, listed; the patient's confirmation (when the patient takes part); then the
        clinician's approval with the next revision's date and who sees to it."""
        from assistant.tui.dialogs.blockers import BlockersDialog
        from assistant.tui.dialogs.confirm import ConfirmDialog

        template = self.template
        required = required_fields(template)
        blockers = self.state.approval_blockers(template.id, required)
        if not self.can_approve_here:
            self.notify(self._no_clinician_note, severity="warning", markup=False, timeout=10)
            return
        waiting = [b for b in blockers if b.kind != "patient_confirmation"]
        if waiting:
            self.app.push_screen(BlockersDialog(self.draft, waiting, self.lang))
            return
        confirmation = next((b for b in blockers if b.kind == "patient_confirmation"), None)
        if confirmation is None:
            self._clinician_approves(template, required)
            return

        def confirmed(yes: bool | None) -> None:
            if not yes or self.template is not template:
                return
            if self._apply(ConfirmDraft(template=template.id, speaker="patient",
                                        at=self._clock())):
                self._clinician_approves(template, required)

        self.app.push_screen(ConfirmDialog(self.draft, self.lang, voided=confirmation.voided),
                             confirmed)

    def _clinician_approves(self, template: PlanTemplate, required: tuple[str, ...]) -> None:
        """The clinician's step: the approve dialog, then `ApproveDraft` and a revision."""
        from assistant.tui.dialogs.approve import Approval, ApproveDialog

        def done(approval: Approval | None) -> None:
            if approval is None or self.template is not template:
                return
            event = ApproveDraft(template=template.id, speaker=APPROVER, at=self._clock(),
                                 next_revision_due=approval.due,
                                 responsible=approval.responsible, required_fields=required)
            if not self._apply(event):
                return
            if self.store is not None:
                try:
                    number = self.store.save_revision(self.draft, "approved")
                except Exception:  # the approval is recorded; the copy can be made again
                    self.notify(t("review_revision_failed", self.lang), severity="error",
                                markup=False)
                    return
                self.notify(t("review_approved_saved", self.lang).format(n=number),
                            markup=False)
            else:
                self.notify(t("review_approved", self.lang), markup=False)

        self.app.push_screen(ApproveDialog(
            self.draft, self.lang, self._clock().date(),
            confirmation=self.state.confirmation(template.id),
            patient_present=self.state.takes_part("patient")), done)

    def action_summary(self) -> None:
        """Every answer with speaker and time; after a preparation, `s` there saves the
        patient's points for the meeting."""
        from assistant.tui.screens.summary import SummaryScreen

        store = self.store
        self.app.push_screen(SummaryScreen(self.state, self.lang,
                                           label=store.label if store else "",
                                           encrypted=bool(store and store.encrypted)))

    def export_text(self, fmt: str) -> str:
        """The current draft in the text export format `fmt` (a registered format that is
        not binary), as text."""
        from assistant.export.formats import render

        return render(fmt, self.draft, self.state).decode("utf-8")

    def default_path(self, fmt: str) -> Path:
        """Where a saved export goes unless changed: the folder last saved in (else the
        documents folder), named by the session's label, the plan, whom the copy is for and
        the day. `fmt`: a format, or a format and its copy ("html/patient")."""
        from assistant.export.formats import Offer, get
        from assistant.tui.saving import suggested_path

        offer = Offer.of(fmt)
        name = self.template.id
        if offer.copy is not None:
            name += "-" + t(f"copy_file_{offer.copy}", self.lang)
        label = self.store.label if self.store is not None else ""
        return suggested_path(label, name, self._clock().date(), get(offer.format).suffix)

    def action_save(self) -> None:
        """Save the draft to a file (only the user can read it): the patient's copy or the
        health-record copy, in any format the registry has (`formats.offers()`)."""
        from assistant.tui.dialogs.export import ExportDialog, ExportRequest

        def done(request: ExportRequest | None) -> None:
            if request is not None:
                self.save_export(request.fmt, request.path, replace=request.replace)

        from assistant.export.formats import get, offers

        encrypted = self.store is not None and self.store.encrypted
        formats = []
        for offer in offers():
            label = t(get(offer.format).label_key, self.lang)
            if offer.copy is not None:
                label = f"{t(f'copy_{offer.copy}', self.lang)}: {label}"
            formats.append((offer.key, label))
        self.app.push_screen(ExportDialog(self.lang, formats=formats,
                                          default_path=self.default_path,
                                          encrypted=encrypted), done)

    def save_export(self, fmt: str, path: Path, *, replace: bool = False) -> bool:
        """Write the export (over an existing file only with `replace`: the user confirmed
        it); record it as an `exported` revision. True when written. `fmt`: a format (its
        default copy) or a format and its copy ("text/record", see `formats.Offer`)."""
        from assistant.export.formats import Offer, render
        from assistant.tui.saving import write_export

        offer = Offer.of(fmt)
        data = render(offer.format, self.draft, self.state, copy=offer.copy)
        # The registry's bytes as they are: a binary format is written exactly like a text one.
        if not write_export(self, path, data, self.lang, replace=replace):
            return False
        if self.store is not None:
            try:
                self.store.save_revision(self.draft, "exported")
            except Exception:
                self.notify(t("review_revision_failed", self.lang), severity="error",
                            markup=False)
        return True

    def action_copy(self) -> None:
        """Copy the draft as plain text, for pasting into the health record."""
        self.app.copy_to_clipboard(self.export_text("text"))
        self.notify(t("review_copied", self.lang), markup=False)

    def action_revisions(self) -> None:
        """List the stored revisions; compare one with the draft as it is now."""
        if self.store is None:
            self.notify(t("review_no_store", self.lang), markup=False)
            return
        from assistant.tui.screens.revisions import RevisionsScreen

        try:
            revisions = self.store.revisions()
        except Exception:
            self.notify(t("review_revisions_unreadable", self.lang), severity="error",
                        markup=False)
            return
        self.app.push_screen(RevisionsScreen(revisions, self.draft, self.lang))
