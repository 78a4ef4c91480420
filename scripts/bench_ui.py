"""Start-up and turn time of the chat UI, as ratios against bare Textual in the same run.

    python scripts/bench_ui.py [--json]

* startup_ratio: the whole `sdm` process until its first screen (the home screen, drawn from
  the shelf's cards) is up, headless, divided by a whole process running a bare Textual app
  that mounts one Static and exits. Target ≤ 1.5. startup_fair_ratio: the same divided by a
  plain Textual app of the home screen's shape (Header, Input, an 18-item ListView, Footer).
  Target ≤ 1.1. ready_ratio (no target): until the library is checked and the store open.
  Runs are interleaved; each has its peak RSS (`*_rss_mib`).
* turn_ratio: median time from an answer key press to the next question rendered, over a
  generated 60-step guide driven by Pilot, divided by a bare app whose key press appends one
  Static to a scroll view (both awaited with `pilot.pause()`). Target ≤ 2. Also p95 and the
  peak RSS of the process driving the 60 turns.
* turn_cpu_ratio: the same turns in process CPU time (`time.process_time`), which leaves out
  the ≥ 20 ms Pilot sleeps in each press and pause, vs the bare app's CPU time per appended
  Static. Target ≤ 2.
* turn_ratio_500: median turn with 500 messages in the transcript / median turn with 20, on
  the same guide in the same run (`TURNS_LONG` turns each). Both transcripts are stored
  sessions made through the session service (250 and 10 answered steps) and resumed, not
  typed. Target ≤ 1.25. Also turn_20_ms, turn_500_ms and their CPU times.
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

#: A plain Textual app like the home screen (a header, a search field, an 18-item list and
#: the footer), drawn once: what any app of this shape costs (`startup_fair_ratio`).
_FAIR_START = """
from textual.app import App
from textual.widgets import Footer, Header, Input, Label, ListItem, ListView
class Fair(App):
    def compose(self):
        yield Header()
        yield Input(placeholder="Søg")
        yield ListView(*(ListItem(Label(f"Guide {i}")) for i in range(18)))
        yield Footer()
    def on_mount(self):
        self.call_after_refresh(self.exit)
Fair().run(headless=True)
"""

#: `sdm` until its first screen is drawn ("painted"), or until the library is checked and
#: the store open ("ready").
_SDM_START = """
import sys
from assistant.tui.run import run_app
when = {"painted": "exit_when_painted", "ready": "exit_when_ready"}[sys.argv[2]]
sys.exit(run_app(store=sys.argv[1], headless=True, **{when: True}))
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


def _interleaved(programs: dict[str, tuple[str, ...]], repeats: int,
                 env: dict[str, str] | None = None) -> dict[str, Any]:
    """Run each program (`python -c CODE ARGS…`) `repeats` times, taking turns (a busy
    machine slows all of them alike); the median wall time (ms) and the peak RSS (MiB) of
    each, as `<name>_ms` and `<name>_rss_mib`."""
    env = {**os.environ, **(env or {}), "PYTHONPATH": str(ROOT)}
    times: dict[str, list[float]] = {name: [] for name in programs}
    rss: dict[str, int] = dict.fromkeys(programs, 0)
    for _ in range(repeats):
        for name, (code, *args) in programs.items():
            start = time.perf_counter()
            child = subprocess.Popen([sys.executable, "-c", code, *args], env=env,
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            _pid, status, usage = os.wait4(child.pid, 0)
            times[name].append(time.perf_counter() - start)
            if os.waitstatus_to_exitcode(status) != 0:
                raise RuntimeError(f"{name} failed")
            rss[name] = max(rss[name], usage.ru_maxrss)  # KiB on Linux
    out: dict[str, Any] = {}
    for name in programs:
        out[f"{name}_ms"] = round(statistics.median(times[name]) * 1000, 1)
        out[f"{name}_rss_mib"] = round(rss[name] / 1024, 1)
    return out


def bench_startup(repeats: int = 7) -> dict[str, Any]:
    """Whole-process start-up of `sdm` until its first screen is drawn, vs a bare Textual
    app and vs a comparable plain one (interleaved, medians); and until the library is
    checked and the store open (guides may open then)."""
    with tempfile.TemporaryDirectory(prefix="sdm-bench-") as tmp:
        store = str(Path(tmp) / "s.sqlite3")
        # Isolated folders: the shelf (cards kept between starts) and the settings are the
        # bench's own. The first start that gets as far as the loader fills the shelf.
        env = {var: str(Path(tmp) / var.lower())
               for var in ("XDG_CACHE_HOME", "XDG_CONFIG_HOME", "XDG_DATA_HOME")}
        programs = {"startup": (_SDM_START, store, "painted"), "ready": (_SDM_START, store,
                                                                          "ready"),
                    "startup_baseline": (_BARE_START,), "startup_fair": (_FAIR_START,)}
        _interleaved(programs, 1, env)  # warm the file cache, create the store, fill the shelf
        found = _interleaved(programs, repeats, env)
    ours, bare, fair = found["startup_ms"], found["startup_baseline_ms"], found["startup_fair_ms"]
    return {"startup_ratio": round(ours / bare, 3), "startup_fair_ratio": round(ours / fair, 3),
            "ready_ratio": round(found["ready_ms"] / bare, 3), **found}


def _sixty_step_library(folder: Path) -> None:
    _step_guide(folder, "tres-trin", 60, "Tres trin", "Sixty steps")
    # The long-transcript turns: 250 answered steps (500 messages) and 20 more asked.
    _step_guide(folder, "mange-trin", LONG_STEPS + TURNS_LONG + 5, "Mange trin", "Many steps")


def _step_guide(folder: Path, guide_id: str, count: int, da: str, en: str) -> None:
    steps = "\n".join(
        f"  - {{id: s{i}, type: yesno, prompt: {{da: \"Spørgsmål {i}?\", en: \"Question {i}?\"}}}}"
        for i in range(count))
    (folder / f"{guide_id}.yaml").write_text(f"""
id: {guide_id}
kind: meeting_guide
version: 1.0.0
title: {{da: {da}, en: {en}}}
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


#: Answered steps before the long-transcript turns (two messages each: 500 messages).
LONG_STEPS = 250
#: Answered steps before the short-transcript turns (20 messages).
SHORT_STEPS = 10
#: Turns measured on each of the short and the long transcript.
TURNS_LONG = 20


class _Turns:
    """Wall and CPU seconds of each turn (a key press until the app is idle again)."""

    def __init__(self) -> None:
        self.wall: list[float] = []
        self.cpu: list[float] = []

    async def press(self, pilot: Any, key: str) -> None:
        wall, cpu = time.perf_counter(), time.process_time()
        await pilot.press(key)
        await pilot.pause()
        self.cpu.append(time.process_time() - cpu)
        self.wall.append(time.perf_counter() - wall)


def _answered_session(service: Any, guide: Any, steps: int) -> str:
    """A stored session of `guide` with its first `steps` steps answered (as a resume finds
    it): built through the service, not by keyboard, so a long transcript is quick to make."""
    import datetime as dt

    from assistant.engine.transcript import answer_event

    at = dt.datetime(2026, 1, 1, 9, 0, tzinfo=dt.UTC)
    opened = service.start(guide, f"bench {steps}", ["patient"], "da", at=at)
    try:
        for i in range(steps):
            state = opened.session.state
            opened.record_applied(answer_event(state, state.current.id, i % 2 == 0, "patient",
                                               at + dt.timedelta(seconds=i)))
        return str(opened.row.id)
    finally:
        opened.close()


async def _turns() -> tuple[_Turns, _Turns, _Turns]:
    """The 60 turns of a new conversation; and `TURNS_LONG` turns on a resumed session with
    20 messages in its transcript, then on one with 500 (same guide, same app)."""
    from assistant.guides.loader import load_library
    from assistant.service.sessions import SessionService
    from assistant.store import open_store
    from assistant.tui.app import make_app
    from assistant.tui.messages import ResumeSession
    from assistant.tui.screens.conversation import ConversationScreen
    from assistant.tui.screens.setup import Setup

    sixty, short, long = _Turns(), _Turns(), _Turns()
    with tempfile.TemporaryDirectory(prefix="sdm-bench-") as tmp:
        _sixty_step_library(Path(tmp))
        library = load_library([Path(tmp)], include_bundled=False)
        assert library.ok, [p.format() for p in library.errors]
        # Every turn is committed to a store, as on the ward.
        store = open_store(Path(tmp) / "store.sqlite3")
        service = SessionService(store, library)
        app = make_app(library, service=service)
        async with app.run_test(size=(100, 40)) as pilot:
            await pilot.pause()
            guide = library.guides["tres-trin"].document
            screen = app.start_conversation(Setup(guide, ["patient"], "da", "bench"))  # type: ignore[arg-type]
            await pilot.pause()
            assert screen is not None
            for _ in range(60):
                await sixty.press(pilot, "j")
            assert screen.state.finished
            # Stored only now, so that no home screen lists them (not what is measured).
            many = library.guides["mange-trin"].document
            resumed = {n: _answered_session(service, many, n) for n in (SHORT_STEPS, LONG_STEPS)}
            for steps, turns in ((SHORT_STEPS, short), (LONG_STEPS, long)):
                app.pop_screen()
                await pilot.pause()
                app.on_resume_session(ResumeSession(resumed[steps]))
                await pilot.pause()
                await pilot.pause()
                screen = app.screen
                assert isinstance(screen, ConversationScreen)
                assert len(screen.state.answers) == steps
                for _ in range(TURNS_LONG):
                    await turns.press(pilot, "j")
                assert len(screen.state.answers) == steps + TURNS_LONG
        store.close()
    return sixty, short, long


async def _bare_turns() -> _Turns:
    from textual.app import App, ComposeResult
    from textual.containers import VerticalScroll
    from textual.widgets import Static

    class Bare(App[None]):
        BINDINGS = [("j", "add", "add")]

        def compose(self) -> ComposeResult:
            yield VerticalScroll()

        def action_add(self) -> None:
            self.query_one(VerticalScroll).mount(Static("Spørgsmål?"))

    turns = _Turns()
    async with Bare().run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        for _ in range(60):
            await turns.press(pilot, "j")
    return turns


def bench_turns() -> dict[str, Any]:
    """Median and p95 turn time in the UI vs appending a bare Static (wall and CPU time); a
    turn at 500 messages vs one at 20; peak RSS."""
    sixty, short, long = asyncio.run(_turns())
    bare = asyncio.run(_bare_turns())
    ours_sorted = sorted(sixty.wall)
    p95 = ours_sorted[int(0.95 * (len(ours_sorted) - 1))]
    median, bare_median = statistics.median(sixty.wall), statistics.median(bare.wall)
    cpu, bare_cpu = statistics.median(sixty.cpu), statistics.median(bare.cpu)
    short_median, long_median = statistics.median(short.wall), statistics.median(long.wall)
    return {
        "turn_ratio": round(median / bare_median, 3),
        "turn_ms": round(median * 1000, 2),
        "turn_p95_ms": round(p95 * 1000, 2),
        "turn_baseline_ms": round(bare_median * 1000, 2),
        "turn_cpu_ratio": round(cpu / bare_cpu, 3),
        "turn_cpu_ms": round(cpu * 1000, 2),
        "turn_cpu_baseline_ms": round(bare_cpu * 1000, 2),
        "turn_ratio_500": round(long_median / short_median, 3),
        "turn_20_ms": round(short_median * 1000, 2),
        "turn_500_ms": round(long_median * 1000, 2),
        "turn_cpu_20_ms": round(statistics.median(short.cpu) * 1000, 2),
        "turn_cpu_500_ms": round(statistics.median(long.cpu) * 1000, 2),
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
