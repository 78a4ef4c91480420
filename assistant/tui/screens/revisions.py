"""The plan's stored revisions, each comparable with the draft as it is now."""

from __future__ import annotations

import difflib

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from assistant.export.words import local_day, word
from assistant.language import Language
from assistant.plans.models import PlanDraft
from assistant.text import clean_text
from assistant.tui.ports import StoredRevision
from assistant.tui.strings import t
from assistant.tui.widgets.key_footer import KeyFooter


class RevisionsScreen(Screen[None]):
    """The plan's stored revisions; Enter compares one with the draft as it is now."""

    CSS_PATH = "revisions.tcss"
    BINDINGS = [Binding("escape", "app.pop_screen", "Tilbage")]

    def __init__(self, revisions: list[StoredRevision], current: PlanDraft,
                 lang: Language) -> None:
        super().__init__()
        self.revisions = revisions
        self.current = current
        self.lang = lang

    def compose(self) -> ComposeResult:
        lang = self.lang
        yield Static(Content(t("revisions_title", lang)), id="revisions-title")
        if not self.revisions:
            yield Static(Content(t("revisions_none", lang)))
        else:
            yield OptionList(*(Option(self._row(r), id=str(r.number))
                               for r in reversed(self.revisions)), id="revisions")
        yield VerticalScroll(id="compare")
        yield KeyFooter()

    def _row(self, revision: StoredRevision) -> Content:
        lang = self.lang
        kind = t(f"revision_{revision.kind}", lang)
        when = revision.created.astimezone().strftime("%Y-%m-%d %H:%M")
        text = f"{revision.number} · {kind} · {when}"
        if revision.next_revision_due is not None:
            next_due = local_day(revision.next_revision_due, lang)
            text += f" · {word('next_revision', lang)} {next_due}"
        if revision.draft is not None:
            text += f" · {revision.draft.title(lang)}"
        return Content(clean_text(text))

    @on(OptionList.OptionHighlighted, "#revisions")
    def _show(self, event: OptionList.OptionHighlighted) -> None:
        number = int(str(event.option.id))
        revision = next(r for r in self.revisions if r.number == number)
        self.query_one("#compare", VerticalScroll).remove_children()
        self.query_one("#compare", VerticalScroll).mount_all(self.compare(revision))

    def compare(self, revision: StoredRevision) -> list[Static]:
        """The differences between `revision` and the current draft, line by line."""
        from assistant.export.text import export_text

        lang = self.lang
        if revision.draft is None:
            return [Static(Content(t("revision_unreadable", lang)))]
        if revision.draft.template.id != self.current.template.id:
            return [Static(Content(t("revision_other_plan", lang)))]
        old = export_text(revision.draft, width=100, lang=lang).splitlines()
        new = export_text(self.current, width=100, lang=lang).splitlines()
        lines = [Static(Content(t("revision_compare", lang).format(n=revision.number)))]
        changed = False
        for line in difflib.unified_diff(old, new, lineterm="", n=1):
            if line.startswith(("---", "+++")):
                continue
            changed = True
            if line.startswith("@@"):
                lines.append(Static(Content("…"), classes="hunk"))
            elif line.startswith("+"):
                lines.append(Static(Content(line), classes="added", markup=False))
            elif line.startswith("-"):
                lines.append(Static(Content(line), classes="removed", markup=False))
            else:
                lines.append(Static(Content(line), markup=False))
        if not changed:
            lines.append(Static(Content(t("revision_same", lang))))
        return lines
