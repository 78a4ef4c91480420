"""Snapshot tests of every screen, at 80×24 and 120×40, in Danish and English.

The cases: home with no sessions and with six, setup, each answer type (single is
`choice_step`), the comparison, the decision, the summary, the review, the lock and the
help. A Danish case keeps its old name (`home-80x24`), so its history holds; the English one
adds `-en` (`home-en-80x24`).

Update deliberately, after looking at the report: `pytest tests/tui/test_snapshots.py
--snapshot-update` (see scripts/update_snapshots.sh).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest
from textual.pilot import Pilot

from assistant.engine import Answer, Event, Seen
from assistant.guides.loader import load_library
from assistant.guides.models import Language, takes_answer
from assistant.service.sessions import SessionService
from assistant.tui.answers import AnswerWidget
from assistant.tui.app import SdmApp, make_app
from tests.engine.helpers import sample_value
from tests.tui.conftest import T0, temporary_service

SIZES = [(80, 24), (120, 40)]
GUIDE = "paaroerende-inddragelse"
#: Guides for the stored sessions of the "home with six sessions" case.
SESSION_GUIDES = ("paaroerende-inddragelse", "valg-af-kontaktperson",
                  "forhaandstilkendegivelse", "beroligende-metoder", "netvaerksmoede",
                  "kortvarig-indlaeggelse")


def _frozen_clock() -> dt.datetime:
    """The time stands still in a picture: the meeting timer ticks once a second of real
    time, and a clock that moved on each reading would show however many ticks the machine's
    speed allowed."""
    return T0


#: A conversation stored up to a step before the picture: (guide, step, information level).
Stored = tuple[str, str, str]


def _store_until(service: SessionService, lang: Language, stored: Stored) -> None:
    """A session of `guide` answered (with simple sample answers) up to `step`, written to the
    store as the chat writes it; the scene resumes it from the home screen. Walking there by
    keyboard cost seconds a picture; the keyboard itself is tested in test_conversation."""
    guide_id, step_id, level = stored
    guide = service.library.guides[guide_id].document
    opened = service.start(guide, "AB", ["patient", "clinician"], lang, at=T0)  # type: ignore[arg-type]
    for second in range(500):
        current = opened.session.state.current
        assert current is not None, f"{guide_id} has no step {step_id!r}"
        if current.id == step_id:
            break
        at = T0 + dt.timedelta(seconds=second + 1)
        if current.id == "information_level":
            event: Event = Answer(step=current.id, value=level, speaker="patient", at=at)
        elif not takes_answer(current.step):
            event = Seen(step=current.id, speaker="clinician", at=at)
        else:
            event = Answer(step=current.id, value=sample_value(current.step),
                           speaker="patient", at=at)
        opened.record_applied(event)
    opened.close()


def _app(folder: Path, lang: Language, sessions: int = 0,
         stored: Stored | None = None) -> SdmApp:
    library = load_library()
    # The store's clock moves a minute per reading: each stored session has its own time,
    # so the home screen's list (newest first) has one order.
    service = temporary_service(library, folder)
    for number, guide_id in enumerate(SESSION_GUIDES[:sessions], start=1):
        guide = library.guides[guide_id].document
        opened = service.start(guide, f"P{number}", ["patient", "clinician"],  # type: ignore[arg-type]
                               lang, at=T0 + dt.timedelta(minutes=number))
        opened.close()
    if stored is not None:
        _store_until(service, lang, stored)
    return make_app(library, clock=_frozen_clock, service=service, lang=lang)


async def _resume(pilot: Pilot[None]) -> None:
    """From the home screen: Tab to the sessions, Enter resumes the (only) stored one."""
    await pilot.pause()
    await pilot.press("tab", "enter")
    await _settle(pilot)


def _hold_cursors(pilot: Pilot[None]) -> None:
    """No text cursor in the pictures: whether a blinking one was drawn depended on when the
    picture was taken and on when the focus arrived (CI, under load, differed from run to
    run however we held it), so every cursor is hidden and stays hidden."""
    for field in pilot.app.screen.query("Input"):
        field.cursor_blink = False  # type: ignore[attr-defined]
        if field._cursor_visible:  # type: ignore[attr-defined]
            field._cursor_visible = False  # type: ignore[attr-defined]
            field.refresh()
    # A text area draws its cursor whenever it does not blink: its blink is paused, hidden.
    for area in pilot.app.screen.query("TextArea"):
        if area._cursor_visible or area.blink_timer._active.is_set():  # type: ignore[attr-defined]
            area._pause_blink(visible=False)  # type: ignore[attr-defined]
            area.refresh()


async def _settle(pilot: Pilot[None]) -> None:
    """Let scrolling and layout finish before the picture is taken (load varies on CI).

    A fixed pause was not enough on a busy CI machine (four pictures differed), so this holds
    the text cursors still and waits until the screen draws the same picture twice, 0.1 s
    apart, for up to 10 s."""
    for _ in range(3):
        await pilot.pause()
        await pilot.wait_for_scheduled_animations()
    await pilot.pause(0.2)
    # The focus settles first (it moves through the app's queue): in a conversation, in the
    # answer field; anywhere, the same for three looks in a row...
    steady = 0
    for _ in range(60):
        screen = pilot.app.screen
        focused = screen.focused
        await pilot.pause(0.05)
        fields = list(screen.query(AnswerWidget))
        in_field = not fields or (focused is not None and focused in fields[-1].query("*"))
        steady = steady + 1 if screen.focused is focused and in_field else 0
        if steady >= 3:
            break
    # ...then the text cursors are hidden (`_hold_cursors`).
    _hold_cursors(pilot)
    await pilot.pause()
    _hold_cursors(pilot)  # a blink already queued when it was stopped may have hidden it
    before = pilot.app.export_screenshot()
    for _ in range(100):
        await pilot.pause(0.1)
        await pilot.wait_for_scheduled_animations()
        _hold_cursors(pilot)
        now = pilot.app.export_screenshot()
        if now == before:
            return
        before = now


def _home(pilot: Pilot[None]) -> Awaitable[None]:
    return pilot.pause()


async def _setup(pilot: Pilot[None]) -> None:
    """The setup screen of the network meeting, as the home screen's Enter opens it."""
    await pilot.pause()
    await pilot.press(*"Netværksmøde")
    await pilot.pause()
    await pilot.press("down", "enter")
    await _settle(pilot)


async def _then(pilot: Pilot[None], *keys: str) -> None:
    await _resume(pilot)
    if keys:
        await pilot.press(*keys)
        await _settle(pilot)


def _keys(*keys: str) -> Callable[[Pilot[None]], Awaitable[None]]:
    async def scene(pilot: Pilot[None]) -> None:
        await _then(pilot, *keys)
    return scene


async def _lock(pilot: Pilot[None]) -> None:
    await pilot.pause()
    await pilot.press("ctrl+l")
    await _settle(pilot)


#: name → (stored sessions on the home list, a conversation stored up to a step, what to do
#: before the picture).
SCENES: dict[str, tuple[int, Stored | None, Callable[[Pilot[None]], Awaitable[None]]]] = {
    "home": (0, None, _home),
    "home_sessions": (6, None, _home),
    "setup": (0, None, _setup),
    "choice_step": (0, (GUIDE, "decision_role", "some"), _keys()),  # a single choice
    "multi": (0, ("valg-af-kontaktperson", "vigtigt", "some"), _keys()),
    "scale": (0, (GUIDE, "naerhed", "some"), _keys()),
    "yesno": (0, ("ua-kp-grundoplysninger", "patient_participates", "some"), _keys()),
    "text": (0, ("tryghedsplan-grundoplysninger", "chief_physician", "some"), _keys()),
    "longtext": (0, ("blitzmoede", "op-til", "some"), _keys()),
    "date": (0, ("tryghedsplan-grundoplysninger", "agreement_date", "some"), _keys()),
    "people": (0, (GUIDE, "hvem", "some"), _keys()),
    "tasks": (0, ("blitzmoede", "opgaver", "some"), _keys()),
    "info": (0, ("beroligende-metoder", "welcome", "some"), _keys()),
    "comparison": (0, (GUIDE, "options_overview", "everything"), _keys()),
    "decision": (0, (GUIDE, "choice", "some"), _keys()),
    "summary": (0, (GUIDE, "sure_sure", "some"), _keys("f3")),
    # The plan draft half-way through the plan basics: lines in two voices, and gaps.
    "review": (0, ("ua-kp-grundoplysninger", "needs_social", "some"), _keys("f8")),
    "lock": (0, None, _lock),
    "help": (0, (GUIDE, "decision_role", "some"), _keys("f1")),  # F1 in a conversation
}

#: Danish under the old names; English with "-en".
CASES = [(name, "da") for name in SCENES] + [(name, "en") for name in SCENES]


@pytest.mark.parametrize("size", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
@pytest.mark.parametrize("case", CASES,
                         ids=[name if lang == "da" else f"{name}-en" for name, lang in CASES])
def test_screen_snapshot(snap_compare, case: tuple[str, Language], size: tuple[int, int],
                         tmp_path: Path) -> None:
    name, lang = case
    sessions, stored, run_before = SCENES[name]
    assert snap_compare(_app(tmp_path, lang, sessions, stored), terminal_size=size,
                        run_before=run_before)
