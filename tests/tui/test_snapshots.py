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

from assistant.guides.loader import load_library
from assistant.guides.models import Language
from assistant.tui.app import SdmApp, make_app
from tests.tui.conftest import T0, temporary_service
from tests.tui.driver import answer_current, start

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


def _app(folder: Path, lang: Language, sessions: int = 0) -> SdmApp:
    library = load_library()
    # The store's clock moves a minute per reading: each stored session has its own time,
    # so the home screen's list (newest first) has one order.
    service = temporary_service(library, folder)
    for number, guide_id in enumerate(SESSION_GUIDES[:sessions], start=1):
        guide = library.guides[guide_id].document
        opened = service.start(guide, f"P{number}", ["patient", "clinician"],  # type: ignore[arg-type]
                               lang, at=T0 + dt.timedelta(minutes=number))
        opened.close()
    return make_app(library, clock=_frozen_clock, service=service, lang=lang)


async def _to_step(pilot: Pilot[None], step_id: str, level_key: str = "2",
                   guide: str = GUIDE) -> None:
    screen = await start(pilot, guide)
    while screen.state.current is not None and screen.state.current.id != step_id:
        if screen.state.current.id == "information_level":
            await pilot.press(level_key)
            await pilot.pause()
            continue
        await answer_current(pilot, screen)
    assert screen.state.current is not None, step_id
    await _settle(pilot)


async def _settle(pilot: Pilot[None]) -> None:
    """Let scrolling and layout finish before the picture is taken (load varies on CI)."""
    for _ in range(3):
        await pilot.pause()
        await pilot.wait_for_scheduled_animations()
    await pilot.pause(0.2)


def _home(pilot: Pilot[None]) -> Awaitable[None]:
    return pilot.pause()


async def _setup(pilot: Pilot[None]) -> None:
    """The setup screen of the network meeting, as the home screen's Enter opens it."""
    await pilot.pause()
    await pilot.press(*"Netværksmøde")
    await pilot.pause()
    await pilot.press("down", "enter")
    await _settle(pilot)


async def _choice_step(pilot: Pilot[None]) -> None:
    await _to_step(pilot, "decision_role")


def _at(guide: str, step_id: str) -> Callable[[Pilot[None]], Awaitable[None]]:
    async def scene(pilot: Pilot[None]) -> None:
        await _to_step(pilot, step_id, guide=guide)
    return scene


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


async def _lock(pilot: Pilot[None]) -> None:
    await pilot.pause()
    await pilot.press("ctrl+l")
    await _settle(pilot)


async def _help(pilot: Pilot[None]) -> None:
    """F1 in a conversation: the keys of that screen."""
    await _to_step(pilot, "decision_role")
    await pilot.press("f1")
    await _settle(pilot)


#: name → (stored sessions, what to do before the picture).
SCENES: dict[str, tuple[int, Callable[[Pilot[None]], Awaitable[None]]]] = {
    "home": (0, _home),
    "home_sessions": (6, _home),
    "setup": (0, _setup),
    "choice_step": (0, _choice_step),  # a single choice
    "multi": (0, _at("valg-af-kontaktperson", "vigtigt")),
    "scale": (0, _at(GUIDE, "naerhed")),
    "yesno": (0, _at("ua-kp-grundoplysninger", "patient_participates")),
    "text": (0, _at("tryghedsplan-grundoplysninger", "chief_physician")),
    "longtext": (0, _at("blitzmoede", "op-til")),
    "date": (0, _at("tryghedsplan-grundoplysninger", "agreement_date")),
    "people": (0, _at(GUIDE, "hvem")),
    "tasks": (0, _at("blitzmoede", "opgaver")),
    "info": (0, _at("beroligende-metoder", "welcome")),
    "comparison": (0, _comparison),
    "decision": (0, _decision),
    "summary": (0, _summary),
    "review": (0, _review),
    "lock": (0, _lock),
    "help": (0, _help),
}

#: Danish under the old names; English with "-en".
CASES = [(name, "da") for name in SCENES] + [(name, "en") for name in SCENES]


@pytest.mark.parametrize("size", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
@pytest.mark.parametrize("case", CASES,
                         ids=[name if lang == "da" else f"{name}-en" for name, lang in CASES])
def test_screen_snapshot(snap_compare, case: tuple[str, Language], size: tuple[int, int],
                         tmp_path: Path) -> None:
    name, lang = case
    sessions, run_before = SCENES[name]
    assert snap_compare(_app(tmp_path, lang, sessions), terminal_size=size,
                        run_before=run_before)
