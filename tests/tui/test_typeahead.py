"""Keys typed while the next answer field is on its way reach it (assistant/tui/typeahead.py).

A real-terminal run on a busy CI machine pressed "n" for a yes/no question as soon as it was
on the screen; the key went to the old field, which was then removed, and the conversation
never moved on."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from textual import events
from textual.app import App, ComposeResult
from textual.widgets import Input

from assistant.tui.app import SdmApp
from assistant.tui.typeahead import TypeAheadMixin
from tests.tui.driver import answer_current, start


class _Typing(TypeAheadMixin, App[None]):
    def compose(self) -> ComposeResult:
        yield Input()


async def test_held_keys_go_on_in_the_order_typed() -> None:
    app = _Typing()
    async with app.run_test() as pilot:
        field = app.query_one(Input)
        field.focus()
        await pilot.pause()
        app.hold_keys()
        await pilot.press(*"abc")
        assert field.value == ""  # held back
        app.post_message(events.Key("d", "d"))  # arrives before the release is handled
        app.call_later(app.release_keys)
        app.post_message(events.Key("e", "e"))  # arrives after
        await pilot.pause()
        assert field.value == "abcde"


async def test_held_keys_go_on_by_themselves_after_a_while() -> None:
    app = _Typing()
    async with app.run_test() as pilot:
        field = app.query_one(Input)
        field.focus()
        app.hold_keys()  # nobody releases them
        await pilot.press("x")
        await pilot.pause(1.3)
        assert field.value == "x"


async def _until(check: Callable[[], bool]) -> None:
    for _ in range(2000):
        if check():
            return
        await asyncio.sleep(0)
    raise AssertionError("never happened")


async def test_a_yes_typed_as_the_next_question_shows_answers_it(
        app_factory: Callable[..., SdmApp]) -> None:
    app = app_factory()
    async with app.run_test(size=(100, 40)) as pilot:
        screen = await start(pilot, "faelles-kriseplan")
        while screen.state.current is not None and screen.state.current.id != "en-pause":
            await answer_current(pilot, screen)
        field = screen.answer_widget()
        assert field is not None
        await pilot.press(*"En gåtur")
        # The save key, then "n" for the yes/no question that follows, typed while the text
        # is being saved and the yes/no buttons built: before they have the focus.
        app.post_message(events.Key("ctrl+s", None))
        await _until(lambda: app._held_keys is not None)
        app.post_message(events.Key("n", "n"))
        await pilot.pause()
        for _ in range(50):
            if "tale-om-sikkerhed" in screen.state.answers:
                break
            await pilot.pause(0.05)
        assert screen.state.answers["en-pause"].value == "En gåtur"
        assert screen.state.answers["tale-om-sikkerhed"].value is False


async def test_words_typed_right_after_tab_go_to_the_next_field(
        app_factory: Callable[..., SdmApp]) -> None:
    """A tasks row: what, Tab, who — the keys arriving back to back (CI once saw the who
    typed into the what: Tab moved the focus only after the next key had gone)."""
    app = app_factory()
    async with app.run_test(size=(100, 40)) as pilot:
        screen = await start(pilot, "blitzmoede")
        while screen.state.current is not None and screen.state.current.id != "opgaver":
            await answer_current(pilot, screen)
        field = screen.answer_widget()
        assert field is not None
        await pilot.pause()
        first = app.screen.focused
        assert isinstance(first, Input)
        for key, char in [("R", "R"), ("i", "i"), ("n", "n"), ("g", "g"), ("tab", None),
                          ("B", "B"), ("o", "o")]:
            app.post_message(events.Key(key, char))
        await pilot.pause()
        second = app.screen.focused
        assert isinstance(second, Input) and second is not first
        assert (first.value, second.value) == ("Ring", "Bo")
