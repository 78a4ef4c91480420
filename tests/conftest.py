"""Shared fixtures: paths to the example guides, and isolation of user directories."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "docs" / "examples"
BUNDLED = ROOT / "decision_aids"


@pytest.fixture(autouse=True)
def _private_dirs(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Point data, config and cache directories at a temporary folder for every test."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("TZ", "UTC")  # times shown in the UI are local: make them fixed
    time.tzset()
    for var in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"):
        monkeypatch.setenv(var, str(home / var.lower()))


@pytest.fixture
def example_aid_text() -> str:
    return (EXAMPLES / "eksempel-beslutning.yaml").read_text(encoding="utf-8")


@pytest.fixture
def example_plan_text() -> str:
    return (EXAMPLES / "eksempel-plan.yaml").read_text(encoding="utf-8")
