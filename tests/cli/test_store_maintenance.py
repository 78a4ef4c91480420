"""`sdm store migrate` and `sdm store check` (issue 19, item 6) on both backends: the
schema brought up to date from the one list of versions (and by the operator only, on a
server); the check passes on a healthy store and names what is wrong when a guard is off
(an access log an app's role could change, a disabled append-only trigger, a gap in a
session's events)."""

from __future__ import annotations

import json
import os
import sqlite3
from pathlib import Path
from typing import Any

import psycopg

from assistant.guides.loader import Loaded
from assistant.store.migrations import SCHEMA_VERSION
from tests.cli.conftest import run_sdm as _sdm
from tests.pgserver import url as _url
from tests.store.conftest import answer


def _checks(store: str, lang: str = "en") -> tuple[int, dict[str, dict[str, Any]]]:
    code, out, err = _sdm("--lang", lang, "--store", store, "store", "check", "--format",
                          "json")
    assert "Traceback" not in err
    found = json.loads(out)
    return code, {c["name"]: c for c in found["checks"]}


def _old_server_store(conninfo: str, up_to: int) -> None:
    """A store on the server at schema version `up_to`, as an older program left it."""
    from assistant.pgstore.db import Transaction
    from assistant.pgstore.schema import STEPS
    from assistant.store.migrations import steps_for

    with psycopg.connect(conninfo, autocommit=True) as conn, conn.transaction(), \
            conn.cursor() as cursor:
        conn.execute("CREATE TABLE sdm_schema (version integer PRIMARY KEY,"
                     " applied timestamptz NOT NULL DEFAULT now())")
        for number, step in enumerate(steps_for("postgresql", STEPS)[:up_to], start=1):
            if step is not None:
                step(Transaction(cursor))  # type: ignore[arg-type]
            conn.execute("INSERT INTO sdm_schema (version) VALUES (%s)", (number,))


def test_migrate_on_a_server_is_the_operators(pg_server: Any) -> None:
    conninfo = pg_server.new_database()
    try:
        _old_server_store(conninfo, 4)
        # A clinician's role (v5 makes the app's roles; an older store has none yet).
        with psycopg.connect(conninfo, autocommit=True) as conn:
            conn.execute("DO $$ BEGIN CREATE ROLE sdm_user NOLOGIN; EXCEPTION WHEN"
                         " duplicate_object THEN NULL; END $$")
            conn.execute("DO $$ BEGIN CREATE ROLE n_old LOGIN IN ROLE sdm_user; EXCEPTION"
                         " WHEN duplicate_object THEN NULL; END $$")
            conn.execute("GRANT SELECT ON sdm_schema TO n_old")
        code, _out, err = _sdm("--lang", "en", "--store",
                               _url(conninfo.replace("user=postgres", "user=n_old")),
                               "sessions", "list")
        assert code != 0 and "sdm store migrate" in err and "version 4" in err
        code, out, err = _sdm("--lang", "en", "--store", _url(conninfo), "store", "migrate")
        assert code == 0, err
        assert f"from schema version 4 to {SCHEMA_VERSION}" in out
        code, out, err = _sdm("--lang", "da", "--store", _url(conninfo), "store", "migrate")
        assert code == 0 and "nyeste skemaversion" in out, err
    finally:
        pg_server.drop_database(conninfo)


def test_migrate_a_file(tmp_path: Path) -> None:
    from assistant.store.migrations import steps_for
    from assistant.store.schema import STEPS

    path = tmp_path / "old.sqlite3"
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("BEGIN IMMEDIATE")
    for step in steps_for("sqlite", STEPS)[:3]:
        assert step is not None
        step(conn)
    conn.execute("PRAGMA user_version = 3")
    conn.execute("COMMIT")
    conn.close()
    code, out, err = _sdm("--lang", "en", "--store", str(path), "store", "migrate")
    assert code == 0, err
    assert f"from schema version 3 to {SCHEMA_VERSION}" in out


def test_check_a_healthy_server_then_one_with_its_guards_off(pg_server: Any,
                                                             guide: Loaded) -> None:
    from assistant.pgstore.store import PgStore

    conninfo = pg_server.new_database()
    try:
        with PgStore.open(conninfo) as store:
            row = store.create_session(guide, "AB")
            store.append(row.id, answer("svar", "1"))
        code, checks = _checks(_url(conninfo))
        assert code == 0, checks
        assert set(checks) == {"schema", "operator", "row_level_security", "append_only",
                               "grants", "events_numbered", "events_readable"}
        assert all(c["ok"] for c in checks.values())
        code, out, _err = _sdm("--lang", "da", "--store", _url(conninfo), "store", "check")
        assert code == 0 and "alt i orden (7 kontroller)" in out
        english = ("this program", "owner", "tables", "triggers", "session(s)", "append-only")
        assert not [word for word in english if word in out], out  # the findings too
        # A clinician's role checking: told it sees its own units only.
        nurse = pg_server.add_role(conninfo, ("psyk-a",))
        code, checks = _checks(_url(nurse))
        assert code == 1 and not checks["operator"]["ok"]
        # The guards taken off by hand, as a careless operator might.
        with psycopg.connect(conninfo, autocommit=True) as conn:
            conn.execute("GRANT UPDATE ON access_log TO sdm_user")
            conn.execute("ALTER TABLE events DISABLE TRIGGER events_are_append_only")
            conn.execute("ALTER TABLE plan_revisions DISABLE ROW LEVEL SECURITY")
            conn.execute("UPDATE events SET seq = 5")
        code, checks = _checks(_url(conninfo))
        assert code == 1
        assert "sdm_user may UPDATE access_log" in checks["grants"]["detail"]
        assert "events_are_append_only" in checks["append_only"]["detail"]
        assert "plan_revisions" in checks["row_level_security"]["detail"]
        assert row.id in checks["events_numbered"]["detail"]
        code, out, _err = _sdm("--lang", "en", "--store", _url(conninfo), "store", "check")
        assert code == 1 and "4 of 7 checks failed" in out and "✗" in out
    finally:
        pg_server.drop_database(conninfo)


def test_check_a_file(tmp_path: Path, guide: Loaded) -> None:
    from assistant.store import Store

    path = tmp_path / "s" / "sessions.sqlite3"
    with Store.open(path) as store:
        store.append(store.create_session(guide, "AB").id, answer("svar", "1"))
    code, checks = _checks(str(path))
    assert code == 0 and all(c["ok"] for c in checks.values()), checks
    assert set(checks) == {"schema", "integrity", "events_numbered", "events_readable",
                           "append_only", "file_private"}
    os.chmod(path, 0o644)  # opening makes it private again (the store's own rule) …
    code, checks = _checks(str(path))
    assert code == 0 and checks["file_private"]["detail"].endswith("mode 0600")
    assert os.stat(path).st_mode & 0o777 == 0o600
    # … and a gap in a session's events is found.
    conn = sqlite3.connect(path)
    conn.execute("DROP TRIGGER events_are_append_only")
    conn.execute("UPDATE events SET seq = 3")
    conn.commit()
    conn.close()
    code, checks = _checks(str(path))
    assert code == 1 and not checks["events_numbered"]["ok"]
    assert not checks["append_only"]["ok"]


def test_a_file_keeps_no_access_log(tmp_path: Path) -> None:
    code, _out, err = _sdm("--lang", "da", "--store", str(tmp_path / "s.sqlite3"), "audit")
    assert code == 1 and "fører ingen adgangslog" in err
