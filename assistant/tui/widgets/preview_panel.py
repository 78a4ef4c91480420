"""The widgets of `sdm preview`: the line that says what is previewed (and that nothing is
saved), and the panel listing what is wrong with the file (`file:line:col: message`).

Both show text from the file (problems quote its ids and values) as data, never markup.
"""

from __future__ import annotations

from collections.abc import Sequence

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Static

from assistant.language import Language
from assistant.text import clean_text
from assistant.tui.css import beside
from assistant.tui.strings import t

__all__ = ["PreviewBar", "ProblemsPanel", "bar_text"]


def bar_text(source: str, lang: Language, status: str | None = None,
             replaces: bool = False) -> Content:
    """The preview's line: which file, that nothing is saved, and the last reload."""
    parts = [f"{t('preview_title', lang)}: {source}", t("preview_nothing_saved", lang)]
    if replaces:
        parts.append(t("preview_replaces", lang))
    if status:
        parts.append(status)
    return Content(clean_text("  ·  ".join(parts)))


class PreviewBar(Static):
    """A line above a preview's screen (its file and state; the plan's read-only note)."""

    DEFAULT_CSS = beside(__file__, "preview_bar")

    def __init__(self, text: Content, *, id: str | None = None) -> None:
        super().__init__(text, id=id, markup=False)


class ProblemsPanel(VerticalScroll, can_focus=False):
    """What is wrong with the file, one problem a line; hidden when nothing is."""

    DEFAULT_CSS = beside(__file__, "problems_panel")

    def __init__(self, lang: Language, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.lang = lang
        #: The problems shown.
        self.problems: tuple[str, ...] = ()

    def compose(self) -> ComposeResult:
        yield Static("", id="preview-problems-head", markup=False)
        yield Static("", id="preview-problems-list", markup=False)

    def show(self, problems: Sequence[str], *, kept: bool) -> None:
        """List `problems` (none: hide the panel); `kept`: a good version of the file is
        still in use below."""
        self.problems = tuple(problems)
        self.display = bool(self.problems)
        head = t("preview_errors_kept" if kept else "preview_errors_none", self.lang)
        self.query_one("#preview-problems-head", Static).update(Content(head))
        self.query_one("#preview-problems-list", Static).update(
            Content(clean_text("\n".join(self.problems))))
