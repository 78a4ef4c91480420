"""Snapshot tests of the screens that matter, at 80×24 and 120×40.

Update deliberately, after looking at the report: `pytest tests/tui/test_snapshots.py
--snapshot-update` (see scripts/update_snapshots.sh).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest
from textual.pilot import Pilot

from assistant.guides.loader import load_library
from assistant.tui.app import make_app
from tests.tui.conftest import FakeClock, temporary_service
from tests.tui.driver import answer_current, start

SIZES = [(80, 24), (120, 40)]
GUIDE = "paaroerende-inddragelse"


def _app(folder: Path):
    library = load_library()
    return make_app(library, clock=FakeClock(), service=temporary_service(library, folder))


async def _to_step(pilot: Pilot[None], step_id: str, level_key: str = "2") -> None:
    screen = await start(pilot, GUIDE)
    while screen.state.current is not None and screen.state.current.id != step_id:
        if screen.state.current.id == "information_level":
            await pilot.press(level_key)
            await pilot.pause()
            continue
        await answer_current(pilot, screen)
    await _settle(pilot)


async def _settle(pilot: Pilot[None]) -> None:
    """Let scrolling and layout finish before the picture is taken (load varies on CI)."""
    for _ in range(3):
        await pilot.pause()
        await pilot.wait_for_scheduled_animations()
    await pilot.pause(0.2)


def _home(pilot: Pilot[None]) -> Awaitable[None]:
    return pilot.pause()


async def _choice_step(pilot: Pilot[None]) -> None:
    await _to_step(pilot, "decision_role")


async def _comparison(pilot: Pilot[None]) -> None:
    await _to_step(pilot, "options_overview", level_key="3")


async def _decision(pilot: Pilot[None]) -> None:
    await _to_step(pilot, "choice")


async def _summary(pilot: Pilot[None]) -> None:
    await _to_step(pilot, "sure_sure")
    await pilot.press("f3")
    await _settle(pilot)


async def _review(pilot: Pilot[None]) -> None:
    """The plan draft half-way through the plan basics: lines in two voices, and gaps."""
    screen = await start(pilot, "ua-kp-grundoplysninger")
    while screen.state.current is not None and screen.state.current.id != "needs_social":
        await answer_current(pilot, screen)
    await pilot.press("f8")
    await _settle(pilot)


SCENES: dict[str, Callable[[Pilot[None]], Awaitable[None]]] = {
    "home": _home,
    "choice_step": _choice_step,
    "comparison": _comparison,
    "decision": _decision,
    "summary": _summary,
    "review": _review,
}


@pytest.mark.parametrize("size", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
@pytest.mark.parametrize("scene", list(SCENES))
def test_screen_snapshot(snap_compare, scene: str, size: tuple[int, int],
                         tmp_path: Path) -> None:
    assert snap_compare(_app(tmp_path), terminal_size=size, run_before=SCENES[scene])
