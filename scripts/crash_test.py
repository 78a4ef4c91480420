"""Kill -9 a writer at random moments; no acknowledged answer may be lost (requirement R1).

    python scripts/crash_test.py --runs 100

Each run starts a child process that opens the store, takes the session lock and appends
answer events as fast as it can, printing each event's sequence number only after `append`
has returned (that is the moment the UI would show "gemt"). The parent kills the child with
SIGKILL at a random moment: usually while it appends, sometimes while it is still starting
(importing, opening, checking the store). Afterwards the parent reopens the store and checks
that every acknowledged answer is there with the right content, that the store opens
read-write (not as damaged), and that `PRAGMA integrity_check` says ok.

The tests run the same harness with a few runs (tests/store/test_crash.py).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

#: The child appends at most this many answers (a safety net: it is always killed first).
MAX_APPENDS = 100_000


@dataclass
class CrashReport:
    """What the runs found. `lost` counts acknowledged answers missing or wrong afterwards."""

    runs: int = 0
    acknowledged: int = 0
    lost: int = 0
    integrity_ok: int = 0
    opened_damaged: int = 0
    killed_while_starting: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when nothing was lost and every run left a sound store."""
        return self.lost == 0 and self.integrity_ok == self.runs and not self.opened_damaged

    def summary(self) -> str:
        """One line, e.g. `crash test: 100 runs, 0 lost answers, integrity ok 100/100`."""
        return (f"crash test: {self.runs} runs, {self.lost} lost answers, integrity ok "
                f"{self.integrity_ok}/{self.runs} ({self.acknowledged} answers acknowledged, "
                f"{self.killed_while_starting} runs killed while starting)")


def child(db: Path, session_id: str, run: int) -> None:
    """Append answers until killed; print `seq k` after each append has returned."""
    from assistant.engine.events import Answer
    from assistant.store import Store

    store = Store.open(db)
    lock = store.lock(session_id).acquire()
    print("ready", flush=True)
    for k in range(MAX_APPENDS):
        event = Answer(step="vigtigst", value=f"run{run}-answer{k}", speaker="patient",
                       at=dt.datetime.now(dt.UTC))
        seq = store.append(session_id, event)
        print(f"{seq} {k}", flush=True)
    lock.release()
    store.close()


def _new_session(db: Path) -> str:
    from assistant.guides.loader import load_file
    from assistant.store import Store

    loaded, problems = load_file(ROOT / "docs" / "examples" / "eksempel-beslutning.yaml")
    if loaded is None:
        raise SystemExit(f"cannot load the example guide: {problems}")
    with Store.open(db) as store:
        return store.create_session(loaded, "crash").id


def _acknowledged(output: str) -> list[tuple[int, int]]:
    """(seq, k) for every complete line the child printed (a cut-off last line is not)."""
    pairs: list[tuple[int, int]] = []
    for line in output.splitlines(keepends=True):
        parts = line.split()
        if line.endswith("\n") and len(parts) == 2 and all(p.isdigit() for p in parts):
            pairs.append((int(parts[0]), int(parts[1])))
    return pairs


def _verify(db: Path, session_id: str, run: int, acked: list[tuple[int, int]],
            report: CrashReport) -> None:
    from assistant.engine.events import Answer
    from assistant.store import Store

    with Store.open(db) as store:
        if store.read_only:
            report.opened_damaged += 1
            report.problems.append(f"run {run}: store opened read-only: {store.damage}")
        events = store.load_events(session_id)
        for seq, k in acked:
            event = events[seq - 1] if seq <= len(events) else None
            if not isinstance(event, Answer) or event.value != f"run{run}-answer{k}":
                report.lost += 1
                report.problems.append(f"run {run}: acknowledged seq {seq} missing or wrong")
        result = [row[0] for row in store.db.read("PRAGMA integrity_check")]
        if result == ["ok"]:
            report.integrity_ok += 1
        else:
            report.problems.append(f"run {run}: integrity_check: {result[:3]}")


def run_crash_test(runs: int, workdir: Path, *, seed: int | None = None,
                   max_delay: float = 0.25, starting_share: float = 0.2) -> CrashReport:
    """Run the kill -9 test `runs` times against one store in `workdir`.

    In about `starting_share` of the runs the child is killed at a random moment while it
    starts; in the others at a random moment up to `max_delay` seconds after it has started
    appending.
    """
    rng = random.Random(seed)
    db = workdir / "crash.sqlite3"
    report = CrashReport()
    startup = 0.5  # seconds; measured from the runs that get to "ready"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    for run in range(runs):
        session_id = _new_session(db)
        started = time.monotonic()
        proc = subprocess.Popen(
            [sys.executable, str(Path(__file__).resolve()), "--child", str(db), session_id,
             str(run)], stdout=subprocess.PIPE, text=True, env=env, cwd=ROOT)
        assert proc.stdout is not None
        early = rng.random() < starting_share
        if early:
            time.sleep(rng.uniform(0, startup))
            report.killed_while_starting += 1
        else:
            if proc.stdout.readline().strip() != "ready":
                report.problems.append(f"run {run}: the child did not start")
            startup = 0.8 * startup + 0.2 * (time.monotonic() - started)
            time.sleep(rng.uniform(0, max_delay))
        proc.send_signal(signal.SIGKILL)
        output, _ = proc.communicate()
        acked = _acknowledged(output)
        report.acknowledged += len(acked)
        report.runs += 1
        _verify(db, session_id, run, acked, report)
    return report


def main(argv: list[str] | None = None) -> int:
    """Command line: `--runs N` (default 100); exit 0 only if nothing was lost."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--runs", type=int, default=100)
    parser.add_argument("--seed", type=int, help="random seed, to repeat a run exactly")
    parser.add_argument("--keep", type=Path, help="run in this folder and keep the store")
    parser.add_argument("--child", nargs=3, metavar=("DB", "SESSION", "RUN"),
                        help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        db, session_id, run = args.child
        child(Path(db), session_id, int(run))
        return 0
    if args.keep:
        args.keep.mkdir(parents=True, exist_ok=True)
        report = run_crash_test(args.runs, args.keep, seed=args.seed)
    else:
        with tempfile.TemporaryDirectory(prefix="sdm-crash-") as tmp:
            report = run_crash_test(args.runs, Path(tmp), seed=args.seed)
    for problem in report.problems[:20]:
        print(problem, file=sys.stderr)
    print(report.summary())
    return 0 if report.ok else 1


if __name__ == "__main__":
    sys.exit(main())
