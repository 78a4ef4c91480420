"""scripts/bench_export.py and scripts/bench.py run and report every figure (the targets are
checked by running the scripts themselves: timings on shared test machines are too noisy to
assert, so no test here compares a time with a limit)."""

from __future__ import annotations

from tests.store.test_crash import load_script


def test_bench_export_runs() -> None:
    result = load_script("bench_export").bench_export(runs=1)
    assert set(result) == {"export_ms", "draft_ms", "text_ms", "md_ms", "html_ms", "json_ms",
                           "fhir_ms"}
    assert all(isinstance(v, float | int) and v >= 0 for v in result.values())


def test_bench_hostile_runs() -> None:
    from tests.guides.test_regressions import APPENDIX_A

    result = load_script("bench").bench_hostile(repeats=1)
    assert set(result) == {"hostile_inputs", "hostile_ms_max", "hostile_ms_total"}
    assert result["hostile_inputs"] >= len(APPENDIX_A)
    assert result["hostile_ms_max"] >= 0
