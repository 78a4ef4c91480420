"""Issue 13, item 11: `sdm replay GUIDE --answers FILE --store PATH [--session ID]`, and the
external crash test built on it (scripts/crash_replay.py).

Everything here goes through the installed command line, as an outside checker would: the
acknowledgement lines `sdm replay --store` prints must each be found under their `seq` by
`sdm sessions show ID --format json`, with the answers `sdm replay` (without a store) gives.
"""

from __future__ import annotations

import json
import os
import pty
import select
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import ROOT
from tests.store.test_crash import load_script

SDM = Path(sys.executable).parent / "sdm"
COMMAND = [str(SDM)] if SDM.exists() else [sys.executable, "-m", "assistant"]
TIMEOUT = 300.0

ANSWERS = """\
participants: [patient, {role: relative, name: Mette}, clinician]
answers:
  - {step: om-blitz, seen: true}
  - {step: op-til, value: "Jeg har ikke sovet i tre nætter"}
  - {step: brug-for-nu, value: "Ro og en seng", speaker: patient}
  - {step: hvad-hjaelper, skip: true, speaker: relative}
  - {step: op-til, value: "Jeg har ikke sovet i fire nætter", edit: true}
"""


def sdm(*args: str, cwd: Path, stdin: Any = subprocess.DEVNULL
        ) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*COMMAND, *args], cwd=cwd, capture_output=True, text=True,
                          timeout=TIMEOUT, check=False, stdin=stdin)


def shown(db: Path, session_id: str, cwd: Path) -> dict[str, Any]:
    done = sdm("sessions", "show", session_id, "--format", "json", "--store", str(db), cwd=cwd)
    assert done.returncode == 0, done.stderr
    data: dict[str, Any] = json.loads(done.stdout)
    return data


def test_acknowledged_events_are_what_sessions_show_lists(tmp_path: Path) -> None:
    answers = tmp_path / "AB.yaml"
    answers.write_text(ANSWERS, encoding="utf-8")
    db = tmp_path / "store.sqlite3"
    plain = sdm("replay", "blitzmoede", "--answers", str(answers), cwd=tmp_path)
    assert plain.returncode == 0, plain.stderr
    expected = {a["step"]: a for a in json.loads(plain.stdout)["answers"]}

    done = sdm("replay", "blitzmoede", "--answers", str(answers), "--store", str(db),
               cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    acks = [json.loads(line) for line in done.stdout.splitlines()]
    assert [a["seq"] for a in acks] == list(range(1, 9))
    session_id = acks[0]["session"]

    data = shown(db, session_id[:8], tmp_path)
    assert data["id"] == session_id
    events = {e["seq"]: e for e in data["events"]}
    assert len(events) == len(acks)
    for ack in acks:
        event = events[ack["seq"]]
        assert (event["type"], event.get("step")) == (ack["type"], ack["step"]), ack
    assert events[2]["name"] == "Mette"
    answers_shown = data["answers"]
    assert set(answers_shown) == set(expected)
    for step, answer in expected.items():
        assert answers_shown[step]["value"] == answer["value"]
        assert answers_shown[step]["speaker"] == answer["speaker"]
    assert answers_shown["op-til"]["value"] == "Jeg har ikke sovet i fire nætter"


def test_appending_to_a_session_in_use_is_refused(tmp_path: Path) -> None:
    from assistant.store import Store

    answers = tmp_path / "first.yaml"
    answers.write_text("answers:\n  - {step: om-blitz, seen: true}\n", encoding="utf-8")
    db = tmp_path / "store.sqlite3"
    done = sdm("replay", "blitzmoede", "--answers", str(answers), "--store", str(db),
               cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    session_id = json.loads(done.stdout.splitlines()[0])["session"]
    more = tmp_path / "more.yaml"
    more.write_text('answers:\n  - {step: op-til, value: "noget"}\n', encoding="utf-8")
    with Store.open(db) as store, store.lock(session_id):  # the chat UI has it open
        done = sdm("replay", "blitzmoede", "--answers", str(more), "--store", str(db),
                   "--session", session_id, cwd=tmp_path)
    assert done.returncode == 1 and done.stdout == ""
    assert done.stderr.count("\n") == 1, done.stderr  # one line, no crash report
    assert len(shown(db, session_id, tmp_path)["events"]) == 1


def _read_until(master: int, needle: bytes, deadline: float) -> bytes:
    seen = b""
    while needle not in seen:
        if time.monotonic() > deadline:
            raise AssertionError(f"waited for {needle!r}; the terminal showed {seen!r}")
        ready, _, _ = select.select([master], [], [], 0.2)
        if ready:
            try:
                seen += os.read(master, 1024)
            except OSError:
                break
    return seen


def test_an_encrypted_store_asks_for_its_passphrase_on_the_terminal(tmp_path: Path) -> None:
    from assistant.store import Store

    passphrase = "korrekt hest batteri hæfteklamme"
    db = tmp_path / "secret.sqlite3"
    Store.create_encrypted(db, passphrase).close()
    answers = tmp_path / "answers.yaml"
    answers.write_text(ANSWERS, encoding="utf-8")

    # No terminal to ask on: refused in one line, nothing written.
    done = sdm("replay", "blitzmoede", "--answers", str(answers), "--store", str(db),
               cwd=tmp_path)
    assert (done.returncode, done.stdout) == (1, "")
    assert "encrypted" in done.stderr and "terminal" in done.stderr

    # A terminal (a new session, so that it is the only one `getpass` can find).
    master, slave = pty.openpty()
    process = subprocess.Popen([*COMMAND, "replay", "blitzmoede", "--answers", str(answers),
                                "--store", str(db)], cwd=tmp_path, stdin=slave, stderr=slave,
                               stdout=subprocess.PIPE, text=True, start_new_session=True)
    os.close(slave)
    try:
        _read_until(master, b"Passphrase", time.monotonic() + TIMEOUT)
        os.write(master, passphrase.encode("utf-8") + b"\n")
        out, _ = process.communicate(timeout=TIMEOUT)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        os.close(master)
    assert process.returncode == 0
    acks = [json.loads(line) for line in out.splitlines()]
    assert len(acks) == 8
    with Store.open(db, passphrase=passphrase) as store:
        assert store.get_session(acks[0]["session"]).events == 8


def test_the_checker_notices_a_lost_event(tmp_path: Path) -> None:
    """The crash script's check is not vacuous: an acknowledgement with nothing behind it
    counts as lost."""
    crash = load_script("crash_replay")
    db = tmp_path / "store.sqlite3"
    answers = tmp_path / "run.yaml"
    crash.write_answers(answers, 0, 3)
    done = sdm("replay", crash.GUIDE, "--answers", str(answers), "--store", str(db),
               cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    acks = [json.loads(line) for line in done.stdout.splitlines()]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    report = crash.Report()
    crash.verify(env, db, 0, 3, acks, report)
    assert (report.lost, report.problems) == (0, [])
    ghost = {**acks[-1], "seq": acks[-1]["seq"] + 1}
    crash.verify(env, db, 0, 3, [*acks, ghost], report)
    assert report.lost == 1 and "missing or wrong" in report.problems[0]
    wrong = [*acks[:-1], {**acks[-1], "step": "brug-for-nu"}]
    crash.verify(env, db, 0, 3, wrong, report)
    assert report.lost == 2


@pytest.mark.slow
def test_crash_replay_script_loses_nothing(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, str(ROOT / "scripts" / "crash_replay.py"),
                           "--runs", "5", "--seed", "13", "--edits", "1500",
                           "--keep", str(tmp_path)], cwd=ROOT, capture_output=True, text=True,
                          timeout=1800, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    summary = done.stdout.strip().splitlines()[-1]
    assert summary.startswith("crash replay: 5 runs, "), summary
    assert " 0 lost, integrity ok 5/5" in summary, summary
    acknowledged = int(summary.split("5 runs, ", 1)[1].split()[0])
    assert acknowledged > 0, summary  # the kills landed while answers were being stored
