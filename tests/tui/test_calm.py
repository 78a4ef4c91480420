"""Calm mode and high contrast: chosen in the command palette or with `sdm --calm`,
remembered between starts (the settings file), and what calm mode does in a conversation.
Also: the speaker bar names the speaker with a glyph, not colour alone."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from assistant import settings
from assistant.tui.app import SdmApp
from assistant.tui.screens.conversation import ConversationScreen
from assistant.tui.strings import t
from assistant.tui.themes import HIGH_CONTRAST
from assistant.tui.widgets.chat_log import ChatLog
from assistant.tui.widgets.chat_message import AnswerBubble, GuideMessage
from assistant.tui.widgets.speaker_bar import SpeakerBar
from assistant.wording import role_label
from tests.tui.driver import answer_current, start
from tests.tui.test_setup import plain_screen


async def _palette(pilot: Pilot[None], words: str) -> None:
    """Run the palette command whose title starts with `words`, by keyboard."""
    await pilot.press("ctrl+p")
    await pilot.pause()
    await pilot.press(*words)
    await pilot.pause(0.3)  # the palette searches in the background
    await pilot.press("enter")
    await pilot.pause()


async def test_the_palette_switches_calm_mode_and_remembers_it(
    app_factory: Callable[..., SdmApp],
) -> None:
    app = app_factory()
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        assert not app.calm and not app.has_class("-calm")
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert t("calm_on", "da") in titles and t("contrast_on", "da") in titles
        await _palette(pilot, t("calm_on", "da"))
        assert app.calm and app.has_class("-calm") and app.has_class("-one-question")
        assert app.animation_level == "none"
        assert settings.load().calm is True
        assert t("calm_off", "da") in [c.title for c in app.get_system_commands(app.screen)]

    again = app_factory()  # the next start: calm from the first screen
    async with again.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        assert again.calm and again.has_class("-calm")
        await _palette(pilot, t("calm_off", "da"))
        assert not again.calm and not again.has_class("-calm")
        assert again.animation_level == "full"
    assert settings.load().calm is False


async def test_the_palette_switches_high_contrast_and_remembers_it(
    app_factory: Callable[..., SdmApp],
) -> None:
    app = app_factory(lang="en")
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        default = app.theme
        assert default != HIGH_CONTRAST.name
        await _palette(pilot, t("contrast_on", "en"))
        assert app.theme == HIGH_CONTRAST.name
        assert settings.load().theme == "high-contrast"

    again = app_factory()
    async with again.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        assert again.theme == HIGH_CONTRAST.name
        again.action_toggle_contrast()
        await pilot.pause()
        assert again.theme == default
    assert settings.load().theme == "default"


def test_sdm_calm_starts_the_ui_in_calm_mode(monkeypatch: pytest.MonkeyPatch) -> None:
    from assistant import cli
    from assistant.tui import run

    seen: dict[str, Any] = {}

    def fake_run_app(**kwargs: Any) -> int:
        seen.update(kwargs)
        return 0

    monkeypatch.setattr(run, "run_app", fake_run_app)
    assert cli.main(["--calm"]) == 0
    assert seen["calm"] is True
    seen.clear()
    assert cli.main([]) == 0
    assert seen["calm"] is None  # as remembered


async def test_make_app_with_calm_chooses_and_remembers_it(
    app_factory: Callable[..., SdmApp],
) -> None:
    app = app_factory(calm=True)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        assert app.calm and app.has_class("-calm")
    assert settings.load().calm is True


async def test_calm_mode_asks_one_question_at_a_time_with_the_transcript_one_key_away(
    app_factory: Callable[..., SdmApp],
) -> None:
    app = app_factory(calm=True)
    async with app.run_test(size=(100, 40)) as pilot:
        screen = await start(pilot, "paaroerende-inddragelse")
        for _ in range(3):
            await answer_current(pilot, screen)
        await pilot.pause()
        assert isinstance(app.screen, ConversationScreen)
        log = screen.query_one(ChatLog)
        asked = [m for m in screen.query(GuideMessage) if m.parent is not log]
        past = list(log.query(GuideMessage)) + list(log.query(AnswerBubble))
        assert len(past) >= 5 and len(asked) == 1
        assert asked[0].display and asked[0].step_id == screen.state.current.id  # type: ignore[union-attr]
        assert not any(w.display for w in past)  # only the question asked now
        # No blinking cursor in the field that has the keyboard.
        if isinstance(app.focused, Input):
            assert app.focused.cursor_blink is False
        assert app.check_action("toggle_transcript", ()) is True

        await pilot.press("ctrl+t")  # the whole conversation again
        await pilot.pause()
        assert all(w.display for w in past)
        await pilot.press("ctrl+t")
        await pilot.pause()
        assert not any(w.display for w in past) and asked[0].display

        # The next question: the one just answered joins the hidden transcript.
        await answer_current(pilot, screen)
        await pilot.pause()
        assert not any(w.display for w in log.query(GuideMessage))
        assert not any(w.display for w in log.query(AnswerBubble))


async def test_outside_calm_mode_the_whole_conversation_shows(
    app_factory: Callable[..., SdmApp],
) -> None:
    app = app_factory()
    async with app.run_test(size=(100, 40)) as pilot:
        screen = await start(pilot, "paaroerende-inddragelse")
        for _ in range(2):
            await answer_current(pilot, screen)
        await pilot.pause()
        assert all(m.display for m in screen.query(GuideMessage))
        assert app.check_action("toggle_transcript", ()) is False  # Ctrl+T is not offered


async def test_the_speaker_is_named_by_a_glyph_not_colour_alone(
    app_factory: Callable[..., SdmApp],
) -> None:
    app = app_factory()
    async with app.run_test(size=(100, 40)) as pilot:
        screen = await start(pilot, "paaroerende-inddragelse", roles=("relative",))
        bar = screen.query_one(SpeakerBar)
        text = plain_screen(app)
        speaking = role_label(bar.role, "da")
        others = [r for r in screen.present if r != bar.role]
        line = next(line for line in text.splitlines() if speaking in line and "F2" in line)
        assert line.count("●") == 1 and f"● {speaking}" in line
        for role in others:
            assert f"● {role_label(role, 'da')}" not in line
        await pilot.press("f2")
        await pilot.pause()
        line = next(line for line in plain_screen(app).splitlines() if "F2" in line
                    and speaking in line)
        assert line.count("●") == 1 and f"● {speaking}" not in line
