"""The conversation: the guide speaks in chat messages, answers appear as labelled bubbles.

The screen is thin. It draws the conversation the engine lists (`engine.transcript`: each
step dealt with, its prepared words and its answer), asks the step the engine asks, and sends
the event the engine makes of what people did (`answer_event`, `skip_event`) — recorded
(committed to the store) *before* it is shown as saved. The log is appended to on each turn
and redrawn only after an undo or an edit. What it cannot do itself (mark the session
finished in the store, leave for the home screen) it asks of the app with a message.
"""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
import gc
from typing import TYPE_CHECKING, TypeVar

from textual import on
from textual.actions import SkipAction
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.events import Resize
from textual.geometry import Size
from textual.screen import Screen
from textual.widget import AwaitMount, Widget
from textual.widgets import Button, Static, TextArea

from assistant.engine import EngineError, Event, Session, SessionState
from assistant.engine.speaker import last_speaker, speaker_for, speaker_for_edit
from assistant.engine.transcript import (
    TranscriptItem,
    answer_event,
    asking,
    join_event,
    phase_heading,
    phase_title,
    skip_event,
    sure_complete,
    transcript,
    transcript_item,
    undo_event,
)
from assistant.engine.values import plain as plain_value
from assistant.guides.flow import FlowStep
from assistant.guides.models import (
    DecisionAid,
    Language,
    MeetingGuide,
    Role,
    takes_answer,
    text_in,
)
from assistant.tui import typeahead
from assistant.tui.answers import AnswerWidget, answer_widget, widget_class
from assistant.tui.messages import ConversationFinished, LeaveConversation
from assistant.tui.ports import Clock, NotRecorded, PlanStore, Recorder, utc_now
from assistant.tui.strings import t
from assistant.tui.widgets.chat_log import ChatLog
from assistant.tui.widgets.chat_message import AnswerBubble, GuideMessage, Notice, plain
from assistant.tui.widgets.key_footer import KeyFooter
from assistant.tui.widgets.meeting_timer import MeetingTimer
from assistant.tui.widgets.option_grid import OptionGrid
from assistant.tui.widgets.prepared_message import PreparedMessage
from assistant.tui.widgets.speaker_bar import SpeakerBar
from assistant.wording import role_label, value_text, youth

if TYPE_CHECKING:
    from assistant.guides.models import PlanTemplate
    from assistant.tui.screens.review import ReviewScreen


AreaT = TypeVar("AreaT", bound=Widget)


class _FittedArea(VerticalScroll):
    """The question's or the answer field's area: when what it holds changes size, the
    screen shares the rows out again."""

    def on_resize(self, event: Resize) -> None:
        self._refit()

    def watch_virtual_size(self, size: Size) -> None:
        # What it holds can grow or shrink while its own height stays clamped (the previous
        # answer widget leaves a frame after the new one came; a new question wraps to more
        # lines than the last): no Resize comes then, so the content's size is watched too.
        self._refit()

    def _refit(self) -> None:
        if not self.is_attached:
            return
        screen = self.screen
        if isinstance(screen, ConversationScreen):
            screen.call_after_refresh(screen.fit_areas)


class ConversationScreen(Screen[None]):
    """One session of one guide."""

    CSS_PATH = "conversation.tcss"
    BINDINGS = [
        # F-keys take priority over the focused input (TextArea binds F6 to "select line").
        Binding("f2", "next_speaker", "Taler", priority=True),
        Binding("f3", "summary", "Oversigt", priority=True),
        # F-keys work wherever the focus is; Ctrl+Z and Ctrl+E also work outside text
        # fields (inside one, Ctrl+Z undoes typing, as people expect).
        Binding("f4", "undo", "Fortryd", priority=True),
        Binding("ctrl+z", "undo", show=False),
        Binding("f5", "edit", "Ret svar", priority=True),
        Binding("ctrl+e", "edit", show=False),
        Binding("f6", "skip", "Spring over", priority=True),
        Binding("f8", "plan", "Plan", priority=True),
        # F9, not F7: a long text field selects all its text with F7.
        Binding("f9", "sources", "Kilder", priority=True),
        Binding("escape", "escape", show=False),
        # Tab moves the focus as soon as it arrives, not after travelling up from the field
        # through each container's queue: words typed right after it (a person at speed,
        # or keys held while a field was built: tui/typeahead.py) reached the field it left.
        Binding("tab", "app.focus_next", show=False, priority=True),
        Binding("shift+tab", "app.focus_previous", show=False, priority=True),
        # The transcript scrolls while the answer field keeps the keyboard. Priority, or the
        # focused field would take them (a choice list pages its options, a text area its
        # text). PageUp/PageDown always scroll the transcript; Shift/Ctrl+Up/Down scroll it
        # a few lines — except in a multi-line text field, where Shift+Up/Down select text as
        # in every editor (PageUp/PageDown still scroll the transcript there).
        Binding("pageup", "page_log(-1)", show=False, priority=True),
        Binding("pagedown", "page_log(1)", show=False, priority=True),
        Binding("shift+up", "scroll_log(-3)", show=False, priority=True),
        Binding("shift+down", "scroll_log(3)", show=False, priority=True),
        Binding("ctrl+up", "scroll_log(-3)", show=False, priority=True),
        Binding("ctrl+down", "scroll_log(3)", show=False, priority=True),
    ]

    #: Rows the transcript keeps however tall the question and its answer field are.
    MIN_LOG = 3
    #: Rows the answer field keeps before the question gives up any of its own.
    MIN_ANSWER = 5

    def __init__(
        self,
        session: Session,
        present: list[Role],
        *,
        lang: Language,
        recorder: Recorder | None = None,
        clock: Clock = utc_now,
        notice: str | None = None,
        plans: list[PlanTemplate] | None = None,
        plan_store: PlanStore | None = None,
    ) -> None:
        super().__init__()
        #: The plan templates this conversation fills (the review shows their drafts).
        self.plans = list(plans or [])
        self.plan_store = plan_store
        self._notice = notice
        self.session = session
        self.present = list(present)
        self.lang = lang
        self._record = recorder or (lambda event: None)
        self._clock = clock
        self.editing: str | None = None
        #: The speaker before an F5 edit started (the edit starts with the answer's speaker).
        self._speaker_before_edit: Role | None = None
        #: The step the speaker rule was last applied for (it applies once per step asked).
        self._asked_step: str | None = None
        #: Answer fields mounted so far (how `_submitted` tells whether a new one came).
        self._answer_mounts = 0
        #: Where the question being asked goes in the transcript once answered: before this
        #: widget (its comparison or prepared words), or at the end when None.
        self._question_before: Widget | None = None
        #: The rows last given to the question and the answer field (`fit_areas`).
        self._fitted: tuple[int, int] | None = None
        #: The task that resumes drawing once a turn's messages are in (`_one_frame`).
        self._frame_task: asyncio.Task[None] | None = None
        #: The log, question and answer areas once looked up (`_area`).
        self._areas: dict[str, Widget] = {}

    # --- layout -------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        guide = self.session.guide
        with Horizontal(id="title-row"):
            yield Static(plain(text_in(guide.title, self.lang)), id="title", markup=False)
            if isinstance(guide, MeetingGuide) and guide.time_limit_minutes:
                yield MeetingTimer(guide.time_limit_minutes, self._clock, self.lang,
                                   already=self._time_used())
        yield Static("", id="progress", markup=False)
        yield ChatLog(id="log")
        yield Static("", id="edit-banner", markup=False)
        # The question being asked, and its answer field: always in view. The transcript
        # above takes what room is left; when both do not fit, the answer field scrolls
        # (and shrinks) before the question does (`_fit`).
        yield _FittedArea(id="question", can_focus=False)
        yield _FittedArea(id="answer", can_focus=False)
        # A resumed session goes on with whoever spoke last (the speaker rule).
        yield SpeakerBar(self.present, self.lang, id="speakers",
                         role=last_speaker(self.state), young=self._young)
        yield KeyFooter()

    def _time_used(self) -> dt.timedelta:
        """The meeting time recorded so far: from the first event to the latest one."""
        events = self.state.effective_events
        if len(events) < 2:
            return dt.timedelta(0)
        return max(dt.timedelta(0), events[-1].at - events[0].at)

    def on_mount(self) -> None:
        self._relabel_bindings()
        log = self.log_view
        log.pin()
        self._redraw()
        if self._notice:
            log.mount(Notice(self._notice), before=0)
        self.set_timer(self.FREEZE_AFTER, self._freeze_long_lived)

    #: Seconds after opening when what is there by then is taken as long-lived (below).
    FREEZE_AFTER = 1.0

    def _freeze_long_lived(self) -> None:
        """Keep the garbage collector's full passes off what lives as long as the screen.

        The library, the session's events and state, the widgets: a full collection walks
        them all, and at 500 messages that took 20-25 ms of an average turn (issue 16). Once
        the first screen has settled (a resumed log folded) they are moved out of its way
        (`gc.freeze`); leaving the screen puts them back (`on_unmount`), so what dies with it
        is collected as usual."""
        if self.is_attached:
            gc.collect()
            gc.freeze()

    def on_unmount(self) -> None:
        gc.unfreeze()

    def _relabel_bindings(self) -> None:
        """Show the footer's key names in the session's language."""
        names = {"next_speaker", "undo", "skip", "edit", "summary", "plan", "sources"}
        for bindings in self._bindings.key_to_bindings.values():
            for i, binding in enumerate(bindings):
                if binding.action in names and binding.show:
                    bindings[i] = dataclasses.replace(
                        binding, description=t(binding.action, self.lang))
        self.refresh_bindings()

    @property
    def state(self) -> SessionState:
        """The session's current state."""
        return self.session.state

    @property
    def speaker(self) -> Role:
        """Who is speaking now."""
        return self.query_one(SpeakerBar).role

    # --- drawing ------------------------------------------------------------------------------

    def _step_messages(self, flow_step: FlowStep) -> list[Widget]:
        """The guide's message(s) for a step: its prompt, help and detail at this level."""
        step, state, lang = flow_step.step, self.state, self.lang
        detail = [text_in(step.help, lang)] if step.help else []
        detail += list(state.detail(step.more, lang))
        widgets: list[Widget] = [GuideMessage(text_in(step.prompt, lang), detail=detail,
                                              classes="-info" if not takes_answer(step)
                                              else None,
                                              step_id=step.id)]
        if transcript_item(state, step.id).shows_options:
            assert isinstance(self.session.guide, DecisionAid)
            widgets.append(self._option_grid(self.session.guide))
        return widgets

    def _option_grid(self, aid: DecisionAid) -> OptionGrid:
        state = self.state
        detail: dict[str, list[str]] = {}
        for option in aid.options:
            texts = list(state.detail(option.more, self.lang))
            if state.information_level == "everything" and option.sources:
                cites = {s.id: s.citation for s in aid.sources}
                texts.append(t("sources", self.lang) + ": "
                             + "; ".join(cites.get(s, s) for s in option.sources))
            detail[option.id] = texts
        return OptionGrid(aid, self.lang, detail,
                          show_pros_cons=state.information_level != "a_little")

    def _prepared(self, item: TranscriptItem) -> PreparedMessage | None:
        """The patient's prepared words for the step, marked as prepared; None without."""
        record = item.prepared
        if record is None:
            return None
        return PreparedMessage(value_text(item.step.step, record.value, self.lang), self.lang,
                               step_id=item.id,
                               when=record.prepared_at.astimezone().strftime("%Y-%m-%d"))

    def _bubble(self, item: TranscriptItem) -> AnswerBubble | None:
        """The step's answer, labelled with who gave it; or the mark that it was skipped."""
        record = item.answer
        if record is not None:
            return AnswerBubble(
                item.id, self._role_name(record.speaker),
                value_text(item.step.step, record.value, self.lang),
                when=record.at.astimezone().strftime("%H:%M"), verbatim=record.verbatim,
                note=t("prepared_mark", self.lang) if record.prepared else None,
            )
        if item.skipped:
            return AnswerBubble(item.id, "", t("skipped", self.lang), skipped=True)
        return None

    def _history_widgets(self) -> list[Widget]:
        """Every step dealt with so far, in conversation order, with its answer."""
        widgets: list[Widget] = []
        phase = None
        for item in transcript(self.state):
            if item.phase != phase:
                phase = item.phase
                widgets.append(self._phase_notice(phase))
            widgets += self._step_messages(item.step)
            for widget in (self._prepared(item), self._bubble(item)):
                if widget is not None:
                    widgets.append(widget)
        return widgets

    @property
    def _young(self) -> bool:
        """A guide for children and young people: "Den unge", "Forældre" (`wording.youth`)."""
        return youth(self.session.guide.audience)

    def _role_name(self, role: Role) -> str:
        return role_label(role, self.lang, young=self._young)

    def _phase_notice(self, phase: str) -> Notice:
        # The dashes go round the title line, not after a section's introduction below it.
        title, newline, intro = phase_heading(self.session.guide, phase, self.lang).partition("\n")
        return Notice(f"— {title} —{newline}{intro}")

    def _redraw(self) -> None:
        """Draw the whole log again (after an undo or edit), then ask the current step."""
        log = self.log_view
        log.remove_children()
        self.question_area.remove_children()
        log.mount_all(self._history_widgets())
        items = transcript(self.state)
        self._ask_current(new_phase_from=items[-1].phase if items else None)

    def _ask_current(self, new_phase_from: str | None) -> None:
        """Put the current step's message in the log and its answer widget below."""
        self._update_progress()
        state = self.state
        log = self.log_view
        current = asking(state)
        if current is None:
            self.answer_area.remove_children()
            self.question_area.remove_children()
            log.mount(Notice(t("finished", self.lang)))
            log.mount(self._end_panel())
            for timer in self.query(MeetingTimer):
                timer.stop(self._time_used())
            self.post_message(ConversationFinished(self.session))
            # The end of a conversation is the plan: read it through together. A preparation
            # with a peer worker ends on the patient's points for the meeting instead (in the
            # summary); its plan, if it fills one, is made at the meeting (F8 shows it).
            guide = self.session.guide
            preparation = isinstance(guide, MeetingGuide) and guide.meeting_type == "preparation"
            self.app.call_later(self.action_plan if self.plans and not preparation
                                else self.action_summary)
            return
        widgets: list[Widget] = []
        if current.phase != new_phase_from:
            widgets.append(self._phase_notice(current.phase))
        if current.reopened:
            widgets.append(Notice(t("decide_again" if current.is_decision else "sure_again",
                                    self.lang)))
        # The question itself stands apart, above its answer field (always in view); the
        # rest (a comparison, the prepared words) goes in the transcript.
        question, *rest = self._step_messages(current.step)
        prepared = self._prepared(current)
        if prepared is not None:
            rest.append(prepared)
        widgets += rest
        self._question_before = rest[0] if rest else None
        # The speaker rule (engine/speaker.py): the step's `ask`, else whoever spoke last.
        # A change made by the guide is said in words before anything is typed.
        # Applied once per step asked: a redraw (after an edit or undo) of the same question
        # keeps the speaker people chose for it.
        bar = self.query_one(SpeakerBar)
        turn = speaker_for(state, self.present, bar.role)
        if current.id == self._asked_step:
            turn = dataclasses.replace(turn, role=bar.role, changed=False)
        self._asked_step = current.id
        note = None
        if turn.changed:
            # Said right above the answer field, where people look as they type; one line,
            # so that an 80×24 screen keeps the question in sight.
            who = self._role_name(turn.role)
            note = t("speaker_now", self.lang).format(who=who, who_lower=who.lower())
        bar.select(turn.role)
        log.pin()
        log.mount_all(widgets)
        area = self.question_area
        shown = area.children[0] if len(area.children) == 1 else None
        if (isinstance(shown, GuideMessage) and isinstance(question, GuideMessage)
                and shown.classes == question.classes):
            # The next question in the same message: no widget built, styled and laid out
            # anew for each turn (issue 16). A question as tall as the one before needs no
            # layout of its own; the turn's one layout comes with the transcript's new lines.
            width = shown.content_region.width
            # (Textual's own widgets pass their styles as the rules, as here.)
            same_height = bool(width) and shown.content_size.height == \
                question.visual.get_height(shown.styles, width)  # type: ignore[arg-type]
            shown.update(question.content, layout=not same_height)
            shown.step_id = question.step_id
        else:
            area.remove_children()
            area.mount(question)
        area.scroll_home(animate=False)
        if current.shows_options:
            # A long comparison: show it from its top, not pinned to the bottom of the chat.
            log.release_anchor()  # scrolled to its top once laid out (OptionGrid.Ready)
        # The change of speaker is said right above the field too: where people type.
        self._mount_answer(current.step, current.start_value, note=note)

    def _end_panel(self) -> Widget:
        """The ways on from a finished conversation: the plan, a new conversation, home."""
        buttons = []
        if self.plans:
            buttons.append(Button(Content(t("end_plan", self.lang)), id="end-plan",
                                  compact=True, variant="primary"))
        buttons.append(Button(Content(t("end_new", self.lang)), id="end-new", compact=True))
        buttons.append(Button(Content(t("end_home", self.lang)), id="end-home", compact=True))
        return Horizontal(*buttons, id="end-panel")

    @on(Button.Pressed, "#end-plan")
    def _end_plan(self) -> None:
        self.action_plan()

    @on(Button.Pressed, "#end-new")
    def _end_new(self) -> None:
        self.leave(new=True)

    @on(Button.Pressed, "#end-home")
    def _end_home(self) -> None:
        self.leave()

    @on(OptionGrid.Ready)
    def _show_grid_from_top(self, message: OptionGrid.Ready) -> None:
        """Show a new comparison from its question down, once it has its size — unless the
        conversation has moved on meanwhile (a quick Enter)."""
        current = asking(self.state)
        if current is None or not current.shows_options or not message.grid.is_attached:
            return
        log = self.log_view
        index = log.children.index(message.grid)
        target = log.children[index - 1] if index else message.grid
        log.scroll_to_widget(target, top=True, animate=False, immediate=True)

    def _mount_answer(self, flow_step: FlowStep, initial: object,
                      note: str | None = None) -> None:
        """Replace the answer widget. The new one takes the focus as it mounts, before the old
        one goes: one focus change per turn (each one re-renders the footer's keys)."""
        # The same kind of field as the one there (free text after free text, yes/no after
        # yes/no) shows the new step itself, reset: no new widgets (AnswerWidget.take).
        current = self.answer_widget()
        if (current is not None and current.is_mounted  # (a new one may still be composing)
                and type(current) is widget_class(flow_step.step)
                and current.take(flow_step.step, initial, note)):
            self.call_after_refresh(self.fit_areas)
            return
        # The new widget removes the old one once it has the focus (AnswerWidget.on_mount).
        widget = answer_widget(flow_step.step, self.lang, initial)
        widget.note = note
        # Keys typed from now until the new widget has the focus are for it (typeahead.py).
        typeahead.hold(self.app)
        self._answer_mounts += 1
        self.answer_area.mount(widget)
        self.call_after_refresh(self.fit_areas)

    def fit_areas(self) -> None:
        """Share the rows below the transcript between the question and its answer field:
        the question whole if it can be (it wraps), the answer field the rest; the transcript
        keeps `MIN_LOG` rows. A question taller than that scrolls in its own area."""
        if not self.is_attached or not self.size.height:
            return
        question = self.question_area
        answer = self.answer_area
        taken = sum(w.outer_size.height for w in self.children
                    if w.display and w not in (question, answer, self.log_view)
                    and not w.styles.dock)
        room = max(2, self.size.height - taken - self.MIN_LOG)
        # What each would take whole: its content and its own border and padding.
        wanted_answer = answer.virtual_size.height + answer.gutter.height
        wanted_question = question.virtual_size.height + question.gutter.height
        question_rows = max(1, min(wanted_question,
                                   room - min(wanted_answer, self.MIN_ANSWER)))
        answer_rows = max(1, room - question_rows)
        if self._fitted != (question_rows, answer_rows):  # a change lays out again
            self._fitted = (question_rows, answer_rows)
            question.styles.max_height = question_rows
            answer.styles.max_height = answer_rows

    def on_resize(self, event: Resize) -> None:
        self._update_progress()
        self.call_after_refresh(self.fit_areas)

    def _update_progress(self) -> None:
        state, guide = self.state, self.session.guide
        parts = []
        for number, progress in enumerate(state.progress, start=1):
            name = phase_title(guide, progress.phase, self.lang)
            if not progress.total:
                mark = ""
            elif progress.complete:
                mark = "✓"
            else:
                mark = f"{progress.done}/{progress.total}"
            parts.append(f"{number} {name} {mark}".rstrip())
        current = state.current.phase if state.current else None
        width = self.size.width - 2
        if width > 0 and len("  ·  ".join(parts)) > width:
            # Narrow: only the current phase by name; the others by number and mark.
            parts = [part if progress.phase == current
                     else f"{number} {part.rsplit(' ', 1)[-1] if progress.total else ''}".rstrip()
                     for number, (part, progress)
                     in enumerate(zip(parts, state.progress, strict=True), start=1)]
        content = Content("")
        for part, progress in zip(parts, state.progress, strict=True):
            piece = Content(part)
            if progress.phase == current:
                piece = piece.stylize("bold reverse")
            content = content + (Content("  ·  ") if content.plain else Content("")) + piece
        progress_line = self.query_one("#progress", Static)
        # The one-line progress changes only when a phase's count does; an unchanged update
        # would still ask for a whole layout pass on every turn (issue 16).
        old = progress_line.content
        if old != content:
            # A count that changes within one line keeps the line's size: a repaint will do,
            # not a layout pass of the whole screen (only a line that wraps, or stops
            # wrapping, changes the height).
            one_line = isinstance(old, Content) and max(old.cell_length,
                                                        content.cell_length) <= width
            progress_line.update(content, layout=not one_line)

    # --- turning actions into events ----------------------------------------------------------

    def commit(self, event: Event) -> SessionState:
        """Check, record (durably) and apply `event`; returns the new state.

        Raises `NotRecorded` with a message for the user when the engine refuses the event or
        it could not be saved; then nothing changed.
        """
        try:
            self.session.check(event)
        except EngineError as exc:
            raise NotRecorded(exc.message if hasattr(exc, "message") else str(exc)) from None
        try:
            self._record(event)
        except Exception:
            raise NotRecorded(t("not_saved", self.lang)) from None
        return self.session.apply(event)

    def _commit(self, event: Event) -> SessionState | None:
        """As `commit`, but shows a refusal by the answer field. Returns the state, or None."""
        try:
            return self.commit(event)
        except NotRecorded as exc:
            self._answer_error(exc.message)
            return None

    def answer_widget(self) -> AnswerWidget | None:
        """The answer field in use: the newest one. Right after a save the previous field
        is still mounted for a moment (it goes once the new one has the focus), holding the
        words just saved; it is not the one to ask about or to show a refusal by."""
        # The answer area's own children, not a query of the whole screen (once a turn).
        widgets = [w for w in self.answer_area.children if isinstance(w, AnswerWidget)]
        return widgets[-1] if widgets else None

    # The three areas of the screen, looked up once (each turn uses them several times).
    @property
    def log_view(self) -> ChatLog:
        """The transcript."""
        return self._area("log", ChatLog)

    @property
    def question_area(self) -> VerticalScroll:
        """The question being asked (always in view)."""
        return self._area("question", VerticalScroll)

    @property
    def answer_area(self) -> VerticalScroll:
        """The answer field below the question."""
        return self._area("answer", VerticalScroll)

    def _area(self, name: str, kind: type[AreaT]) -> AreaT:
        found = self._areas.get(name)
        if found is None:
            found = self._areas[name] = self.query_one(f"#{name}", kind)
        assert isinstance(found, kind)
        return found

    def _answer_error(self, text: str) -> None:
        widget = self.answer_widget()
        if widget is not None:
            widget.show_error(text)
        else:
            self.notify(text, severity="error", markup=False)

    def save_answer(self, answer: AnswerWidget.Submitted) -> bool:
        """Record `answer` as the save key would; True once it is stored."""
        return self._submitted(answer)

    @on(AnswerWidget.Submitted)
    def _submitted(self, message: AnswerWidget.Submitted) -> bool:
        message.stop()
        mounts = self._answer_mounts
        try:
            return self._record_submitted(message)
        finally:
            if self._answer_mounts == mounts:
                # No new answer field (refused, or an edit that stays): the keys held since
                # the save key (typeahead.py) go to the field that is there.
                self.app.call_later(typeahead.release, self.app)

    def _record_submitted(self, message: AnswerWidget.Submitted) -> bool:
        state = self.state
        # Editing an earlier answer (or answering a skipped one from the plan review's gaps),
        # else the step asked now. The engine says which event that is (Answer, Edit, Seen;
        # the prepared words accepted as they are: the patient's).
        step_id = self.editing if self.editing is not None else \
            state.current.id if state.current is not None else None
        if step_id is None:
            return False
        event = answer_event(state, step_id, message.value, self.speaker, self._clock(),
                             verbatim=message.verbatim)
        if self.editing is not None:
            if self._commit(event) is None:
                return False
            self._end_edit()
            self._redraw()
            return True
        return self._after_turn(state.step(step_id), event)

    def _after_turn(self, asked: FlowStep, event: Event) -> bool:
        """Commit `event` for the step `asked`, show its answer, and ask the next step."""
        if self._commit(event) is None:
            return False
        log = self.log_view
        # The question answered joins the transcript, where it stood when it was asked (a
        # copy: the question area shows the next one, `_ask_current`).
        question = self._step_messages(asked)[0]
        before = self._question_before
        if before is not None and before.is_attached and before.parent is log:
            log.mount(question, before=before)
        else:
            log.mount(question)
        self._question_before = None
        bubble = self._bubble(transcript_item(self.state, asked.id))
        if bubble is not None:
            log.mount(bubble)
        self._after_sure(asked.id)
        self._sure_result(asked.id)
        self._ask_current(new_phase_from=asked.phase)
        self._one_frame(log.take_mounts())
        return True

    def _one_frame(self, mounts: list[AwaitMount]) -> None:
        """Draw the turn once its new messages are in the transcript: not a frame with the
        next question (updated at once) beside the old transcript (mounted a moment later),
        then another. One frame a turn instead of two, and nothing half-done on screen.
        Drawing resumes when the mounts are done, fail, or after a second at most."""
        if not mounts:
            return
        batch = self.app.batch_update()
        batch.__enter__()

        async def drawn() -> None:
            try:
                await asyncio.wait_for(asyncio.gather(*mounts), timeout=1.0)
            except Exception:  # a failed mount is reported by Textual itself
                pass
            finally:
                batch.__exit__(None, None, None)
                # What waited for the batch (the layout the new messages asked for) now.
                if self.is_attached:
                    self.log_view.refresh(layout=True)

        # A task of its own, not a message to this screen: the drawing resumes even if the
        # screen is closed at once.
        self._frame_task = asyncio.get_running_loop().create_task(drawn())

    def _sure_result(self, step_id: str) -> None:
        """Once the SURE test is complete for the decision: its score, in words."""
        state = self.state
        score = sure_complete(state, step_id)
        if score is None:
            return
        text = t("sure_score", self.lang).format(score=score.score, total=score.asked)
        if score.unmet:
            unmet = "; ".join(text_in(state.step(item).step.prompt, self.lang)
                              for item in score.unmet)
            text += f" – {t('sure_unmet', self.lang)}: {unmet}"
        self.log_view.mount(Notice(text, classes="-speaker"))

    def _after_sure(self, step_id: str) -> None:
        """A "no" in the SURE test: say what would help, with a way to get there."""
        for route in self.state.sure_route:
            if route.item != step_id:
                continue
            log = self.log_view
            log.mount(GuideMessage(text_in(route.message, self.lang), classes="-info"))
            if route.action == "revisit" and route.phase == "options" \
                    and isinstance(self.session.guide, DecisionAid):
                log.mount(self._option_grid(self.session.guide))
            elif route.action == "revisit" and route.phase == "preferences":
                log.mount(Button(Content(t("revisit_preferences", self.lang)),
                                 id="route-preferences", compact=True))
            elif route.action == "add_support":
                log.mount(Button(Content(t("add_participant", self.lang)),
                                 id="route-support", compact=True))

    @on(Button.Pressed, "#route-preferences")
    def _route_preferences(self) -> None:
        self.action_edit(phase="preferences")

    @on(Button.Pressed, "#route-support")
    def _route_support(self) -> None:
        from assistant.tui.dialogs.role_picker import RolePicker

        def joined(role: Role | None) -> None:
            if role is None:
                return
            if self._commit(join_event(role, self._clock())) is not None:
                if role not in self.present:
                    self.present.append(role)
                    self.query_one(SpeakerBar).add(role)
                self.log_view.mount(
                    Notice(f"+ {self._role_name(role)}"))

        self.app.push_screen(RolePicker(self.lang, exclude=self.present, young=self._young), joined)

    @on(AnswerBubble.EditRequested)
    def _edit_requested(self, message: AnswerBubble.EditRequested) -> None:
        message.stop()
        self._start_edit(message.step_id)

    def _start_edit(self, step_id: str) -> None:
        state = self.state
        if step_id not in state.answers and step_id not in state.answerable:
            return
        if state.current is not None and step_id == state.current.id:
            return  # it is the question being asked already
        bar = self.query_one(SpeakerBar)
        if self.editing is None:
            self._speaker_before_edit = bar.role
        self.editing = step_id
        flow_step = state.step(step_id)
        # The edit starts with the speaker of the answer; choosing another one (F2) before
        # saving corrects who said it (an Edit event with that speaker).
        record = state.answers.get(step_id)
        bar.select(speaker_for_edit(state, step_id, self.present, bar.role))
        banner = f"{t('editing', self.lang)}: {text_in(flow_step.step.prompt, self.lang)}"
        if record is not None:
            banner += "\n" + t("edit_speaker", self.lang).format(
                who=self._role_name(record.speaker))
        banner += f"   ({t('esc_cancel', self.lang)})"
        self.query_one("#edit-banner", Static).update(plain(banner))
        self.query_one("#edit-banner", Static).display = True
        # The banner names the question being changed; the one being asked waits.
        self.question_area.display = False
        self._mount_answer(flow_step, plain_value(record.value) if record else None)

    def _end_edit(self) -> None:
        if self.editing is not None and self._speaker_before_edit is not None:
            self.query_one(SpeakerBar).select(self._speaker_before_edit)
        self.editing = None
        self._speaker_before_edit = None
        self.query_one("#edit-banner", Static).display = False
        self.question_area.display = True
        self.call_after_refresh(self.fit_areas)

    # --- actions ------------------------------------------------------------------------------

    def action_page_log(self, direction: int) -> None:
        """Scroll the transcript a page up (-1) or down (1); the answer keeps the keyboard."""
        log = self.log_view
        if direction < 0:
            log.release_anchor()
            log.scroll_page_up(animate=False)
        else:
            log.scroll_page_down(animate=False)

    def action_scroll_log(self, lines: int) -> None:
        """Scroll the transcript `lines` rows (negative: up). In a multi-line text field the
        keys select text instead (they are left to it)."""
        if isinstance(self.focused, TextArea):
            raise SkipAction()
        log = self.log_view
        if lines < 0:
            log.release_anchor()
        log.scroll_relative(y=lines, animate=False)

    def action_next_speaker(self) -> None:
        """Let the next person present speak."""
        self.query_one(SpeakerBar).cycle()

    def action_undo(self) -> None:
        """Take back the last answer, skip or step."""
        if not self.state.can_undo:
            self.notify(t("nothing_to_undo", self.lang), markup=False)
            return
        if self._commit(undo_event(self._clock())) is not None:
            self._end_edit()
            self._redraw()
            self.log_view.mount(Notice(t("undo", self.lang)))

    def action_skip(self) -> None:
        """Leave the current question unanswered (when it is not required)."""
        current = self.state.current
        if current is None or self.editing is not None:
            return
        # Information is passed over as seen; a question only when it may be left unanswered.
        if takes_answer(current.step) and current.id not in self.state.skippable:
            self.notify(t("cannot_skip", self.lang), markup=False)
            return
        self._after_turn(current, skip_event(self.state, current.id, self.speaker,
                                             self._clock()))

    def action_edit(self, phase: str | None = None) -> None:
        """Choose an earlier answer to change."""
        from assistant.tui.dialogs.step_picker import StepPicker

        state = self.state
        choices = [(s.id, text_in(s.step.prompt, self.lang)) for s in state.steps
                   if s.id in state.answers and (phase is None or s.phase == phase)]
        if not choices:
            self.notify(t("no_answers", self.lang), markup=False)
            return

        def picked(step_id: str | None) -> None:
            if step_id is not None:
                self._start_edit(step_id)

        self.app.push_screen(StepPicker(choices, self.lang), picked)

    def action_escape(self) -> None:
        """Esc: stop editing; at the end of the conversation, go to the home screen."""
        if self.editing is not None:
            self.action_cancel_edit()
        elif self.state.finished:
            self.leave()

    def action_home(self) -> None:
        """Leave the conversation for the home screen (asks first if words are unsaved)."""
        self.leave()

    def unsaved_answer(self) -> AnswerWidget | None:
        """The answer field holding words typed but not saved, or None."""
        widget = self.answer_widget()
        # A field not yet mounted (a save a moment ago) holds no typed words yet.
        if widget is None or not widget.is_mounted:
            return None
        return widget if widget.has_unsaved() else None

    def leave(self, *, new: bool = False) -> None:
        """Go back to the home screen (`new`: to choose the next conversation there).

        Everything answered is stored already; words typed but not saved are asked about
        first: save, discard or stay.
        """
        from assistant.tui.dialogs.unsaved import confirm_unsaved

        def go() -> None:
            self.post_message(LeaveConversation(self.session, new=new))

        confirm_unsaved(self, go)

    def action_cancel_edit(self) -> None:
        """Stop editing; the old answer stays."""
        if self.editing is None:
            return
        self._end_edit()
        current = self.state.current
        if current is not None:
            self._mount_answer(current, None)
        else:
            self.answer_area.remove_children()

    def action_summary(self) -> None:
        """Show every answer with speaker and time, by phase."""
        from assistant.tui.screens.summary import SummaryScreen

        store = self.plan_store
        self.app.push_screen(SummaryScreen(
            self.state, self.lang, label=store.label if store else "",
            encrypted=bool(store and store.encrypted)))

    def action_sources(self) -> None:
        """Show what the guide and the built-in questions rest on (citations stay out of the
        patient's prompts; they are here)."""
        from assistant.tui.dialogs.sources import SourcesDialog

        if not isinstance(self.app.screen, SourcesDialog):
            self.app.push_screen(SourcesDialog(self.session.guide, self.lang))

    def action_plan(self) -> None:
        """Review the plan draft made from the answers so far."""
        from assistant.tui.screens.review import ReviewScreen

        if not self.plans:
            self.notify(t("plan_none", self.lang), markup=False)
            return
        if any(isinstance(screen, ReviewScreen) for screen in self.app.screen_stack):
            return

        def back(step_id: str | None) -> None:
            if step_id is not None:
                self._start_edit(step_id)

        self.app.push_screen(self._review_screen(), back)

    def _review_screen(self) -> ReviewScreen:
        """The plan review F8 opens (a preview opens a read-only one)."""
        from assistant.tui.screens.review import ReviewScreen

        return ReviewScreen(self.state, self.plans, self.present, lang=self.lang,
                            commit=self.commit, clock=self._clock, speaker=self.speaker,
                            store=self.plan_store)

