"""The home screen: the library with fuzzy search; Enter starts a guide.

Above it, the stored sessions: those in progress, then finished ones, each saying which of
its plans are approved ("Kriseplan godkendt") and whether a revision is overdue; Enter
resumes one. The library keeps at least half the height; the session list scrolls.

Keyboard: arrow keys move within a list; Tab and Shift+Tab move between the search, the
sessions and the library (in that order); Down in the search goes to the library.

`sdm` draws this screen first, from the shelf's cards, before the library is validated and
the store is open (issue 16); `show_status` then brings the checked library (a guide with a
problem is marked and refused, the problems listed) and the store's sessions. A guide chosen
before that opens as soon as it is checked. Nothing here imports pydantic or the store.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from assistant.guides.cards import GuideCard
from assistant.guides.search import search_cards
from assistant.guides.status import LibraryStatus
from assistant.language import Language
from assistant.text import clean_text
from assistant.tui.messages import GuideChosen, ResumeSession, UseLocalStore
from assistant.tui.screens.lock import encryption_badge
from assistant.tui.strings import t
from assistant.tui.widgets.key_footer import KeyFooter

if TYPE_CHECKING:
    from assistant.service.sessions import SessionService
    from assistant.store import SessionRow

#: After the approved plans' titles: "Kriseplan godkendt" / "Crisis plan approved".
_APPROVED = ("godkendt", "approved")


class HomeScreen(Screen[None]):
    """Pick a guide."""

    CSS_PATH = "home.tcss"
    BINDINGS = [
        Binding("tab", "next_list", "Næste liste", key_display="Tab"),
        Binding("shift+tab", "previous_list", show=False),
        # Reached only from the search field: a list takes Down itself, to move within it.
        Binding("down", "into_library", show=False),
        # Only when a department server could not be reached (the warning says so).
        Binding("f6", "use_local", show=False),
    ]

    def __init__(self, status: LibraryStatus, lang: Language,
                 service: SessionService | None = None, store_problem: str | None = None
                 ) -> None:
        super().__init__()
        self.status = status
        self.lang = lang
        self.service = service
        #: Why the store could not be opened (shown instead of the sessions), or None.
        self.store_problem = store_problem
        #: A guide chosen before the library was checked: opened once it is.
        self._waiting: str | None = None
        #: The department server could not be reached: F6 opens the local file instead.
        self.can_use_local = False

    def compose(self) -> ComposeResult:
        if self.store_problem is not None:
            text = t("store_unavailable", self.lang).format(message=self.store_problem)
            if self.can_use_local:
                text += "\n" + t("server_unreachable_choice", self.lang)
            yield Static(Content(text), id="store-warning")
        if self.service is not None:
            from assistant.store import StoreError

            yield encryption_badge(self.service.store, self.lang)  # privacy (#7)
            if self.service.read_only:
                # Say why: damage is not the same as a folder that cannot be written.
                reason = self.service.store.read_only_reason or "damaged"
                key = "read_only_store" if self.service.store.damaged else \
                    f"read_only_{reason}"
                yield Static(Content(t(key, self.lang)), id="store-warning")
            try:
                rows = self.service.unfinished()
                finished = self.service.finished()
            except StoreError as exc:  # e.g. a damaged record: say so, keep the app usable
                yield Static(Content(exc.text(self.lang)), id="store-warning")
                rows, finished = [], []
            if rows or finished:
                # One list: sessions in progress first, then finished ones, whose plan opens
                # again (to revise it, or export it once more).
                yield Static(Content(t("resume_title", self.lang)), classes="home-heading")
                yield OptionList(*(self._session_option(r) for r in rows),
                                 *(self._session_option(r, due, self._approved(r))
                                   for r, due in finished),
                                 id="sessions")
        if self.status.problems:
            lines = [t("library_problems", self.lang).format(count=self.status.problem_count),
                     *self.status.problems]
            yield Static(Content("\n".join(lines)), id="library-problems")
        if self.status.notices:
            # A bundled guide or plan replaced by a library folder's, on purpose: said.
            yield Static(Content("\n".join(
                t("library_replaced", self.lang).format(
                    what=t(f"replaced.{kind}", self.lang), id=doc_id, where=where)
                for kind, doc_id, where in self.status.notices)), id="library-notices")
        yield Static(Content(t("home_title", self.lang)), id="home-title")
        yield Input(placeholder=t("search", self.lang), id="search")
        yield OptionList(id="guides")
        yield Static("", id="no-match")
        yield KeyFooter()

    def _approved(self, row: SessionRow) -> list[str]:
        """The titles of the session's approved plans, in the screen's language."""
        from assistant.store import StoreError

        if self.service is None or row.status != "plan_approved":
            return []
        try:
            plans = self.service.approved_plans(row.id)
        except StoreError:
            return []
        return [title.get(self.lang) for _tid, title in plans]

    def _session_option(self, row: SessionRow, overdue: dt.date | None = None,
                        approved: list[str] | None = None) -> Option:
        card = self.status.card(row.guide_id)
        title = card.title_in(self.lang) if card is not None else row.guide_id
        when = row.updated.astimezone().strftime("%Y-%m-%d %H:%M")
        label = row.label or "–"
        prompt = (Content(clean_text(label)).stylize("bold") + Content(" · ")
                  + Content(clean_text(title)) + Content(f"  ({when})").stylize("dim"))
        if approved:
            # Which plan is approved, not only that one is.
            status = f"{', '.join(approved)} {_APPROVED[self.lang == 'en']}"
            prompt = prompt + Content("  ") + Content(clean_text(status)).stylize("italic")
        elif row.status != "in_progress":
            prompt = prompt + Content(f"  {t('session_' + row.status, self.lang)}").stylize(
                "italic")
        if overdue is not None:
            overdue_text = f"  {t('revision_overdue', self.lang)} {_local_day(overdue, self.lang)}"
            prompt = prompt + Content(overdue_text).stylize("bold")
        return Option(prompt, id=row.id)

    @on(OptionList.OptionSelected, "#sessions")
    def _resume(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.post_message(ResumeSession(str(event.option.id)))

    def on_mount(self) -> None:
        for bindings in self._bindings.key_to_bindings.values():
            for i, binding in enumerate(bindings):
                if binding.show:
                    bindings[i] = dataclasses.replace(
                        binding, description=t(f"key.{binding.action}", self.lang))
        self.refresh_bindings()
        self._fill("")
        self.query_one("#search", Input).focus()

    def _lists(self) -> list[Widget]:
        """What Tab moves between, in order: the search, the sessions (if any), the library."""
        return [w for w in (self.query_one("#search"), *self.query("#sessions"),
                            self.query_one("#guides")) if w.display]

    def _cycle(self, step: int) -> None:
        lists = self._lists()
        focused = self.focused
        index = lists.index(focused) if focused in lists else -1
        lists[(index + step) % len(lists)].focus()

    def action_next_list(self) -> None:
        """Tab: the next of search, sessions and library."""
        self._cycle(1)

    def action_previous_list(self) -> None:
        """Shift+Tab: the previous of search, sessions and library."""
        self._cycle(-1)

    def action_into_library(self) -> None:
        """Down in the search field: into the library's results."""
        self.query_one("#guides", OptionList).focus()

    def action_use_local(self) -> None:
        """F6, offered only when the department server could not be reached."""
        if self.can_use_local and self.service is None:
            self.post_message(UseLocalStore())

    def use_store(self, service: SessionService) -> None:
        """The local store chosen instead of an unreachable server: its sessions shown."""
        self.service, self.store_problem, self.can_use_local = service, None, False
        typed = self.query_one("#search", Input).value
        searching = self.focused is self.query_one("#search")
        self.call_later(self._recomposed, typed, searching)

    def show_status(self, status: LibraryStatus, service: SessionService | None = None,
                    store_problem: str | None = None, *, can_use_local: bool = False) -> None:
        """The checked library (and the store's sessions, once it is open) replace what the
        first screen showed; the search keeps what was typed, and a guide chosen while the
        library was being checked opens now."""
        gained = (service is not None and self.service is None) or \
            (store_problem is not None and self.store_problem is None) or \
            bool(status.problems) != bool(self.status.problems)
        self.status = status
        self.service = service or self.service
        self.store_problem = store_problem or self.store_problem
        self.can_use_local = can_use_local
        if gained:
            typed = self.query_one("#search", Input).value
            searching = self.focused is self.query_one("#search")
            self.call_later(self._recomposed, typed, searching)
        else:
            self._fill(self.query_one("#search", Input).value)
            self._open_waiting()

    async def _recomposed(self, typed: str, searching: bool) -> None:
        await self.recompose()
        search = self.query_one("#search", Input)
        search.value = typed
        self._fill(typed)
        if searching:
            search.focus()
        self._open_waiting()

    def _open_waiting(self) -> None:
        waiting, self._waiting = self._waiting, None
        if waiting is not None:
            self._start(waiting)

    def _fill(self, query: str) -> None:
        cards = search_cards(self.status.cards, query, self.lang)
        options = self.query_one("#guides", OptionList)
        options.clear_options()
        for card in cards:
            options.add_option(Option(self._card_prompt(card), id=card.id))
        if cards:
            options.highlighted = 0
        no_match = self.query_one("#no-match", Static)
        no_match.update(Content("" if cards else t("no_match", self.lang)))
        no_match.display = not cards  # no empty row under the library

    def _card_prompt(self, card: GuideCard) -> Content:
        kind = t(card.kind, self.lang)
        audience = ", ".join(t(a, self.lang) for a in card.audience)
        # Where it comes from, once the library has guides of a folder besides the bundled
        # ones: "indbygget" (bundled) or the folder's name.
        origin = ""
        if any(c.origin for c in self.status.cards):
            origin = " · " + (clean_text(card.origin) if card.origin
                              else t("origin_bundled", self.lang))
        prompt = (Content(clean_text(card.title_in(self.lang))).stylize("bold")
                  + Content("\n") + Content(f"{kind} · {audience}{origin}").stylize("dim"))
        if card.id in self.status.blocked:
            prompt = prompt + Content(f"  ⚠ {t('guide_blocked', self.lang)}").stylize("bold")
        return prompt

    @on(Input.Changed, "#search")
    def _search(self, event: Input.Changed) -> None:
        self._fill(event.value)

    @on(Input.Submitted, "#search")
    def _enter(self, event: Input.Submitted) -> None:
        options = self.query_one("#guides", OptionList)
        if options.highlighted is not None:
            self._start(str(options.get_option_at_index(options.highlighted).id))

    @on(OptionList.OptionSelected, "#guides")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self._start(str(event.option.id))

    def _start(self, guide_id: str) -> None:
        if not self.status.ready or (self.service is None and self.store_problem is None):
            self._waiting = guide_id  # opened by show_status, a moment from now
            return
        guide = self.status.guide(guide_id)
        if guide is None or self.service is None:
            # A guide with a problem (a broken library never starts a conversation), or no
            # store to keep it in: say why, here.
            text = t("guide_blocked_open", self.lang) if guide is None else \
                t("store_unavailable", self.lang).format(message=self.store_problem)
            self.notify(text, severity="error", markup=False)
            return
        self.post_message(GuideChosen(guide))


def _local_day(day: dt.date, lang: Language) -> str:
    """15.12.2026 (Danish) / 15 December 2026: imported when a session is listed, not before
    the first paint."""
    from assistant.export.words import local_day

    return local_day(day, lang)
