"""A long transcript keeps only its recent messages as widgets (issue 16): the older ones are
folded into lines that look, scroll and can be selected for editing as before."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from rich.style import Style as RichStyle
from textual.app import App, ComposeResult

from assistant.engine.transcript import answer_event
from assistant.guides.loader import Library, load_library
from assistant.service.sessions import SessionService
from assistant.store import open_store
from assistant.tui.app import make_app
from assistant.tui.messages import ResumeSession
from assistant.tui.screens.conversation import ConversationScreen
from assistant.tui.widgets.chat_log import ChatLog
from assistant.tui.widgets.chat_message import AnswerBubble, GuideMessage, Notice
from assistant.tui.widgets.folded_log import FoldedBlock

from .conftest import FakeClock
from .driver import until


class SmallLog(ChatLog):
    FOLD_AT = 12
    KEEP = 6


class LogApp(App[None]):
    """A log of `count` question/answer pairs; `fold` False keeps every message a widget."""

    AUTO_FOCUS = None  # a focused bubble is drawn otherwise: the same in both, but not here

    def __init__(self, count: int, *, fold: bool) -> None:
        super().__init__()
        self.count = count
        self.fold = fold
        self.edits: list[str] = []

    def compose(self) -> ComposeResult:
        yield (SmallLog if self.fold else ChatLog)(id="log")

    def on_mount(self) -> None:
        log = self.query_one(ChatLog)
        widgets = [Notice("— Start —")]
        for i in range(self.count):
            widgets.append(GuideMessage(f"Spørgsmål {i}: " + "lang tekst " * (i % 9),
                                        detail=["Hjælp"] if i % 3 == 0 else None,
                                        step_id=f"s{i}"))
            widgets.append(AnswerBubble(f"s{i}", "Patient", "Ja" if i % 2 else "Nej",
                                        when="09:00", skipped=i % 5 == 4))
        log.mount_all(widgets)

    def on_answer_bubble_edit_requested(self, message: AnswerBubble.EditRequested) -> None:
        self.edits.append(message.step_id)


Cell = tuple[str, object, object, bool, bool, bool]


def _cells(app: App[None]) -> list[list[Cell]]:
    """What the screen shows, cell by cell: the character, its colours and its text style (a
    blank's foreground colour shows nothing, so it is left out)."""
    rows = []
    for strip in app.screen._compositor.render_strips():
        row: list[Cell] = []
        for segment in strip:
            style = segment.style or RichStyle()
            for char in segment.text:
                row.append((char, None if char == " " else style.color, style.bgcolor,
                            bool(style.bold), bool(style.italic), bool(style.dim)))
        rows.append(row)
    return rows


def _text(app: App[None]) -> str:
    return "\n".join("".join(cell[0] for cell in row) for row in _cells(app))


async def _screens(app: LogApp, *, size: tuple[int, int] = (70, 24)) -> list[list[list[Cell]]]:
    """The screen from the top, a few rows down, and at the bottom of the log."""
    shots = []
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        await pilot.pause()
        log = app.query_one(ChatLog)
        for y in (0, 17, log.max_scroll_y):
            log.scroll_to(y=y, animate=False, immediate=True)
            await pilot.pause()
            shots.append(_cells(app))
    return shots


async def test_folded_log_looks_as_the_widgets_did() -> None:
    folded, plain = LogApp(30, fold=True), LogApp(30, fold=False)
    assert await _screens(folded) == await _screens(plain)


async def test_only_recent_messages_stay_widgets() -> None:
    """Fails if every message stays a live widget."""
    app = LogApp(30, fold=True)
    async with app.run_test(size=(70, 24)) as pilot:
        await pilot.pause()
        await pilot.pause()
        log = app.query_one(ChatLog)
        assert log.live_messages <= SmallLog.FOLD_AT
        blocks = list(log.query(FoldedBlock))
        assert blocks
        assert sum(len(b.items) for b in blocks) + log.live_messages == 61


async def test_click_on_a_folded_answer_asks_to_edit_it() -> None:
    app = LogApp(30, fold=True)
    async with app.run_test(size=(70, 24)) as pilot:
        await pilot.pause()
        await pilot.pause()
        log = app.query_one(ChatLog)
        block = log.query(FoldedBlock).first()
        item = next(i for i in block.items if i.edit_step == "s1")
        log.scroll_to_widget(block, top=True, animate=False, immediate=True)
        await pilot.pause()
        await pilot.click(offset=(block.region.x + 60, block.region.y + item.top))
        await pilot.pause()
        assert app.edits == ["s1"]


async def test_shift_tab_into_folded_answers_unfolds_them() -> None:
    app = LogApp(30, fold=True)
    async with app.run_test(size=(70, 24)) as pilot:
        await pilot.pause()
        await pilot.pause()
        log = app.query_one(ChatLog)
        live = [w for w in log.children if isinstance(w, AnswerBubble)]
        live[0].focus()
        await pilot.pause()
        await pilot.press("shift+tab")
        await pilot.pause()
        await pilot.pause()
        focused = app.focused
        assert isinstance(focused, AnswerBubble)
        # The newest answer that was folded, now a bubble again.
        assert focused.step_id == f"s{int(live[0].step_id[1:]) - 1}"
        await pilot.press("enter")
        await pilot.pause()
        assert app.edits == [focused.step_id]


async def test_a_new_width_draws_the_folded_messages_again() -> None:
    folded, plain = LogApp(30, fold=True), LogApp(30, fold=False)
    shots = []
    for app in (folded, plain):
        async with app.run_test(size=(70, 24)) as pilot:
            await pilot.pause()
            await pilot.resize_terminal(50, 24)
            await pilot.pause(SmallLog.REFOLD_DELAY + 0.2)
            await pilot.pause()
            log = app.query_one(ChatLog)
            if app.fold:
                assert all(b.fold_width == log.scrollable_content_region.width
                           for b in log.query(FoldedBlock))
                assert log.live_messages <= SmallLog.FOLD_AT
            log.scroll_to(y=5, animate=False, immediate=True)
            await pilot.pause()
            shots.append(_cells(app))
    assert shots[0] == shots[1]


# --- in a conversation ------------------------------------------------------------------------

@pytest.fixture(scope="module")
def long_library(tmp_path_factory: pytest.TempPathFactory) -> Library:
    folder = tmp_path_factory.mktemp("guides")
    steps = "\n".join(
        f"      - {{id: s{i}, type: yesno, prompt: {{da: \"Spørgsmål {i}?\", "
        f"en: \"Question {i}?\"}}}}" for i in range(140))
    (folder / "lang.yaml").write_text(f"""
id: lang-samtale
kind: meeting_guide
version: 1.0.0
title: {{da: Lang samtale, en: Long conversation}}
audience: [adult]
authors: [test]
reviewed: 2026-01-01
review_due: 2030-01-01
purpose: {{da: Test, en: Test}}
sections:
  - id: alt
    title: {{da: Alt, en: All}}
    steps:
{steps}
""", encoding="utf-8")
    library = load_library([folder], include_bundled=False)
    assert library.ok, [p.format() for p in library.errors]
    return library


async def test_resumed_long_conversation_folds_and_edits_an_old_answer(
        long_library: Library, tmp_path: Path) -> None:
    store = open_store(tmp_path / "store.sqlite3", clock=FakeClock())
    service = SessionService(store, long_library)
    guide = long_library.guides["lang-samtale"].document
    at = dt.datetime(2026, 1, 1, 9, 0, tzinfo=dt.UTC)
    opened = service.start(guide, "lang", ["patient"], "da", at=at)  # type: ignore[arg-type]
    for i in range(120):
        state = opened.session.state
        assert state.current is not None
        opened.record_applied(answer_event(state, state.current.id, i % 2 == 0, "patient",
                                           at + dt.timedelta(minutes=i)))
    session_id = opened.row.id
    opened.close()
    app = make_app(long_library, service=service, clock=FakeClock())
    try:
        async with app.run_test(size=(100, 40)) as pilot:
            await pilot.pause()
            app.on_resume_session(ResumeSession(session_id))
            await pilot.pause()
            await pilot.pause()
            screen = app.screen
            assert isinstance(screen, ConversationScreen)
            log = screen.query_one(ChatLog)
            assert log.live_messages <= ChatLog.FOLD_AT
            blocks = list(log.query(FoldedBlock))
            steps = [i.edit_step for b in blocks for i in b.items if i.edit_step]
            assert "s0" in steps
            # The oldest answer is still there to read: scrolled to the top of the log.
            log.release_anchor()
            log.scroll_home(animate=False, immediate=True)
            await pilot.pause()
            assert "Spørgsmål 0?" in _text(app)
            # ... and to edit, by a click on it.
            block = blocks[0]
            item = next(i for i in block.items if i.edit_step == "s0")
            await pilot.click(offset=(block.region.x + 40, block.region.y + item.top))
            await pilot.pause()
            assert screen.editing == "s0"
            await pilot.press("n")
            await until(pilot, lambda: screen.editing is None, "the edit to be saved")
            assert screen.state.answers["s0"].value is False
            # Folded again once the edit is redrawn (the log is rebuilt, then folded: by
            # frames, as the edit itself).
            await until(pilot, lambda: log.live_messages <= ChatLog.FOLD_AT,
                        "the log to fold again after the edit")
            # A turn goes on as before.
            await pilot.press("j")
            await until(pilot, lambda: len(screen.state.answers) == 121, "the next answer")
    finally:
        store.close()


async def test_another_theme_draws_the_folded_messages_again() -> None:
    folded, plain = LogApp(30, fold=True), LogApp(30, fold=False)
    shots = []
    for app in (folded, plain):
        async with app.run_test(size=(70, 24)) as pilot:
            await pilot.pause()
            await pilot.pause()
            app.theme = "textual-light"
            await pilot.pause()
            await pilot.pause()
            log = app.query_one(ChatLog)
            log.scroll_to(y=5, animate=False, immediate=True)
            await pilot.pause()
            if app.fold:
                assert list(log.query(FoldedBlock))
            shots.append(_cells(app))
    assert shots[0] == shots[1]
