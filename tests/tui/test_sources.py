"""The sources view: F9 in the chat lists what the guide and the built-in questions rest on;
Esc closes it and the conversation goes on where it was."""

from __future__ import annotations

from collections.abc import Callable

from textual.widgets import Static

from assistant.guides.flow import BUILTIN_SOURCES
from assistant.guides.models import text_in
from assistant.tui.app import SdmApp
from assistant.tui.dialogs.sources import SourcesDialog
from assistant.tui.screens.conversation import ConversationScreen
from tests.tui.driver import answer_current, start


def _shown(dialog: SourcesDialog) -> str:
    return "\n".join(str(w.render()) for w in dialog.query(Static))


async def test_f9_opens_the_sources_and_esc_closes_them(
    app_factory: Callable[..., SdmApp],
) -> None:
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await start(pilot, "forhaandstilkendegivelse")
        await answer_current(pilot, screen)  # the welcome
        current = screen.state.current
        await pilot.press("f9")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, SourcesDialog)
        shown = _shown(dialog)
        guide = screen.session.guide
        assert text_in(guide.title, "da") in shown
        assert "Det, guiden bygger på" in shown
        for source in guide.sources:
            assert source.citation[:40] in shown.replace("\n", " "), source.id
        # The built-in questions' references, said nowhere in the patient's prompts.
        assert "Det, de faste spørgsmål bygger på" in shown
        for builtin in BUILTIN_SOURCES:
            assert text_in(builtin.about, "da") in shown
        assert "Degner" in shown and "Légaré" in shown and "O'Connor" in shown
        assert "001_4e62c2f7fc255890" in shown
        # Pressed again, F9 does not stack a second dialog.
        await pilot.press("f9")
        await pilot.pause()
        assert sum(isinstance(s, SourcesDialog) for s in app.screen_stack) == 1
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen
        assert screen.state.current == current  # nothing was answered or skipped


async def test_the_close_button_closes_and_english_has_english_words(
    app_factory: Callable[..., SdmApp],
) -> None:
    app = app_factory(lang="en")
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await start(pilot, "forhaandstilkendegivelse")
        await pilot.press("f9")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, SourcesDialog)
        shown = _shown(dialog)
        assert "What this guide is based on" in shown
        assert "How you prefer the decision to be made" in shown
        assert "Det, guiden bygger på" not in shown
        await pilot.click("#close")
        await pilot.pause()
        assert app.screen is screen


async def test_a_meeting_guide_lists_its_own_sources_only(
    app_factory: Callable[..., SdmApp],
) -> None:
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await start(pilot, "netvaerksmoede")
        assert isinstance(screen, ConversationScreen)
        await pilot.press("f9")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, SourcesDialog)
        shown = _shown(dialog)
        assert "seed 001_4e62c2f7fc255890" in shown  # the guide's own sources, as cited
        assert "Det, de faste spørgsmål bygger på" not in shown  # no built-in steps asked
        assert "Degner" not in shown
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen


async def test_f9_works_while_a_long_text_field_has_the_focus(
    app_factory: Callable[..., SdmApp],
) -> None:
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await start(pilot, "forberedelse-med-peer")
        for _ in range(10):  # to the first question answered in the patient's own words
            current = screen.state.current
            assert current is not None
            if current.step.type == "longtext":
                break
            await answer_current(pilot, screen)
        await pilot.pause()
        await pilot.press("f9")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, SourcesDialog)
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen
