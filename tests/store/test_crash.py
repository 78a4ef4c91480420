"""The fast crash test (R1): kill -9 a writer at random moments, lose nothing acknowledged."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

from tests.conftest import ROOT


def load_script(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, ROOT / "scripts" / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def test_kill_9_loses_no_acknowledged_answer(tmp_path: Path) -> None:
    crash = load_script("crash_test")
    report = crash.run_crash_test(12, tmp_path, seed=7)
    assert report.problems == []
    assert report.runs == 12
    assert report.lost == 0
    assert report.integrity_ok == 12
    assert report.acknowledged > 0  # the kills did land while answers were being saved
    assert report.ok
    assert report.summary().startswith("crash test: 12 runs, 0 lost answers, integrity ok 12/12")


def test_bench_store_runs() -> None:
    bench = load_script("bench_store")
    result = bench.bench_store(appends=5, events=50, repeats=1)
    assert result["append_ms"] > 0
    assert result["resume_ms"] >= result["resume_open_and_load_ms"] >= result["resume_open_ms"]
    assert result["resume_events"] == 50
