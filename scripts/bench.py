"""Performance targets as ratios against a baseline measured in the same run.

    python scripts/bench.py --json

Absolute times on shared 2-core machines vary by ±30%; a ratio of two things measured side by
side does not. Each figure is the median of several repeats. Targets (checked with --check):

* load_ratio: load + validate the bundled library plus a generated 200-guide library, divided
  by ruamel.yaml's C-accelerated safe parser reading the same files. Target ≤ 2.5.
* startup_ratio, turn_ratio (+ turn p95, peak RSS): see scripts/bench_ui.py. Targets ≤ 1.5, ≤ 2.
* append_ms, resume_ms: see scripts/bench_store.py (absolute: they are disk-bound).
* export_ms: see scripts/bench_export.py (when present). Target < 100 ms.

`--only load,ui,store,export` runs a subset.
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
    "startup_ratio": 1.5,
    "turn_ratio": 2.0,
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


def bench_load(repeats: int) -> dict[str, Any]:
    from ruamel.yaml import YAML

    from assistant.guides.loader import guide_files, load_library

    with tempfile.TemporaryDirectory(prefix="sdm-bench-") as tmp:
        folder = Path(tmp)
        _generated_library(folder)
        files = guide_files([ROOT / "decision_aids", folder])
        safe = YAML(typ="safe", pure=False)  # the C parser, from ruamel.yaml.clib

        def baseline() -> None:
            for path in files:
                safe.load(path.read_bytes())

        def ours() -> None:
            library = load_library([folder])
            if library.errors:
                raise SystemExit("bench: the generated library does not validate:\n"
                                 + "\n".join(p.format() for p in library.errors[:5]))

        ours()  # warm up imports and model building, which a real start pays once
        baseline()
        base = _median_time(baseline, repeats)
        mine = _median_time(ours, repeats)
    return {
        "load_ratio": round(mine / base, 3),
        "load_ms": round(mine * 1000, 1),
        "load_baseline_ms": round(base * 1000, 1),
        "load_files": len(files),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description="sdm-assistant benchmarks (ratios)")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--check", action="store_true", help="exit 1 if a target is missed")
    parser.add_argument("--only", default="load,ui,store,export",
                        help="comma-separated parts to run (load, ui, store, export)")
    args = parser.parse_args()
    parts = set(args.only.split(","))
    results: dict[str, Any] = {}
    if "load" in parts:
        results.update(bench_load(args.repeats))
    if "ui" in parts:
        from bench_ui import bench_startup, bench_turns

        results.update(bench_startup(args.repeats))
        results.update(bench_turns())
    if "store" in parts:
        from bench_store import bench_store

        store = bench_store()
        results.update({k: v for k, v in store.items() if k in ("append_ms", "resume_ms")})
    if "export" in parts and (ROOT / "scripts" / "bench_export.py").exists():
        from bench_export import bench_export

        results.update(bench_export())
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
