"""Start-up and turn time of the chat UI, as ratios against bare Textual in the same run.

    python scripts/bench_ui.py [--json]

* startup_ratio: the whole `sdm` process (imports, loading and validating the library, opening
  the store) until the home screen is up, headless, divided by a whole process running a bare
  Textual app that mounts one Static and exits. Target ≤ 1.5.
* turn_ratio: median time from an answer key press to the next question rendered, over a
  generated 60-step guide driven by Pilot, divided by a bare app whose key press appends one
  Static to a scroll view (both awaited with `pilot.pause()`). Target ≤ 2. Also p95 and the
  peak RSS of the process driving the 60 turns.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

_BARE_START = """
from textual.app import App
from textual.widgets import Static
class Bare(App):
    def compose(self):
        yield Static("x")
    def on_mount(self):
        self.call_after_refresh(self.exit)
Bare().run(headless=True)
"""

_SDM_START = """
import sys
from assistant.tui.run import run_app
sys.exit(run_app(store=sys.argv[1], headless=True, exit_when_ready=True))
"""


def _process_ms(code: str, *args: str, repeats: int) -> float:
    times = []
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    for _ in range(repeats):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", code, *args], check=True, env=env,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def bench_startup(repeats: int = 7) -> dict[str, Any]:
    """Whole-process start-up of `sdm` vs a bare Textual app (interleaved, medians)."""
    with tempfile.TemporaryDirectory(prefix="sdm-bench-") as tmp:
        store = str(Path(tmp) / "s.sqlite3")
        _process_ms(_SDM_START, store, repeats=1)  # warm the OS file cache, create the store
        _process_ms(_BARE_START, repeats=1)
        ours = _process_ms(_SDM_START, store, repeats=repeats)
        bare = _process_ms(_BARE_START, repeats=repeats)
    return {"startup_ratio": round(ours / bare, 3), "startup_ms": round(ours, 1),
            "startup_baseline_ms": round(bare, 1)}


def _sixty_step_library(folder: Path) -> None:
    steps = "\n".join(
        f"  - {{id: s{i}, type: yesno, prompt: {{da: \"Spørgsmål {i}?\", en: \"Question {i}?\"}}}}"
        for i in range(60))
    (folder / "tres.yaml").write_text(f"""
id: tres-trin
kind: meeting_guide
version: 1.0.0
title: {{da: Tres trin, en: Sixty steps}}
audience: [adult]
authors: [bench]
reviewed: 2026-01-01
review_due: 2030-01-01
purpose: {{da: Måling, en: Measuring}}
sections:
  - id: alt
    title: {{da: Alt, en: All}}
    steps:
{chr(10).join('    ' + line for line in steps.splitlines())}
""", encoding="utf-8")


async def _turns() -> list[float]:
    from assistant.guides.loader import load_library
    from assistant.service.sessions import SessionService
    from assistant.store import open_store
    from assistant.tui.app import make_app
    from assistant.tui.screens.setup import Setup

    with tempfile.TemporaryDirectory(prefix="sdm-bench-") as tmp:
        _sixty_step_library(Path(tmp))
        library = load_library([Path(tmp)], include_bundled=False)
        assert library.ok, [p.format() for p in library.errors]
        # Every turn is committed to a store, as on the ward.
        store = open_store(Path(tmp) / "store.sqlite3")
        app = make_app(library, service=SessionService(store, library))
        times: list[float] = []
        async with app.run_test(size=(100, 40)) as pilot:
            await pilot.pause()
            guide = library.guides["tres-trin"].document
            screen = app.start_conversation(Setup(guide, ["patient"], "da", "bench"))  # type: ignore[arg-type]
            await pilot.pause()
            assert screen is not None
            for _ in range(60):
                start = time.perf_counter()
                await pilot.press("j")
                await pilot.pause()
                times.append(time.perf_counter() - start)
            assert screen.state.finished
        store.close()
    return times


async def _bare_turns() -> list[float]:
    from textual.app import App, ComposeResult
    from textual.containers import VerticalScroll
    from textual.widgets import Static

    class Bare(App[None]):
        BINDINGS = [("j", "add", "add")]

        def compose(self) -> ComposeResult:
            yield VerticalScroll()

        def action_add(self) -> None:
            self.query_one(VerticalScroll).mount(Static("Spørgsmål?"))

    times: list[float] = []
    async with Bare().run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        for _ in range(60):
            start = time.perf_counter()
            await pilot.press("j")
            await pilot.pause()
            times.append(time.perf_counter() - start)
    return times


def bench_turns() -> dict[str, Any]:
    """Median and p95 turn time in the UI vs appending a bare Static; peak RSS."""
    ours = asyncio.run(_turns())
    bare = asyncio.run(_bare_turns())
    ours_sorted = sorted(ours)
    p95 = ours_sorted[int(0.95 * (len(ours_sorted) - 1))]
    median, bare_median = statistics.median(ours), statistics.median(bare)
    return {
        "turn_ratio": round(median / bare_median, 3),
        "turn_ms": round(median * 1000, 2),
        "turn_p95_ms": round(p95 * 1000, 2),
        "turn_baseline_ms": round(bare_median * 1000, 2),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description="UI start-up and turn benchmarks")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--repeats", type=int, default=7)
    args = parser.parse_args()
    results = {**bench_startup(args.repeats), **bench_turns()}
    print(json.dumps(results, indent=2) if args.json else results)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
