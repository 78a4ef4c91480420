"""TUI test fixtures: the bundled library, a fixed clock, an app factory (its sessions are
recorded in a store in a temporary folder, as the ward's are in theirs)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from assistant.guides.loader import Library, load_library
from assistant.service.sessions import SessionService
from assistant.store import open_store
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


def temporary_service(library: Library, folder: Path,
                      clock: Callable[[], dt.datetime] | None = None) -> SessionService:
    """A session service over a new store in `folder` (made if need be); `clock` gives the
    store's times (when a session was last used: shown on the home screen)."""
    folder.mkdir(parents=True, exist_ok=True)
    store = open_store(folder / "store.sqlite3", clock=clock or FakeClock())
    return SessionService(store, library)


@pytest.fixture
def app_factory(library: Library, tmp_path: Path) -> Iterator[Callable[..., SdmApp]]:
    services: list[SessionService] = []

    def build(**kwargs: object) -> SdmApp:
        kwargs.setdefault("clock", FakeClock())
        if "service" not in kwargs:
            services.append(temporary_service(library, tmp_path / f"store-{len(services)}"))
            kwargs["service"] = services[-1]
        return make_app(library, **kwargs)  # type: ignore[arg-type]

    yield build
    for service in services:
        service.store.close()
