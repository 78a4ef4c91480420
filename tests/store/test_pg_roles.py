"""Who did what on a shared server (issue 19, items 3 and 4): each clinician connects as
their own role; the server stamps who wrote each event; a role sees only the sessions of its
units (row-level security: it cannot read or even count another unit's); every read of a
session's content and every deletion adds a row to an access log the app's roles can only
add to, and nobody can change; `sdm audit` lists it for the data controller."""

from __future__ import annotations

import contextlib
import io
from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

from assistant.guides.loader import Loaded
from assistant.store import SessionNotFound, StoreUnavailable, StoreWriteError
from tests import pgserver
from tests.pgserver import url as _url
from tests.store.conftest import answer

if TYPE_CHECKING:
    from assistant.pgstore.store import PgStore


@pytest.fixture
def conninfo(pg_server: pgserver.PgServer) -> Iterator[str]:
    """A migrated store (the operator, `postgres`, owns its tables)."""
    from assistant.pgstore.store import PgStore

    info = pg_server.new_database()
    PgStore.open(info).close()
    try:
        yield info
    finally:
        pg_server.drop_database(info)


def _open(conninfo: str, unit: str | None = None) -> PgStore:
    from assistant.pgstore.store import PgStore

    return PgStore.open(conninfo, unit=unit)


def _count(store: PgStore, sql: str) -> int:
    return int(store.db.read(sql)[0]["n"])


def test_a_role_of_unit_a_cannot_read_or_count_unit_b(pg_server: pgserver.PgServer,
                                                       conninfo: str, guide: Loaded) -> None:
    alice = pg_server.add_role(conninfo, ("psyk-a",))
    bob = pg_server.add_role(conninfo, ("psyk-b",))
    with _open(alice) as a:
        row = a.create_session(guide, "AB")
        a.append(row.id, answer("1"))
        a.add_revision(row.id, "approved", "{}")
    with _open(bob) as b:
        b.create_session(guide, "CD")
        assert [r.label for r in b.list_sessions()] == ["CD"]
        assert _count(b, "SELECT count(*) AS n FROM sessions") == 1  # their own only
        assert _count(b, f"SELECT count(*) AS n FROM sessions WHERE id = '{row.id}'") == 0
        for table in ("events", "plan_revisions", "session_documents"):
            where = f" WHERE session_id = '{row.id}'"
            assert _count(b, f"SELECT count(*) AS n FROM {table}{where}") == 0, table
        assert b.session_ids(row.id[:4]) == []
        with pytest.raises(SessionNotFound):
            b.get_session(row.id)
        with pytest.raises(SessionNotFound):
            b.load_events(row.id)
        with pytest.raises(SessionNotFound):  # nor write to it
            b.append(row.id, answer("from b"))
        assert b.list_revisions(row.id) == [] and b.session_documents(row.id) == []
        with pytest.raises(SessionNotFound):
            b.delete_session(row.id)
    with _open(conninfo) as operator:  # all of it still there, as alice wrote it
        assert operator.get_session(row.id).events == 1
        assert [(r.unit, r.n) for r in _units(operator)] == [("psyk-a", 1), ("psyk-b", 1)]


class _UnitCount:
    def __init__(self, unit: str, n: int) -> None:
        self.unit, self.n = unit, n


def _units(store: PgStore) -> list[_UnitCount]:
    rows = store.db.read("SELECT unit, count(*) AS n FROM sessions GROUP BY unit ORDER BY unit")
    return [_UnitCount(str(r["unit"]), int(r["n"])) for r in rows]


def test_the_server_stamps_who_wrote_each_event(pg_server: pgserver.PgServer, conninfo: str,
                                                guide: Loaded) -> None:
    alice = pg_server.add_role(conninfo, ("psyk-a",))
    carl = pg_server.add_role(conninfo, ("psyk-a",))
    with _open(alice) as a:
        row = a.create_session(guide, "AB")
        a.append(row.id, answer("1"))
    with _open(carl) as c:  # a colleague of the same unit continues the session
        c.append(row.id, answer("2"))
    with _open(conninfo) as operator:
        rows = operator.db.read("SELECT seq, written_by FROM events WHERE session_id = %s"
                                " ORDER BY seq", (row.id,))
        assert [(r["seq"], r["written_by"]) for r in rows] == [
            (1, alice.split("user=")[1]), (2, carl.split("user=")[1])]
        creator = operator.db.read("SELECT created_by FROM sessions")[0]["created_by"]
        assert creator == alice.split("user=")[1]
    with _open(carl) as c:  # a session claimed to be made by someone else: the server says
        c.db.call("INSERT INTO sessions (id, guide_id, guide_version, guide_hash, label,"
                  " created, updated, created_by) VALUES (%s, 'g', '1', 'h', 'X', now(),"
                  " now(), 'postgres')", ("f" * 32,))
    with _open(conninfo) as operator:
        assert operator.get_session("f" * 32).label == "X"
        forged = operator.db.read("SELECT created_by FROM sessions WHERE id = %s", ("f" * 32,))
        assert forged[0]["created_by"] == carl.split("user=")[1]


def test_a_unit_must_be_one_of_the_roles_own(pg_server: pgserver.PgServer, conninfo: str,
                                             guide: Loaded) -> None:
    nobody = pg_server.add_role(conninfo, ())
    both = pg_server.add_role(conninfo, ("psyk-a", "psyk-b"))
    with _open(nobody) as n, pytest.raises(StoreWriteError) as refused:
        n.create_session(guide, "AB")
    assert "belongs to no unit" in refused.value.message
    with _open(both) as b, pytest.raises(StoreWriteError) as refused:
        b.create_session(guide, "AB")
    assert "choose one (SDM_UNIT)" in refused.value.message
    with _open(both, unit="psyk-b") as b:
        assert b.create_session(guide, "AB").label == "AB"
    with _open(nobody, unit="psyk-b") as n, pytest.raises(StoreWriteError) as refused:
        n.create_session(guide, "AB")  # naming a unit is no way in
    assert "is not a member of unit psyk-b" in refused.value.message


def test_every_read_and_delete_is_logged_and_the_log_is_append_only(
        pg_server: pgserver.PgServer, conninfo: str, guide: Loaded) -> None:
    alice = pg_server.add_role(conninfo, ("psyk-a",))
    auditor = pg_server.add_role(conninfo, auditor=True)
    name = alice.split("user=")[1]
    with _open(alice) as a:
        row = a.create_session(guide, "AB")
        a.append(row.id, answer("Min hemmelighed"))
        a.load_events(row.id, purpose="open")
        a.load_events(row.id, purpose="export")
        a.load_events(row.id)
        # The app's roles can add rows but not read, change, delete or empty the log; a row
        # claiming to be someone else's is stamped with the writer's own role.
        with pytest.raises(StoreUnavailable):
            a.db.read("SELECT * FROM access_log")
        for sql in ("UPDATE access_log SET role = 'x'", "DELETE FROM access_log",
                    "TRUNCATE access_log"):
            with pytest.raises(StoreWriteError):
                a.db.call(sql)
        a.db.call("INSERT INTO access_log (session_id, action, role) VALUES (%s, 'show',"
                  " 'somebody_else')", (row.id,))
        assert a.delete_session(row.id)
    with _open(auditor) as audit:
        entries = audit.audit.entries(session_id=row.id)
        assert [(e.role, e.action) for e in entries] == [
            (name, "open"), (name, "export"), (name, "read"), (name, "show"),
            (name, "delete")]
        assert all(e.client.startswith("sdm-assistant ") for e in entries)
        assert [e.action for e in audit.audit.entries(role=name)][-1] == "delete"
        assert audit.audit.entries(role="nobody") == []
        with pytest.raises(StoreWriteError):  # auditors read; they change nothing either
            audit.db.call("DELETE FROM access_log")
    with _open(conninfo) as operator:  # not even the tables' owner changes a row
        for sql in ("UPDATE access_log SET action = 'read'", "DELETE FROM access_log",
                    "TRUNCATE access_log"):
            with pytest.raises(StoreWriteError):
                operator.db.call(sql)
        assert len(operator.audit.entries()) == 5
        # The deletion took the content and left the log without any of it.
        assert _count(operator, "SELECT count(*) AS n FROM events") == 0
        text = str(operator.db.read("SELECT * FROM access_log"))
        assert "hemmelighed" not in text and "AB" not in text


def test_a_clinician_cannot_read_the_log(pg_server: pgserver.PgServer,
                                         conninfo: str) -> None:
    alice = pg_server.add_role(conninfo, ("psyk-a",))
    with _open(alice) as a, pytest.raises(StoreUnavailable) as refused:
        a.audit.entries()
    assert "data controller" in refused.value.message


def test_sdm_audit_lists_by_session_and_by_user(pg_server: pgserver.PgServer, conninfo: str,
                                                guide: Loaded) -> None:
    from assistant.cli import main

    alice = pg_server.add_role(conninfo, ("psyk-a",))
    auditor = pg_server.add_role(conninfo, auditor=True)
    name = alice.split("user=")[1]
    with _open(alice) as a:
        row = a.create_session(guide, "AB")
        a.load_events(row.id, purpose="show")

    def sdm(*argv: str) -> tuple[int, str, str]:
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(list(argv))
        return code, out.getvalue(), err.getvalue()

    address = _url(auditor)
    code, out, err = sdm("--lang", "en", "--store", address, "audit", "--session", row.id)
    assert code == 0, err
    assert name in out and "show" in out and row.id in out
    code, out, err = sdm("--lang", "da", "--store", address, "audit", "--user", name)
    assert code == 0, err
    assert "viste" in out and row.id in out
    code, out, err = sdm("--lang", "en", "--store", _url(alice), "audit")
    assert code != 0 and "data controller" in err and "Traceback" not in err


def test_purge_is_logged_and_opening_and_exporting_in_the_app_are_too(
        pg_server: pgserver.PgServer, conninfo: str) -> None:
    import datetime as dt

    from assistant.guides.loader import load_library
    from assistant.service.exports import export_session
    from assistant.service.sessions import SessionService

    library = load_library()
    guide = library.guides["blitzmoede"].document
    alice = pg_server.add_role(conninfo, ("psyk-a",))
    name = alice.split("user=")[1]
    with _open(alice) as a:
        service = SessionService(a, library)
        opened = service.start(guide, "AB", ["patient", "clinician"], "da")
        opened.close()
        service.resume(opened.row.id, "da").close()                  # the chat opens it
        export_session(a, library, opened.row.id, "text", today=dt.date(2026, 12, 2))
        result = a.purge(0, dt.date(2100, 1, 1))
        assert result.deleted == [opened.row.id]
    with _open(conninfo) as operator:
        actions = [(e.role, e.action) for e in operator.access_log(session_id=opened.row.id)]
    assert actions == [(name, "open"), (name, "export"), (name, "purge")]


def test_shown_plan_drafts_are_logged_listed_ones_are_not(pg_server: pgserver.PgServer,
                                                          conninfo: str, guide: Loaded) -> None:
    alice = pg_server.add_role(conninfo, ("psyk-a",))
    with _open(alice) as a:
        row = a.create_session(guide, "AB")
        a.add_revision(row.id, "approved", "{}")  # its own row read back: not logged
        a.list_revisions(row.id)                 # numbers and dates (e.g. plan titles)
        a.list_revisions(row.id, purpose="show")  # sdm sessions revisions --show
    with _open(conninfo) as operator:
        assert [e.action for e in operator.access_log(session_id=row.id)] == ["show"]
