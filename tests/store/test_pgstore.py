"""What only the PostgreSQL backend has: advisory locks held by a connection, versioned
migrations on a server, several clients at once, and errors and logs without content. (The
contract's tests run against it too: the `@both` tests and `make_store`.)"""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import threading
from typing import TYPE_CHECKING

import pytest

from assistant.guides.loader import Loaded
from assistant.store import SessionBusy, StoreReadOnly, StoreWriteError
from tests.conftest import ROOT
from tests.store.conftest import CANARY, answer

if TYPE_CHECKING:
    from assistant.pgstore.store import PgStore

HOLD = """
import sys, time
from assistant.pgstore.store import PgStore
store = PgStore.open(sys.argv[1])
store.lock(sys.argv[2]).acquire()
print("locked", flush=True)
time.sleep(120)
"""


def _open(conninfo: str) -> PgStore:
    from assistant.pgstore.store import PgStore

    return PgStore.open(conninfo)


def test_the_lock_goes_with_a_killed_holder_and_names_it(conninfo: str, guide: Loaded) -> None:
    with _open(conninfo) as store:
        row = store.create_session(guide, "AB")
        holder = subprocess.Popen([sys.executable, "-c", HOLD, conninfo, row.id], cwd=ROOT,
                                  stdout=subprocess.PIPE, text=True)
        try:
            assert holder.stdout is not None
            assert holder.stdout.readline().strip() == "locked"
            with pytest.raises(SessionBusy) as busy:
                store.lock(row.id).acquire()
            assert busy.value.holder is not None and busy.value.holder.pid == holder.pid
            assert busy.value.message.startswith(
                f"session {row.id} is in use by process {holder.pid} on ")
            os.kill(holder.pid, signal.SIGKILL)
            holder.wait(timeout=30)
        finally:
            if holder.poll() is None:
                holder.kill()
                holder.wait(timeout=30)
        # The server ends the dead client's connection, and its lock with it (at once, or as
        # soon as it notices the socket closed: within the attempts here).
        for _ in range(200):
            try:
                with store.lock(row.id) as lock:
                    assert lock.held
                break
            except SessionBusy:
                threading.Event().wait(0.05)
        else:
            pytest.fail("the killed holder's lock was never released")


def test_migrations_run_once_and_a_newer_schema_opens_read_only(conninfo: str,
                                                                guide: Loaded) -> None:
    from assistant.store.migrations import SCHEMA_VERSION

    with _open(conninfo) as store:
        row = store.create_session(guide, "AB")
    with _open(conninfo) as store:  # opening again runs nothing again
        versions = [r["version"] for r in store.db.read("SELECT version FROM sdm_schema"
                                                        " ORDER BY version")]
        assert versions == list(range(1, SCHEMA_VERSION + 1))
        assert store.get_session(row.id).label == "AB"
        with store.db.write() as tx:
            tx.execute("INSERT INTO sdm_schema (version) VALUES (%s)", (SCHEMA_VERSION + 1,))
    with _open(conninfo) as store:
        assert store.read_only and store.read_only_reason == "newer_version"
        assert store.damage is not None and "newer version" in store.damage
        assert store.get_session(row.id).label == "AB"  # reading works
        with pytest.raises(StoreReadOnly):
            store.append(row.id, answer())


def test_two_clients_appending_at_once_get_every_number_once(conninfo: str,
                                                             guide: Loaded) -> None:
    with _open(conninfo) as first, _open(conninfo) as second:
        row = first.create_session(guide, "AB")
        got: list[int] = []

        def write(store: PgStore, tag: str) -> None:
            got.extend(store.append(row.id, answer(value=f"{tag}{n}")) for n in range(25))

        threads = [threading.Thread(target=write, args=(s, t))
                   for s, t in ((first, "a"), (second, "b"))]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=60)
        assert sorted(got) == list(range(1, 51))
        assert len(first.load_events(row.id)) == 50


def test_errors_and_logs_carry_no_content(conninfo: str, guide: Loaded,
                                          caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    with _open(conninfo) as store:
        row = store.create_session(guide, f"label {CANARY}")
        store.append(row.id, answer(value=f"svar {CANARY}"))
        with pytest.raises(StoreWriteError) as refused, store.db.write() as tx:
            # A duplicate key: PostgreSQL's own message would quote the row's values.
            tx.execute("INSERT INTO events (session_id, seq, type, payload, at) VALUES"
                       " (%s, 1, 'answer', %s, now())", (row.id, CANARY))
        assert CANARY not in str(refused.value) and "23505" in str(refused.value)
        with pytest.raises(StoreWriteError) as refused, store.db.write() as tx:
            tx.execute("UPDATE events SET payload = %s", (CANARY,))  # append-only
        assert CANARY not in str(refused.value)
        assert store.load_events(row.id) == [answer(value=f"svar {CANARY}")]
    assert CANARY not in caplog.text
