"""The summary: every answer with speaker and time, grouped by phase."""

from __future__ import annotations

import dataclasses

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Static

from assistant.engine import SessionState
from assistant.engine.transcript import phase_title
from assistant.guides.models import Language, MeetingGuide, takes_answer, text_in
from assistant.tui.strings import t
from assistant.tui.widgets.chat_message import plain
from assistant.tui.widgets.key_footer import KeyFooter
from assistant.wording import role_label, value_text, youth


class SummaryScreen(Screen[None]):
    """A read-only view of the answers so far; Esc goes back.

    After a preparation with a peer worker, `s` saves the patient's one-page "my points for
    the meeting" (HTML to print, or text) and `c` copies its text.
    """

    CSS_PATH = "summary.tcss"
    BINDINGS = [
        Binding("escape", "app.pop_screen", "Tilbage"),
        Binding("s", "save_points", "Gem mine punkter"),
        Binding("c", "copy_points", "Kopiér mine punkter"),
    ]

    def __init__(self, state: SessionState, lang: Language, *, label: str = "",
                 encrypted: bool = False) -> None:
        super().__init__()
        self.state = state
        self.lang = lang
        self.label = label
        self.encrypted = encrypted

    @property
    def is_preparation(self) -> bool:
        """True for a preparation with a peer worker (it has "my points" to save)."""
        guide = self.state.guide
        return isinstance(guide, MeetingGuide) and guide.meeting_type == "preparation"

    def on_mount(self) -> None:
        for bindings in self._bindings.key_to_bindings.values():
            for i, binding in enumerate(bindings):
                if binding.action in ("save_points", "copy_points", "app.pop_screen"):
                    key = "back" if binding.action == "app.pop_screen" else binding.action
                    bindings[i] = dataclasses.replace(binding, description=t(key, self.lang))
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """The "my points" keys exist only after a preparation."""
        if action in ("save_points", "copy_points"):
            return self.is_preparation
        return True

    def points(self) -> tuple[str, str]:
        """The patient's points for the meeting: (HTML page, plain text)."""
        from assistant.export.meeting import preparation_summary

        return preparation_summary(self.state, lang=self.lang)

    def action_save_points(self) -> None:
        """Save "my points for the meeting" to a file only the user can read."""
        from assistant.tui.saving import save_page

        save_page(self, self.lang, title=t("points_title", self.lang), label=self.label,
                  name=t("points_file", self.lang), encrypted=self.encrypted, make=self.points)

    def action_copy_points(self) -> None:
        """Copy "my points for the meeting" as text."""
        self.app.copy_to_clipboard(self.points()[1])
        self.notify(t("points_copied", self.lang), markup=False)

    def compose(self) -> ComposeResult:
        state, lang = self.state, self.lang
        yield Static(Content(t("summary_title", lang)) + Content(" — ")
                     + plain(text_in(state.guide.title, lang)), id="summary-title")
        with VerticalScroll(id="summary"):
            for phase in state.phases:
                steps = [s for s in state.steps if s.phase == phase
                         and takes_answer(s.step)
                         and state.enabled(s.id)]
                if not steps:
                    continue
                yield Static(Content(phase_title(state.guide, phase, lang)), classes="phase")
                for flow_step in steps:
                    record = state.answers.get(flow_step.id)
                    prompt = plain(text_in(flow_step.step.prompt, lang)).stylize("bold")
                    if record is None:
                        note = t("skipped", lang) if flow_step.id in state.skipped \
                            else t("not_answered", lang)
                        body = prompt + Content("\n") + Content(note).stylize("dim")
                    else:
                        who = role_label(record.speaker, lang,
                                         young=youth(state.guide.audience))
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
