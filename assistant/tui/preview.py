"""`sdm preview FILE`: an author's aid (or meeting guide) in the chat UI, read again each time
the file is saved — the edit–look loop.

Nothing is stored: no session store is opened or created, the conversation lives in memory
(its recorder does nothing), the plan review is read-only, and the look chosen in the palette
holds for this run only (the settings file is neither read for writing nor written).

The file is watched with a Textual timer (`POLL_SECONDS`): a change in the size, time or inode
of the file or of a guide file beside it, whose content (SHA-256) differs from the last one
read, loads the library again in a thread (`read_version`). A good version replaces the
conversation on screen with one about the new guide, with the events so far replayed on it
(`engine.rehydrate`: answers whose steps are gone are dropped, and the screen says how many);
a version with errors leaves the last good one usable and lists the problems above it
(`file:line:col: message`), or, when there never was a good one, a screen that says to fix the
file and save it. The next save that validates resumes.

The library is read as `sdm validate FILE` reads it (the bundled library, the file, and the
guide documents beside it), with one difference: a file whose id is a bundled guide's (a copy
being adapted) replaces that guide, and the preview says so, instead of reporting the id as
used twice.
"""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
import hashlib
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual import events
from textual.screen import Screen

from assistant.guides.status import LibraryStatus
from assistant.language import Language
from assistant.tui.app import SdmApp
from assistant.tui.locking import DEFAULT_LOCK_AFTER, IdleClock
from assistant.tui.messages import LeaveConversation
from assistant.tui.ports import Clock, utc_now
from assistant.tui.strings import t

if TYPE_CHECKING:
    from assistant.engine import Event
    from assistant.guides.loader import Library
    from assistant.guides.models import Guide, Role
    from assistant.tui.screens.preview import PreviewConversation, PreviewWaiting

__all__ = ["POLL_SECONDS", "PreviewApp", "Version", "make_preview_app", "read_version",
           "run_preview"]

#: How often the file is looked at (its size and time; its content only when they changed).
POLL_SECONDS = 0.5

#: The suffixes of guide files (as `guides.shelf.GUIDE_SUFFIXES`; not imported, to keep the
#: models out of the app's start).
_SUFFIXES = (".yaml", ".yml")


# --- reading the file ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Version:
    """One reading of the file: the library with its guide when it is good, else the problems
    (each `file:line:col: message`, as `sdm validate` prints them)."""

    library: Library | None
    guide: Guide | None
    problems: tuple[str, ...] = ()
    #: The file's guide replaces a bundled guide with the same id.
    replaces_bundled: bool = False

    @property
    def good(self) -> bool:
        """True when the guide can be shown."""
        return self.guide is not None and self.library is not None and not self.problems


def read_version(path: Path, lang: Language, folders: Sequence[Path] = ()) -> Version:
    """Load the library with `path` and the guide documents beside it, as `sdm validate FILE`
    does (with the library `folders`), and check it; the file's guide replaces a bundled
    guide with its id. Never raises for bad content: what is wrong comes back as
    `problems`."""
    from assistant.guides.loader import display_name, load_library
    from assistant.guides.models import DecisionAid, MeetingGuide
    from assistant.guides.references import check_library

    library = load_library([path], siblings=True, check=False, folders=folders)
    own = path.resolve()
    name = display_name(own)
    mine = next((d for d in library.documents if d.path == own), None)
    own_id = mine.id if mine is not None else next(
        (r.id for r in library.rejected if r.file == name and not r.beside), None)
    replaced = [d for d in library.documents
                if d.bundled and d is not mine and own_id is not None and d.id == own_id]
    if replaced:
        library.documents = [d for d in library.documents if not any(d is r for r in replaced)]
    library.problems += check_library(library)
    library.problems.sort(key=lambda p: (p.file, p.line, p.column))
    problems = [p.format() for p in library.problems if p.severity == "error"]
    guide = mine.document if mine is not None else None
    if guide is not None and not isinstance(guide, (DecisionAid, MeetingGuide)):
        problems.append(f"{name}:1:1: {t('preview_plan_template', lang)}")
        guide = None
    elif guide is None and not problems:
        problems.append(f"{name}:1:1: {t('preview_no_guide', lang)}")
    return Version(library, guide, tuple(problems), replaces_bundled=bool(replaced))


def safe_read(path: Path, lang: Language, folders: Sequence[Path] = ()) -> Version:
    """`read_version`, and an unexpected failure as a problem of the file: the preview goes
    on (the next save is read again)."""
    try:
        return read_version(path, lang, folders)
    except Exception as exc:  # the loader reports bad content itself; this is a last guard
        return Version(None, None, (f"{_display(path)}:1:1: {type(exc).__name__}",))


def watched_files(path: Path) -> list[Path]:
    """The file and the guide files beside it (their changes are read again)."""
    files = [path]
    try:
        folder = path.resolve().parent
        files += sorted(c for c in folder.iterdir()
                        if c.suffix in _SUFFIXES and c.resolve() != path.resolve())
    except OSError:
        pass
    return files


def stamp(files: Sequence[Path]) -> tuple[tuple[str, int, int, int] | None, ...]:
    """What the files look like on disk (size, time, inode), without reading them."""
    found: list[tuple[str, int, int, int] | None] = []
    for file in files:
        try:
            info = os.stat(file)
        except OSError:
            found.append(None)
            continue
        found.append((file.name, info.st_size, info.st_mtime_ns, info.st_ino))
    return tuple(found)


def digest(files: Sequence[Path]) -> str:
    """SHA-256 of the files' names and contents (a file that cannot be read counts as empty)."""
    total = hashlib.sha256()
    for file in files:
        total.update(file.name.encode("utf-8", "surrogateescape") + b"\0")
        try:
            total.update(hashlib.sha256(file.read_bytes()).digest())
        except OSError:
            total.update(b"-")
    return total.hexdigest()


# --- the app ------------------------------------------------------------------------------------


class PreviewApp(SdmApp):
    """The chat UI on one guide file, with no store: it opens on the file's conversation and
    replaces it each time the file is saved."""

    def __init__(self, path: Path, *, lang: Language = "da", clock: Clock = utc_now,
                 poll_seconds: float = POLL_SECONDS, folders: Sequence[Path] = ()) -> None:
        super().__init__(None, service=None, lang=lang, clock=clock, status=LibraryStatus(()))
        self.path = path
        #: Library folders read with the file (`--library`, SDM_LIBRARY, the user's own).
        self.folders = list(folders)
        self.poll_seconds = poll_seconds
        #: The file as the messages name it (relative to the working directory if inside it).
        self.source = _display(path)
        #: The version shown last, good or not; and whether a good one was ever shown.
        self.version: Version | None = None
        self.ever_good = False
        #: The files watched, their look on disk and content as last read.
        self._files = watched_files(path)
        self._stamp = stamp(self._files)
        self._digest = digest(self._files)
        self._reading = False
        #: How many versions were read (tests wait for the next one).
        self.readings = 0

    # --- start ----------------------------------------------------------------------------------

    def _on_mount(self, event: events.Mount) -> None:
        # SdmApp's own Mount handler opens the home screen, which a preview has not: it is
        # left out, and the handlers of the classes after it (the lock, the look) are called
        # as Textual would have (it calls the Mount handler of every class in the MRO).
        event.prevent_default()
        for cls in SdmApp.__mro__[1:]:
            handler = cls.__dict__.get("_on_mount") or cls.__dict__.get("on_mount")
            if handler is not None:
                handler(self, event)
        self.title = t("app_title", self.lang)
        version = safe_read(self.path, self.lang, self.folders)
        self.readings += 1
        self._show(version, first=True)
        self.set_interval(self.poll_seconds, self._poll, name="preview-watch")

    def configure_look(self, *, calm: bool | None = None) -> None:
        """The remembered look, and `calm` for this run only: a preview writes nothing."""
        super().configure_look(calm=None)
        if calm is not None:
            self.look = dataclasses.replace(self.look, calm=calm)
            self.calm = calm

    def _remember(self, **changes: Any) -> None:
        """The palette's calm mode and contrast: for this run only (nothing is written)."""
        self.look = dataclasses.replace(self.look, **changes)
        self._apply_look()

    # --- watching the file ----------------------------------------------------------------------

    async def _poll(self) -> None:
        """Read the file again when it was saved with new content (not while the screen is
        locked: the lock screen stays on top of everything)."""
        if self._reading or self.locked:
            return
        files = watched_files(self.path)
        now = stamp(files)
        if files == self._files and now == self._stamp:
            return
        self._files, self._stamp = files, now
        content = digest(files)
        if content == self._digest:
            return  # saved unchanged (or only touched)
        self._digest = content
        self._reading = True
        try:
            version = await asyncio.to_thread(safe_read, self.path, self.lang,
                                              self.folders)
        finally:
            self._reading = False
        self.readings += 1
        if self.is_running:
            self._show(version)

    def check_now(self) -> None:
        """Look at the file at once (as the timer does)."""
        self.run_worker(self._poll(), group="preview-watch")

    # --- showing a version ----------------------------------------------------------------------

    def _base(self) -> PreviewConversation | PreviewWaiting | None:
        """The preview's own screen in the stack (others may be above it: the plan, a dialog)."""
        from assistant.tui.screens.preview import PreviewConversation, PreviewWaiting

        return next((s for s in self.screen_stack
                     if isinstance(s, (PreviewConversation, PreviewWaiting))), None)

    def _show(self, version: Version, *, first: bool = False) -> None:
        from assistant.tui.screens.preview import PreviewConversation, PreviewWaiting

        self.version = version
        base = self._base()
        if not version.good:
            if base is not None:
                base.show_problems(version.problems, kept=self.ever_good)
            else:
                self._replace(PreviewWaiting(self.source, version.problems, lang=self.lang))
            return
        assert version.guide is not None and version.library is not None
        self._library = version.library
        guide = version.guide
        if isinstance(base, PreviewConversation):
            events: Sequence[Event] = base.session.events
            present = list(base.present)
            language = base.session.state.language
        else:
            events, present, language = (), default_present(guide), None
        screen = self._conversation(guide, events, present, language,
                                    reloaded=not first,
                                    replaces=version.replaces_bundled)
        self.ever_good = True
        self._replace(screen)

    def _conversation(self, guide: Guide, events: Sequence[Event], present: list[Role],
                      language: Language | None, *, reloaded: bool,
                      replaces: bool) -> PreviewConversation:
        """A conversation about `guide` with `events` replayed (a new one: its participants)."""
        from assistant.engine.events import AddParticipant
        from assistant.engine.rehydrate import rehydrate_session
        from assistant.tui.screens.preview import PreviewConversation

        if not events:
            now = self.clock()
            events = [AddParticipant(role=role, at=now) for role in dict.fromkeys(present)]
        session, dropped = rehydrate_session(guide, events, language=language or self.lang)
        status = None
        if reloaded:
            when = self.clock().astimezone().strftime("%H:%M:%S")
            status = t("preview_reloaded", self.lang).format(time=when)
            steps = sorted({str(getattr(e, "step", "") or "") for e in dropped} - {""})
            if steps:
                key = "preview_dropped_one" if len(steps) == 1 else "preview_dropped"
                status += " – " + t(key, self.lang).format(n=len(steps), steps=", ".join(steps))
            self.notify(status, markup=False, timeout=4)
        return PreviewConversation(session, present, lang=self.lang, clock=self.clock,
                                   plans=self.plans_for(guide), source=self.source,
                                   status=status, replaces=replaces)

    def _replace(self, screen: Screen[None]) -> None:
        """Show `screen` in place of the preview's screen (and of what was above it)."""
        base = self._base()
        if base is None:
            self.push_screen(screen)
            return
        while self.screen is not base and len(self.screen_stack) > 1:
            self.pop_screen()
        self.switch_screen(screen)

    def start_again(self) -> None:
        """A new conversation about the last good version (the end's "new conversation")."""
        version = self.version
        base = self._base()
        if version is None or not version.good or base is None:
            return
        from assistant.tui.screens.preview import PreviewConversation

        assert version.guide is not None
        present = list(base.present) if isinstance(base, PreviewConversation) \
            else default_present(version.guide)
        screen = self._conversation(version.guide, (), present, None, reloaded=False,
                                    replaces=version.replaces_bundled)
        self._replace(screen)
        if not version.problems:
            self.notify(t("preview_started_again", self.lang), markup=False, timeout=3)

    def on_leave_conversation(self, message: LeaveConversation) -> None:
        # SdmApp's handler closes a stored session and opens the home screen: a preview has
        # neither. "New conversation" starts the guide again; "home" ends the preview.
        message.prevent_default()
        if message.new:
            self.start_again()
        else:
            self.exit()


def default_present(guide: Guide) -> list[Role]:
    """Who takes part unless changed, as the setup screen chooses: the patient and the
    clinician, and a meeting's required participants."""
    from assistant.guides.models import MeetingGuide

    roles: list[Role] = ["patient", "clinician"]
    if isinstance(guide, MeetingGuide):
        roles += [p.role for p in guide.participants if p.required and p.role not in roles]
    return roles


def _display(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def make_preview_app(
    path: Path,
    *,
    lang: Language = "da",
    clock: Clock = utc_now,
    lock_after: dt.timedelta | None = DEFAULT_LOCK_AFTER,
    idle_clock: IdleClock | None = None,
    calm: bool | None = None,
    poll_seconds: float = POLL_SECONDS,
    folders: Sequence[Path] = (),
) -> PreviewApp:
    """The preview app on `path` (the CLI and the tests build it the same way)."""
    app = PreviewApp(path, lang=lang, clock=clock, poll_seconds=poll_seconds, folders=folders)
    app.configure_lock(lock_after, idle_clock)
    app.configure_look(calm=calm)
    return app


def run_preview(
    path: Path,
    *,
    lang: Language = "da",
    lock_after: dt.timedelta | None = DEFAULT_LOCK_AFTER,
    calm: bool | None = None,
    folders: Sequence[Path] = (),
) -> int:
    """`sdm preview FILE`: run the preview until it is ended; returns the exit code."""
    from assistant.hardening import protect_process
    from assistant.tui.run import ExitOnSignal

    protect_process()
    app = make_preview_app(path, lang=lang, lock_after=lock_after, calm=calm, folders=folders)
    signals = ExitOnSignal(lambda code: app.exit(return_code=code)).install()
    try:
        app.run()
    finally:
        signals.finish()
    return app.return_code or 0
