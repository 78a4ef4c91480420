"""Opening the store: settings, migrations, file permissions, and the transaction discipline."""

from __future__ import annotations

import ast
import os
import re
import sqlite3
import stat
from pathlib import Path

import pytest

from assistant.guides.loader import Loaded
from assistant.store import DB_NAME, Store
from assistant.store.db import sidecars
from assistant.store.migrations import SCHEMA_VERSION, VERSIONS
from tests.conftest import ROOT
from tests.store.conftest import answer
from tests.store.test_paths import mode, umask_022  # noqa: F401  (fixture)

STORE_SOURCE = ROOT / "assistant" / "store"


def test_default_location_is_the_data_dir(guide: Loaded) -> None:
    with Store.open() as store:
        expected = Path(os.environ["XDG_DATA_HOME"]) / "sdm-assistant" / DB_NAME
        assert store.path == expected
        store.create_session(guide, "AB")
    assert mode(expected.parent) == 0o700


def test_connection_settings(store: Store) -> None:
    read = store.db.read
    assert read("PRAGMA journal_mode")[0][0] == "wal"
    assert read("PRAGMA synchronous")[0][0] == 2  # FULL
    assert read("PRAGMA secure_delete")[0][0] == 1
    assert read("PRAGMA foreign_keys")[0][0] == 1
    assert read("PRAGMA busy_timeout")[0][0] == 5000
    assert read("PRAGMA temp_store")[0][0] == 2  # MEMORY: no temp files with patient data


def test_migrations_from_an_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.sqlite3"
    path.write_bytes(b"")
    with Store.open(path) as store:
        assert not store.read_only
        assert store.db.read("PRAGMA user_version")[0][0] == SCHEMA_VERSION == len(VERSIONS)
        tables = {r[0] for r in store.db.read("SELECT name FROM sqlite_master WHERE type='table'")}
        assert {"sessions", "events", "plan_revisions"} <= tables
    # Opening again runs nothing and changes nothing.
    with Store.open(path) as store:
        assert store.db.read("PRAGMA user_version")[0][0] == SCHEMA_VERSION


def test_newer_schema_opens_read_only(tmp_path: Path, guide: Loaded) -> None:
    path = tmp_path / "newer.sqlite3"
    Store.open(path).close()
    with sqlite3.connect(path) as conn:
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    with Store.open(path) as store:
        assert store.read_only
        assert store.damage is not None and "newer version" in store.damage


@pytest.mark.usefixtures("umask_022")
def test_files_are_private_under_umask_022(tmp_path: Path, guide: Loaded) -> None:
    folder = tmp_path / "fresh" / "data"
    path = folder / "s.sqlite3"
    with Store.open(path) as store:
        row = store.create_session(guide, "AB")
        store.append(row.id, answer())
        with store.lock(row.id):
            lock_file = store.lock_dir / f"{row.id}.lock"
            assert mode(lock_file) == 0o600
            assert mode(store.lock_dir) == 0o700
        db, wal, shm = sidecars(path)
        assert wal.exists() and shm.exists()
        for file in (db, wal, shm):
            assert mode(file) == 0o600, file
        assert mode(folder) == 0o700
        for dirpath, dirnames, filenames in os.walk(tmp_path / "fresh"):
            for name in dirnames:
                assert mode(Path(dirpath, name)) & 0o077 == 0, name
            for name in filenames:
                assert mode(Path(dirpath, name)) & 0o177 == 0, name


@pytest.mark.usefixtures("umask_022")
def test_existing_open_files_are_tightened(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite3"
    Store.open(path).close()
    path.chmod(0o644)
    with Store.open(path):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_every_write_begins_immediate(store: Store, guide: Loaded) -> None:
    """R3 lint, at run time: every statement that writes runs inside BEGIN IMMEDIATE."""
    statements: list[str] = []
    store.db._conn.set_trace_callback(statements.append)
    row = store.create_session(guide, "AB")
    store.append(row.id, answer())
    store.update_session(row.id, status="finished")
    store.add_revision(row.id, "approved", "{}")
    store.delete_session(row.id)
    store.db._conn.set_trace_callback(None)
    in_tx = False
    writes = 0
    for sql in statements:
        word = sql.split()[0].upper()
        if word == "BEGIN":
            assert sql.strip().upper() == "BEGIN IMMEDIATE", sql
            in_tx = True
        elif word in ("COMMIT", "ROLLBACK"):
            in_tx = False
        elif word in ("INSERT", "UPDATE", "DELETE", "REPLACE", "CREATE", "DROP"):
            writes += 1
            assert in_tx, f"write outside BEGIN IMMEDIATE: {sql[:60]}"
    assert writes >= 5


def _execute_calls(tree: ast.AST) -> list[tuple[str, int]]:
    """(enclosing function name, line) of every `.execute(` / `.executescript(` call."""
    found: list[tuple[str, int]] = []

    def visit(node: ast.AST, function: str) -> None:
        for child in ast.iter_child_nodes(node):
            name = function
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)):
                name = child.name
            if (isinstance(child, ast.Call) and isinstance(child.func, ast.Attribute)
                    and child.func.attr in ("execute", "executemany", "executescript")):
                receiver = ast.unparse(child.func.value)
                found.append((f"{function}:{receiver}", child.lineno))
            visit(child, name)

    visit(tree, "<module>")
    return found


def test_sql_goes_through_the_helpers_only() -> None:
    """R3 lint, statically: outside db.py, SQL runs only on a write transaction (`tx`)
    or through `read`; in db.py, only the connection set-up, `read`, `write` and
    `checkpoint` touch the connection. No BEGIN other than BEGIN IMMEDIATE exists."""
    allowed_in_db = {"_connect_rw", "_connect_ro", "_health", "read", "write", "execute",
                     "checkpoint"}
    for file in sorted(STORE_SOURCE.glob("*.py")):
        text = file.read_text(encoding="utf-8")
        tree = ast.parse(text)
        for node in ast.walk(tree):
            if (isinstance(node, ast.Constant) and isinstance(node.value, str)
                    and re.match(r"\s*BEGIN\b", node.value, re.IGNORECASE)):
                assert node.value == "BEGIN IMMEDIATE", (file.name, node.value)
        for where, line in _execute_calls(tree):
            function, receiver = where.split(":", 1)
            if file.name == "db.py":
                assert function in allowed_in_db or receiver == "tx", (file.name, line, where)
            else:
                assert receiver in ("tx", "conn"), (file.name, line, where)
                if receiver == "conn":  # migrations receive the transaction as `conn`
                    assert file.name == "schema.py", (file.name, line)


def test_both_backends_follow_the_one_list_of_schema_versions() -> None:
    from assistant.pgstore import schema as pg_schema
    from assistant.store import schema as sqlite_schema
    from assistant.store.migrations import steps_for

    sqlite_steps = steps_for("sqlite", sqlite_schema.STEPS)
    pg_steps = steps_for("postgresql", pg_schema.STEPS)
    assert len(sqlite_steps) == len(pg_steps) == SCHEMA_VERSION
    assert [v.number for v in VERSIONS] == list(range(1, SCHEMA_VERSION + 1))
    # A step the list does not mark for its backend is a mistake, said at once.
    with pytest.raises(AssertionError, match="do not match the list"):
        steps_for("sqlite", {**sqlite_schema.STEPS, 5: sqlite_schema.STEPS[1]})
