"""The department store keeps the same promises as the file under stress (issue 19, item 2):

* 100 SIGKILLs of a writing client at random moments: every acknowledged answer is stored,
  none twice (each new client resumes from what the store holds, as the app does);
* the server restarted (`pg_ctl restart -m fast`) in the middle of a session of 200
  answers: the client connects again, takes its session lock back and resends the answer
  that was not acknowledged: 0 lost, 0 duplicated;
* 50 clients at once, 1,000 answers each to 50 sessions: 0 lost, 0 duplicated.

(`scripts/bench.py` times the appends, `pg_append_ms`; nothing here asserts a duration.)
"""

from __future__ import annotations

import multiprocessing
import os
import random
import signal
import threading
import time
from multiprocessing.connection import Connection
from typing import TYPE_CHECKING

import pytest

from assistant.engine.events import Answer
from assistant.guides.loader import Loaded
from assistant.store import SessionBusy
from tests import pgserver
from tests.store.conftest import answer

if TYPE_CHECKING:
    from assistant.pgstore.store import PgStore

KILLS = 100
RESTART_ANSWERS = 200
CLIENTS, ANSWERS_EACH = 50, 1000


def _open(conninfo: str) -> PgStore:
    from assistant.pgstore.store import PgStore

    return PgStore.open(conninfo)


def _numbers(store: PgStore, session_id: str) -> list[int]:
    """The answer numbers stored in the session, in the order stored."""
    return [int(str(e.value)) for e in store.load_events(session_id)
            if isinstance(e, Answer)]


def _write_answers(conninfo: str, session_id: str, acks: Connection) -> None:
    """A client as the app is one: resume the session (waiting for the killed one's lock to
    go), continue after the last answer stored, and say which answer is saved once the
    store acknowledges it. Runs until killed."""
    store = _open(conninfo)
    while True:
        try:
            store.lock(session_id).acquire()
            break
        except SessionBusy:  # the server has not yet noticed that the last client died
            time.sleep(0.01)
    stored = _numbers(store, session_id)
    seq = store.get_session(session_id).events
    number = max(stored, default=0)
    while True:
        number += 1
        seq = store.append(session_id, answer("svar", str(number)), seq=seq + 1)
        acks.send_bytes(str(number).encode())


def test_100_sigkills_of_a_writing_client_lose_and_double_nothing(conninfo: str,
                                                                  guide: Loaded) -> None:
    with _open(conninfo) as store:
        session_id = store.create_session(guide, "AB").id
    # Clients are forked from a server process that has imported the store already: a
    # client starts in milliseconds, so the kills fall in every phase of its life
    # (connecting, locking, reading, appending, acknowledging).
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["assistant.pgstore.store", "tests.store.test_pg_durability"])
    chance = random.Random(19)
    acknowledged: set[int] = set()
    for _ in range(KILLS):
        reader, writer = context.Pipe(duplex=False)
        client = context.Process(target=_write_answers, args=(conninfo, session_id, writer))
        client.start()
        writer.close()
        time.sleep(chance.uniform(0.0, 0.12))
        assert client.pid is not None
        os.kill(client.pid, signal.SIGKILL)
        client.join()
        assert client.exitcode == -signal.SIGKILL  # killed while writing, not crashed
        while reader.poll():
            try:
                acknowledged.add(int(reader.recv_bytes()))
            except (EOFError, OSError, ValueError):  # an acknowledgement cut off mid-way
                break
        reader.close()
    with _open(conninfo) as store:
        stored = _numbers(store, session_id)
        assert store.get_session(session_id).events == len(stored)
    assert len(acknowledged) > KILLS  # the clients did write between the kills
    assert acknowledged <= set(stored), "acknowledged answers lost"
    assert stored == list(range(1, len(stored) + 1)), "an answer doubled or skipped"


def test_a_server_restart_mid_session_loses_and_doubles_nothing(guide: Loaded) -> None:
    why = pgserver.unavailable()
    if why is not None:
        pytest.skip(f"PostgreSQL backend not tested: {why}")
    server = pgserver.PgServer.start()  # its own: a restart cuts every connection to it
    try:
        conninfo = server.new_database()
        restarted = threading.Event()

        def restart() -> None:
            server.restart()
            restarted.set()

        with _open(conninfo) as store:
            row = store.create_session(guide, "AB")
            lock = store.lock(row.id).acquire()
            seq = 0
            for number in range(1, RESTART_ANSWERS + 1):
                if number == RESTART_ANSWERS // 2:
                    threading.Thread(target=restart, daemon=True).start()
                if number == RESTART_ANSWERS // 2 + 1:
                    assert restarted.wait(60)  # the next answers meet a new server
                seq = store.append(row.id, answer("svar", str(number)), seq=seq + 1)
            assert store.reconnects >= 1 and lock.held
            assert _numbers(store, row.id) == list(range(1, RESTART_ANSWERS + 1))
        with _open(conninfo) as again:
            assert again.get_session(row.id).events == RESTART_ANSWERS
    finally:
        server.stop()


def test_50_clients_1000_answers_each(conninfo: str, guide: Loaded) -> None:
    with _open(conninfo) as store:
        ids = [store.create_session(guide, f"P{n}").id for n in range(CLIENTS)]
    problems: list[BaseException] = []
    start = threading.Barrier(CLIENTS)

    def client(session_id: str) -> None:
        try:
            with _open(conninfo) as mine, mine.lock(session_id):
                start.wait()
                seq = 0
                for number in range(1, ANSWERS_EACH + 1):
                    seq = mine.append(session_id, answer("svar", str(number)), seq=seq + 1)
        except BaseException as exc:  # every failure reported below, with the others
            problems.append(exc)

    threads = [threading.Thread(target=client, args=(sid,)) for sid in ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert problems == []
    with _open(conninfo) as store:
        for session_id in ids:
            assert _numbers(store, session_id) == list(range(1, ANSWERS_EACH + 1))
        total = store.db.read("SELECT count(*) AS n, count(DISTINCT (session_id, seq)) AS d"
                              " FROM events")[0]
        assert total["n"] == total["d"] == CLIENTS * ANSWERS_EACH
