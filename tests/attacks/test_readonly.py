"""Issue 13, item 5: "opened read-only" is true, and a read-only folder is not "damage".

A store reported damaged must come out of every command byte for byte as it went in: the
database, its -wal and its -shm (SHA-256 before and after `sessions list`, `show`,
`delete --yes`, `purge --yes`, `export`, and the chat UI's start), and `delete --yes` must
refuse with a clear message. Two kinds of damage: an event's bytes changed in the database
(which `PRAGMA quick_check` does not see), and a flipped byte in the middle of the WAL of a
writer that was killed (where SQLite's own read-only open used to rewrite the -shm).

A healthy store in a folder the user cannot write is readable, said to be in a folder that
cannot be written, and never called damaged. (Root may write anywhere: as root, the command
runs with the capabilities that let root ignore permissions dropped, via `setpriv`.)
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from assistant.guides.loader import Loaded, load_file
from assistant.store import Store, StoreReadOnly
from assistant.store.db import Database
from tests.attacks.test_wal import (
    TIMEOUT,
    hashes,
    killed_writer,
    live_frames,
    sdm,
    sidecars,
)
from tests.conftest import EXAMPLES, ROOT

CANARY = "CANARY-PHI-5e1d"

_UI_OPEN = """
import sys
from assistant.tui.run import run_app
sys.exit(run_app("en", sys.argv[1], headless=True, exit_when_ready=True, lock_after=None))
"""


@pytest.fixture
def guide() -> Loaded:
    loaded, problems = load_file(EXAMPLES / "eksempel-beslutning.yaml")
    assert loaded is not None, problems
    return loaded


def every_command(db: Path, session_id: str) -> dict[str, subprocess.CompletedProcess[str]]:
    """Run each command a user could run on the store, in its own process."""
    store = ["--store", str(db)]
    done = {
        "list": sdm("sessions", "list", *store),
        "show": sdm("sessions", "show", session_id, "--format", "json", *store),
        "delete": sdm("sessions", "delete", session_id, "--yes", *store),
        "purge": sdm("sessions", "purge", "--older-than", "0", "--yes", "--today",
                     "2100-01-01", *store),
        "export": sdm("export", session_id, *store),
        "ui": subprocess.run([sys.executable, "-c", _UI_OPEN, str(db)], capture_output=True,
                             text=True, cwd=ROOT, timeout=TIMEOUT, stdin=subprocess.DEVNULL,
                             env={**os.environ, "PYTHONPATH": str(ROOT)}),
    }
    for name, result in done.items():
        assert "Traceback" not in result.stderr, (name, result.stderr)
        assert result.returncode != 70, (name, result.stderr)  # no crash report
    return done


def assert_refused_and_untouched(db: Path, session_id: str) -> None:
    before = hashes(db)
    done = every_command(db, session_id)
    assert hashes(db) == before
    assert "damaged" in done["list"].stderr
    delete = done["delete"]
    assert delete.returncode == 1
    assert "deleted session" not in delete.stdout
    assert "read-only" in delete.stderr and "nothing was changed" in delete.stderr
    assert done["purge"].returncode == 1
    with Store.open(db) as store:
        assert store.read_only and store.damaged
        with pytest.raises(StoreReadOnly):
            store.delete_session(session_id)
        assert store.checkpoint() is False
    assert hashes(db) == before


def test_damaged_event_bytes_leave_every_file_as_it_was(
    tmp_path: Path, guide: Loaded
) -> None:
    db = tmp_path / "store" / "sessions.sqlite3"
    with Store.open(db) as store:
        row = store.create_session(guide, "AB")
        for i in range(5):
            store.append(row.id, _answer(f"{CANARY} {i}"))
    data = bytearray(db.read_bytes())
    at = data.index(f"{CANARY} 2".encode())
    data[at] = 0xFF  # no longer UTF-8: the event cannot be read back
    db.write_bytes(bytes(data))
    probe = sqlite3.connect(f"{db.as_uri()}?immutable=1", uri=True)  # touches no file
    assert probe.execute("PRAGMA quick_check").fetchone()[0] == "ok"
    probe.close()
    assert not sidecars(db)[1].exists() and not sidecars(db)[2].exists()
    assert_refused_and_untouched(db, row.id)
    assert not sidecars(db)[1].exists() and not sidecars(db)[2].exists()


def test_damaged_wal_leaves_the_shm_as_it_was(tmp_path: Path) -> None:
    db = tmp_path / "store" / "sessions.sqlite3"
    session_id = killed_writer(db, 40)
    wal, shm = sidecars(db)[1:]
    assert shm.exists()
    frames, frame = live_frames(wal)
    assert frames > 20
    data = bytearray(wal.read_bytes())
    data[32 + 4 * frame + 24 + 100] ^= 0xFF  # inside frame 5's page
    wal.write_bytes(bytes(data))
    assert_refused_and_untouched(db, session_id)


def _answer(value: str) -> object:
    import datetime as dt

    from assistant.engine.events import Answer

    return Answer(step="vigtigst", value=value, speaker="patient",
                  at=dt.datetime(2026, 5, 1, 10, 0, tzinfo=dt.UTC))


def _without_root_powers() -> list[str]:
    """A command prefix under which this user cannot write where permissions forbid it."""
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("running as root, and there is no setpriv to drop root's powers")
    caps = "-dac_override,-dac_read_search"
    prefix = [setpriv, "--bounding-set", caps, "--inh-caps", caps]
    probe = subprocess.run([*prefix, sys.executable, "-c", "pass"], capture_output=True,
                           timeout=TIMEOUT)
    if probe.returncode != 0:
        pytest.skip("running as root, and setpriv cannot drop root's powers here")
    return prefix


def test_a_folder_that_cannot_be_written_is_not_damage(tmp_path: Path, guide: Loaded) -> None:
    prefix = _without_root_powers()
    folder = tmp_path / "store"
    db = folder / "sessions.sqlite3"
    with Store.open(db) as store:
        row = store.create_session(guide, "AB")
        store.append(row.id, _answer("svar"))
    before = hashes(db)
    folder.chmod(0o500)
    try:
        done = subprocess.run([*prefix, sys.executable, "-m", "assistant", "sessions", "list",
                               "--format", "json", "--store", str(db)],
                              capture_output=True, text=True, cwd=ROOT, timeout=TIMEOUT,
                              stdin=subprocess.DEVNULL,
                              env={**os.environ, "PYTHONPATH": str(ROOT)})
        assert done.returncode == 0, done.stderr
        assert row.id in done.stdout  # readable ...
        assert "damaged" not in done.stderr  # ... not called damaged ...
        assert "SQLITE_READONLY" not in done.stderr
        assert f"The folder {folder} cannot be written" in done.stderr  # ... but said why
        assert "read-only" in done.stderr
        delete = subprocess.run([*prefix, sys.executable, "-m", "assistant", "sessions",
                                 "delete", row.id, "--yes", "--store", str(db)],
                                capture_output=True, text=True, cwd=ROOT, timeout=TIMEOUT,
                                stdin=subprocess.DEVNULL,
                                env={**os.environ, "PYTHONPATH": str(ROOT)})
        assert delete.returncode == 1
        assert "Traceback" not in delete.stderr and "damaged" not in delete.stderr
        assert hashes(db) == before
    finally:
        folder.chmod(0o700)


def test_the_folder_message_when_sqlite_says_it(
    tmp_path: Path, guide: Loaded, monkeypatch: pytest.MonkeyPatch
) -> None:
    """SQLite's own SQLITE_READONLY_DIRECTORY is worded the same way, not as damage."""
    db = tmp_path / "store" / "sessions.sqlite3"
    Store.open(db).close()

    def refuse(path: Path) -> sqlite3.Connection:
        exc = sqlite3.OperationalError("attempt to write a readonly database")
        exc.sqlite_errorname = "SQLITE_READONLY_DIRECTORY"  # type: ignore[attr-defined]
        raise exc

    monkeypatch.setattr(Database, "_connect_rw", staticmethod(refuse))
    with Store.open(db) as store:
        assert store.read_only and not store.damaged
        assert store.read_only_reason == "not_writable"
        assert store.damage is not None and "damaged" not in store.damage
        assert f"The folder {db.parent} cannot be written" in store.damage
