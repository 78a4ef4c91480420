"""The summary: every answer with speaker and time, grouped by phase."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Static

from assistant.engine import SessionState
from assistant.guides.flow import PHASE_TITLES
from assistant.guides.models import Language, MeetingGuide, text_in
from assistant.tui.strings import t
from assistant.tui.widgets.chat_message import plain
from assistant.tui.widgets.key_footer import KeyFooter
from assistant.wording import role_label, value_text


class SummaryScreen(Screen[None]):
    """A read-only view of the answers so far; Esc goes back."""

    CSS_PATH = "summary.tcss"
    BINDINGS = [("escape", "app.pop_screen", "Tilbage")]

    def __init__(self, state: SessionState, lang: Language) -> None:
        super().__init__()
        self.state = state
        self.lang = lang

    def _phase_title(self, phase: str) -> str:
        guide = self.state.guide
        if isinstance(guide, MeetingGuide):
            return text_in(next(s.title for s in guide.sections if s.id == phase), self.lang)
        return text_in(PHASE_TITLES[phase], self.lang)

    def compose(self) -> ComposeResult:
        state, lang = self.state, self.lang
        yield Static(Content(t("summary_title", lang)) + Content(" — ")
                     + plain(text_in(state.guide.title, lang)), id="summary-title")
        with VerticalScroll(id="summary"):
            for phase in state.phases:
                steps = [s for s in state.steps if s.phase == phase and s.step.type != "info"
                         and state.enabled(s.id)]
                if not steps:
                    continue
                yield Static(Content(self._phase_title(phase)), classes="phase")
                for flow_step in steps:
                    record = state.answers.get(flow_step.id)
                    prompt = plain(text_in(flow_step.step.prompt, lang)).stylize("bold")
                    if record is None:
                        note = t("skipped", lang) if flow_step.id in state.skipped \
                            else t("not_answered", lang)
                        body = prompt + Content("\n") + Content(note).stylize("dim")
                    else:
                        who = role_label(record.speaker, lang)
                        if record.prepared:
                            who += f" ({t('prepared_mark', lang)})"
                        when = record.at.astimezone().strftime("%Y-%m-%d %H:%M")
                        body = (prompt + Content("\n") + Content(f"{who}, {when}: ").stylize("dim")
                                + plain(value_text(flow_step.step, record.value, lang)))
                        if record.verbatim:
                            body = body + Content("\n") + (
                                Content(f"{t('own_words', lang)}: “") + plain(record.verbatim)
                                + Content("”")).stylize("italic")
                    yield Static(body, classes="answer-row", markup=False)
        yield KeyFooter()
