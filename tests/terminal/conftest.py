"""Fixtures for the real-terminal scenario tests: a started `Terminal` per test."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.terminal.harness import Terminal


@pytest.fixture
def term(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Terminal]:
    """`sdm` started in a private tmux server, at the size the test is parametrised with
    (`@pytest.mark.parametrize("term", SIZES, indirect=True)`; default 80×24). The server is
    killed afterwards, whatever happened."""
    width, height = getattr(request, "param", (80, 24))
    terminal = Terminal(tmp_path, width, height)
    try:
        yield terminal.start()
    finally:
        terminal.kill()
