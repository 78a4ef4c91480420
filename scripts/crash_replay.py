"""Kill `sdm replay … --store` with SIGKILL at random moments: no acknowledged answer is lost.

    python scripts/crash_replay.py --runs 100 [--seed N] [--edits N] [--keep DIR]

The external crash test of issue 13 (item 11), through the command line only. Each run writes
an answers file for the bundled meeting guide `blitzmoede` (two participants, the information
step seen, one answer, then `--edits` edits of it, every value unique to the run) and starts
`sdm replay blitzmoede --answers FILE --store STORE` as a subprocess. That command prints one
JSON line per event right after the event is committed (`{"seq", "step", "session", "type"}`):
those lines are the acknowledgements, read as they come. At a random moment the process is
killed with SIGKILL: in about a fifth of the runs while it starts (importing, loading the
library, checking the file, opening the store), in the others up to `--max-delay` seconds
after its first acknowledgement. Afterwards `sdm sessions show ID --format json --store STORE`
must list every acknowledged event under its `seq`, of the same type, step and value, and the
store must open as sound (not damaged) with `PRAGMA integrity_check` ok. All runs share one
store, so each run also starts on what the kills before it left behind.

Prints one summary line, e.g. `crash replay: 100 runs, 103512 acknowledged answers, 0 lost,
integrity ok 100/100 (21 killed while starting, 0 finished first)`; exits 1 on any loss, a
damaged store or a failed integrity check. tests/attacks/test_replay_store.py runs it with a
few runs.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

GUIDE = "blitzmoede"
STEP = "op-til"           # a free-text step: answered once, then edited again and again
INFO = "om-blitz"         # the information step before it
PARTICIPANTS = ("patient", "clinician")
#: How long a run may take to start (import, library, store) before it counts as hung.
START_TIMEOUT_S = 180.0
#: How long `sdm sessions show` may take.
SHOW_TIMEOUT_S = 300.0


@dataclass
class Report:
    """What the runs found. `lost` counts acknowledged events missing or wrong afterwards."""

    runs: int = 0
    acknowledged: int = 0            # answers and edits acknowledged
    events: int = 0                  # every event acknowledged (participants, seen too)
    lost: int = 0
    integrity_ok: int = 0
    damaged: int = 0
    killed_while_starting: int = 0
    finished_first: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when nothing acknowledged was lost and every run left a sound store."""
        return (self.lost == 0 and self.damaged == 0 and self.integrity_ok == self.runs
                and not self.problems)

    def summary(self) -> str:
        """One line: runs, acknowledged answers, lost, integrity."""
        return (f"crash replay: {self.runs} runs, {self.acknowledged} acknowledged answers, "
                f"{self.lost} lost, integrity ok {self.integrity_ok}/{self.runs} "
                f"({self.events} events acknowledged in all, {self.killed_while_starting} "
                f"killed while starting, {self.finished_first} finished first)")


def sdm_command() -> list[str]:
    """The installed `sdm` of this Python, else the package run as a module."""
    script = Path(sys.executable).parent / "sdm"
    return [str(script)] if script.exists() else [sys.executable, "-m", "assistant"]


def expected_events(run: int, edits: int) -> list[tuple[str, str | None, Any]]:
    """(type, step, value) of each event the answers file of `run` gives, in order."""
    out: list[tuple[str, str | None, Any]] = [("add_participant", None, None)
                                              for _ in PARTICIPANTS]
    out.append(("seen", INFO, None))
    out.append(("answer", STEP, f"run {run} answer 0"))
    out += [("edit", STEP, f"run {run} answer {k}") for k in range(1, edits + 1)]
    return out


def write_answers(path: Path, run: int, edits: int) -> None:
    """The answers file of `run`."""
    lines = [f"participants: [{', '.join(PARTICIPANTS)}]", "answers:",
             f"  - {{step: {INFO}, seen: true}}"]
    for kind, step, value in expected_events(run, edits):
        if kind == "answer":
            lines.append(f'  - {{step: {step}, value: "{value}"}}')
        elif kind == "edit":
            lines.append(f'  - {{step: {step}, value: "{value}", edit: true}}')
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


class _Lines:
    """The complete lines a process writes to a pipe, collected by a thread as they come."""

    def __init__(self, stream: Any) -> None:
        self.lines: list[str] = []
        self.first = threading.Event()
        self._stream = stream
        self._thread = threading.Thread(target=self._read, daemon=True)
        self._thread.start()

    def _read(self) -> None:
        for line in self._stream:
            if line.endswith("\n"):  # a line cut off by the kill is no acknowledgement
                self.lines.append(line)
                self.first.set()
        self.first.set()

    def join(self) -> list[str]:
        self._thread.join()
        return self.lines


def acknowledgements(lines: list[str]) -> list[dict[str, Any]]:
    """The JSON acknowledgements among `lines` (a malformed line is a problem upstream)."""
    out: list[dict[str, Any]] = []
    for line in lines:
        data = json.loads(line)
        if not isinstance(data, dict) or not {"seq", "step", "session", "type"} <= data.keys():
            raise ValueError(f"not an acknowledgement: {line!r}")
        out.append(data)
    return out


def show(env: dict[str, str], store: Path, session_id: str) -> dict[str, Any]:
    """`sdm sessions show ID --format json --store STORE`."""
    done = subprocess.run([*sdm_command(), "sessions", "show", session_id, "--format", "json",
                           "--store", str(store)], env=env, cwd=ROOT, capture_output=True,
                          text=True, timeout=SHOW_TIMEOUT_S, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"sdm sessions show {session_id} exited {done.returncode}: "
                           f"{done.stderr.strip()}")
    data: dict[str, Any] = json.loads(done.stdout)
    return data


def check_store(store: Path, run: int, report: Report) -> None:
    """The store opens as sound (not damaged, not read-only) and its integrity check is ok."""
    from assistant.store import Store

    with Store.open(store) as opened:
        if opened.read_only or opened.damage:
            report.damaged += 1
            report.problems.append(f"run {run}: the store opened as damaged: {opened.damage}")
        result = [str(row[0]) for row in opened.db.read("PRAGMA integrity_check")]
    if result == ["ok"]:
        report.integrity_ok += 1
    else:
        report.problems.append(f"run {run}: integrity_check: {result[:3]}")


def verify(env: dict[str, str], store: Path, run: int, edits: int,
           acked: list[dict[str, Any]], report: Report) -> None:
    """Every acknowledged event is in the store: same seq, type, step and value."""
    sessions = {a["session"] for a in acked}
    if len(sessions) > 1:
        report.problems.append(f"run {run}: acknowledgements name several sessions")
        return
    if not acked:
        return
    session_id = sessions.pop()
    try:
        shown = show(env, store, session_id)
    except (RuntimeError, ValueError, subprocess.TimeoutExpired) as exc:
        report.lost += len(acked)
        report.problems.append(f"run {run}: {exc}")
        return
    stored = {int(e["seq"]): e for e in shown["events"]}
    expected = expected_events(run, edits)
    for n, ack in enumerate(acked, start=1):
        seq = int(ack["seq"])
        want = expected[seq - 1] if 0 < seq <= len(expected) else None
        event = stored.get(seq)
        if not (seq == n and want is not None and event is not None
                and (ack["type"], ack["step"]) == want[:2]
                and (event["type"], event.get("step")) == want[:2]
                and (want[2] is None or event.get("value") == want[2])):
            report.lost += 1
            report.problems.append(f"run {run}: acknowledged event {seq} ({ack['type']} "
                                   f"{ack['step']}) is missing or wrong in the store")
    # The answers as `sessions show` gives them: the step's answer is its latest stored
    # edit, at or after the last one acknowledged (a commit can beat its acknowledgement).
    count = len(stored)
    answer = (shown.get("answers") or {}).get(STEP) or {}
    last_answer = max((int(a["seq"]) for a in acked if a["step"] == STEP), default=0)
    if last_answer and (count > len(expected) or answer.get("value") != expected[count - 1][2]):
        report.lost += 1
        report.problems.append(f"run {run}: `sessions show` gives the answer "
                               f"{answer.get('value')!r} after {count} stored events")


def run_crash_replay(runs: int, workdir: Path, *, seed: int | None = None, edits: int = 3000,
                     max_delay: float = 1.0, starting_share: float = 0.2) -> Report:
    """Run `sdm replay --store` `runs` times against one store in `workdir`, killing it."""
    rng = random.Random(seed)
    store = workdir / "replay.sqlite3"
    home = workdir / "home"
    env = {**os.environ, "HOME": str(home), "XDG_DATA_HOME": str(home / "data"),
           "XDG_CONFIG_HOME": str(home / "config"), "XDG_STATE_HOME": str(home / "state"),
           "XDG_CACHE_HOME": str(home / "cache"), "PYTHONPATH": str(ROOT),
           "PYTHONDONTWRITEBYTECODE": "1"}
    report = Report()
    startup = 1.0  # seconds to the first acknowledgement; learnt from the runs
    for run in range(runs):
        answers = workdir / f"run-{run}.yaml"
        write_answers(answers, run, edits)
        started = time.monotonic()
        proc = subprocess.Popen([*sdm_command(), "replay", GUIDE, "--answers", str(answers),
                                 "--store", str(store), "--label", f"crash-{run}"],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                env=env, cwd=workdir)
        out, err = _Lines(proc.stdout), _Lines(proc.stderr)
        if rng.random() < starting_share:
            report.killed_while_starting += 1
            time.sleep(rng.uniform(0, startup))
        else:
            if not out.first.wait(START_TIMEOUT_S):
                report.problems.append(f"run {run}: no acknowledgement within "
                                       f"{START_TIMEOUT_S:.0f} s")
            elif out.lines:
                startup = 0.8 * startup + 0.2 * (time.monotonic() - started)
            time.sleep(rng.uniform(0, max_delay))
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
        code = proc.wait()
        lines, errors = out.join(), err.join()
        if code == 0:
            report.finished_first += 1
        elif code != -signal.SIGKILL:
            report.problems.append(f"run {run}: sdm replay exited {code}: "
                                   f"{''.join(errors).strip()[:300]}")
        try:
            acked = acknowledgements(lines)
        except ValueError as exc:
            report.problems.append(f"run {run}: {exc}")
            acked = []
        report.runs += 1
        report.events += len(acked)
        report.acknowledged += sum(a["type"] in ("answer", "edit") for a in acked)
        verify(env, store, run, edits, acked, report)
        check_store(store, run, report)
        answers.unlink()
    return report


def main(argv: list[str] | None = None) -> int:
    """Command line; exit 0 only if nothing acknowledged was lost and the store is sound."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=100, help="how many kills (default 100)")
    parser.add_argument("--seed", type=int, help="random seed, to repeat the moments")
    parser.add_argument("--edits", type=int, default=3000,
                        help="edits in each answers file (default 3000: more than a run "
                             "gets through before it is killed)")
    parser.add_argument("--max-delay", type=float, default=1.0, metavar="SECONDS",
                        help="latest kill after the first acknowledgement (default 1.0)")
    parser.add_argument("--keep", type=Path, help="run in this folder and keep the store")
    args = parser.parse_args(argv)
    if args.keep:
        args.keep.mkdir(parents=True, exist_ok=True)
        report = run_crash_replay(args.runs, args.keep, seed=args.seed, edits=args.edits,
                                  max_delay=args.max_delay)
    else:
        with tempfile.TemporaryDirectory(prefix="sdm-crash-replay-") as tmp:
            report = run_crash_replay(args.runs, Path(tmp), seed=args.seed, edits=args.edits,
                                      max_delay=args.max_delay)
    for problem in report.problems[:20]:
        print(problem, file=sys.stderr)
    print(report.summary())
    return 0 if report.ok else 1


if __name__ == "__main__":
    sys.exit(main())
