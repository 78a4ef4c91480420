"""scripts/bench_export.py runs and reports every figure (the 100 ms target is checked by
running the script itself: timings on shared test machines are too noisy to assert)."""

from __future__ import annotations

from tests.store.test_crash import load_script


def test_bench_export_runs() -> None:
    result = load_script("bench_export").bench_export(runs=1)
    assert set(result) == {"export_ms", "draft_ms", "text_ms", "md_ms", "html_ms", "json_ms",
                           "fhir_ms"}
    assert 0 < result["export_ms"] < 2000
