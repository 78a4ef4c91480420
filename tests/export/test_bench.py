"""scripts/bench_export.py, scripts/bench_store.py and scripts/bench.py run and report every
figure (the targets are checked by running the scripts themselves: timings on shared test
machines are too noisy to assert, so no test here compares a time with a limit)."""

from __future__ import annotations

import pytest

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


PG_KEYS = {"pg_append_ms", "pg_append_ms_median", "pg_append_ms_p95", "pg_skipped"}


def test_bench_pg_append_reports_median_and_p95() -> None:
    """The PostgreSQL part of the store benchmark starts its own server, times a few appends
    and stops it: the shape of what it reports (not the times)."""
    from tests import pgserver

    why = pgserver.unavailable()
    if why is not None:
        pytest.skip(f"PostgreSQL benchmark not run: {why}")
    result = load_script("bench_store").bench_pg_append(appends=3)
    assert set(result) == PG_KEYS
    assert result["pg_skipped"] is None
    assert set(result["pg_append_ms"]) == {"median", "p95"}
    assert result["pg_append_ms"]["median"] == result["pg_append_ms_median"]
    assert result["pg_append_ms"]["p95"] == result["pg_append_ms_p95"]
    assert all(isinstance(v, float) and v > 0 for v in result["pg_append_ms"].values())


def test_bench_pg_append_without_a_server_says_why(monkeypatch: pytest.MonkeyPatch) -> None:
    """No server here: null figures and the reason, not a failed benchmark."""
    from tests import pgserver

    monkeypatch.setattr(pgserver, "unavailable", lambda: "no server binaries (test)")
    monkeypatch.setattr(pgserver.PgServer, "start", lambda: pytest.fail("started a server"))
    result = load_script("bench_store").bench_pg_append(appends=3)
    assert result == {"pg_append_ms": None, "pg_append_ms_median": None,
                      "pg_append_ms_p95": None, "pg_skipped": "no server binaries (test)"}
