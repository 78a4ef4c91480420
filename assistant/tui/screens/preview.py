"""The screens of `sdm preview` (`tui/preview.py`): the conversation with the preview's bar and
its problems panel, the screen shown while no version of the file was ever good, and the plan
and summary read-only. They draw on the screens they extend (and their styles, beside them);
the preview's own widgets are in `widgets/preview_panel.py`.

Text from the file (problems quote ids and values from it) is shown as data, never markup.
"""

from __future__ import annotations

from collections.abc import Sequence

from textual.app import ComposeResult
from textual.content import Content
from textual.screen import Screen

from assistant.engine import Event, Session, SessionState
from assistant.guides.models import Language, PlanTemplate, Role
from assistant.tui.ports import Clock, NotRecorded, utc_now
from assistant.tui.screens.conversation import ConversationScreen
from assistant.tui.screens.review import ReviewScreen
from assistant.tui.screens.summary import SummaryScreen
from assistant.tui.strings import t
from assistant.tui.widgets.key_footer import KeyFooter
from assistant.tui.widgets.preview_panel import PreviewBar, ProblemsPanel, bar_text

__all__ = ["PreviewConversation", "PreviewReview", "PreviewSummary", "PreviewWaiting"]


class PreviewConversation(ConversationScreen):
    """The conversation about the file's guide: recorded nowhere, with the preview's bar and
    the problems of a later version of the file above it."""

    def __init__(
        self,
        session: Session,
        present: list[Role],
        *,
        lang: Language,
        clock: Clock = utc_now,
        plans: list[PlanTemplate] | None = None,
        source: str,
        status: str | None = None,
        replaces: bool = False,
    ) -> None:
        super().__init__(session, present, lang=lang, clock=clock, plans=plans)
        self.source = source
        self.status = status
        self.replaces = replaces

    def compose(self) -> ComposeResult:
        yield PreviewBar(bar_text(self.source, self.lang, self.status, self.replaces),
                         id="preview-bar")
        panel = ProblemsPanel(self.lang, id="preview-problems")
        panel.display = False
        yield panel
        yield from super().compose()

    def show_problems(self, problems: Sequence[str], *, kept: bool = True) -> None:
        """Show what is wrong with the file now (the conversation goes on below)."""
        self.query_one(ProblemsPanel).show(problems, kept=kept)
        self.call_after_refresh(self.fit_areas)

    @property
    def problems(self) -> tuple[str, ...]:
        """The problems shown."""
        return self.query_one(ProblemsPanel).problems

    def _review_screen(self) -> ReviewScreen:
        """The plan draft the answers so far make, read-only (F8)."""
        return PreviewReview(self.state, self.plans, self.present, lang=self.lang,
                             clock=self._clock, speaker=self.speaker)

    def action_summary(self) -> None:
        """Every answer so far (nothing to save from here)."""
        self.app.push_screen(PreviewSummary(self.state, self.lang))


class PreviewWaiting(Screen[None]):
    """No version of the file was good yet: what is wrong, and to fix the file and save it."""

    CSS_PATH = "preview.tcss"

    def __init__(self, source: str, problems: Sequence[str], *, lang: Language) -> None:
        super().__init__()
        self.source = source
        self.lang = lang
        self._first = tuple(problems)

    def compose(self) -> ComposeResult:
        yield PreviewBar(bar_text(self.source, self.lang), id="preview-bar")
        yield ProblemsPanel(self.lang, id="preview-problems")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.show_problems(self._first, kept=False)

    def show_problems(self, problems: Sequence[str], *, kept: bool = False) -> None:
        """Show what is wrong with the file now."""
        self.query_one(ProblemsPanel).show(problems, kept=False)

    @property
    def problems(self) -> tuple[str, ...]:
        """The problems shown."""
        return self.query_one(ProblemsPanel).problems


def _refuse(_event: Event) -> SessionState:
    raise NotRecorded("")


class PreviewReview(ReviewScreen):
    """The plan review, read-only: the draft, its fields and where they come from; nothing is
    changed, approved or saved (copying the text and going to a question still work)."""

    #: The review's actions that change the plan or write a file.
    CHANGES = frozenset({"edit_field", "correct_line", "strike_line", "approve", "save",
                         "discussed", "revisions"})

    def __init__(self, state: SessionState, templates: list[PlanTemplate], present: list[Role],
                 *, lang: Language, clock: Clock, speaker: Role | None = None) -> None:
        super().__init__(state, templates, present, lang=lang, commit=_refuse, clock=clock,
                         speaker=speaker)

    def compose(self) -> ComposeResult:
        yield PreviewBar(Content(t("preview_read_only", self.lang)), id="preview-note")
        yield from super().compose()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Not the keys that change the plan or write a file."""
        if action in self.CHANGES:
            return False
        return super().check_action(action, parameters)

    def action_summary(self) -> None:
        """Every answer so far (nothing to save from here)."""
        self.app.push_screen(PreviewSummary(self.state, self.lang))


class PreviewSummary(SummaryScreen):
    """The summary, without saving the patient's points to a file (copying them still works)."""

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Not `s` (it writes a file)."""
        if action == "save_points":
            return False
        return super().check_action(action, parameters)
