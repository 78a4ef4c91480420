"""How fast the session store saves an answer and resumes a session.

    python scripts/bench_store.py [--json]

* append_ms: median time to commit one answer event (its own BEGIN IMMEDIATE transaction,
  synchronous=FULL, so an fsync each time): what the user waits before "gemt" appears.
* resume_ms: median time to reopen a session of 1,000 events: open the store (including the
  quick_check and WAL scan), load the events and, when the engine is there, fold them into
  the session state. resume_open_ms and resume_open_and_load_ms show the store's share.

Measured in a temporary folder on the same disk as the system's temp directory; absolute
figures depend heavily on the disk's fsync latency.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _engine_fold() -> Callable[[Any, Any], object] | None:
    try:
        from assistant.engine import fold
    except ImportError:  # the engine is optional for this benchmark
        return None
    return fold


def _resume_events(count: int) -> list[Any]:
    """`count` events the engine accepts: one answer, then edits of it."""
    from assistant.engine.events import Answer, Edit

    start = dt.datetime(2026, 5, 1, 10, tzinfo=dt.UTC)
    levels = ("a_little", "some", "everything")
    events: list[Any] = [Answer(step="information_level", value="some", speaker="patient",
                                at=start)]
    for i in range(1, count):
        events.append(Edit(step="information_level", value=levels[i % 3], speaker="patient",
                           at=start + dt.timedelta(seconds=i)))
    return events


def bench_store(*, appends: int = 200, events: int = 1000, repeats: int = 7) -> dict[str, Any]:
    """Measure append and resume times in a temporary store; returns the figures in ms."""
    from assistant.engine.events import Answer
    from assistant.guides.loader import load_file
    from assistant.store import Store

    loaded, problems = load_file(ROOT / "docs" / "examples" / "eksempel-beslutning.yaml")
    if loaded is None:
        raise RuntimeError(f"cannot load the example guide: {problems}")
    guide = loaded.document
    fold = _engine_fold()
    with tempfile.TemporaryDirectory(prefix="sdm-bench-") as tmp:
        db = Path(tmp) / "bench.sqlite3"
        with Store.open(db) as store:
            session = store.create_session(loaded, "bench").id
            times: list[float] = []
            for i in range(appends):
                event = Answer(step="vigtigst", value=f"svar nummer {i} " * 5, speaker="patient",
                               at=dt.datetime.now(dt.UTC))
                begin = time.perf_counter()
                store.append(session, event)
                times.append(time.perf_counter() - begin)
            long_session = store.create_session(loaded, "resume").id
            for event in _resume_events(events):
                store.append(long_session, event)
        resumes: list[tuple[float, float, float]] = []  # (opened, loaded, folded) times
        for _ in range(repeats):
            begin = time.perf_counter()
            store = Store.open(db)
            opened = time.perf_counter()
            loaded_events = store.load_events(long_session)
            read = time.perf_counter()
            if fold is not None:
                fold(guide, loaded_events)
            folded = time.perf_counter()
            resumes.append((opened - begin, read - begin, folded - begin))
            store.close()
        assert len(loaded_events) == events
    return {
        "append_ms": round(statistics.median(times) * 1000, 3),
        "append_p95_ms": round(sorted(times)[int(len(times) * 0.95) - 1] * 1000, 3),
        "resume_ms": round(statistics.median(r[2] for r in resumes) * 1000, 3),
        "resume_open_ms": round(statistics.median(r[0] for r in resumes) * 1000, 3),
        "resume_open_and_load_ms": round(statistics.median(r[1] for r in resumes) * 1000, 3),
        "resume_events": events,
        "resume_includes_fold": fold is not None,
    }


def main(argv: list[str] | None = None) -> int:
    """Print the figures (as JSON with --json)."""
    parser = argparse.ArgumentParser(description="benchmark the session store")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    result = bench_store()
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        for key, value in result.items():
            print(f"{key:22} {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
