"""The installed `sdm` on a department server, in a real terminal at 80×24 and 120×40
(issue 19): a clinician's own role (`--store postgresql://…?user=…`) runs a conversation;
each answer is on the server, stamped with that role, before the chat moves on; the server
ends the app's connection between two answers (as a restart does) and the next answer is
still saved, once, and the screen says the connection was made again. A server that cannot
be reached is said on the home screen; F6 chooses the local file, and only then.
"""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

import psycopg
import pytest

from tests.pgserver import url
from tests.terminal.harness import SIZES, Terminal, canary, needs_terminal

pytestmark = needs_terminal

GUIDE = "forberedelse-med-peer"
ANSWERS = 3


def _cut_the_apps_connection(conninfo: str) -> None:
    with psycopg.connect(conninfo, autocommit=True) as admin:
        ended = admin.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                              " WHERE application_name LIKE 'sdm-assistant %%'"
                              " AND datname = current_database()"
                              " AND pid <> pg_backend_pid()").fetchall()
    assert ended, "the app had no connection to cut"


@pytest.mark.parametrize("size", SIZES)
def test_a_conversation_on_the_department_server(size: tuple[int, int], tmp_path: Path,
                                                 pg_server: Any) -> None:
    from assistant.pgstore.store import PgStore

    conninfo = pg_server.new_database()
    PgStore.open(conninfo).close()  # the operator made the store (sdm store migrate)
    clinician = pg_server.add_role(conninfo, ("psyk-a",))
    role = clinician.split("user=")[1]
    term = Terminal(tmp_path, *size, args=["--store", url(clinician)], server=conninfo)
    try:
        term.start()
        term.open_guide(GUIDE, f"T-SERVER-{uuid.uuid4().hex[:6]}",
                        present=["patient", "peer_worker"])
        session_id = term.session().id
        typed: dict[str, str] = {}
        while len(typed) < ANSWERS and (step := term.wait_ready(session_id)) is not None:
            if step.step.type == "info":
                term.continue_info(session_id, step.id)
                continue
            if step.step.type != "longtext":
                term.skip(session_id, step.id)
                continue
            if len(typed) == 1:
                _cut_the_apps_connection(conninfo)
            typed[step.id] = canary(f"S{len(typed) + 1}", 60)
            term.answer_text(session_id, step.id, typed[step.id])
            if len(typed) == 2:
                term.wait_for("genoprettet")  # "… er genoprettet. Svaret er gemt."
        term.keys("C-q")
        term.wait_exit()
        answers = term.answers(session_id)
        assert {step: answers[step][1] for step in typed} == typed
        with psycopg.connect(conninfo) as admin:
            rows = admin.execute("SELECT payload, written_by FROM events"
                                 " WHERE session_id = %s", (session_id,)).fetchall()
        for text in typed.values():
            holding = [who for payload, who in rows if text in payload]
            assert holding == [role], f"{text[:12]}… stored {len(holding)} times"
    finally:
        term.kill()
        pg_server.drop_database(conninfo)


@pytest.mark.parametrize("size", SIZES)
def test_an_unreachable_server_and_the_local_file_chosen(size: tuple[int, int],
                                                         tmp_path: Path) -> None:
    nowhere = tmp_path / "no-server"
    nowhere.mkdir()
    term = Terminal(tmp_path, *size, args=["--store", f"postgresql:///sdm?host={nowhere}"])
    try:
        term.start()
        term.wait_for("kan ikke nås")
        assert not term.store_path.exists()  # nothing chosen for the user
        term.keys("F6")
        term.wait_for("lokale fil")
        term.wait_gone("kan ikke nås")
        assert term.store_path.exists()
        term.keys("C-q")
        term.wait_exit()
    finally:
        term.kill()
