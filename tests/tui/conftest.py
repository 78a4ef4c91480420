"""TUI test fixtures: the bundled library, a fixed clock, an app factory."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator

import pytest

from assistant.guides.loader import Library, load_library
from assistant.tui.app import SdmApp, make_app

T0 = dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC)


class FakeClock:
    """A clock that moves one minute per reading: deterministic times in answers."""

    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> dt.datetime:
        self.now += dt.timedelta(minutes=1)
        return self.now


@pytest.fixture(scope="session")
def library() -> Library:
    lib = load_library()
    assert lib.ok, [p.format() for p in lib.errors]
    return lib


@pytest.fixture
def app_factory(library: Library) -> Iterator[Callable[..., SdmApp]]:
    def build(**kwargs: object) -> SdmApp:
        kwargs.setdefault("clock", FakeClock())
        return make_app(library, **kwargs)  # type: ignore[arg-type]

    yield build
