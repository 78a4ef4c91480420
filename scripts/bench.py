"""Performance targets as ratios against a baseline measured in the same run.

    python scripts/bench.py --json

Absolute times on shared 2-core machines vary by ±30%; a ratio of two things measured side by
side does not. Each figure is the median of several repeats. Targets (checked with --check):

* load_ratio: load + validate the bundled library plus a generated 200-guide library, divided
  by the C parser's event stream over the same files (what the loader itself reads: the
  floor). Target ≤ 2.5. load_ratio_safe: the same against ruamel.yaml's C-accelerated safe
  loader (the yardstick before issue 16), no target.
* validate_2000_ratio: 2,000 generated guides, loaded and validated, against the event-stream
  floor over the same files. Target ≤ 2.5. Runs with `--only validate` (or all).
* startup_ratio, turn_ratio (+ turn p95, peak RSS): see scripts/bench_ui.py. Targets ≤ 1.5, ≤ 2.
* turn_ratio_500: a turn with 500 messages in the transcript / one with 20 (same guide, same
  run; the cost of a turn must not grow with the transcript). Target ≤ 1.25.
* turn_cpu_ratio: a turn's process CPU time / a bare Textual app's for appending one Static
  (Pilot's sleeps are not in it). Target ≤ 2. Both: see scripts/bench_ui.py.
* append_ms, append_p95_ms, resume_ms: see scripts/bench_store.py (absolute: they are
  disk-bound).
* pg_append_ms: {"median": ms, "p95": ms} (also flat: pg_append_ms_median, pg_append_ms_p95)
  for the same answer appends to a PostgreSQL store (`PgStore.append(..., seq=N)`, one round
  trip each) on a throw-away server started and stopped by the store part
  (tests/pgserver.py). That server runs with fsync=off: the figure is the round trip and
  the server's work, not a disk flush (so not a durability cost beside append_ms). No
  target. null, with the reason in pg_skipped, where no server can be started (no psycopg,
  no server binaries). See scripts/bench_store.py `bench_pg_append`.
* cli_help_ratio: `sdm --help` as a process vs `python -c "import argparse"`. Target ≤ 2.
* bytecode: the package is compiled to .pyc first (as an installed wheel is), so start-up
  figures do not include compiling 100 modules from source (PYTHONDONTWRITEBYTECODE is set
  on these machines).
* resume_10k_ms, resume_50k_ms, resume_growth: folding 10k and 50k events into a state (the
  engine's share of a resume). Targets: 50k under 2,000 ms, growth (50k/10k) ≤ 6.5 (linear).
* export_ms: see scripts/bench_export.py (when present). Target < 100 ms.
* kdf_ms: deriving a store's passphrase key with the default settings (Argon2id 64 MiB, 3
  passes), as unlocking an encrypted store does: a plain figure, no target (about 200 ms on a
  current laptop). No test asserts it, as a busy machine is slow; tests/privacy/
  test_encryption.py checks the settings. Runs by default, or alone with `--only kdf`.
* hostile_ms_max, hostile_ms_total: refusing each hostile YAML input of the loader's tests
  (tests/guides/test_regressions.py APPENDIX_A, the forbidden constructs and an alias bomb):
  the slowest one and all together. A figure, not a test: the tests check the outcome (clean
  problems at their place), this says how long it took: a fraction of a second each.

`--only load,ui,store,export,hostile` runs a subset.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

TARGETS: dict[str, float] = {
    "load_ratio": 2.5,
    "validate_2000_ratio": 2.5,
    "startup_ratio": 1.5,
    "startup_fair_ratio": 1.1,
    "turn_ratio": 2.0,
    "turn_ratio_500": 1.25,
    "turn_cpu_ratio": 2.0,
    "cli_help_ratio": 2.0,
    "resume_50k_ms": 2000.0,
    "resume_growth": 6.5,
}


def _median_time(fn: Callable[[], object], repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _generated_library(folder: Path, count: int = 200) -> None:
    """Write `count` decision aids (variants of the bundled and example aids) into `folder`."""
    from assistant.guides.loader import guide_files

    sources = [p for p in guide_files([ROOT / "decision_aids", ROOT / "docs" / "examples"])
               if "kind: decision_aid" in p.read_text(encoding="utf-8")]
    plans = ROOT / "docs" / "examples" / "eksempel-plan.yaml"
    shutil.copy(plans, folder / "eksempel-plan.yaml")
    for i in range(count):
        src = sources[i % len(sources)]
        text = src.read_text(encoding="utf-8")
        first_id = next(line for line in text.splitlines() if line.startswith("id: "))
        text = text.replace(first_id, f"{first_id}-gen{i}", 1)
        (folder / f"gen-{i:03d}.yaml").write_text(text, encoding="utf-8")


def _event_floor(files: list[Path]) -> Callable[[], None]:
    """Reading `files` as the loader reads them, and no more: the bytes decoded, then every
    event of ruamel.yaml's C parser drained. The true floor for this reader: no document is
    built, nothing checked (issue 16: the safe loader's Python composer is not a floor)."""
    from ruamel.yaml.cyaml import CParser  # type: ignore[attr-defined]
    from ruamel.yaml.events import StreamEndEvent

    def floor() -> None:
        for path in files:
            parser = CParser(path.read_bytes().decode("utf-8"))
            while not isinstance(parser.get_event(), StreamEndEvent):
                pass
            parser.dispose()

    return floor


def _load_checked(folder: Path) -> Callable[[], None]:
    from assistant.guides.loader import load_library

    def ours() -> None:
        library = load_library([folder])
        if library.errors:
            raise SystemExit("bench: the generated library does not validate:\n"
                             + "\n".join(p.format() for p in library.errors[:5]))

    return ours


def bench_load(repeats: int) -> dict[str, Any]:
    """load_ratio: the bundled library plus 200 generated guides, loaded and validated, vs the
    C parser's event stream over the same files; load_ratio_safe: the same vs ruamel.yaml's
    safe loader (the yardstick before issue 16)."""
    from ruamel.yaml import YAML

    from assistant.guides.loader import guide_files

    with tempfile.TemporaryDirectory(prefix="sdm-bench-") as tmp:
        folder = Path(tmp)
        _generated_library(folder)
        files = guide_files([ROOT / "decision_aids", folder])
        safe = YAML(typ="safe", pure=False)  # the C parser, from ruamel.yaml.clib

        def safe_load() -> None:
            for path in files:
                safe.load(path.read_bytes())

        floor = _event_floor(files)
        ours = _load_checked(folder)
        ours()  # warm up imports and model building, which a real start pays once
        safe_load()
        floor()
        base = _median_time(floor, repeats)
        base_safe = _median_time(safe_load, repeats)
        mine = _median_time(ours, repeats)
    return {
        "load_ratio": round(mine / base, 3),
        "load_ratio_safe": round(mine / base_safe, 3),
        "load_ms": round(mine * 1000, 1),
        "load_baseline_ms": round(base * 1000, 1),
        "load_safe_baseline_ms": round(base_safe * 1000, 1),
        "load_files": len(files),
    }


def bench_validate(repeats: int) -> dict[str, Any]:
    """validate_2000_ratio: 2,000 generated guides loaded and validated vs the C parser's
    event stream over the same files (validation must grow with the library, not faster);
    peak RSS of the process after it."""
    import resource

    from assistant.guides.loader import guide_files

    with tempfile.TemporaryDirectory(prefix="sdm-bench-") as tmp:
        folder = Path(tmp)
        _generated_library(folder, count=2000)
        files = guide_files([folder])
        floor, ours = _event_floor(files), _load_checked(folder)
        ours()
        floor()
        count = max(3, repeats // 2)
        base = _median_time(floor, count)
        mine = _median_time(ours, count)
    return {
        "validate_2000_ratio": round(mine / base, 3),
        "validate_2000_ms": round(mine * 1000, 1),
        "validate_2000_baseline_ms": round(base * 1000, 1),
        "validate_2000_peak_rss_mib": round(
            resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


def bench_hostile(repeats: int) -> dict[str, Any]:
    """How long the loader takes to refuse hostile inputs (the median of `repeats` each)."""
    from assistant.guides.loader import parse_text
    from tests.guides.test_regressions import APPENDIX_A
    from tests.guides.test_yamlsubset import ALIAS_BOMB

    inputs = [*APPENDIX_A, ALIAS_BOMB, "[" * 10_000 + "]" * 10_000,
              "a: " + "x" * (1024 * 1024 - 10) + "\n", "- a\n" * 50_000]
    times = [_median_time(lambda text=text: parse_text(text, "hostile.yaml"), repeats)
             for text in inputs]
    return {
        "hostile_inputs": len(inputs),
        "hostile_ms_max": round(max(times) * 1000, 2),
        "hostile_ms_total": round(sum(times) * 1000, 2),
    }


def bench_kdf(repeats: int) -> dict[str, Any]:
    """The default key derivation, as unlocking an encrypted store runs it (median)."""
    from assistant.store.crypto import default_kdf, derive_key, wipe

    params = default_kdf()

    def derive() -> None:
        wipe(derive_key("korrekt hest batteri hæfteklamme", b"s" * 16, params))

    derive()  # warm up
    return {"kdf_ms": round(_median_time(derive, max(3, repeats // 2)) * 1000, 1),
            "kdf": params.name}


def bench_replay(repeats: int) -> dict[str, Any]:
    """Folding a long session's events into its state, as resuming it does (engine only).

    The events are one answer and then edits of it (scripts/bench_store.py `_resume_events`),
    the worst case for a log that is copied per event. `resume_growth` is the 50k time over the
    10k time: linear replay gives about 5 (target: within 1.3 x 5 = 6.5).
    """
    from bench_store import _resume_events

    from assistant.engine.state import fold
    from assistant.guides.loader import load_library

    guide = load_library().guides["kortvarig-indlaeggelse"].document
    out: dict[str, Any] = {}
    for count in (10_000, 50_000):
        events = _resume_events(count)
        fold(guide, events[:100])  # warm up
        seconds = _median_time(lambda ev=events: fold(guide, ev), max(3, repeats // 2))
        out[f"resume_{count // 1000}k_ms"] = round(seconds * 1000, 1)
    out["resume_growth"] = round(out["resume_50k_ms"] / out["resume_10k_ms"], 2)
    return out


def compile_bytecode() -> str:
    """Compile the package to bytecode first, as an installed wheel is.

    With PYTHONDONTWRITEBYTECODE set (as on these machines) an editable install would compile
    every module from source at every start, a cost no installed copy pays (about 0.35 of the
    start-up ratio). `compileall` writes the .pyc files whatever that variable says.
    """
    import compileall

    ok = compileall.compile_dir(str(ROOT / "assistant"), quiet=1)
    return "compiled" if ok else "partly compiled"


def bench_cli(repeats: int) -> dict[str, Any]:
    """`sdm --help` as a whole process vs `python -c "import argparse"` (interleaved,
    medians; peak RSS of each).

    Target ≤ 2: printing the help loads the parser and nothing of the app (no Textual, no
    pydantic models, no store), so it should cost about what argparse itself costs.
    """
    from bench_ui import _interleaved

    help_code = "import sys; from assistant.cli import main; sys.exit(main(['--help']))"
    programs = {"cli_help": (help_code,), "cli_help_baseline": ("import argparse",)}
    _interleaved(programs, 1)  # warm the OS file cache
    out = _interleaved(programs, max(repeats, 11))
    return {"cli_help_ratio": round(out["cli_help_ms"] / out["cli_help_baseline_ms"], 3), **out}


def main() -> int:
    parser = argparse.ArgumentParser(description="sdm-assistant benchmarks (ratios)")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--check", action="store_true", help="exit 1 if a target is missed")
    parser.add_argument("--only", default="load,validate,ui,cli,store,replay,export,hostile",
                        help="comma-separated parts to run (load, validate, ui, cli, store, "
                             "replay, export, hostile, kdf)")
    args = parser.parse_args()
    parts = set(args.only.split(","))
    results: dict[str, Any] = {"bytecode": compile_bytecode()}
    if "ui" in parts:
        from bench_ui import bench_startup, bench_turns

        results.update(bench_startup(args.repeats))
        results.update(bench_turns())
    if "cli" in parts:
        results.update(bench_cli(args.repeats))
    if "store" in parts:
        from bench_store import bench_pg_append, bench_store

        store = bench_store()
        results.update({k: v for k, v in store.items()
                        if k in ("append_ms", "append_p95_ms", "resume_ms")})
        results.update(bench_pg_append())  # the same appends; null + pg_skipped if no server
    if "replay" in parts:
        results.update(bench_replay(args.repeats))
    if "export" in parts and (ROOT / "scripts" / "bench_export.py").exists():
        from bench_export import bench_export

        results.update(bench_export())
    if "hostile" in parts:
        results.update(bench_hostile(args.repeats))
    # Last: the 2,000-guide library grows this process to ~300 MiB, and a child started
    # after that reports the parent's size as its own peak RSS (fork copies it).
    if "load" in parts:
        results.update(bench_load(args.repeats))
    if "validate" in parts:
        results.update(bench_validate(args.repeats))
    if "kdf" in parts or args.only == parser.get_default("only"):
        results.update(bench_kdf(args.repeats))
    missed = [k for k, limit in TARGETS.items() if k in results and results[k] > limit]
    results["targets"] = TARGETS
    results["missed"] = missed
    if args.json:
        print(json.dumps(results, indent=2))
    else:
        for key, value in results.items():
            print(f"{key:>20}: {value}")
    return 1 if (args.check and missed) else 0


if __name__ == "__main__":
    raise SystemExit(main())
