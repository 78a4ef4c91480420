"""The chat on a department server (issue 19, item 2): the same conversation as on a file,
each answer committed on the server before the screen goes on; a connection cut in the
middle (the server restarted) is made again, the answer sent again and the user told; a
server that cannot be reached at start is said on the home screen, and the local file is
used only when the user chooses it (F6), never silently."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.widgets import OptionList, Static

from assistant.engine import Answer
from assistant.guides.loader import Library
from assistant.guides.status import LibraryStatus
from assistant.tui.app import SdmApp, make_app
from assistant.tui.run import _loader
from assistant.tui.screens.home import HomeScreen
from tests.pgserver import url as _url
from tests.tui.conftest import FakeClock

from .driver import answer_current, start, until


def _app(library: Library, store: str) -> SdmApp:
    return make_app(None, service=None, status=LibraryStatus.from_library(library),
                    loader=lambda: _loader(store), clock=FakeClock())


def _answers_on_server(conninfo: str) -> list[tuple[str, str]]:
    from assistant.pgstore.store import PgStore

    with PgStore.open(conninfo) as store:
        rows = store.list_sessions()
        assert len(rows) == 1
        return [(e.step, e.speaker) for e in store.load_events(rows[0].id)
                if isinstance(e, Answer)]


async def test_a_conversation_on_a_server_survives_a_cut_connection(
        library: Library, pg_server: Any) -> None:
    conninfo = pg_server.new_database()
    app = _app(library, _url(conninfo))
    try:
        async with app.run_test(size=(100, 40)) as pilot:
            await until(pilot, lambda: app._service is not None, "the server store to open")
            assert type(app.service.store).__name__ == "PgStore"
            await until(pilot, lambda: bool(app.screen.query("#store-encryption")), "badge")
            badge = str(app.screen.query_one("#store-encryption", Static).render())
            assert "afdelingens server" in badge and "logges" in badge
            screen = await start(pilot, "blitzmoede")
            await answer_current(pilot, screen)  # om-blitz
            await answer_current(pilot, screen)  # op-til
            assert [s for s, _ in _answers_on_server(conninfo)] == ["op-til"]
            # The server ends the app's connection (as a restart does) between two answers.
            import psycopg

            with psycopg.connect(conninfo, autocommit=True) as admin:
                admin.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                              " WHERE application_name LIKE 'sdm-assistant %%'"
                              " AND pid <> pg_backend_pid()")
            step = screen.state.current
            assert step is not None
            await answer_current(pilot, screen)
            await until(pilot, lambda: step.id in screen.state.answers, "the answer saved")
            assert app.service.store.reconnects == 1
            said = [str(n.message) for n in app._notifications]
            assert any("genoprettet" in m for m in said), said
            assert [s for s, _ in _answers_on_server(conninfo)] == ["op-til", step.id]
    finally:
        for opened in app.open_sessions:
            opened.close()
        if app._service is not None:
            app._service.store.close()
        pg_server.drop_database(conninfo)


async def test_an_unreachable_server_is_said_and_the_local_file_is_the_users_choice(
        library: Library, tmp_path: Path) -> None:
    nowhere = f"postgresql:///sdm?host={tmp_path}"  # a socket folder with no server in it
    app = _app(library, nowhere)
    try:
        async with app.run_test(size=(100, 40)) as pilot:
            await until(pilot, lambda: app.store_problem is not None, "the store's problem")
            home = app.screen
            assert isinstance(home, HomeScreen)
            await until(pilot, lambda: bool(home.query("#store-warning")), "the warning")
            warning = str(home.query_one("#store-warning", Static).render())
            assert "kan ikke nås" in warning and "F6" in warning
            assert app._service is None  # nothing chosen for the user
            await pilot.press("f6")
            await until(pilot, lambda: app._service is not None, "the local store")
            assert type(app.service.store).__name__ == "Store"
            await until(pilot, lambda: not app.screen.query("#store-warning"),
                        "the warning gone")
            said = [str(n.message) for n in app._notifications]
            assert any("lokale fil" in m for m in said), said
            assert app.screen.query_one("#guides", OptionList).option_count > 0
    finally:
        if app._service is not None:
            app._service.store.close()


async def test_a_refused_address_offers_no_local_file(library: Library) -> None:
    app = _app(library, "postgresql://nurse:pw@db.example/sdm")
    async with app.run_test(size=(100, 40)) as pilot:
        await until(pilot, lambda: app.store_problem is not None, "the store's problem")
        await pilot.press("f6")
        await pilot.pause()
        assert app._service is None
        assert "F6" not in str(app.screen.query_one("#store-warning", Static).render())
