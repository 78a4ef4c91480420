"""Pilot tests: every kind of guide, start to finish, with the keyboard alone."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from textual.widgets import OptionList

from assistant.engine.values import plain
from assistant.guides.flow import flow
from assistant.guides.loader import load_library
from assistant.guides.models import STEP_TYPES, DecisionAid, MeetingGuide
from assistant.tui.app import SdmApp
from assistant.tui.screens.review import ReviewScreen
from assistant.tui.screens.summary import SummaryScreen
from assistant.tui.widgets.chat_message import AnswerBubble
from assistant.tui.widgets.speaker_bar import SpeakerBar
from tests.tui.driver import answer_current, answer_step, start, until

#: One keyboard run per kind of guide, together covering every step type (a new kind or type
#: fails `test_the_keyboard_runs_cover_every_kind_and_step_type` until a guide is added here).
#: Every bundled guide is still walked to its end by `sdm replay` (tests/cli/test_replay.py);
#: a keyboard run costs seconds, so it is spent where the UI differs.
KEYBOARD_GUIDES = [
    "forhaandstilkendegivelse",  # decision aid: scale, multi, yesno, people; a kriseplan
    "beroligende-metoder-unge",  # decision aid for young people
    "netvaerksmoede",  # network meeting: date, tasks, text, single, yesno, info; the UA
    "tryghedsplan-grundoplysninger",  # young people's plan meeting (tryghedsplan)
    "blitzmoede",  # blitz meeting
    "forberedelse-med-peer",  # preparation with a peer worker
    "overgang-til-voksen",  # network meeting across the move from child to adult services
]


def _kind(guide: object) -> tuple[str, ...]:
    audience = tuple(sorted(getattr(guide, "audience", ())))
    if isinstance(guide, MeetingGuide):
        return ("meeting", guide.meeting_type, *audience)
    return ("decision", *audience)


def test_the_keyboard_runs_cover_every_kind_and_step_type() -> None:
    guides = {gid: loaded.document for gid, loaded in load_library().guides.items()
              if isinstance(loaded.document, (DecisionAid, MeetingGuide))}
    chosen = [guides[gid] for gid in KEYBOARD_GUIDES]
    assert {_kind(g) for g in guides.values()} - {_kind(g) for g in chosen} == set()
    asked = {item.step.type for g in chosen for item in flow(g)}
    assert set(STEP_TYPES) - asked == set(), "add a guide that asks this type"


def _normalise(value: object) -> object:
    if isinstance(value, list):
        return [{k: v for k, v in item.items() if v is not None} if isinstance(item, dict) else item
                for item in value]
    return value


@pytest.mark.parametrize("guide_id", KEYBOARD_GUIDES)
async def test_every_kind_of_guide_end_to_end_with_the_keyboard(
    app_factory: Callable[..., SdmApp], guide_id: str
) -> None:
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await start(pilot, guide_id, roles=("relative",))
        expected: dict[str, tuple[object, str]] = {}
        skipped: set[str] = set()
        did_undo = did_skip = did_edit = False
        for turn in range(300):
            state = screen.state
            if state.current is None:
                break
            current = state.current
            if turn % 4 == 3:
                await pilot.press("f2")  # someone else speaks now
            speaker = screen.query_one(SpeakerBar).role
            if not did_skip and current.id in state.skippable:
                await pilot.press("f6")
                await pilot.pause()
                skipped.add(current.id)
                did_skip = True
                continue
            value = await answer_current(pilot, screen)
            await pilot.pause()
            if value is not None:
                expected[current.id] = (value, speaker)
                assert current.id in screen.state.answers, (current.id, current.step.type)
                if not did_undo:
                    await pilot.press("f4")
                    await until(pilot, lambda step=current.id: step not in screen.state.answers,
                                "the undo")
                    assert screen.state.current is not None
                    assert screen.state.current.id == current.id
                    did_undo = True
                    del expected[current.id]
                elif not did_edit and len(expected) >= 2:
                    # Edit the earliest answer: F5, Enter on the first row, a new answer.
                    await pilot.press("f5")
                    await pilot.pause()
                    await pilot.press("enter")
                    await pilot.pause()
                    editing = screen.editing
                    assert editing is not None
                    step = screen.state.step(editing).step
                    speaker = screen.query_one(SpeakerBar).role
                    value = await answer_step(pilot, step, text="Rettet svar")
                    await until(pilot, lambda: screen.editing is None, "the edit to be saved")
                    assert screen.state.answers[editing].edited
                    expected[editing] = (value, speaker)
                    did_edit = True
        else:
            raise AssertionError("the conversation did not finish")
        await pilot.pause()
        # The end shows the plan draft to review (or, for a guide without a plan and for a
        # preparation, the summary); the draft has a line for the answers that fill it.
        guide = screen.session.guide
        if screen.plans and getattr(guide, "meeting_type", None) != "preparation":
            review = app.screen
            assert isinstance(review, ReviewScreen)
            filling = {line.step for f in review.draft.fields for line in f.lines}
            assert filling and filling <= set(screen.state.answers)
        else:
            assert isinstance(app.screen, SummaryScreen)
        answers = screen.state.answers
        assert did_undo and did_edit
        got = {sid: (_normalise(plain(r.value)), r.speaker) for sid, r in answers.items()}
        want = {sid: (_normalise(v), s) for sid, (v, s) in expected.items()}
        assert got == want
        assert skipped <= set(screen.state.skipped)


async def test_edit_an_earlier_answer_by_keyboard(app_factory: Callable[..., SdmApp]) -> None:
    app = app_factory()
    async with app.run_test(size=(100, 40)) as pilot:
        screen = await start(pilot, "paaroerende-inddragelse")
        await answer_current(pilot, screen)          # welcome
        await answer_current(pilot, screen)          # information level: a_little
        await answer_current(pilot, screen)          # decision role
        assert screen.state.information_level == "a_little"
        await pilot.press("f5")
        await pilot.pause()
        picker = app.screen.query_one(OptionList)
        assert picker.get_option_at_index(0).id == "information_level"
        await pilot.press("enter")
        await pilot.pause()
        assert screen.editing == "information_level"
        await pilot.press("3")                        # everything
        await pilot.pause()
        assert screen.editing is None
        assert screen.state.information_level == "everything"
        record = screen.state.answers["information_level"]
        assert record.edited and record.value == "everything"
        bubbles = [b for b in screen.query(AnswerBubble) if b.step_id == "information_level"]
        assert len(bubbles) == 1


async def test_edit_by_selecting_a_bubble(app_factory: Callable[..., SdmApp]) -> None:
    app = app_factory()
    async with app.run_test(size=(100, 40)) as pilot:
        screen = await start(pilot, "paaroerende-inddragelse")
        for _ in range(3):
            await answer_current(pilot, screen)
        bubble = next(b for b in screen.query(AnswerBubble) if b.step_id == "decision_role")
        # Clicked where it is once the layout has settled (a busy CI machine once clicked
        # where it had been a moment before).
        await pilot.pause()
        await pilot.wait_for_scheduled_animations()
        screen.query_one("#log").scroll_to_widget(bubble, animate=False, immediate=True)
        await pilot.pause()
        await pilot.click(bubble)
        await pilot.pause()
        assert screen.editing == "decision_role"
        await pilot.press("escape")
        await pilot.pause()
        assert screen.editing is None
        assert screen.state.answers["decision_role"].value == "patient"


async def test_free_text_is_matched_and_kept_verbatim(app_factory: Callable[..., SdmApp]) -> None:
    app = app_factory()
    async with app.run_test(size=(100, 40)) as pilot:
        screen = await start(pilot, "paaroerende-inddragelse")
        await answer_current(pilot, screen)  # welcome
        await until(pilot, lambda: getattr(app.focused, "id", None) == "choices" and any(
            w.id == "own-words" for w in screen.focus_chain),
            "the choices of the information level to have the focus, and the own-words "
            "field to be in the focus chain (laid out)")
        await pilot.pause()
        await pilot.press("tab")             # from the list to "own words"
        await until(pilot, lambda: getattr(app.focused, "id", None) == "own-words",
                    "Tab to move from the list to the own-words field")
        await pilot.press(*"alt", "enter")   # "Alt – med detaljer og kilder"
        await pilot.pause()
        record = screen.state.answers.get("information_level")
        if record is None:                    # uncertain: confirm with a second Enter
            await pilot.press("enter")
            await until(pilot, lambda: "information_level" in screen.state.answers,
                        "the information level to be saved")
            record = screen.state.answers["information_level"]
        assert record.value == "everything"
        assert record.verbatim == "alt"


async def test_speaker_switcher_labels_the_bubble(app_factory: Callable[..., SdmApp]) -> None:
    app = app_factory()
    async with app.run_test(size=(100, 40)) as pilot:
        screen = await start(pilot, "ua-kp-grundoplysninger")
        bar = screen.query_one(SpeakerBar)
        while screen.state.current is not None and screen.state.current.step.type == "info":
            await answer_current(pilot, screen)
        before = bar.role
        await pilot.press("f2")
        assert bar.role != before
        step_id = screen.state.current.id
        await answer_current(pilot, screen)
        assert screen.state.answers[step_id].speaker == bar.role


async def test_skip_refused_for_required_steps(app_factory: Callable[..., SdmApp]) -> None:
    app = app_factory()
    async with app.run_test(size=(100, 40)) as pilot:
        screen = await start(pilot, "paaroerende-inddragelse")
        await answer_current(pilot, screen)  # welcome
        assert screen.state.current.id == "information_level"  # required
        await pilot.press("f6")
        await pilot.pause()
        assert screen.state.current.id == "information_level"
        assert "information_level" not in screen.state.skipped


async def test_help_overlay_and_palette_have_no_screenshot(app_factory: Callable[..., SdmApp]) -> None:
    app = app_factory()
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("f1")
        await pilot.pause()
        assert type(app.screen).__name__ == "HelpScreen"
        await pilot.press("escape")
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert "Screenshot" not in titles
        app.action_screenshot()  # refused with a notice, nothing written


async def test_recorder_failure_keeps_the_answer_unsaved(
        app_factory: Callable[..., SdmApp], monkeypatch: pytest.MonkeyPatch) -> None:
    from assistant.engine import AddParticipant

    def full(session_id: str, event: object) -> int:
        raise OSError("disk full")

    app = app_factory()
    async with app.run_test(size=(100, 40)) as pilot:
        screen = await start(pilot, "paaroerende-inddragelse")
        monkeypatch.setattr(app.service.store, "append", full)  # the disk fills after the start
        await pilot.press("enter")  # welcome: Seen cannot be recorded
        await pilot.pause()
        assert screen.state.current is not None and screen.state.current.id == "welcome"
        assert all(isinstance(e, AddParticipant) for e in screen.session.events)


async def test_blitz_meeting_timer_follows_the_clock(app_factory: Callable[..., SdmApp]) -> None:
    import datetime as dt

    from assistant.tui.widgets.meeting_timer import MeetingTimer

    class Clock:
        now = dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC)

        def __call__(self) -> dt.datetime:
            return self.now

    clock = Clock()
    app = app_factory(clock=clock)
    async with app.run_test(size=(100, 40)) as pilot:
        screen = await start(pilot, "blitzmoede")
        timer = screen.query_one(MeetingTimer)
        assert timer.minutes == 15
        clock.now = timer.started + dt.timedelta(minutes=4, seconds=12)
        timer.tick()
        assert "04:12 / 15:00" in timer.render().plain
        assert not timer.has_class("-over")
        clock.now = timer.started + dt.timedelta(minutes=15, seconds=1)
        timer.tick()
        assert timer.has_class("-over")
        assert "Tiden er gået" in timer.render().plain
