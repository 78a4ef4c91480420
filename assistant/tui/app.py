"""The Textual app: a thin shell that routes between screens; built by `make_app`.

The CLI, the tests and the snapshot apps all build it the same way, from a loaded library, a
session service and settings, so what the tests drive is what the ward runs: every
conversation is started (or resumed) through the service and recorded in its store — tests
give it a store in a temporary folder.

Screens ask the app for what they may not do themselves with messages (`tui.messages`).

`sdm` itself starts faster (issue 16): `make_app` is given a `loader` instead of a library and
a service, the home screen is drawn from the shelf's cards, and the loader (validate the
library, open the store) runs in a thread right after the first paint; `_loaded` then hands
the checked library and the store's sessions to the home screen. Until then no guide opens.
Nothing the first screen does not need is imported before it: the conversation, setup and
help screens, the models, the engine and the store are imported where they are used.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from assistant.guides.status import LibraryStatus
from assistant.language import Language
from assistant.tui.bindings import screen_lang
from assistant.tui.crash import SafeCrashMixin
from assistant.tui.locking import DEFAULT_LOCK_AFTER, IdleClock, LockMixin
from assistant.tui.messages import (
    ConversationFinished,
    GuideChosen,
    LeaveConversation,
    ResumeSession,
    UseLocalStore,
)
from assistant.tui.ports import Clock, StoredRevision, utc_now
from assistant.tui.screens import is_conversation
from assistant.tui.screens.home import HomeScreen
from assistant.tui.strings import t
from assistant.tui.themes import LookMixin
from assistant.tui.typeahead import TypeAheadMixin

if TYPE_CHECKING:
    from assistant.engine.events import Event
    from assistant.guides.loader import Library
    from assistant.guides.models import Guide, PlanTemplate, Role
    from assistant.plans.models import PlanDraft
    from assistant.service.sessions import OpenSession, SessionService
    from assistant.store.models import RevisionKind
    from assistant.tui.screens.conversation import ConversationScreen
    from assistant.tui.screens.setup import Setup


@dataclass(frozen=True)
class Loaded:
    """What the loader gives the app after the first paint."""

    library: Library
    #: The session service, or None when the store could not be opened (`store_problem`).
    service: SessionService | None
    store_problem: str | None = None
    #: True when the store was a department server that could not be reached: the home
    #: screen offers the local file instead (the user's choice, never done silently).
    can_use_local: bool = False


#: Validates the library and opens the store (run in a thread, after the first paint).
Loader = Callable[[], Loaded]


def _conversation_screen() -> type[ConversationScreen]:
    from assistant.tui.screens.conversation import ConversationScreen

    return ConversationScreen


class SdmApp(TypeAheadMixin, SafeCrashMixin, LockMixin, LookMixin, App[None]):
    """sdm-assistant's chat UI."""

    CSS_PATH = ["app.tcss", "calm.tcss"]
    TITLE = "sdm-assistant"
    BINDINGS = [
        Binding("f1", "help", "Hjælp"),
        Binding("ctrl+q", "quit", "Afslut", priority=True),
        # Privacy (#7): hide every screen at once; see assistant/tui/locking.py.
        Binding("ctrl+l", "lock", "Lås skærmen", priority=True, show=False),
        # Calm mode: the transcript one key away (shown only then; see tui/themes.py).
        Binding("ctrl+t", "toggle_transcript", "Samtalen", priority=True),
    ]

    def __init__(
        self,
        library: Library | None,
        *,
        service: SessionService | None,
        lang: Language = "da",
        clock: Clock = utc_now,
        status: LibraryStatus | None = None,
        loader: Loader | None = None,
    ) -> None:
        super().__init__()
        self._library = library
        self._service = service
        self.lang = lang
        self.clock = clock
        #: What the home screen shows: the checked library, or the shelf's cards until then.
        self.status = status or (LibraryStatus.from_library(library) if library is not None
                                 else LibraryStatus(()))
        self._loader = loader
        #: Why the store could not be opened (the loader says), or None.
        self.store_problem: str | None = None
        self.open_sessions: list[OpenSession] = []
        #: Quit once the library is checked and the store open (tests of the whole start).
        self.exit_when_ready = False
        #: Quit once the first screen is drawn (the start-up benchmark measures that).
        self.exit_when_painted = False

    @property
    def library(self) -> Library:
        """The checked library (after the loader: only reached once a guide may open)."""
        if self._library is None:
            raise RuntimeError("the library is not loaded yet")
        return self._library

    @property
    def service(self) -> SessionService:
        """The session service (after the loader: only reached once a guide may open)."""
        if self._service is None:
            raise RuntimeError("the session store is not open")
        return self._service

    def on_mount(self) -> None:
        # The keys' labels come from the catalogue as they are shown (tui/bindings.py).
        self.title = t("app_title", self.lang)
        self.push_screen(HomeScreen(self.status, self.lang, self._service))
        if self.exit_when_painted:
            self.call_after_refresh(self.exit)
        elif self._loader is not None:
            # After the first paint: the user sees the library while it is checked.
            self.call_after_refresh(self._load)
        elif self.exit_when_ready:
            self.call_after_refresh(self.exit)

    def _load(self) -> None:
        loader = self._loader
        assert loader is not None

        def work() -> None:
            loaded = loader()
            self.call_from_thread(self._loaded, loaded)

        self.run_worker(work, name="load-library", thread=True, exit_on_error=True)

    def _said(self, message: str) -> str:
        """A message raised in English below the faces (store, service), in the UI's
        language (the catalogue's table of them)."""
        from assistant.catalogue.cli import translate

        return translate(message, self.lang)

    def _loaded(self, loaded: Loaded) -> None:
        """The loader is done: guides may open, the sessions are listed."""
        self._library = loaded.library
        self._service = loaded.service
        # The store's refusals are raised in English (below the faces); said in the UI's.
        self.store_problem = (None if loaded.store_problem is None
                              else self._said(loaded.store_problem))
        self.status = LibraryStatus.from_library(loaded.library)
        for screen in self.screen_stack:
            if isinstance(screen, HomeScreen):
                screen.show_status(self.status, loaded.service, self.store_problem,
                                   can_use_local=loaded.can_use_local)
        if self.exit_when_ready:
            self.call_after_refresh(self.exit, return_code=1 if loaded.store_problem else 0)

    def on_use_local_store(self, _message: UseLocalStore) -> None:
        """The department server could not be reached and the user chose the local file on
        this computer instead (F6 on the home screen): open it and show its sessions."""
        from assistant.service.sessions import SessionService
        from assistant.store import StoreError, open_store

        if self._library is None or self._service is not None:
            return
        try:
            store = open_store(None)
        except StoreError as exc:
            self.notify(self._said(exc.message), severity="error", markup=False)
            return
        self._service = SessionService(store, self._library)
        self.store_problem = None
        for screen in self.screen_stack:
            if isinstance(screen, HomeScreen):
                screen.use_store(self._service)
        self.notify(t("local_store_chosen", self.lang), markup=False)

    def on_guide_chosen(self, message: GuideChosen) -> None:
        from assistant.tui.screens.setup import SetupScreen

        self.push_screen(SetupScreen(message.guide, self.lang, self.service), self._setup_done)

    def _setup_done(self, setup: Setup | None) -> None:
        if setup is not None:
            self.start_conversation(setup)

    def start_conversation(self, setup: Setup) -> ConversationScreen | None:
        """Open a new conversation about `setup.guide` with the people present: started in
        the store (who takes part is on record), then shown. None (and a message) if the
        store cannot start it."""
        from assistant.service.sessions import SessionUnavailable

        try:
            opened = self.service.start(setup.guide, setup.label, setup.present, setup.language,
                                        preparation=setup.preparation, at=self.clock())
        except SessionUnavailable as exc:
            self.notify(self._said(exc.message), severity="error", markup=False)
            return None
        return self._open(opened, setup.present, setup.language)

    def on_resume_session(self, message: ResumeSession) -> None:
        from assistant.service.sessions import SessionUnavailable

        try:
            opened = self.service.resume(message.session_id, self.lang)
        except SessionUnavailable as exc:
            self.notify(self._said(exc.message), severity="error", markup=False)
            return
        present = list(opened.row.present) or ["patient", "clinician"]
        self._open(opened, present, self.lang)

    def _open(self, opened: OpenSession, present: list[Role], lang: Language) -> ConversationScreen:
        self.open_sessions.append(opened)
        notice = None
        if opened.guide_changed:
            notice = t("guide_changed", lang)
            if opened.dropped:
                steps = sorted({str(getattr(e, "step", "")) for e in opened.dropped} - {""})
                notice += " " + t("answers_dropped", lang) + " " + ", ".join(steps)
        def record(event: Event) -> None:
            # A department server that restarted meanwhile: the store connected again and
            # sent the answer once more; said once it is saved (issue 19).
            before = opened.store.reconnects
            opened.record(event)
            if opened.store.reconnects != before:
                self.notify(t("server_reconnected", lang), severity="warning", markup=False)

        screen = _conversation_screen()(opened.session, present, lang=lang, recorder=record,
                                    clock=self.clock, notice=notice,
                                    plans=self.plans_for(opened.session.guide),
                                    plan_store=StoredPlans(opened))
        self.push_screen(screen)
        return screen

    def on_conversation_finished(self, message: ConversationFinished) -> None:
        for opened in self.open_sessions:
            if opened.session is message.session:
                opened.finish()

    def plans_for(self, guide: Guide) -> list[PlanTemplate]:
        """The plan templates a conversation about `guide` fills, its own plan first."""
        from assistant.plans.draft import draft_templates

        found = (self.library.template(tid) for tid in draft_templates(guide))
        return [template for template in found if template is not None]

    def on_unmount(self) -> None:
        for opened in self.open_sessions:
            opened.close()

    async def action_quit(self) -> None:
        """Quit (Ctrl+Q, the palette) — but ask first when an answer holds unsaved words."""
        from assistant.tui.dialogs.unsaved import confirm_unsaved

        conversation = next((s for s in reversed(self.screen_stack)
                             if is_conversation(s)), None)
        if conversation is None:
            self.exit()
            return
        confirm_unsaved(conversation, self.exit)

    def on_leave_conversation(self, message: LeaveConversation) -> None:
        screen = next((s for s in self.screen_stack if is_conversation(s)
                       and s.session is message.session), None)
        if screen is not None:
            self.leave_conversation(screen, new=message.new)

    def leave_conversation(self, screen: ConversationScreen, *, new: bool = False) -> None:
        """Close `screen`'s session (everything is stored) and show a fresh home screen:
        the session list first, or with `new` the library to choose the next guide."""
        if screen not in self.screen_stack:
            return
        while self.screen is not screen:
            self.pop_screen()
        for opened in [o for o in self.open_sessions if o.session is screen.session]:
            opened.close()
            self.open_sessions.remove(opened)
        home = HomeScreen(self.status, self.lang, self.service)
        self.pop_screen()
        self.switch_screen(home)
        if not new:
            def focus_sessions() -> None:
                for widget in home.query("#sessions"):
                    widget.focus()
            home.call_after_refresh(focus_sessions)

    def action_help(self) -> None:
        """Show every key."""
        from assistant.tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            beneath = self.screen
            self.push_screen(HelpScreen(screen_lang(beneath, self), beneath))

    # Privacy: the screen shows patient data, so the built-in screenshot is switched off
    # (it writes an SVG of the screen to disk, and markup like [@click=app.screenshot()]
    # could trigger it if user text were ever parsed as markup).
    def action_screenshot(self, filename: str | None = None, path: str | None = None) -> None:
        """Refuse: screenshots would write patient data to disk."""
        self.notify(t("screenshot_off", self.lang), severity="warning", markup=False)

    def deliver_screenshot(self, *args: object, **kwargs: object) -> str | None:
        """Refuse, as `action_screenshot`."""
        self.action_screenshot()
        return None

    def action_command_palette(self) -> None:
        """Show the command palette (Ctrl+P) in the screen's language."""
        from textual.command import CommandPalette

        from assistant.tui.palette import LocalPalette

        if self.use_command_palette and not CommandPalette.is_open(self):
            self.push_screen(LocalPalette(screen_lang(self.screen, self), id="--command-palette"))

    def search_themes(self) -> None:
        """Show the colour themes to choose from (the palette's Theme), in the UI's words."""
        from textual.theme import ThemeProvider

        from assistant.tui.palette import LocalPalette

        self.push_screen(LocalPalette(screen_lang(self.screen, self), [ThemeProvider],
                                      placeholder_key="textual.themes_placeholder"))

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        """The command palette, in the screen's language: Textual's commands in the catalogue's
        words (no Screenshot: it would write patient data to disk; F1 instead of Textual's
        English key panel), plus the app's own."""
        lang = screen_lang(screen, self)
        yield SystemCommand(t("textual.theme", lang), t("textual.theme_help", lang),
                            self.action_change_theme)
        yield SystemCommand(t("key.quit", lang), t("textual.quit_help", lang), self.action_quit)
        if screen.maximized is not None:
            yield SystemCommand(t("textual.minimize", lang), t("textual.minimize_help", lang),
                                screen.action_minimize)
        elif screen.focused is not None and screen.focused.allow_maximize:
            yield SystemCommand(t("textual.maximize", lang), t("textual.maximize_help", lang),
                                screen.action_maximize)
        yield SystemCommand(t("help", lang), f"F1 · {t('textual.help_help', lang)}",
                            self.action_help)
        yield SystemCommand(t("lock_screen", lang),
                            f"Ctrl+L · {t('lock_screen_help', lang)}", self.action_lock)
        if is_conversation(screen):
            for action, key in (("undo", "F4"), ("skip", "F6"), ("edit", "F5"),
                                ("summary", "F3"), ("plan", "F8"), ("next_speaker", "F2")):
                yield SystemCommand(t(action, lang), key, getattr(screen, f"action_{action}"))
            yield SystemCommand(t("home", lang), t("end_home", lang),
                                screen.action_home)
        yield from self.look_commands(screen)  # calm mode, high contrast (tui/themes.py)


class StoredPlans:
    """The plan review's `PlanStore` for a session open in the store: its label, whether the
    store is encrypted, and its revisions."""

    def __init__(self, opened: OpenSession) -> None:
        self._opened = opened

    @property
    def label(self) -> str:
        """The session's label."""
        return self._opened.row.label

    @property
    def encrypted(self) -> bool:
        """True when the store is encrypted."""
        return self._opened.store.encrypted

    def save_revision(self, draft: PlanDraft, kind: RevisionKind) -> int:
        """Record `draft` as a revision of the session's plan; returns its number."""
        return self._opened.save_revision(draft, kind)

    def revisions(self) -> list[StoredRevision]:
        """The session's stored revisions, oldest first."""
        return [StoredRevision(r.revision, r.kind, r.created, r.next_revision_due, draft)
                for r, draft in self._opened.revisions()]


def make_app(
    library: Library | None,
    *,
    service: SessionService | None,
    lang: Language = "da",
    clock: Clock = utc_now,
    lock_after: dt.timedelta | None = DEFAULT_LOCK_AFTER,
    idle_clock: IdleClock | None = None,
    calm: bool | None = None,
    status: LibraryStatus | None = None,
    loader: Loader | None = None,
) -> SdmApp:
    """Build the app from a loaded library, the session service (its store keeps every
    conversation) and settings (the CLI, tests and snapshots agree).

    Or, as `sdm` does (`tui.run`): with `library` and `service` None, the `status` to draw
    first (the shelf's cards) and a `loader` that checks the library and opens the store in a
    thread after the first paint.

    `lock_after`: lock the screen after this long without a key press or mouse event (None:
    never); `idle_clock` measures it (monotonic seconds; tests inject one they can move).
    `calm`: choose calm mode (`sdm --calm`), remembered like the palette's choice; None: as
    remembered (the settings file).
    """
    app = SdmApp(library, service=service, lang=lang, clock=clock, status=status, loader=loader)
    app.configure_lock(lock_after, idle_clock)
    app.configure_look(calm=calm)
    return app

