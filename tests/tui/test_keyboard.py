"""Keyboard first: the home screen's lists (arrows within, Tab between, Enter resumes) and
the review's field marker (Up/Down move it, scrolling follows, the footer says so)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from textual.widgets import Input, OptionList
from textual.widgets._footer import FooterKey

from assistant.guides.loader import Library
from assistant.tui.app import SdmApp
from assistant.tui.screens.conversation import ConversationScreen
from assistant.tui.screens.review import FieldCard, ReviewScreen
from assistant.tui.widgets.key_footer import KeyFooter
from tests.tui.conftest import temporary_service
from tests.tui.driver import answer_current, start
from tests.tui.test_layout import SMALL, _stored_sessions


async def test_down_reaches_the_fourth_session_and_enter_resumes_it(
        app_factory: Callable[..., SdmApp], library: Library, tmp_path: Path) -> None:
    service = temporary_service(library, tmp_path / "home")
    _stored_sessions(service, library, 4)
    app = app_factory(service=service)
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen.focused, Input)  # the search first
        await pilot.press("tab")
        sessions = screen.query_one("#sessions", OptionList)
        assert screen.focused is sessions
        sessions.highlighted = 0
        await pilot.press("down", "down", "down")
        await pilot.pause()
        assert screen.focused is sessions  # Down stays in the list
        assert sessions.highlighted == 3
        await pilot.press("down", "up")  # past the end it wraps, within the list
        assert screen.focused is sessions and sessions.highlighted == 3
        wanted = str(sessions.get_option_at_index(3).id)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ConversationScreen)
        assert app.open_sessions[-1].row.id == wanted  # resumed, not a new conversation
    service.store.close()


async def test_tab_moves_between_search_sessions_and_library(
        app_factory: Callable[..., SdmApp], library: Library, tmp_path: Path) -> None:
    service = temporary_service(library, tmp_path / "home")
    _stored_sessions(service, library, 2)
    app = app_factory(service=service)
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        screen = app.screen
        order = ["search", "sessions", "guides", "search"]
        for name in order[1:]:
            await pilot.press("tab")
            assert screen.focused is not None and screen.focused.id == name
        await pilot.press("shift+tab")
        assert screen.focused is not None and screen.focused.id == "guides"
        # Down in the search goes to the library's results; Down there moves within them.
        screen.query_one("#search").focus()
        await pilot.press("down")
        guides = screen.query_one("#guides", OptionList)
        assert screen.focused is guides
        await pilot.press("down")
        assert guides.highlighted == 1 and screen.focused is guides
        assert "Tab" in [k.key_display for k in screen.query_one(KeyFooter).query(FooterKey)]
    service.store.close()


async def test_tab_without_sessions_moves_between_search_and_library(
        app_factory: Callable[..., SdmApp]) -> None:
    app = app_factory()
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        await pilot.press("tab")
        assert app.screen.focused is not None and app.screen.focused.id == "guides"
        await pilot.press("tab")
        assert app.screen.focused is not None and app.screen.focused.id == "search"


async def test_review_up_down_move_the_field_marker_and_scrolling_follows(
        app_factory: Callable[..., SdmApp]) -> None:
    app = app_factory()
    async with app.run_test(size=SMALL) as pilot:
        screen = await start(pilot, "ua-kp-grundoplysninger")
        while screen.state.current is not None and screen.state.current.id != "needs_social":
            await answer_current(pilot, screen)
        await pilot.press("f8")
        await pilot.pause(0.1)
        review = app.screen
        assert isinstance(review, ReviewScreen)
        cards = list(review.query(FieldCard))
        assert len(cards) > 6
        assert review.focused is cards[0]
        fields = review.query_one("#fields")
        for index in range(1, len(cards)):
            await pilot.press("down")
            await pilot.pause()
            await pilot.pause()
            assert review.focused is cards[index], index
            # The marked field is in view: scrolling followed the marker.
            assert fields.region.overlaps(cards[index].region), index
        assert fields.scroll_y > 0
        await pilot.press("up")
        await pilot.pause()
        assert review.focused is cards[-2]
        # The footer says so.
        keys = {k.key_display for k in review.query_one(KeyFooter).query(FooterKey)}
        assert "↑↓" in keys
