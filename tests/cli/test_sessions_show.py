"""`sdm sessions`: id prefixes as in git, `show`, approved plans in `list`, stdout that fails."""

from __future__ import annotations

import datetime as dt
import io
import json
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace

import pytest

import assistant.store.sessions as sessions_module
from assistant.engine import Session
from assistant.engine.events import (
    AddParticipant,
    Answer,
    Event,
    FieldEdit,
    Note,
    Skip,
    Undo,
)
from assistant.export.jsonfile import export_json
from assistant.guides.loader import Loaded
from assistant.plans import build_draft
from assistant.store import SessionNotFound, Store
from assistant.store.ids import (
    MIN_PREFIX,
    AmbiguousSessionId,
    SessionIdTooShort,
    resolve_session_id,
)
from tests.cli.test_sessions import sdm
from tests.conftest import ROOT
from tests.engine.helpers import at
from tests.plans.helpers import LIBRARY, TEMPLATES
from tests.store.conftest import CANARY, answer
from tests.store.test_sessions import Clock

IDS = ("ab12cd01" + "0" * 24, "ab12cd99" + "0" * 24, "ef34ab00" + "0" * 24)


@pytest.fixture
def fixed_ids(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """New sessions get the ids in `IDS`, in order (uuid4 stands in)."""
    queue = iter(IDS)
    monkeypatch.setattr(sessions_module, "uuid",
                        SimpleNamespace(uuid4=lambda: SimpleNamespace(hex=next(queue))))
    yield


@pytest.fixture
def three(db_path: Path, guide: Loaded, fixed_ids: None) -> list[str]:
    """A store with a session for each of `IDS`."""
    with Store.open(db_path) as store:
        return [store.create_session(guide, f"S{i}").id for i in range(len(IDS))]


# --- the resolver --------------------------------------------------------------------------------


def test_resolve_whole_ids_and_unique_prefixes(db_path: Path, three: list[str]) -> None:
    with Store.open(db_path) as store:
        assert [resolve_session_id(store, i) for i in IDS] == list(IDS)
        assert resolve_session_id(store, "ef34ab") == IDS[2]
        assert resolve_session_id(store, "ab12cd0") == IDS[0]
        assert store.session_ids() == sorted(IDS)


def test_resolve_refusals(db_path: Path, three: list[str]) -> None:
    with Store.open(db_path) as store:
        with pytest.raises(AmbiguousSessionId) as ambiguous:
            resolve_session_id(store, "ab12cd")
        assert ambiguous.value.matches == [IDS[0], IDS[1]]
        assert ambiguous.value.message == (
            f"session id prefix 'ab12cd' is ambiguous: {IDS[0]}, {IDS[1]}")
        with pytest.raises(SessionIdTooShort, match="at least its first 6 characters"):
            resolve_session_id(store, "ef34a")  # unique, but too short to be safe
        with pytest.raises(SessionNotFound):
            resolve_session_id(store, "ffffff")
        with pytest.raises(SessionIdTooShort):
            resolve_session_id(store, "")
        # "%" and "_" are no wildcards: a prefix is compared as it is written.
        with pytest.raises(SessionNotFound):
            resolve_session_id(store, "ab12c%")
    assert MIN_PREFIX == 6


def test_delete_and_revisions_take_a_prefix(
    db_path: Path, three: list[str], monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))  # nobody to ask: --yes decides
    assert sdm("revisions", "ef34ab", store=db_path) == 0
    assert f"session {IDS[2]} has no plan revisions" in capsys.readouterr().out
    assert sdm("delete", "ab12cd", "--yes", store=db_path) == 1
    err = capsys.readouterr().err
    assert err == (f"sdm sessions: session id prefix 'ab12cd' is ambiguous: {IDS[0]}, "
                   f"{IDS[1]}\n")
    assert sdm("delete", "ab12c", "--yes", store=db_path) == 2
    assert "at least its first 6 characters" in capsys.readouterr().err
    assert sdm("delete", "ab12cd9", "--yes", store=db_path) == 0
    assert f"deleted session {IDS[1]}" in capsys.readouterr().out  # the whole id
    with Store.open(db_path) as store:
        assert store.session_ids() == [IDS[0], IDS[2]]


# --- sessions show ---------------------------------------------------------------------------


def _events() -> list[Event]:
    return [
        AddParticipant(role="peer_worker", name="Sara", at=at(0)),
        Answer(step="personlig-udtalelse", value="FØRSTE ORD", speaker="patient", at=at(1)),
        Undo(at=at(2)),
        Answer(step="personlig-udtalelse", value=CANARY, speaker="patient", at=at(3)),
        Skip(step="hvad-vil-jeg-have-hjaelp-til", speaker="peer_worker", at=at(4)),
        Answer(step="det-vil-jeg-sige", value="Linje 1\nLinje 2", speaker="patient",
               at=at(5)),
        Note(text="en note", speaker="peer_worker", at=at(6)),
        FieldEdit(template="ua", field="patient_wishes", text="Skrevet i gennemgangen",
                  speaker="patient", at=at(7)),
    ]


@pytest.fixture
def prepared(db_path: Path) -> str:
    """A preparation session in the store, with an undone answer, a skip and a review edit."""
    loaded = LIBRARY.guides["forberedelse-med-peer"]
    session = Session(loaded.document)  # type: ignore[arg-type]
    events = _events()
    for event in events:
        session.apply(event)  # the engine accepts each one
    with Store.open(db_path) as store:
        row = store.create_session(loaded, "AB", ["patient", "peer_worker"])
        for event in events:
            store.append(row.id, event)
    return row.id


def test_show_json(db_path: Path, prepared: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert sdm("show", prepared[:8], "--format", "json", store=db_path) == 0
    data = json.loads(capsys.readouterr().out)
    assert (data["id"], data["guide"], data["label"]) == (prepared, "forberedelse-med-peer",
                                                          "AB")
    events = data["events"]
    assert [e["seq"] for e in events] == list(range(1, 9))
    assert [e["type"] for e in events] == ["add_participant", "answer", "undo", "answer",
                                           "skip", "answer", "note", "field_edit"]
    first = dict(events[1])
    assert dt.datetime.fromisoformat(first.pop("at")) == at(1)
    assert first == {"seq": 2, "type": "answer", "step": "personlig-udtalelse",
                     "value": "FØRSTE ORD", "speaker": "patient", "prepared": False,
                     "counts": False}  # undone
    assert {k: v for k, v in events[2].items() if k != "at"} == {
        "seq": 3, "type": "undo", "counts": True}
    assert events[3]["value"] == CANARY and events[3]["counts"] is True
    assert events[4]["step"] == "hvad-vil-jeg-have-hjaelp-til"
    assert events[4]["speaker"] == "peer_worker"
    assert events[7]["template"] == "ua" and events[7]["text"] == "Skrevet i gennemgangen"
    assert data["answers"] == {
        "personlig-udtalelse": {"value": CANARY, "speaker": "patient",
                                "at": at(3).isoformat(), "prepared": False},
        "det-vil-jeg-sige": {"value": "Linje 1\nLinje 2", "speaker": "patient",
                             "at": at(5).isoformat(), "prepared": False},
    }


def test_show_text(db_path: Path, prepared: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert sdm("show", prepared, store=db_path) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert lines[0] == f"session {prepared}  AB"
    assert lines[1].startswith("guide forberedelse-med-peer ")
    first = next(line for line in lines if "FØRSTE ORD" in line)
    assert first.split()[:1] == ["2"] and "[patient]" in first
    assert "does not count" in first
    assert any(line.split()[:1] == ["5"] and "skip" in line and "[peer_worker]" in line
               for line in lines)
    assert "ua.patient_wishes" in out
    answers = lines[lines.index("answers:") + 1:]
    assert answers[0] == f"  personlig-udtalelse [patient]: {CANARY}"
    assert answers[1] == "  det-vil-jeg-sige [patient]: Linje 1"
    assert answers[2].strip() == "Linje 2"


def test_show_problems(db_path: Path, prepared: str, guide: Loaded,
                       capsys: pytest.CaptureFixture[str]) -> None:
    assert sdm("show", "0" * 32, store=db_path) == 1
    assert capsys.readouterr().err.startswith("sdm sessions: no session")
    assert sdm("show", prepared[:5], store=db_path) == 2
    # A guide no longer in the library: its copy kept with the session reads the answers.
    with Store.open(db_path) as store:
        row = store.create_session(guide, "CD")
        store.append(row.id, answer())
    assert sdm("show", row.id, "--format", "json", store=db_path) == 0
    out, err = capsys.readouterr()
    assert json.loads(out)["answers"]["vigtigst"]["value"] == "at blive hørt"
    # A session stored before copies were kept: the events still show, the answers cannot.
    raw = sqlite3.connect(db_path)
    with raw:
        raw.execute("DELETE FROM session_documents WHERE session_id = ?", (row.id,))
    raw.close()
    assert sdm("show", row.id, "--format", "json", store=db_path) == 0
    out, err = capsys.readouterr()
    data = json.loads(out)
    assert data["answers"] is None and data["events"][0]["step"] == "vigtigst"
    assert "no longer in the library" in err


def test_show_opens_an_encrypted_store_with_the_passphrase(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from tests.privacy.conftest import FAST_KDF, PASSPHRASE

    path = tmp_path / "enc.sqlite3"
    loaded = LIBRARY.guides["forberedelse-med-peer"]
    with Store.create_encrypted(path, PASSPHRASE, kdf=FAST_KDF) as store:
        row = store.create_session(loaded, "AB", ["patient"])
        store.append(row.id, _events()[1])
    prompts: list[str] = []

    def getpass(prompt: str = "") -> str:
        prompts.append(prompt)
        return PASSPHRASE

    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    monkeypatch.setattr("getpass.getpass", getpass)
    assert sdm("show", row.id, "--format", "json", store=path) == 0
    assert json.loads(capsys.readouterr().out)["answers"]["personlig-udtalelse"][
        "value"] == "FØRSTE ORD"
    assert prompts == ["Passphrase for the session store: "]


# --- sessions list: which plan is approved -----------------------------------------------------


@pytest.fixture
def approved(db_path: Path, guide: Loaded) -> str:
    """A session whose crisis plan was approved twice and its UA once, and one revision that
    this version cannot read."""
    plan = TEMPLATES["kriseplan"]
    from tests.plans.helpers import answer_all, synthetic_guide

    state = answer_all(synthetic_guide(plan), plan).state
    clock = Clock(dt.datetime(2026, 11, 1, 9, tzinfo=dt.UTC))
    with Store.open(db_path, clock=clock) as store:
        row = store.create_session(guide, "AB")
        for day, template_id, due in ((1, "kriseplan", None), (2, "ua", dt.date(2027, 6, 1)),
                                      (3, "kriseplan", dt.date(2027, 12, 1))):
            clock.now = dt.datetime(2026, 12, day, 9, tzinfo=dt.UTC)
            draft = build_draft(state, TEMPLATES[template_id], today=clock.now.date())
            store.add_revision(row.id, "approved", export_json(draft), next_revision_due=due)
        store.add_revision(row.id, "exported", export_json(draft))  # not an approval
        other = store.create_session(guide, "CD")
        store.add_revision(other.id, "approved", "{}")
    return row.id


def test_list_names_the_approved_plans(db_path: Path, approved: str,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    assert sdm("list", "--today", "2026-12-05", store=db_path) == 0
    lines = capsys.readouterr().out.splitlines()
    at_row = next(i for i, line in enumerate(lines) if line.startswith(approved))
    assert lines[at_row + 1:at_row + 3] == [
        "    Kriseplan approved 2026-12-03, revision due 2027-12-01",
        "    Udskrivningsaftale approved 2026-12-02, revision due 2027-06-01",
    ]
    assert any(line.startswith("    a plan approved ") for line in lines)  # unreadable draft


def test_list_json_gives_approvals_per_plan(db_path: Path, approved: str,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    assert sdm("list", "--format", "json", store=db_path) == 0
    sessions = {s["id"]: s for s in json.loads(capsys.readouterr().out)["sessions"]}
    approvals = sessions[approved]["approved"]
    assert [(a["template"], a["next_revision_due"]) for a in approvals] == [
        ("kriseplan", "2027-12-01"), ("ua", "2027-06-01")]
    assert dt.datetime.fromisoformat(approvals[0]["approved_at"]) == dt.datetime(
        2026, 12, 3, 9, tzinfo=dt.UTC)
    assert approvals[0]["title"] == "Kriseplan"
    (other,) = (s for s in sessions.values() if s["id"] != approved)
    assert other["approved"] == [{"template": None, "title": None,
                                  "approved_at": other["approved"][0]["approved_at"],
                                  "next_revision_due": None}]


# --- standard output that cannot be written ------------------------------------------------------


class Full(io.StringIO):
    """Standard output on a full disk."""

    def write(self, text: str) -> int:
        raise OSError(28, "No space left on device")

    def fileno(self) -> int:
        raise io.UnsupportedOperation("no file descriptor")


@pytest.mark.parametrize("argv", [("list",), ("list", "--format", "json"), ("show", IDS[2]),
                                  ("revisions", IDS[2])])
def test_stdout_that_fails_is_one_line_and_exit_1(
    db_path: Path, three: list[str], monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str], argv: tuple[str, ...],
) -> None:
    monkeypatch.setattr(sys, "stdout", Full())
    assert sdm(*argv, store=db_path) == 1
    err = capsys.readouterr().err  # (the example guide is read from the copy kept with it)
    assert err.endswith(
        "sdm sessions: cannot write to standard output: No space left on device\n")
    assert "Traceback" not in err and err.count("cannot write") == 1


def test_dev_full_in_a_real_process(db_path: Path, three: list[str]) -> None:
    if not Path("/dev/full").exists():
        pytest.skip("no /dev/full here")
    for argv in (["sessions", "list"], ["sessions", "revisions", "ef34ab"]):
        with open("/dev/full", "w") as full:
            done = subprocess.run([sys.executable, "-m", "assistant", "--store", str(db_path),
                                   *argv], stdout=full, stderr=subprocess.PIPE, text=True,
                                  cwd=ROOT, timeout=60)
        assert done.returncode == 1, done.stderr
        assert done.stderr == (
            "sdm sessions: cannot write to standard output: No space left on device\n")


# --- ordinary errors that were crash reports (issue 13, item 9) ---------------------------------


def test_purge_further_back_than_any_date(db_path: Path, three: list[str],
                                          capsys: pytest.CaptureFixture[str]) -> None:
    for days in ("740000", "99999999999"):
        assert sdm("purge", "--older-than", days, "--yes", store=db_path) == 0
        assert f"no sessions older than {days} days" in capsys.readouterr().out
    with Store.open(db_path) as store:
        assert len(store.session_ids()) == 3


def test_a_passphrase_that_is_not_utf8_is_asked_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from tests.privacy.conftest import FAST_KDF, PASSPHRASE

    path = tmp_path / "enc.sqlite3"
    Store.create_encrypted(path, PASSPHRASE, kdf=FAST_KDF).close()
    typed = ["hemmelig\udce6", PASSPHRASE]  # "æ" from a Latin-1 terminal, then the right one
    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    monkeypatch.setattr("getpass.getpass", lambda prompt="": typed.pop(0))
    assert sdm("list", store=path) == 0
    assert "not UTF-8" in capsys.readouterr().err
    typed[:] = ["\udce6" * 8] * 3
    assert sdm("list", store=path) == 1
    err = capsys.readouterr().err
    assert err.splitlines()[-1] == ("sdm sessions: the passphrase typed is not UTF-8 text: set "
                                    "the terminal to UTF-8 (e.g. LANG=da_DK.UTF-8)")
    assert "Traceback" not in err
