"""The lock screen (issue #7): Ctrl+L, auto-lock, unlocking, and nothing recorded while locked.

Every test runs the real app with Pilot over a real store (encrypted ones with cheap key
derivation). Time is an injected monotonic clock: the tests move it and never wait.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from textual import events
from textual.pilot import Pilot
from textual.widgets import Input, Static

from assistant.engine import Answer
from assistant.guides.loader import Library, load_library
from assistant.service.sessions import SessionService
from assistant.store import Store
from assistant.tui.app import SdmApp, make_app
from assistant.tui.screens.conversation import ConversationScreen
from assistant.tui.screens.home import HomeScreen
from assistant.tui.screens.lock import LockScreen
from assistant.tui.screens.setup import Setup
from tests.privacy.conftest import CANARY, FAST_KDF, PASSPHRASE
from tests.tui.conftest import FakeClock
from tests.tui.driver import answer_current, until

GUIDE = "blitzmoede"  # info, then long text: the canary is on screen after two steps
SIZE = (100, 36)


class IdleClock:
    """A monotonic clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture(scope="module")
def library() -> Library:
    lib = load_library()
    assert lib.ok
    return lib


@pytest.fixture(params=["plain", "encrypted"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    path = tmp_path / "data" / "sessions.sqlite3"
    if request.param == "encrypted":
        opened = Store.create_encrypted(path, PASSPHRASE, kdf=FAST_KDF)
    else:
        opened = Store.open(path)
    with opened:
        yield opened


def _app(library: Library, store: Store, **kwargs: object) -> SdmApp:
    return make_app(library, clock=FakeClock(), service=SessionService(store, library),
                    **kwargs)  # type: ignore[arg-type]


def _screen_text(app: SdmApp) -> str:
    """What the terminal shows now (the SVG export holds every visible character)."""
    return app.export_screenshot().replace("&#160;", " ")


async def _conversation_with_canary(pilot: Pilot[None], app: SdmApp) -> ConversationScreen:
    """Start the blitz meeting and answer its first question with the canary."""
    guide = app.library.guides[GUIDE].document
    screen = app.start_conversation(Setup(guide, ["patient", "clinician"], "da", "AB"))
    assert screen is not None
    await pilot.pause()
    while screen.state.current is not None and screen.state.current.step.type != "longtext":
        await answer_current(pilot, screen)
    assert screen.state.current is not None
    step = screen.state.current.id
    await pilot.press(*CANARY, "ctrl+s")
    await until(pilot, lambda: step in screen.state.answers, "the answer to be saved")
    assert screen.state.answers[step].value == CANARY
    assert CANARY in _screen_text(app)  # the check below can see it
    return screen


async def _move_mouse(pilot: Pilot[None]) -> None:
    """A mouse move the way the terminal driver delivers it: to the app, not to a widget
    (Pilot's own `hover` forwards straight to the screen)."""
    app = pilot.app
    assert app._driver is not None
    move = events.MouseMove(None, 3, 3, 1, 0, 0, False, False, False, screen_x=3, screen_y=3)
    move.set_sender(app)
    app._driver.send_message(move)
    await pilot.pause()


def _events(store: Store, screen: ConversationScreen) -> int:
    rows = store.list_sessions()
    assert len(rows) == 1
    return len(store.load_events(rows[0].id)) if store.key_loaded or not store.encrypted else -1


async def test_ctrl_l_covers_everything_and_pauses_recording(library: Library, store: Store) -> None:
    app = _app(library, store)
    async with app.run_test(size=SIZE) as pilot:
        conversation = await _conversation_with_canary(pilot, app)
        recorded = _events(store, conversation)
        await pilot.press("ctrl+l")
        await pilot.pause()
        assert isinstance(app.screen, LockScreen) and app.locked
        shown = _screen_text(app)
        assert CANARY not in shown and "AB" not in shown
        assert "Skærmen er låst" in shown and "sdm-assistant" in shown
        assert ("Krypteret" if store.encrypted else "Ikke krypteret") in shown
        assert not store.key_loaded  # an encrypted store's key is put away
        assert all(opened.paused for opened in app.open_sessions)

        # Keys go to the lock screen, never to the conversation below it.
        await pilot.press("f4", "f6", *"hemmeligt")
        await pilot.pause()
        assert conversation.state.current is not None
        waiting = conversation.state.current.id
        answered = dict(conversation.state.answers)
        assert waiting not in answered

        # An event that reaches the recorder anyway fails loudly in the UI, records nothing.
        event = Answer(step=waiting, value="ro", speaker="patient",
                       at=dt.datetime(2026, 11, 23, 9, 30, tzinfo=dt.UTC))
        assert conversation._commit(event) is None
        errors = " ".join(str(w.render()) for w in conversation.query(".error"))
        assert "Svaret kunne ikke gemmes" in errors  # said on the conversation's own screen
        assert conversation.state.current.id == waiting
        assert dict(conversation.state.answers) == answered

        # Command palette: not over the lock screen (its commands reach the screens below).
        assert app.check_action("command_palette", ()) is False

        if store.encrypted:
            await pilot.press("enter")  # "hemmeligt", typed above, is the wrong passphrase
            await pilot.app.workers.wait_for_complete()
            await pilot.pause()
            assert app.locked and not store.key_loaded
            await pilot.press(*PASSPHRASE, "enter")
            await pilot.app.workers.wait_for_complete()
        else:
            await pilot.press("enter")
        await pilot.pause()
        assert app.screen is conversation and not app.locked
        assert not any(opened.paused for opened in app.open_sessions)
        assert _events(store, conversation) == recorded  # nothing recorded while locked
        assert conversation.state.current.step.type == "longtext"
        await pilot.press(*"ro og hvile", "ctrl+s")
        await until(pilot, lambda: _events(store, conversation) > recorded, "the answer")
        assert _events(store, conversation) == recorded + 1  # recording works again


async def test_wrong_then_right_passphrase(library: Library, tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "enc.sqlite3"
    threads: list[str] = []
    real_unlock = Store.unlock

    def unlock(self: Store, passphrase: str) -> None:
        threads.append(threading.current_thread().name)
        real_unlock(self, passphrase)

    monkeypatch.setattr(Store, "unlock", unlock)
    with Store.create_encrypted(path, PASSPHRASE, kdf=FAST_KDF) as store:
        app = _app(library, store)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            app.action_lock()
            await pilot.pause()
            lock = app.screen
            assert isinstance(lock, LockScreen) and not store.key_loaded
            field = lock.query_one("#passphrase", Input)
            assert field.password and field.has_focus

            await pilot.press(*"not the passphrase", "enter")
            assert field.value == ""  # never kept in the field
            await app.workers.wait_for_complete()
            await pilot.pause()
            assert app.screen is lock and not store.key_loaded
            status = str(lock.query_one("#lock-status", Static).render())
            assert "passer ikke" in status and "Traceback" not in _screen_text(app)
            assert field.has_focus and not field.disabled

            await pilot.press(*PASSPHRASE, "enter")
            await app.workers.wait_for_complete()
            await pilot.pause()
            assert isinstance(app.screen, HomeScreen) and store.key_loaded
    main = threading.main_thread().name
    assert len(threads) == 2 and main not in threads  # the KDF never ran on the UI thread


async def test_unencrypted_lock_is_a_key_press(library: Library, tmp_path: Path) -> None:
    with Store.open(tmp_path / "plain.sqlite3") as store:
        app = _app(library, store)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press("ctrl+l")
            await pilot.pause()
            assert isinstance(app.screen, LockScreen)
            assert not app.screen.query(Input)  # nothing to type
            assert "Tryk Enter for at låse op" in _screen_text(app)
            await pilot.press("ctrl+l")  # locking twice stacks nothing
            await pilot.pause()
            assert sum(isinstance(s, LockScreen) for s in app.screen_stack) == 1
            await pilot.press("enter")
            await pilot.pause()
            assert isinstance(app.screen, HomeScreen)


async def test_auto_lock_after_inactivity(library: Library, tmp_path: Path) -> None:
    clock = IdleClock()
    with Store.open(tmp_path / "plain.sqlite3") as store:
        app = _app(library, store, lock_after=dt.timedelta(minutes=5), idle_clock=clock)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            assert app.idle_timer is not None  # a Textual interval timer does the checking
            clock.now += 4 * 60 + 59
            app.lock_if_idle()
            assert not app.locked
            await pilot.press("down")  # activity: the five minutes start again
            clock.now += 4 * 60
            app.lock_if_idle()
            assert not app.locked
            await _move_mouse(pilot)  # the mouse counts too
            clock.now += 4 * 60 + 59
            app.lock_if_idle()
            assert not app.locked
            clock.now += 1
            app.lock_if_idle()
            await pilot.pause()
            assert isinstance(app.screen, LockScreen)
            await pilot.press("enter")
            await pilot.pause()
            assert not app.locked
            clock.now += 60  # unlocking is activity: a fresh five minutes
            app.lock_if_idle()
            assert not app.locked


async def test_auto_lock_off(library: Library, tmp_path: Path) -> None:
    clock = IdleClock()
    app = _app(library, Store.open(tmp_path / "s.sqlite3"), lock_after=None, idle_clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.idle_timer is None
        clock.now += 24 * 3600
        app.lock_if_idle()
        assert not app.locked


async def test_encryption_indicator(library: Library, store: Store) -> None:
    app = _app(library, store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        badge = str(app.screen.query_one("#store-encryption", Static).render())
        if store.encrypted:
            assert badge == "Krypteret"
        else:
            assert badge.startswith("Ikke krypteret — data på denne maskine er ikke krypteret")


async def test_no_indicator_without_a_store(library: Library, tmp_path: Path) -> None:
    # The app always has a store; the lock screen given none says nothing about encryption.
    app = _app(library, Store.open(tmp_path / "s.sqlite3"))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await app.push_screen(LockScreen("da"))
        await pilot.pause()
        assert isinstance(app.screen, LockScreen)
        assert not app.screen.query("#store-encryption")


async def test_lock_is_in_the_command_palette(library: Library, tmp_path: Path) -> None:
    for lang, title in (("da", "Lås skærmen"), ("en", "Lock screen")):
        app = make_app(library, lang=lang, clock=FakeClock(),  # type: ignore[arg-type]
                       service=SessionService(Store.open(tmp_path / lang / "s.sqlite3"),
                                              library))
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            commands = {c.title: c for c in app.get_system_commands(app.screen)}
            assert title in commands
            commands[title].callback()
            await pilot.pause()
            assert isinstance(app.screen, LockScreen)
