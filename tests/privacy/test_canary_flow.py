"""The non-UI flow leaves no health data outside the store (R10).

Answers holding the canary are written to an unencrypted store; then `sdm validate`,
`sdm sessions list` (text and JSON) and a command that fails unexpectedly run as separate
processes with private HOME, XDG folders, TMPDIR and working directory. The canary may be in
the store's own files and nowhere else: no output stream, log, temp, cache or crash report.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from assistant.engine.events import Answer, Note
from assistant.guides.loader import Loaded
from assistant.store import Store
from assistant.store.db import sidecars
from tests.conftest import ROOT
from tests.privacy.conftest import AT, CANARY, files_containing

NEEDLE = CANARY.encode()

# A command whose handler reads the stored answers into locals and then fails, as a bug
# would; the guard in `main` must keep both the message and the locals off the screen.
FAILING = """
import sys
from assistant import cli
from assistant.cli import guides
from assistant.store import Store

def broken(args):
    with Store.open(sys.argv[1]) as store:
        session = store.list_sessions()[0]
        answers = store.load_events(session.id)
        raise RuntimeError(f"cannot handle {answers[0].value}")

guides.cmd_validate = broken
raise SystemExit(cli.main(["validate"]))
"""


def test_canary_only_in_the_store(tmp_path: Path, guide: Loaded) -> None:
    home, work, tmp = tmp_path / "home", tmp_path / "cwd", tmp_path / "tmp"
    for folder in (home, work, tmp):
        folder.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("XDG_", "PYTEST"))}
    env.update(HOME=str(home), TMPDIR=str(tmp), XDG_DATA_HOME=str(home / "data"),
               XDG_CACHE_HOME=str(home / "cache"), XDG_STATE_HOME=str(home / "state"),
               XDG_CONFIG_HOME=str(home / "config"), PYTHONDONTWRITEBYTECODE="1",
               PYTHONPATH=str(ROOT))
    store_path = home / "data" / "sdm-assistant" / "sessions.sqlite3"
    with Store.open(store_path) as store:
        row = store.create_session(guide, "AB", ["patient"])
        store.append(row.id, Answer(step="vigtigst", value=CANARY, speaker="patient", at=AT))
        store.append(row.id, Note(text=f"{CANARY} note", speaker="patient", at=AT))
        store.add_revision(row.id, "approved", f'{{"plan": "{CANARY}"}}')

    def sdm(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, *args], cwd=work, env=env, text=True,
                              capture_output=True, timeout=120, check=False)

    runs = {
        "validate": sdm("-m", "assistant", "validate"),
        "list": sdm("-m", "assistant", "sessions", "list"),
        "list json": sdm("-m", "assistant", "sessions", "list", "--format", "json"),
        "crash": sdm("-c", FAILING, str(store_path)),
    }
    assert runs["validate"].returncode == 0, runs["validate"].stderr
    assert runs["list"].returncode == 0 and "AB" in runs["list"].stdout, runs["list"].stderr
    assert runs["crash"].returncode == 70
    assert "Traceback" not in runs["crash"].stderr
    for name, run in runs.items():
        assert CANARY not in run.stdout + run.stderr, name

    crash_reports = list((home / "data" / "sdm-assistant" / "crash").glob("crash-*.txt"))
    assert len(crash_reports) == 1
    # Everything under tmp_path: home (data, cache, state, config), the cwd and TMPDIR.
    found = set(files_containing(tmp_path, NEEDLE))
    assert found, "the canary should be in the (unencrypted) store: is the search working?"
    assert found <= set(sidecars(store_path)), sorted(map(str, found))
