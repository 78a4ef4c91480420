"""`sdm store copy --to postgresql://…` (issue 19, item 5, "moving in"): a clinician's store
file is copied to the department server, session by session, each read back from the server
and checked; the same events, revisions, kept guides and the same paper come out of both; a
second copy writes nothing twice; a session the server holds with other content is refused
and reported; an encrypted file is read with its passphrase; the file itself is never
changed; the address's password and a server as the source are refused; and it all speaks
Danish or English."""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from assistant.engine.events import Answer, Note
from assistant.store import Store
from tests.cli.conftest import run_sdm as _sdm
from tests.cli.test_language import _leaks, foreign
from tests.conftest import ROOT
from tests.pgserver import url as _url

if TYPE_CHECKING:
    from assistant.catalogue import Lang
    from assistant.pgstore.store import PgStore

__all__ = ["foreign"]  # the language test's fixture, used here too

ANSWERS = ROOT / "docs" / "answers"
#: Guides whose answers files replay into a store (the file's name is the guide's id).
REPLAYED = ("akut-medicin", "eftersamtale", "faelles-kriseplan")
TODAY = "2026-12-02"
AT = dt.datetime(2026, 5, 1, 10, 0, tzinfo=dt.UTC)
#: The label of every replayed session: looked for in every message, never to be found.
LABEL = "Kirsten-Q"


def _replayed(store: Path, guide: str) -> str:
    code, out, err = _sdm("--lang", "en", "--store", str(store), "replay", guide,
                          "--answers", str(ANSWERS / f"{guide}.yaml"), "--label", LABEL)
    assert code == 0, err
    return str(json.loads(out.splitlines()[-1])["session"])


def _copy(local: Path, server: str, *more: str, lang: str = "en") -> tuple[int, str, str]:
    return _sdm("--lang", lang, "--store", str(local), "store", "copy", "--to", server, *more)


def _files(folder: Path) -> dict[str, tuple[bytes, int]]:
    """Every file in `folder`: its bytes and modification time (ns)."""
    return {p.name: (p.read_bytes(), p.stat().st_mtime_ns)
            for p in sorted(folder.iterdir()) if p.is_file()}


@pytest.fixture
def local(tmp_path: Path) -> tuple[Path, list[str]]:
    """A clinician's own store file with three replayed sessions, one with an exported plan
    (a plan revision); their ids, oldest first."""
    path = tmp_path / "mine" / "sessions.sqlite3"
    ids = [_replayed(path, guide) for guide in REPLAYED]
    code, _out, err = _sdm("--lang", "en", "--store", str(path), "export", ids[0],
                           "--today", TODAY, "-o", str(tmp_path / "plan.txt"))
    assert code == 0, err
    return path, ids


@pytest.fixture
def server(pg_server: Any) -> Iterator[tuple[str, str]]:
    """An empty database on the test server: (its conninfo, its postgresql:// address)."""
    conninfo = pg_server.new_database()
    try:
        yield conninfo, _url(conninfo)
    finally:
        pg_server.drop_database(conninfo)


def _pg(conninfo: str) -> PgStore:
    from assistant.pgstore.store import PgStore

    return PgStore.open(conninfo)


def _paper(store: str, session: str) -> str:
    """The session's plan as `sdm export` prints it (printed: not recorded as a revision)."""
    code, out, err = _sdm("--lang", "en", "--store", store, "export", session,
                          "--today", TODAY)
    assert code == 0, err
    return out


# --- copying ---------------------------------------------------------------------------------


def test_every_session_arrives_as_it_was_and_the_file_is_left_alone(
        local: tuple[Path, list[str]], server: tuple[str, str]) -> None:
    path, ids = local
    conninfo, address = server
    before = _files(path.parent)

    code, out, err = _copy(path, address)
    assert code == 0, err
    lines = out.splitlines()
    assert [line.split()[0] for line in lines[:3]] == ids  # one line each, oldest first
    assert all("  copied: " in line for line in lines[:3])
    assert "1 plan revision" in lines[0] and "0 plan revisions" in lines[1]
    assert lines[3] == "3 sessions: 3 copied, 0 already there, 0 failed"
    assert lines[4].startswith(f"The local file {path} was left as it was.")
    assert "'sdm sessions delete'" in lines[4] and "remove the file" in lines[4]
    assert err == ""
    # Not one byte (nor the time) of the file or the files beside it changed; none added.
    assert _files(path.parent) == before
    with _pg(conninfo) as theirs:  # reading each back was logged, as the copy it was
        logged = theirs.db.read("SELECT session_id, action FROM access_log")
    assert {(r["session_id"], r["action"]) for r in logged} == {(s, "copy") for s in ids}

    with Store.open(path) as mine, _pg(conninfo) as theirs:
        assert sorted(theirs.session_ids()) == sorted(ids)
        for session in ids:
            assert theirs.get_session(session) == mine.get_session(session)
            assert theirs.load_events(session) == mine.load_events(session)
            assert theirs.list_revisions(session) == mine.list_revisions(session)
            assert theirs.session_documents(session) == mine.session_documents(session)
        assert len(theirs.list_revisions(ids[0])) == 1
    # The same paper from either store.
    for session in ids:
        assert _paper(address, session) == _paper(str(path), session)


def test_copying_again_writes_nothing_twice(local: tuple[Path, list[str]],
                                           server: tuple[str, str]) -> None:
    path, ids = local
    conninfo, address = server
    assert _copy(path, address)[0] == 0
    before = _files(path.parent)

    code, out, err = _copy(path, address)
    assert code == 0, err
    lines = out.splitlines()
    assert all("  already there: " in line for line in lines[:3])
    assert lines[3] == "3 sessions: 0 copied, 3 already there, 0 failed"
    assert "was left as it was" in lines[4]
    assert _files(path.parent) == before
    with _pg(conninfo) as theirs:
        assert sorted(theirs.session_ids()) == sorted(ids)
        assert [len(theirs.load_events(s)) for s in ids] == [r.events for r in map(
            theirs.get_session, ids)]
        assert len(theirs.list_revisions()) == 1


def test_only_the_sessions_named(local: tuple[Path, list[str]],
                                 server: tuple[str, str]) -> None:
    path, ids = local
    conninfo, address = server
    code, out, err = _copy(path, address, "--session", ids[1][:8], "--session", ids[2])
    assert code == 0, err
    assert [line.split()[0] for line in out.splitlines()[:2]] == [ids[1], ids[2]]
    assert out.splitlines()[2] == "2 sessions: 2 copied, 0 already there, 0 failed"
    with _pg(conninfo) as theirs:
        assert theirs.session_ids() == sorted(ids[1:])
    code, _out, err = _copy(path, address, "--session", "abc")  # too short to tell
    assert code == 2 and "too short" in err


def test_a_session_the_server_holds_otherwise_is_refused_and_reported(
        local: tuple[Path, list[str]], server: tuple[str, str]) -> None:
    path, ids = local
    conninfo, address = server
    assert _copy(path, address, "--session", ids[1])[0] == 0
    with _pg(conninfo) as theirs:  # someone went on with the session on the server
        theirs.append(ids[1], Note(text="on the ward", speaker="clinician", at=AT))
        held = theirs.load_events(ids[1])
    before = _files(path.parent)

    code, out, err = _copy(path, address)
    assert code == 1
    lines = out.splitlines()
    assert lines[1] == (f"{ids[1]}  FAILED: session {ids[1]} is on the server already with "
                        "other content; nothing of it was copied")
    assert "  copied: " in lines[0] and "  copied: " in lines[2]
    assert lines[3] == "3 sessions: 2 copied, 0 already there, 1 failed"
    assert "left as it was" not in out and "delete" not in out  # no word of deleting it
    assert err == ("sdm store copy: not every session was copied and checked: 1 session "
                   "failed (see FAILED above); the local file was left as it was: do not "
                   "delete it\n")
    assert LABEL not in out + err  # ids and counts, never the label
    assert _files(path.parent) == before
    with _pg(conninfo) as theirs:  # the server's session is as it was: nothing merged
        assert theirs.load_events(ids[1]) == held
        assert sorted(theirs.session_ids()) == sorted(ids)


def test_a_clinician_copies_into_their_unit_and_never_over_another_unit_s(
        local: tuple[Path, list[str]], server: tuple[str, str], pg_server: Any) -> None:
    path, ids = local
    conninfo, _address = server
    _pg(conninfo).close()  # migrated by the operator, who owns the tables
    alice = _url(pg_server.add_role(conninfo, ("psyk-a",)))
    bob = _url(pg_server.add_role(conninfo, ("psyk-b",)))
    code, _out, err = _copy(path, alice, "--session", ids[0])
    assert code == 0, err

    code, out, err = _copy(path, bob)  # the same file, by someone of another unit
    assert code == 1
    assert out.splitlines()[0] == (f"{ids[0]}  FAILED: session {ids[0]} is on the server "
                                   "already, in a unit you cannot read; nothing of it was "
                                   "copied")
    assert out.splitlines()[3] == "3 sessions: 2 copied, 0 already there, 1 failed"
    with _pg(conninfo) as operator:
        units = {r["id"]: r["unit"] for r in operator.db.read("SELECT id, unit FROM sessions")}
        writers = {r["written_by"] for r in operator.db.read("SELECT written_by FROM events")}
    assert units == {ids[0]: "psyk-a", ids[1]: "psyk-b", ids[2]: "psyk-b"}
    assert writers == {alice.rpartition("user=")[2], bob.rpartition("user=")[2]}


def test_a_session_that_does_not_read_back_the_same_fails(
        local: tuple[Path, list[str]], server: tuple[str, str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    import assistant.pgstore.imports as imports
    from assistant.service.copying import copy_sessions

    path, ids = local
    conninfo, _address = server
    read = imports.read_session

    def short(db: Any, session_id: str) -> Any:
        row, events, revisions, documents = read(db, session_id)
        return row, events[:-1], revisions, documents  # one event lost on the way back

    monkeypatch.setattr(imports, "read_session", short)
    with Store.open(path) as mine, _pg(conninfo) as theirs:
        report = copy_sessions(mine, theirs, only=[ids[0]])
        events = len(mine.load_events(ids[0]))
        documents = len(mine.session_documents(ids[0]))
    (result,) = report.sessions
    assert not report.ok and result.outcome == "failed" and not result.verified
    assert (result.events, result.revisions, result.documents) == (events, 1, documents)
    assert result.reason == (f"session {ids[0]} reads back from the server with "
                             f"{events - 1} events, 1 revisions and {documents} documents, "
                             f"not {events}, 1 and {documents}")


def test_a_session_is_written_whole_or_not_at_all(local: tuple[Path, list[str]],
                                                 server: tuple[str, str]) -> None:
    import dataclasses

    from assistant.pgstore.imports import import_session
    from assistant.store.errors import StoreWriteError

    path, ids = local
    conninfo, _address = server
    with Store.open(path) as mine:
        row = mine.get_session(ids[0])
        events = list(enumerate(mine.load_events(ids[0]), start=1))
        revisions = mine.list_revisions(ids[0])
        documents = mine.session_documents(ids[0])
    bad = [dataclasses.replace(documents[0], kind="neither")]  # the server's rules refuse it
    with _pg(conninfo) as theirs:
        with pytest.raises(StoreWriteError):
            import_session(theirs.db, row, events, revisions, bad)
        assert theirs.session_ids() == []  # not the row, nor its events
        assert import_session(theirs.db, row, events, revisions, documents) == "copied"
        assert import_session(theirs.db, row, events, revisions, documents) == "present"


# --- the source: encrypted, missing, a server --------------------------------------------------


def test_an_encrypted_store_is_read_with_its_passphrase(
        tmp_path: Path, server: tuple[str, str], monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.plans.helpers import LIBRARY
    from tests.privacy.conftest import FAST_KDF, PASSPHRASE

    path = tmp_path / "enc.sqlite3"
    loaded = LIBRARY.guides["forberedelse-med-peer"]
    with Store.create_encrypted(path, PASSPHRASE, kdf=FAST_KDF) as store:
        row = store.create_session(loaded, "Hemmelig", ["patient"])
        store.append(row.id, Answer(step="personlig-udtalelse", value="FØRSTE ORD",
                                    speaker="patient", at=AT))
    conninfo, address = server
    before = _files(tmp_path)

    monkeypatch.setattr("sys.stdin.isatty", lambda: False)  # no terminal: cannot ask
    code, out, err = _copy(path, address)
    assert code == 1 and out == ""
    assert "encrypted" in err and "terminal" in err
    prompts: list[str] = []

    def getpass(prompt: str = "") -> str:
        prompts.append(prompt)
        return PASSPHRASE

    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    monkeypatch.setattr("getpass.getpass", getpass)
    code, out, err = _copy(path, address)
    assert code == 0, err
    assert prompts == ["Passphrase for the session store: "]
    assert out.splitlines()[0] == f"{row.id}  copied: 1 event, 0 plan revisions, 1 document"
    assert _files(tmp_path) == before
    with _pg(conninfo) as theirs:  # on the server as it was typed: the server's to protect
        assert theirs.get_session(row.id).label == "Hemmelig"
        (answer,) = theirs.load_events(row.id)
        assert isinstance(answer, Answer) and answer.value == "FØRSTE ORD"
    assert "Hemmelig" not in out + err and "FØRSTE" not in out + err


def test_no_file_no_copy_and_none_is_made(tmp_path: Path) -> None:
    missing = tmp_path / "none.sqlite3"
    code, out, err = _copy(missing, "postgresql:///sdm")
    assert code == 1 and out == ""
    assert err == f"sdm store copy: there is no session store at {missing}: nothing to copy\n"
    assert list(tmp_path.iterdir()) == []
    # Without --store: the person's own store, in their data folder (not made either).
    own = Path(os.environ["XDG_DATA_HOME"]) / "sdm-assistant" / "sessions.sqlite3"
    code, _out, err = _sdm("--lang", "en", "store", "copy", "--to", "postgresql:///sdm")
    assert code == 1 and f"no session store at {own}" in err
    assert not own.parent.exists()


def test_an_empty_store_has_nothing_to_copy(tmp_path: Path, server: tuple[str, str]) -> None:
    path = tmp_path / "empty.sqlite3"
    Store.open(path).close()
    code, out, err = _copy(path, server[1])
    assert code == 0, err
    assert out == f"the session store {path} holds no sessions: nothing to copy\n"


def test_a_server_is_not_a_source(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    code, out, err = _sdm("--lang", "en", "--store", "postgresql:///theirs", "store", "copy",
                          "--to", "postgresql:///sdm")
    assert code == 2 and out == ""
    assert "copying is from a store file, not from a server" in err
    monkeypatch.setenv("SDM_STORE", "service=elsewhere")
    code, _out, err = _sdm("--lang", "en", "store", "copy", "--to", "postgresql:///sdm")
    assert code == 2 and "not from a server" in err
    assert list(tmp_path.iterdir()) == []


def test_the_target_must_be_a_server_without_a_password(
        local: tuple[Path, list[str]], monkeypatch: pytest.MonkeyPatch) -> None:
    path, _ids = local
    before = _files(path.parent)
    asked: list[str] = []
    monkeypatch.setattr("getpass.getpass", lambda prompt="": asked.append(prompt) or "")

    code, out, err = _copy(path, "postgresql://nurse:s3cret@db.example/sdm")
    assert code == 1 and out == ""
    assert "a password is not accepted" in err
    assert "s3cret" not in err and "nurse" not in err
    code, out, err = _copy(path, str(path.parent / "theirs.sqlite3"))  # a file, no server
    assert code == 2 and out == ""
    assert "--to must name a department server" in err
    assert asked == []
    assert _files(path.parent) == before


def test_sdm_store_alone_names_its_subcommands() -> None:
    code, _out, err = _sdm("--lang", "en", "store")
    assert code == 2 and "choose a subcommand: copy" in err


# --- Danish and English ------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["da", "en"])
def test_copy_speaks_one_language(lang: Lang, local: tuple[Path, list[str]],
                                  server: tuple[str, str], foreign: dict[Lang, set[str]],
                                  tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path, ids = local
    conninfo, address = server
    monkeypatch.chdir(tmp_path)
    said: dict[str, str] = {}
    said["first"] = "".join(_copy(path, address, "--session", ids[0], lang=lang)[1:])
    with _pg(conninfo) as theirs:
        theirs.append(ids[0], Note(text="on the ward", speaker="clinician", at=AT))
    said["again"] = "".join(_copy(path, address, lang=lang)[1:])
    said["present"] = "".join(_copy(path, address, "--session", ids[1], lang=lang)[1:])
    said["password"] = "".join(_copy(path, "postgresql://n:pw@db.example/sdm", lang=lang)[1:])
    said["not a server"] = "".join(_copy(path, "theirs.sqlite3", lang=lang)[1:])
    said["server source"] = "".join(_sdm("--lang", lang, "--store", address, "store", "copy",
                                         "--to", address)[1:])
    said["missing"] = "".join(_copy(tmp_path / "none.sqlite3", address, lang=lang)[1:])
    # argparse's usage line names the command and its metavar as they are: not a message.
    said["usage"] = "".join(line for line in _sdm("--lang", lang, "store")[2].splitlines(True)
                            if not line.startswith(("usage:", "brug:")))
    leaks = {what: _leaks(text, lang, foreign, tmp_path) for what, text in said.items()}
    assert not {what: words for what, words in leaks.items() if words}, said
    if lang == "da":
        assert f"{ids[0]}  kopieret: " in said["first"]
        assert "1 session: 1 kopieret, 0 fandtes allerede, 0 fejlede" in said["first"]
        assert f"Den lokale fil {path} er ikke ændret." in said["first"]
        assert (f"{ids[0]}  FEJL: session {ids[0]} findes allerede på serveren med andet "
                "indhold; intet af den blev kopieret") in said["again"]
        assert "3 sessioner: 2 kopieret, 0 fandtes allerede, 1 fejlede" in said["again"]
        assert "ikke alle sessioner blev kopieret og kontrolleret" in said["again"]
        assert f"{ids[1]}  fandtes allerede: " in said["present"]
        assert "en adgangskode tages ikke imod" in said["password"]
        assert "der kopieres fra en lagerfil" in said["server source"]
        assert "intet sessionslager" in said["missing"]
    else:
        assert f"{ids[0]}  copied: " in said["first"]
        assert "3 sessions: 2 copied, 0 already there, 1 failed" in said["again"]
        assert f"{ids[1]}  already there: " in said["present"]


def test_the_messages_name_no_label_and_no_answer(local: tuple[Path, list[str]],
                                                  server: tuple[str, str]) -> None:
    path, _ids = local
    code, out, err = _copy(path, server[1])
    assert code == 0, err
    with Store.open(path) as mine:
        assert {row.label for row in mine.list_sessions()} == {LABEL}
    assert LABEL not in out + err
    assert os.path.basename(path) in out  # the file's path, which the person gave
