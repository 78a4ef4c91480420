"""How fast the session store saves an answer and resumes a session.

    python scripts/bench_store.py [--json] [--no-pg]

* append_ms: median time to commit one answer event (its own BEGIN IMMEDIATE transaction,
  synchronous=FULL, so an fsync each time): what the user waits before "gemt" appears.
  append_p95_ms: the 95th percentile of the same appends.
* pg_append_ms: the same appends (the same answer events, as many) to a PostgreSQL store,
  `PgStore.append(..., seq=N)` with the session lock held as the app holds it: one round trip
  each (the server function sdm_append), over a Unix socket to a throw-away server started
  for it (tests/pgserver.py) and stopped at the end. {"median": ms, "p95": ms}, also flat as
  pg_append_ms_median and pg_append_ms_p95 (beside append_ms and append_p95_ms). That server
  runs with fsync=off: the figure is the round trip and the server's work (function call,
  row insert, commit), not a flush to disk, so it is no durability cost to set beside
  SQLite's fsync'd append_ms. null, with the reason in pg_skipped, where no server can be
  started (no psycopg, no server binaries, initdb or pg_ctl failing); pg_skipped is null
  when it ran.
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


#: How many answers the append figures (SQLite's and PostgreSQL's) time by default.
APPENDS = 200


def _example_guide() -> Any:
    """The example decision aid the benchmark's sessions are made for (a `Loaded`)."""
    from assistant.guides.loader import load_file

    loaded, problems = load_file(ROOT / "docs" / "examples" / "eksempel-beslutning.yaml")
    if loaded is None:
        raise RuntimeError(f"cannot load the example guide: {problems}")
    return loaded


def _answer(i: int) -> Any:
    """The `i`th answer event the append figures time (the same for both backends)."""
    from assistant.engine.events import Answer

    return Answer(step="vigtigst", value=f"svar nummer {i} " * 5, speaker="patient",
                  at=dt.datetime.now(dt.UTC))


def _p95(times: list[float]) -> float:
    """The 95th percentile of `times` (the nearest rank at or below it)."""
    return sorted(times)[max(int(len(times) * 0.95), 1) - 1]


def bench_store(*, appends: int = APPENDS, events: int = 1000,
                repeats: int = 7) -> dict[str, Any]:
    """Measure append and resume times in a temporary store; returns the figures in ms."""
    from assistant.store import Store

    loaded = _example_guide()
    guide = loaded.document
    fold = _engine_fold()
    with tempfile.TemporaryDirectory(prefix="sdm-bench-") as tmp:
        db = Path(tmp) / "bench.sqlite3"
        with Store.open(db) as store:
            session = store.create_session(loaded, "bench").id
            times: list[float] = []
            for i in range(appends):
                event = _answer(i)
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
        "append_p95_ms": round(_p95(times) * 1000, 3),
        "resume_ms": round(statistics.median(r[2] for r in resumes) * 1000, 3),
        "resume_open_ms": round(statistics.median(r[0] for r in resumes) * 1000, 3),
        "resume_open_and_load_ms": round(statistics.median(r[1] for r in resumes) * 1000, 3),
        "resume_events": events,
        "resume_includes_fold": fold is not None,
    }


def _pg_skipped(reason: str) -> dict[str, Any]:
    return {"pg_append_ms": None, "pg_append_ms_median": None, "pg_append_ms_p95": None,
            "pg_skipped": reason}


def bench_pg_append(*, appends: int = APPENDS) -> dict[str, Any]:
    """pg_append_ms: `appends` answer events appended one by one to a PostgreSQL store.

    A throw-away server (tests/pgserver.py: Unix socket only, fsync=off) is started for it
    and stopped at the end, whatever happens. Each append is `PgStore.append(..., seq=N)`, the
    app's idempotent write, with the session lock held: one round trip to sdm_append. With
    fsync off this times the round trip and the server's work, not a disk flush.

    Returns pg_append_ms ({"median": ms, "p95": ms}), the same two as pg_append_ms_median and
    pg_append_ms_p95, and pg_skipped (None). Where no server can be started, those figures
    are None and pg_skipped says why; a failure after the server is up (the store's own
    errors) is raised, not hidden.
    """
    import subprocess

    from tests import pgserver

    why = pgserver.unavailable()
    if why is not None:
        return _pg_skipped(why)
    try:
        server = pgserver.PgServer.start()
    except (RuntimeError, OSError, subprocess.SubprocessError) as exc:
        said = " ".join(str(exc).split())[:300] or repr(exc)
        return _pg_skipped(f"the PostgreSQL server did not start: {said}")
    try:
        from assistant.pgstore.store import PgStore

        loaded = _example_guide()
        times: list[float] = []
        with PgStore.open(server.new_database()) as store:
            session = store.create_session(loaded, "bench").id
            with store.lock(session):
                for i in range(appends):
                    event = _answer(i)
                    begin = time.perf_counter()
                    store.append(session, event, seq=i + 1)
                    times.append(time.perf_counter() - begin)
    finally:
        server.stop()
    median, p95 = round(statistics.median(times) * 1000, 3), round(_p95(times) * 1000, 3)
    return {"pg_append_ms": {"median": median, "p95": p95}, "pg_append_ms_median": median,
            "pg_append_ms_p95": p95, "pg_skipped": None}


def main(argv: list[str] | None = None) -> int:
    """Print the figures (as JSON with --json)."""
    parser = argparse.ArgumentParser(description="benchmark the session store")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--no-pg", action="store_true",
                        help="SQLite only: start no PostgreSQL server")
    args = parser.parse_args(argv)
    result = bench_store()
    if not args.no_pg:
        result.update(bench_pg_append())
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        for key, value in result.items():
            print(f"{key:22} {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
