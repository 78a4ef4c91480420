"""A quicker "wait until the app is idle" for Pilot tests (issue 14: a suite that runs in minutes).

Textual's Pilot waits after every key and every `pause()` until the process has used almost no
CPU for a 20 ms window, for up to a second (`textual._wait.wait_for_idle`). On a machine where
the app is still drawing, or where the window is cut by other work, that is whole seconds per
test spent asleep: one end-to-end conversation profiled 18 s of its 31 s in `epoll`.

What the tests rely on is kept: Pilot still waits until every widget has handled the messages
queued before it (`Pilot._wait_for_screen`, unchanged), and this wait still ends only when the
process stops working — it looks in 5 ms windows (two calm ones in a row: on a loaded
machine a window can be calm only because the process waited for a CPU) instead of one 20 ms
window, and gives up after 0.5 s instead of 1 s. A test that needs time to pass (a snapshot
after a redraw, the auto-lock's interval) says so with `pause(delay)` or a fake idle clock,
which this does not touch.
"""

from __future__ import annotations

import asyncio
from time import monotonic, process_time

import pytest

WINDOW = 0.005  # seconds asleep per look
BUSY = 0.001  # CPU seconds within a window that still count as "working"
CALM_LOOKS = 2  # idle looks in a row: a process that merely waited for a CPU is not idle
LONGEST = 0.5  # seconds, at most


async def wait_for_idle(min_sleep: float = 0.0, max_sleep: float = LONGEST) -> None:
    """Return once the process used under `BUSY` CPU seconds in each of `CALM_LOOKS`
    windows of `WINDOW` asleep in a row (after `min_sleep`), or after
    `min(max_sleep, LONGEST)` seconds."""
    start = monotonic()
    limit = min(max_sleep, LONGEST)
    calm = 0
    while True:
        cpu = process_time()
        await asyncio.sleep(WINDOW)
        elapsed = monotonic() - start
        calm = calm + 1 if process_time() - cpu < BUSY else 0
        if elapsed >= limit or (elapsed >= min_sleep and calm >= CALM_LOOKS):
            return


def install(monkeypatch: pytest.MonkeyPatch) -> None:
    """Use `wait_for_idle` wherever Textual's Pilot and App wait for idle."""
    import textual.app
    import textual.pilot

    monkeypatch.setattr(textual.app, "wait_for_idle", wait_for_idle)
    monkeypatch.setattr(textual.pilot, "wait_for_idle", wait_for_idle)
