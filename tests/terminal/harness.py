"""A real terminal for scenario tests: the installed `sdm` in a private tmux server.

Pilot drives widgets through Textual's own queue at machine pace; it cannot see what happens
when keys arrive through a terminal faster than the app handles them, or on an 80×24 screen.
This harness types into the real thing (see ../shared/design/real-terminal-tests.md):

    with Terminal(tmp_path, 80, 24) as term:     # a private server, killed on the way out
        term.wait_for("Beslutningshjælpere")       # poll the screen; fail with the last one
        term.type("blitz")                         # send-keys -l: one burst, UTF-8 works
        term.keys("Enter")                         # tmux key names: Enter, F5, C-s, BTab ...
        session = term.session()                   # what the store holds: the Python API
        term.sdm("export", session.id, "--format", "json")   # or the CLI, same private dirs

Everything the app writes goes to one temporary folder: HOME and the XDG data, config,
state and cache directories point into it, so the store is the default one
(`$XDG_DATA_HOME/sdm-assistant/sessions.sqlite3`) and nothing of the user's is touched.

Waits poll the screen (or the store) with generous deadlines: a loaded 2-core machine may
take many seconds to start the app. Nothing sleeps for a fixed time and nothing asserts how
long something took.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterable, Sequence
from functools import cache
from pathlib import Path
from types import TracebackType
from typing import Any

import pytest

from assistant.guides.loader import Library, load_library
from assistant.guides.models import ROLES, MeetingGuide, Role, text_in
from assistant.wording import role_label, youth

TMUX = shutil.which("tmux")
#: The installed console script of the venv running the tests (not a checkout's module).
SDM = Path(sys.executable).parent / "sdm"

#: For `pytestmark`: every test here needs tmux and the installed `sdm`.
needs_terminal = [
    pytest.mark.terminal,
    pytest.mark.skipif(TMUX is None, reason="tmux is not installed: the real-terminal "
                       "scenario tests drive `sdm` in tmux (CI installs it in .ci/run)"),
    pytest.mark.skipif(not SDM.exists(), reason=f"the `sdm` console script is not installed "
                       f"next to {sys.executable} (pip install -e .)"),
]

#: The two screen sizes every cheap scenario runs at.
SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]

START_TIMEOUT = 120.0   # the app's first screen, on a loaded machine
STEP_TIMEOUT = 60.0     # any one step after that
POLL = 0.15


def ui(key: str, fallback: str) -> str:
    """The app's own Danish wording for `key` (assistant/tui/strings.py), so the tests follow
    a rewording; `fallback` if the key is gone."""
    from assistant.tui.strings import t

    try:
        return t(key, "da")
    except KeyError:
        return fallback


HOME_TITLE = ui("home_title", "Beslutningshjælpere og mødeguides")
NEED_LABEL = ui("need_label", "Giv samtalen et navn")[:20]
EDIT_PICK = ui("edit_pick", "Hvilket svar vil du rette?")
REVIEW_TITLE = ui("review_title", "Planudkast")
EDITING = ui("editing", "Du retter svaret på")
SETUP_LABEL = ui("setup_label", "Navn på samtalen")
SPEAKER_BAR = "(F2):"   # "Taler (F2):  ● Patient   Pårørende ..."
ACTIVE = "●"


@cache
def library() -> Library:
    """The bundled library, as the app loads it."""
    return load_library()


def label(role: Role) -> str:
    """A role's name on the Danish screen ("Pårørende", "Behandler" ...)."""
    return role_label(role, "da")


def canary(tag: str, length: int) -> str:
    """A text of exactly `length` characters that starts and ends with a unique marker.

    Made of words (so the answer field wraps it as a person's text) and ASCII letters and
    digits plus a few Danish letters, which exercise UTF-8 in the burst.
    """
    unique = uuid.uuid4().hex[:8]
    head, tail = f"{tag}-{unique}-START ", f" {tag}-{unique}-SLUT"
    words = ["ærlig", "hjælp", "roligt", "søvn", "tryghed", "kaffe", "gåtur", "musik",
             "bølge", "nærvær"]
    body = ""
    i = 0
    while len(head) + len(body) + len(tail) < length:
        body += words[i % len(words)] + " "
        i += 1
    text = (head + body)[: length - len(tail)] + tail
    assert len(text) == length
    return text


_SGR = re.compile(r"\x1b\[([0-9;]*)m")


def _apply_sgr(state: dict[str, str], params: str) -> None:
    """Fold one SGR sequence into `state` (fg, bg and attributes)."""
    codes = params.split(";") if params else ["0"]
    i = 0
    while i < len(codes):
        code = codes[i]
        if code in ("", "0"):
            state.clear()
        elif code in ("38", "48"):
            # 38;5;N or 38;2;R;G;B
            width = 3 if i + 1 < len(codes) and codes[i + 1] == "5" else 5
            state["fg" if code == "38" else "bg"] = ";".join(codes[i:i + width])
            i += width - 1
        elif code in ("39", "49"):
            state.pop("fg" if code == "39" else "bg", None)
        elif code in ("22", "23", "24", "27"):
            state.pop({"22": "1", "23": "3", "24": "4", "27": "7"}[code], None)
        elif code.isdigit() and (30 <= int(code) <= 37 or 90 <= int(code) <= 97):
            state["fg"] = code
        elif code.isdigit() and (40 <= int(code) <= 47 or 100 <= int(code) <= 107):
            state["bg"] = code
        else:
            state[code] = "on"
        i += 1


def line_has(line: str, text: str, at: int) -> bool:
    """True when the plain text of `line` (colours removed) has `text` starting at `at`."""
    return _SGR.sub("", line)[at:at + len(text)] == text


class TerminalError(AssertionError):
    """A wait ran out, or the app died: the message carries the last screen."""


class Terminal:
    """`sdm` running in a detached session of a private tmux server.

    `args` go to `sdm` (the chat UI without a command). The screen lock is switched off
    (`--lock-after 0`) so a slow run never meets the lock screen. `server`: the conninfo
    of a PostgreSQL store the app was pointed at (`--store postgresql://…` in `args`): the
    store the checks below read, instead of the default file.
    """

    def __init__(self, root: Path, width: int = 80, height: int = 24,
                 args: Sequence[str] = (), server: str | None = None) -> None:
        assert TMUX is not None, "tmux is not installed"
        self.root = root
        #: The guide opened is for young people: its roles are named so ("Den unge").
        self.young = False
        self.width, self.height = width, height
        self.args = ["--lock-after", "0", *args]
        self.server = server
        self.socket = f"sdm-term-{uuid.uuid4().hex[:12]}"
        self.home = root / "home"
        self.work = root / "cwd"
        self.tmp = root / "tmp"
        for folder in (self.home, self.work, self.tmp):
            folder.mkdir(parents=True, exist_ok=True)
        self.env = {
            "HOME": str(self.home), "TMPDIR": str(self.tmp),
            "XDG_DATA_HOME": str(self.home / "data"),
            "XDG_CONFIG_HOME": str(self.home / "config"),
            "XDG_STATE_HOME": str(self.home / "state"),
            "XDG_CACHE_HOME": str(self.home / "cache"),
            "TERM": "xterm-256color", "COLORTERM": "truecolor", "TZ": "UTC",
            "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8", "PYTHONDONTWRITEBYTECODE": "1",
        }
        self._tmux_env = {k: v for k, v in os.environ.items() if k != "TMUX"}
        self._tmux_env.update(LANG="C.UTF-8", LC_ALL="C.UTF-8")
        self._started = False
        self._last = ""

    # -- the tmux server -----------------------------------------------------------------

    @property
    def store_path(self) -> Path:
        """The store file the app uses: the default one in the private data directory."""
        return self.home / "data" / "sdm-assistant" / "sessions.sqlite3"

    def tmux(self, *args: str, check: bool = True) -> str:
        assert TMUX is not None
        done = subprocess.run([TMUX, "-f", "/dev/null", "-L", self.socket, *args],
                              env=self._tmux_env, text=True, capture_output=True,
                              timeout=60, check=False)
        if check and done.returncode != 0:
            raise TerminalError(f"tmux {args[0]} failed: {done.stderr.strip()}\n"
                                f"last screen:\n{self._last}")
        return done.stdout

    def _script(self) -> Path:
        """A shell script that starts the installed `sdm` with the private environment.

        stderr is not redirected: Textual draws the UI there.
        """
        lines = ["#!/bin/sh", f"cd {shlex.quote(str(self.work))}"]
        lines += [f"export {k}={shlex.quote(v)}" for k, v in self.env.items()]
        lines.append(f"exec {shlex.quote(str(SDM))} "
                     + " ".join(shlex.quote(a) for a in self.args))
        script = self.root / f"start-sdm-{uuid.uuid4().hex[:6]}.sh"
        script.write_text("\n".join(lines) + "\n", encoding="utf-8")
        script.chmod(0o700)
        return script

    def start(self) -> Terminal:
        """Start `sdm` (again, after it quit: a new server on the same folders)."""
        if self._started:
            self.kill()
            self.socket = f"sdm-term-{uuid.uuid4().hex[:12]}"
        self.tmux("new-session", "-d", "-s", "app", "-x", str(self.width),
                  "-y", str(self.height), str(self._script()),
                  ";", "set-option", "-t", "app", "remain-on-exit", "on")
        self._started = True
        return self

    def kill(self) -> None:
        """Stop this test's tmux server (never the user's default server), and remove its
        socket file."""
        socket = self.tmux("display-message", "-p", "#{socket_path}", check=False).strip()
        self.tmux("kill-server", check=False)
        if socket.endswith(self.socket):
            with contextlib.suppress(OSError):
                Path(socket).unlink()

    def __enter__(self) -> Terminal:
        return self.start()

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.kill()

    # -- input ---------------------------------------------------------------------------

    def type(self, text: str) -> None:
        """Type `text` in one burst, as fast as a terminal delivers it (`send-keys -l`)."""
        self.tmux("send-keys", "-t", "app", "-l", "--", text)

    def type_then(self, text: str, *names: str) -> None:
        """Type `text` and press `names` in one tmux command: no pause between them, the
        race a person at a keyboard hits (a long answer, then Ctrl+S at once)."""
        self.tmux("send-keys", "-t", "app", "-l", "--", text, ";",
                  "send-keys", "-t", "app", *names)

    def keys(self, *names: str) -> None:
        """Press keys by tmux name: "Enter", "Escape", "F2", "C-s", "C-q", "BTab", "Space"."""
        self.tmux("send-keys", "-t", "app", *names)

    # -- the screen ----------------------------------------------------------------------

    def screen(self, *, colours: bool = False) -> str:
        """What the pane shows now (with -e: its colours as escape sequences)."""
        args = ["capture-pane", "-p", "-t", "app"] + (["-e"] if colours else [])
        self._last = self.tmux(*args)
        return self._last

    def dead(self) -> bool:
        """True once `sdm` has exited (the pane stays, to read its last screen)."""
        return self.tmux("display-message", "-p", "-t", "app",
                         "#{pane_dead}", check=False).strip() == "1"

    def alternate_screen(self) -> bool:
        """True while the pane is on the alternate screen (a full-screen app is drawing)."""
        return self.tmux("display-message", "-p", "-t", "app",
                         "#{alternate_on}").strip() == "1"

    def fail(self, message: str) -> TerminalError:
        return TerminalError(f"{message}\n--- the screen ({self.width}×{self.height}) "
                             f"shows ---\n{self._last}\n--- end of screen ---")

    def wait_until(self, check: Callable[[str], bool], what: str,
                   timeout: float = STEP_TIMEOUT) -> str:
        """Poll the screen until `check(screen)` holds; returns that screen.

        On timeout, or if the app exits first, fails with `what` and the last screen.
        """
        deadline = time.monotonic() + timeout
        polls = 0
        while True:
            screen = self.screen()
            if check(screen):
                return screen
            polls += 1
            if polls % 10 == 0 and self.dead():
                self.screen()
                raise self.fail(f"sdm exited while waiting for {what}")
            if time.monotonic() > deadline:
                raise self.fail(f"timed out after {timeout:.0f} s waiting for {what}")
            time.sleep(POLL)

    def wait_for(self, text: str, timeout: float = STEP_TIMEOUT) -> str:
        """Poll until `text` is on the screen (also when wrapped over lines, as a text field
        or the chat wraps it); returns the screen."""
        return self.wait_until(lambda s: shows(s, text), repr(text), timeout)

    def wait_gone(self, text: str, timeout: float = STEP_TIMEOUT) -> str:
        """Poll until `text` is no longer on the screen."""
        return self.wait_until(lambda s: text not in s, f"{text!r} to go away", timeout)

    def wait_exit(self, timeout: float = STEP_TIMEOUT) -> None:
        """Poll until `sdm` has exited, then check it gave the terminal back."""
        deadline = time.monotonic() + timeout
        while not self.dead():
            if time.monotonic() > deadline:
                self.screen()
                raise self.fail("timed out waiting for sdm to exit")
            time.sleep(POLL)
        if self.alternate_screen():
            self.screen()
            raise self.fail("sdm exited but left the terminal on the alternate screen")

    # -- buttons, by keyboard ------------------------------------------------------------

    def look(self, text: str, *, first: bool = False) -> tuple[str, ...] | None:
        """How the first occurrence of `text` on screen is drawn: its colours and attributes
        (from `capture-pane -e`) at its last character (`first`: at its first one), to tell
        a focused button or field from the others. None if absent."""
        for line in self.screen(colours=True).splitlines():
            state: dict[str, str] = {}
            plain = ""
            i = 0
            while i < len(line):
                match = _SGR.match(line, i)
                if match:
                    _apply_sgr(state, match.group(1))
                    i = match.end()
                    continue
                plain += line[i]
                if first and plain.endswith(text[:1]) and line_has(line, text, len(plain) - 1):
                    return tuple(sorted(state.items()))
                if not first and plain.endswith(text):
                    return tuple(sorted(state.items()))
                i += 1
        return None

    def choose_button(self, name: str, buttons: Sequence[str]) -> None:
        """Press the button `name` of a dialog whose focusable widgets are `buttons`, with
        the keyboard only: Tab round the dialog once to see which look means "focused", then
        Tab to `name` and press Enter. Works whatever the dialog focuses first."""
        looks: list[tuple[str, ...] | None] = []
        for _ in buttons:
            looks.append(self.look(name))
            before = [self.look(b) for b in buttons]
            self.keys("Tab")
            self.wait_until(lambda _s, b=before: [self.look(x) for x in buttons] != b,
                            "Tab to move the focus in the dialog")
        unique = [k for k, lk in enumerate(looks) if looks.count(lk) == 1]
        if len(unique) != 1:
            self.screen()
            raise self.fail(f"cannot tell when {name!r} has the focus (looks: {looks})")
        for _ in range(unique[0]):
            before = [self.look(b) for b in buttons]
            self.keys("Tab")
            self.wait_until(lambda _s, b=before: [self.look(x) for x in buttons] != b,
                            "Tab to move the focus in the dialog")
        self.keys("Enter")

    # -- the speaker bar -----------------------------------------------------------------

    def name_of(self, role: Role) -> str:
        """A role's name on this screen: as `label`, or its young people's name ("Den unge",
        "Forældre") in a guide for young people."""
        return role_label(role, "da", young=self.young)

    def speaker(self, screen: str | None = None) -> str | None:
        """The words after the "●" in the speaker bar ("Patient", "Pårørende" ...), or None.
        Callers look for a role's name in them, so a name shown beside the role is fine."""
        for line in (screen if screen is not None else self.screen()).splitlines():
            if SPEAKER_BAR in line and ACTIVE in line:
                after = line.split(ACTIVE, 1)[1].strip()
                return re.split(r"\s{2,}", after)[0]
        return None

    def speakers_present(self, screen: str | None = None) -> list[str]:
        """Every name in the speaker bar, the active one included."""
        for line in (screen if screen is not None else self.screen()).splitlines():
            if SPEAKER_BAR in line:
                rest = line.split(SPEAKER_BAR, 1)[1].replace(ACTIVE, " ")
                return [name for name in re.split(r"\s{2,}", rest.strip()) if name]
        return []

    def set_speaker(self, role: Role) -> None:
        """Press F2, watching the speaker bar, until `role` speaks (as a person would)."""
        want = self.name_of(role)
        for _ in range(len(ROLES) + 1):
            now = self.speaker()
            if now is not None and want in now:
                return
            self.keys("F2")
            self.wait_until(lambda s, before=now: self.speaker(s) != before,
                            f"F2 to move the speaker on from {now!r}")
        raise self.fail(f"F2 never made {want!r} the speaker")

    def wait_speaker(self, role: Role, timeout: float = STEP_TIMEOUT) -> None:
        """Poll until the speaker bar shows `role` as the speaker."""
        want = self.name_of(role)
        self.wait_until(lambda s: want in (self.speaker(s) or ""),
                        f"the speaker bar to show {want!r}", timeout)

    # -- starting a conversation ---------------------------------------------------------

    def open_guide(self, guide_id: str, name: str,
                   present: Iterable[Role] | None = None) -> None:
        """From the home screen: search the guide, open it, choose who is present, give the
        session `name`, and start. Waits for the first step of the conversation."""
        from assistant.guides.search import search

        lib = library()
        guide = lib.guides[guide_id].document
        title = text_in(guide.title, "da")
        # A guide for young people names the roles as its screens do ("Den unge").
        self.young = youth(guide.audience)
        found = search(lib, title, "da")
        assert found and found[0].id == guide_id, f"searching {title!r} does not list " \
            f"{guide_id} first"
        self.wait_for(HOME_TITLE, START_TIMEOUT)
        self.type(title)
        self.wait_until(lambda s: self._first_guide(s) == title,
                        f"{title!r} first in the list of guides")
        self.keys("Enter")
        self.wait_for("Annullér")
        # Start without a name: the dialog asks for one and puts the cursor there.
        self.keys("Enter")
        self.wait_for(NEED_LABEL)
        if present is not None:
            self._choose_roles(guide_id, set(present))
        self.type(name)
        # The name in its field also shows that the focus is back there.
        self.wait_for(name)
        self.keys("Enter")
        self.wait_for(SPEAKER_BAR, START_TIMEOUT)
        if present is not None:
            wanted = [self.name_of(r) for r in ROLES if r in set(present)]
            self.wait_until(lambda s: _names_match(self.speakers_present(s), wanted),
                            f"the speaker bar to list {wanted}")

    def _first_guide(self, screen: str) -> str | None:
        """The first guide title listed below the search field, if any."""
        titles = {text_in(g.document.title, "da") for g in library().guides.values()}
        lines = screen.splitlines()
        heading = next((i for i, line in enumerate(lines) if HOME_TITLE in line), None)
        if heading is None:
            return None
        for line in lines[heading + 4:]:  # the heading, a blank line, the search field
            for title in titles:
                if title in line:
                    return title
        return None

    def _role_rows(self) -> dict[str, tuple[bool, str]]:
        """The setup dialog's role list as drawn: each visible role's name → (highlighted,
        how its tick is drawn). A tick's look (its colours) is compared only with itself, to
        see it change; the highlighted row is the bold one."""
        rows: dict[str, tuple[bool, str]] = {}
        names = [self.name_of(r) for r in ROLES]
        for line in self.screen(colours=True).splitlines():
            plain = re.sub(r"\x1b\[[0-9;]*m", "", line)
            for name in names:
                # The tick is a glyph: ☑ chosen, ☐ not (tui/widgets/toggles.py).
                found = re.search(rf"([☑☐]) {re.escape(name)}\s", plain)
                if found:
                    tick = found.group(1)
                    after = line[line.index(tick):line.index(name)]
                    rows[name] = ("\x1b[1m" in after, tick)
        return rows

    def _highlighted_role(self) -> str | None:
        return next((n for n, (lit, _tick) in self._role_rows().items() if lit), None)

    def _choose_roles(self, guide_id: str, present: set[Role]) -> None:
        """In the setup dialog, from the name field: tick exactly the roles `present`, then
        go back to the name field. Each key waits for its effect on the screen (this dialog
        is not what the tests are about)."""
        guide = library().guides[guide_id].document
        default: set[Role] = {"patient", "clinician"}
        if isinstance(guide, MeetingGuide):
            default |= {p.role for p in guide.participants if p.required}
        # Focus order: roles, language, [preparations], name. The preparations are offered
        # for a meeting whose preparation guide has sessions in the store.
        back = 2
        if isinstance(guide, MeetingGuide) and guide.preparation is not None and any(
                row.guide_id == guide.preparation for row in self.sessions()):
            back = 3
        self.keys(*["BTab"] * back)
        self.wait_until(lambda _s: self._highlighted_role() is not None,
                        "the list of roles to have the focus")
        names = [self.name_of(r) for r in ROLES]
        for role in ROLES:
            if (role in present) == (role in default):
                continue
            name = self.name_of(role)
            for _ in range(len(ROLES)):
                now = self._highlighted_role() or names[0]
                if now == name:
                    break
                self.keys("Down" if names.index(name) > names.index(now) else "Up")
                self.wait_until(lambda _s, before=now: self._highlighted_role() != before,
                                f"the highlight to move from {now!r} towards {name!r}")
            tick = self._role_rows()[name][1]
            self.keys("Space")
            self.wait_until(lambda _s, before=tick, n=name: self._role_rows().get(
                n, (False, before))[1] != before, f"{name!r} to be (un)ticked")
        # Back to the name field: its frame lights up when it has the focus.
        field = f"▊  {SETUP_LABEL[:16]}"
        unfocused = self.look(field, first=True)
        self.keys(*["Tab"] * back)
        self.wait_until(lambda _s: self.look(field, first=True) not in (unfocused, None),
                        "the name field to have the focus again")

    # -- the store -----------------------------------------------------------------------

    @contextlib.contextmanager
    def _store(self) -> Any:
        from assistant.store import Store

        if self.server is not None:
            from assistant.pgstore.store import PgStore

            with PgStore.open(self.server) as server_store:
                yield server_store
            return
        if not self.store_path.exists():
            raise self.fail(f"there is no store at {self.store_path}")
        store = Store.open(self.store_path)
        try:
            yield store
        finally:
            store.close()

    def sessions(self) -> list[Any]:
        """The stored sessions (`SessionRow`), most recently updated first."""
        if self.server is None and not self.store_path.exists():
            return []
        with self._store() as store:
            return list(store.list_sessions())

    def session(self) -> Any:
        """The most recently created session."""
        rows = self.sessions()
        if not rows:
            raise self.fail("the store holds no session")
        return max(rows, key=lambda r: r.created)

    def events(self, session_id: str) -> list[Any]:
        """Every stored event of the session, in order."""
        with self._store() as store:
            return list(store.load_events(session_id))

    def state(self, session_id: str) -> Any:
        """The session's state: its stored events replayed on its guide (`SessionState`)."""
        from assistant.service.exports import read_state

        with self._store() as store:
            return read_state(store, library(), session_id)

    def revisions(self, session_id: str) -> list[Any]:
        """The session's stored plan revisions (`Revision`), oldest first."""
        with self._store() as store:
            return list(store.list_revisions(session_id))

    def answers(self, session_id: str) -> dict[str, tuple[Role, Any]]:
        """Each answered step: (speaker, value) as the store holds them now."""
        return {step: (record.speaker, record.value)
                for step, record in self.state(session_id).answers.items()}

    def stored_answers(self, session_id: str) -> dict[str, tuple[Role, Any]]:
        """Each answered step: (speaker, value), read where the outcome lives: through
        `sdm sessions show ID --format json` where this `sdm` has it, else the Python API."""
        shown = self.shown_session(session_id)
        if shown is None:
            return self.answers(session_id)
        return {step: (record["speaker"], record["value"])
                for step, record in shown["answers"].items()}

    def wait_store(self, check: Callable[[], bool], what: str,
                   timeout: float = STEP_TIMEOUT) -> None:
        """Poll the store until `check()` holds (the app commits before it says saved)."""
        deadline = time.monotonic() + timeout
        while not check():
            if time.monotonic() > deadline:
                self.screen()
                raise self.fail(f"timed out after {timeout:.0f} s waiting for the store: "
                                f"{what}")
            time.sleep(POLL)

    # -- step by step ---------------------------------------------------------------------

    def current(self, session_id: str) -> Any:
        """The step the conversation asks now (`FlowStep`), or None at the end; as the
        store's events say, not the screen."""
        return self.state(session_id).current

    def wait_asked(self, session_id: str) -> Any:
        """Wait until the screen asks the store's current step (its question is on screen);
        returns the step, or None when the conversation is over."""
        step = self.current(session_id)
        if step is not None:
            head = prompt_head(text_in(step.step.prompt, "da"))
            self.wait_until(lambda s: shows(s, head),
                            f"the question the store says is being asked ({step.id!r}: "
                            f"{head!r}) to be visible on the screen")
        return step

    def wait_ready(self, session_id: str) -> Any:
        """Wait until the answer area below the chat is ready for the store's current step:
        its hint line is shown and, for free text, the field is empty (a new one). Returns
        the step, or None at the end. Unlike `wait_asked` this does not need the question
        itself in sight: for tests about what happens to typed keys, not about the chat."""
        step = self.current(session_id)
        if step is None:
            return None
        hint = ui(f"{step.step.type}_hint", "")
        free_text = step.step.type in ("text", "longtext")

        def ready(screen: str) -> bool:
            area = answer_area(screen)
            if hint and not shows(area, hint):
                return False
            return not free_text or field_text(area) == ""
        self.wait_until(ready, f"the answer field of {step.id!r} (hint {hint!r}, empty)")
        return step

    def wait_moved_on(self, session_id: str, step_id: str,
                      timeout: float = STEP_TIMEOUT) -> None:
        """Poll the store until the conversation has moved past `step_id`."""
        def moved() -> bool:
            step = self.current(session_id)
            return step is None or step.id != step_id
        self.wait_store(moved, f"the conversation to move on from {step_id!r}", timeout)

    def continue_info(self, session_id: str, step_id: str) -> None:
        """An information step: Enter, and wait until it counts as seen."""
        self.keys("Enter")
        self.wait_moved_on(session_id, step_id)

    def skip(self, session_id: str, step_id: str) -> None:
        """F6 skips the step asked now."""
        self.keys("F6")
        self.wait_moved_on(session_id, step_id)

    def answer_text(self, session_id: str, step_id: str, text: str,
                    save: str = "C-s") -> None:
        """Type a (short) free-text answer, wait until it shows, save it (Ctrl+S for long
        text, Enter for one line), and wait until the store has it."""
        self.type(text)
        self.wait_for(text)
        self.keys(save)
        self.wait_moved_on(session_id, step_id)

    def open_editor(self, session_id: str, step_id: str) -> None:
        """F5, pick the earlier answer to `step_id` in the list (arrow keys, Enter), and wait
        until its editor is open: the banner names its question."""
        state = self.state(session_id)
        prompts = [prompt_head(text_in(s.step.prompt, "da")) for s in state.steps
                   if s.id in state.answers]
        target = prompt_head(text_in(state.step(step_id).step.prompt, "da"))
        self.keys("F5")
        screen = self.wait_for(EDIT_PICK)
        lines = screen.splitlines()
        start = next(i for i, line in enumerate(lines) if EDIT_PICK in line)
        listed = [p for line in lines[start:] for p in prompts if p in line]
        if target not in listed:
            raise self.fail(f"the answer to {step_id!r} is not offered for editing")
        for k in range(listed.index(target)):
            before = self.look(listed[k])
            self.keys("Down")
            self.wait_until(lambda _s, b=before, p=listed[k]: self.look(p) != b,
                            "Down to move the highlight in the list of answers")
        self.keys("Enter")
        self.wait_until(lambda s: EDIT_PICK not in s and any(
            EDITING in line and target[:20] in line for line in s.splitlines()),
            f"the editor of {step_id!r} (a line '{EDITING} … {target[:20]}')")

    # -- the command line ----------------------------------------------------------------

    def sdm(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        """Run the installed `sdm` with the same private folders (and `--store`)."""
        env = {**{k: v for k, v in os.environ.items() if k != "TMUX"}, **self.env}
        done = subprocess.run([str(SDM), *args], env=env, cwd=self.work, text=True,
                              capture_output=True, timeout=180, check=False)
        if check and done.returncode != 0:
            raise AssertionError(f"sdm {' '.join(args)} exited {done.returncode}:\n"
                                 f"{done.stderr.strip()}")
        return done

    def export_json(self, session_ref: str, *extra: str) -> dict[str, Any]:
        """`sdm export REF --format json`: the plan draft as the CLI writes it."""
        out = self.sdm("export", session_ref, "--format", "json",
                       "--store", str(self.store_path), *extra).stdout
        data: dict[str, Any] = json.loads(out)
        return data

    def shown_session(self, session_id: str) -> dict[str, Any] | None:
        """`sdm sessions show ID --format json`, or None where this `sdm` has no such command."""
        done = self.sdm("sessions", "show", session_id, "--format", "json",
                        "--store", str(self.store_path), check=False)
        if done.returncode == 2 and "invalid choice" in done.stderr:
            return None  # an `sdm` from before the command existed
        if done.returncode != 0:
            raise AssertionError(f"sdm sessions show exited {done.returncode}:\n"
                                 f"{done.stderr.strip()}")
        data: dict[str, Any] = json.loads(done.stdout)
        return data


_FRAME = re.compile(r"[▊▎█│▌▐▏▕]|[▁▂▃▄▅▆▇]{2}")


def shows(screen: str, text: str) -> bool:
    """True when `text` is on `screen`, on one line or word-wrapped over several (frames,
    scroll bars and indentation between the lines are ignored)."""
    if text in screen:
        return True
    flat = " ".join(_FRAME.sub(" ", line).strip() for line in screen.splitlines())
    return " ".join(text.split()) in " ".join(flat.split())


def answer_area(screen: str) -> str:
    """The part of the chat screen below the rule under the chat log: the answer widget,
    its hint, the speaker bar and the keys."""
    lines = screen.splitlines()
    rules = [i for i, line in enumerate(lines) if line.startswith("─" * 20)]
    return "\n".join(lines[rules[-1] + 1:]) if rules else ""


def field_text(area: str) -> str | None:
    """The words inside the (first) framed text field of `area`, or None if it has none."""
    inside = [line for line in area.splitlines() if "▊" in line and "▎" in line]
    body = [line for line in inside if "▔" not in line and "▁" not in line]
    if not inside:
        return None
    return " ".join(" ".join(line.split("▊", 1)[1].rsplit("▎", 1)[0].split())
                    for line in body).strip()


def _names_match(shown: list[str], wanted: list[str]) -> bool:
    """The speaker bar lists exactly the roles `wanted`, in order (a name may stand beside
    each role)."""
    return len(shown) == len(wanted) and all(w in s for s, w in zip(shown, wanted, strict=True))


def prompt_head(text: str, width: int = 40) -> str:
    """The first words of a question, short enough to stay on one screen line."""
    head = ""
    for word in text.split():
        if len(head) + len(word) + 1 > width:
            break
        head = f"{head} {word}".strip()
    return head or text[:width]
