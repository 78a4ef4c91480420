"""`sdm agenda GUIDE` and `sdm prep-summary SESSION`: the meeting's papers, to a private file."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from assistant.cli import main
from assistant.engine import AddParticipant, Answer, Session
from assistant.store import Store
from tests.cli.test_export import sdm
from tests.engine.helpers import at
from tests.export.inspect import assert_inert_html, squash
from tests.plans.helpers import HOSTILE, LIBRARY

STATEMENT = "Jeg vil gerne selv bestemme, hvem der ringer til min mor."


@pytest.fixture
def preparation(tmp_path: Path) -> tuple[Path, str]:
    """A store with one preparation session; returns (store path, session id)."""
    path = tmp_path / "store" / "sessions.sqlite3"
    loaded = LIBRARY.guides["forberedelse-med-peer"]
    session = Session(loaded.document)  # type: ignore[arg-type]
    for event in (AddParticipant(role="peer_worker", name="Sara", at=at(0)),
                  Answer(step="personlig-udtalelse", value=STATEMENT, speaker="patient",
                         at=at(1)),
                  Answer(step="det-vil-jeg-sige", value=HOSTILE[0] + " " + HOSTILE[5],
                         speaker="patient", at=at(2))):
        session.apply(event)
    with Store.open(path) as store:
        row = store.create_session(loaded, "AB", ["patient", "peer_worker"])
        for event in session.events:
            store.append(row.id, event)
    return path, row.id


def test_agenda_as_text_to_stdout(capsys: pytest.CaptureFixture[str]) -> None:
    assert sdm(["agenda", "netvaerksmoede", "--participants", "patient,peer_worker,municipality",
                "--date", "2026-12-01"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Dagsorden: ")
    assert "Dato: 2026-12-01" in out
    assert "- Patienten" in out and "- Peer-medarbejderen" in out and "- Kommunen" in out
    assert "- Pårørende" not in out  # only those given
    assert "Tid i alt:" in out


def test_agenda_as_html_to_a_private_file(tmp_path: Path) -> None:
    out = tmp_path / "dagsorden.html"
    out.write_text("old", encoding="utf-8")
    out.chmod(0o644)
    assert main(["--lang", "en", "agenda", "netvaerksmoede-unge", "--format", "html",
                 "-o", str(out)]) == 1  # it exists: replaced only with --force
    assert out.read_text(encoding="utf-8") == "old"
    assert main(["--lang", "en", "agenda", "netvaerksmoede-unge", "--format", "html",
                 "-o", str(out), "--force"]) == 0
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    page = out.read_text(encoding="utf-8")
    assert '<html lang="en">' in page and "Agenda: " in page
    assert_inert_html(page)


def test_agenda_problems(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    assert sdm(["agenda", "no-such-guide"]) == 2
    assert "not a meeting guide" in capsys.readouterr().err
    assert sdm(["agenda", "samarbejde-ved-kriser"]) == 2  # a decision aid
    assert sdm(["agenda", "netvaerksmoede", "-o", str(tmp_path)]) == 2
    for bad in (["--participants", "patient,doctor"], ["--participants", ","]):
        with pytest.raises(SystemExit):
            sdm(["agenda", "netvaerksmoede", *bad])


def test_prep_summary_to_a_private_file(
    preparation: tuple[Path, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path, session_id = preparation
    out = tmp_path / "mine-punkter.txt"
    assert sdm(["prep-summary", session_id, "--store", str(path), "-o", str(out)]) == 0
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    text = out.read_text(encoding="utf-8")
    assert text.startswith("Mine punkter til mødet\n")
    assert "Forberedt med: Peer-medarbejderen (Sara)" in text
    assert STATEMENT in squash(text)
    assert HOSTILE[5] in squash(text)  # data, shown as written
    page_file = tmp_path / "mine-punkter.html"
    assert sdm(["prep-summary", session_id, "--store", str(path), "--format", "html",
                "-o", str(page_file)]) == 0
    report = assert_inert_html(page_file.read_text(encoding="utf-8"))
    assert STATEMENT in report.text and HOSTILE[0] in report.text
    with Store.open(path) as store:
        assert store.list_revisions(session_id) == []  # a paper, not a plan revision


def test_prep_summary_problems(
    preparation: tuple[Path, str], capsys: pytest.CaptureFixture[str]
) -> None:
    path, _session_id = preparation
    assert sdm(["prep-summary", "0" * 32, "--store", str(path)]) == 1
    assert capsys.readouterr().err.startswith("sdm prep-summary: ")
    loaded = LIBRARY.guides["netvaerksmoede"]
    with Store.open(path) as store:
        row = store.create_session(loaded, "CD", ["patient"])
    assert sdm(["prep-summary", row.id, "--store", str(path)]) == 2
    assert "not a preparation session" in capsys.readouterr().err


# --- issue 12: dates as the chat takes them, ids as in git ----------------------------------------


@pytest.mark.parametrize("date", ["01-12-2026", "1.12.2026", "2026-12-01", "01/12/2026"])
def test_agenda_date_in_the_formats_the_chat_accepts(
    date: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert sdm(["agenda", "netvaerksmoede", "--date", date]) == 0
    assert "Dato: 2026-12-01" in capsys.readouterr().out


@pytest.mark.parametrize("date", ["31-02-2026", "2026-13-01", "12/2026", "i morgen", ""])
def test_agenda_bad_date_is_one_line_and_exit_2(
    date: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert sdm(["agenda", "netvaerksmoede", "--date", date]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err == (f"sdm agenda: --date: '{date}' is not a date; write it as DD-MM-YYYY, "
                   "DD.MM.YYYY or YYYY-MM-DD\n")


def test_the_chat_and_the_cli_share_one_date_parser() -> None:
    from assistant.engine.values import parse_date
    from assistant.tui.answers import date as chat_date

    assert chat_date.parse_date is parse_date
    assert parse_date(" 5.6.2026 ") == "2026-06-05" and parse_date("30-02-2026") is None


def test_prep_summary_takes_a_unique_id_prefix(
    preparation: tuple[Path, str], capsys: pytest.CaptureFixture[str]
) -> None:
    path, session_id = preparation
    assert sdm(["prep-summary", session_id[:7], "--store", str(path)]) == 0
    assert capsys.readouterr().out.startswith("Mine punkter til mødet\n")
    assert sdm(["prep-summary", session_id[:3], "--store", str(path)]) == 2
    assert "at least its first 6 characters" in capsys.readouterr().err


def test_agenda_to_stdout_that_fails(monkeypatch: pytest.MonkeyPatch,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    from tests.cli.test_export import Full

    monkeypatch.setattr("sys.stdout", Full())
    assert sdm(["agenda", "netvaerksmoede"]) == 1
    assert capsys.readouterr().err == (
        "sdm agenda: cannot write to standard output: No space left on device\n")
