"""Every screen at 80×24: the question and its answer field in view, the transcript
scrolling by keys, the comparison stacking when narrow, the library's share of the home
screen, and footers that shorten rather than cut."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from textual.geometry import Region
from textual.widget import Widget
from textual.widgets import OptionList, TextArea

from assistant.guides.loader import Library
from assistant.service.sessions import SessionService
from assistant.tui.app import SdmApp
from assistant.tui.screens.conversation import ConversationScreen
from assistant.tui.widgets.key_footer import FooterItem, KeyFooter, fit_keys
from assistant.tui.widgets.option_grid import OptionGrid
from tests.tui.conftest import T0
from tests.tui.driver import answer_current, start, until

SMALL = (80, 24)


def _whole_in_view(widget: Widget, screen_region: Region) -> bool:
    """True when `widget` lies inside the screen and shows all it holds (nothing scrolled
    away or cut off)."""
    region = widget.region
    return (bool(region) and screen_region.contains_region(region)
            and widget.virtual_size.height + widget.gutter.height <= region.height)


def _question_in_view(screen: ConversationScreen) -> None:
    question = screen.query_one("#question")
    answer = screen.query_one("#answer")
    footer = screen.query_one(KeyFooter)
    assert question.children, "the question is shown apart from the transcript"
    assert _whole_in_view(question, screen.region), (question.region, question.virtual_size)
    assert screen.region.contains_region(answer.region)
    assert answer.region.bottom <= footer.region.y
    # The answer field's focus is visible: the focused widget sits inside the answer area.
    focused = screen.focused
    assert focused is not None and answer in focused.ancestors_with_self


async def test_each_question_is_whole_in_view_at_80x24(app_factory: Callable[..., SdmApp]) -> None:
    app = app_factory()
    async with app.run_test(size=SMALL) as pilot:
        screen = await start(pilot, "paaroerende-inddragelse")
        asked = 0
        while screen.state.current is not None and screen.state.current.id != "sure_sure":
            # The rows are shared out once the new question is laid out (a frame or two).
            await until(pilot, lambda: _whole_in_view(screen.query_one("#question"),
                                                      screen.region),
                        "the new question to be laid out whole", tries=20)
            _question_in_view(screen)
            asked += 1
            await answer_current(pilot, screen)
        assert asked >= 10  # a long transcript above by the end


async def test_a_long_question_wraps_and_the_answer_field_gives_way(
        app_factory: Callable[..., SdmApp]) -> None:
    """A tall question (prompt, help, detail) at 80×24 is whole; the answer area shrinks."""
    app = app_factory()
    async with app.run_test(size=SMALL) as pilot:
        screen = await start(pilot, "paaroerende-inddragelse")
        while screen.state.current is not None and screen.state.current.id != "decision_role":
            await answer_current(pilot, screen)
        await until(pilot, lambda: _whole_in_view(screen.query_one("#question"), screen.region),
                    "the question to be laid out whole", tries=20)
        _question_in_view(screen)
        assert screen.query_one("#question").region.height >= 3  # wrapped, not cut to a line


async def test_page_keys_scroll_the_transcript_while_the_answer_keeps_the_keyboard(
        app_factory: Callable[..., SdmApp]) -> None:
    app = app_factory()
    async with app.run_test(size=SMALL) as pilot:
        screen = await start(pilot, "paaroerende-inddragelse")
        while screen.state.current is not None and screen.state.current.id != "choice":
            if screen.state.current.id == "information_level":
                await pilot.press("3")
                await pilot.pause()
                continue
            await answer_current(pilot, screen)
        await pilot.pause()
        log = screen.query_one("#log")
        focused = screen.focused
        assert isinstance(focused, OptionList)
        bottom = log.scroll_y
        assert bottom > 0
        await pilot.press("pageup")
        await pilot.pause()
        assert log.scroll_y < bottom
        assert screen.focused is focused
        assert focused.highlighted == 0  # the list did not page its options
        paged = log.scroll_y
        await pilot.press("shift+up")
        await pilot.pause()
        assert log.scroll_y < paged
        await pilot.press("ctrl+up")
        await pilot.pause()
        up = log.scroll_y
        await pilot.press("shift+down", "pagedown", "pagedown", "pagedown")
        await pilot.pause()
        assert log.scroll_y > up
        assert screen.focused is focused
        # Scrolled up, the options table (comparison) can be reached again by keys.
        # A page is the transcript's height, a few rows at 80×24: as many as it takes.
        for _ in range(300):
            if log.scroll_y == 0:
                break
            await pilot.press("pageup")
        assert log.scroll_y == 0 and screen.query(OptionGrid)  # the table is back in reach
        assert screen.focused is focused


async def test_shift_up_selects_in_a_multi_line_field_and_pageup_still_scrolls(
        app_factory: Callable[..., SdmApp]) -> None:
    app = app_factory()
    async with app.run_test(size=SMALL) as pilot:
        screen = await start(pilot, "blitzmoede")
        while screen.state.current is not None and screen.state.current.step.type != "longtext":
            await answer_current(pilot, screen)
        await answer_current(pilot, screen)  # one long text answered: a transcript above
        while screen.state.current is not None and screen.state.current.step.type != "longtext":
            await answer_current(pilot, screen)
        await pilot.pause()
        area = screen.focused
        assert isinstance(area, TextArea)
        await pilot.press(*"ab", "enter", *"cd")
        log = screen.query_one("#log")
        before = log.scroll_y
        await pilot.press("shift+up")
        await pilot.pause()
        assert area.selected_text  # Shift+Up selected, as in any editor
        assert log.scroll_y == before
        await pilot.press("pageup")
        await pilot.pause()
        assert log.scroll_y < before or before == 0
        assert screen.focused is area


async def test_the_comparison_stacks_at_80_columns_and_is_a_table_at_160(
        app_factory: Callable[..., SdmApp]) -> None:
    for width, stacked in ((80, True), (160, False)):
        app = app_factory()
        async with app.run_test(size=(width, 40)) as pilot:
            screen = await start(pilot, "paaroerende-inddragelse")
            while screen.state.current is not None \
                    and screen.state.current.id != "options_overview":
                await answer_current(pilot, screen)
            await pilot.pause()
            grid = screen.query_one(OptionGrid)
            assert grid.stacked is stacked, width
            assert bool(grid.query(".card")) is stacked
            if not stacked:
                assert grid.content_size.width // len(grid._aid.options) >= OptionGrid.MIN_COLUMN
            # Resized, it switches.
            await pilot.resize_terminal(160 if stacked else 80, 40)
            await pilot.pause()
            await pilot.pause()
            assert grid.stacked is not stacked


def _stored_sessions(service: SessionService, library: Library, count: int) -> list[str]:
    guides = ["paaroerende-inddragelse", "valg-af-kontaktperson", "forhaandstilkendegivelse",
              "beroligende-metoder", "netvaerksmoede", "kortvarig-indlaeggelse"]
    ids = []
    for number in range(count):
        opened = service.start(library.guides[guides[number]].document,  # type: ignore[arg-type]
                               f"P{number + 1}", ["patient", "clinician"], "da",
                               at=T0 + dt.timedelta(minutes=number))
        ids.append(opened.row.id)
        opened.close()
    return ids


async def test_the_library_keeps_at_least_half_the_home_screen(
        app_factory: Callable[..., SdmApp], library: Library, tmp_path) -> None:
    from tests.tui.conftest import temporary_service

    service = temporary_service(library, tmp_path / "home")
    _stored_sessions(service, library, 6)
    app = app_factory(service=service)
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        guides = app.screen.query_one("#guides", OptionList)
        sessions = app.screen.query_one("#sessions", OptionList)
        assert guides.outer_size.height >= sessions.outer_size.height
        assert guides.scrollable_content_region.height >= 4  # two guides at least
        assert sessions.max_scroll_y > 0  # the session list scrolls
        assert app.screen.region.contains_region(guides.region)
    service.store.close()


async def test_footers_shorten_labels_rather_than_cut_them(
        app_factory: Callable[..., SdmApp]) -> None:
    from textual.widgets._footer import FooterKey

    app = app_factory()
    async with app.run_test(size=SMALL) as pilot:
        screen = await start(pilot, "ua-kp-grundoplysninger")
        while screen.state.current is not None and screen.state.current.id != "needs_social":
            await answer_current(pilot, screen)
        for keys in ((), ("f8",)):
            await pilot.press(*keys)
            await pilot.pause(0.1)
            footer = app.screen.query_one(KeyFooter)
            shown = list(footer.query(FooterKey))
            assert shown
            for key in shown:
                assert footer.region.contains_region(key.region), (key.description, key.region)
                assert key.region.width >= len(key.key_display) + len(key.description) + 1
            assert "help" in {key.action for key in shown}  # F1 lists all the others


def test_fit_keys_prefers_full_labels_then_short_ones_then_fewer_keys() -> None:
    items = [FooterItem(k, k, d, a, True, "", s) for k, d, a, s in (
        ("f2", "Skift taler", "next_speaker", "Taler"), ("f4", "Fortryd", "undo", "Fortryd"),
        ("f1", "Hjælp", "help", "Hjælp"))]
    assert not fit_keys(items, 200, palette=True).compact
    assert fit_keys(items, 200, palette=True).palette
    narrow = fit_keys(items, 30, palette=True)
    assert narrow.short and narrow.items == tuple(items)
    tiny = fit_keys(items, 10, palette=True)
    assert [i.action for i in tiny.items] == ["help"] and not tiny.palette


async def test_a_large_terminal_grows_the_screens_without_gaps(
        app_factory: Callable[..., SdmApp]) -> None:
    """At 200×60 (issue 15, item 1: "grows gracefully to 200×60"): the home screen's lists
    use the width, each question is whole in view above its field, and the footer has room
    for every key's full label."""
    from textual.widgets._footer import FooterKey

    app = app_factory()
    async with app.run_test(size=(200, 60)) as pilot:
        await pilot.pause()
        guides = app.screen.query_one("#guides", OptionList)
        assert guides.region.width >= 100 and guides.region.height >= 20
        screen = await start(pilot, "paaroerende-inddragelse")
        for _ in range(5):
            await until(pilot, lambda: _whole_in_view(screen.query_one("#question"),
                                                      screen.region),
                        "the new question to be laid out whole", tries=20)
            _question_in_view(screen)
            # The transcript gets the height the question and its field do not need.
            log = screen.query_one("#log")
            assert log.region.height >= 60 // 3
            await answer_current(pilot, screen)
        footer = screen.query_one(KeyFooter)
        shown = list(footer.query(FooterKey))
        assert shown and all(footer.region.contains_region(k.region) for k in shown)
        fit = footer.current_fit()
        assert not fit.short and not fit.compact and fit.palette  # every label in full
        assert len(fit.items) == len(footer._items())  # no key left out
