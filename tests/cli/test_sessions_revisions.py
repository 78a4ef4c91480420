"""`sdm sessions revisions`: list a plan's revisions, print one, compare two."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.export.jsonfile import export_json
from assistant.guides.loader import Loaded
from assistant.store import Store
from tests.cli.test_sessions import sdm
from tests.plans.helpers import full_draft


@pytest.fixture
def revised(db_path: Path, guide: Loaded) -> str:
    first, _ = full_draft("ua")
    second, _ = full_draft("ua", texts=["Nye ord fra patienten"])
    with Store.open(db_path) as store:
        row = store.create_session(guide, "AB")
        store.add_revision(row.id, "exported", export_json(first))
        store.add_revision(row.id, "approved", export_json(second), responsible="Team Nord")
        store.add_revision(row.id, "exported", "not a draft")
    return row.id


def test_list(db_path: Path, revised: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert sdm("revisions", revised, store=db_path) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [line.split()[0] for line in lines] == ["1", "2", "3"]
    assert "approved" in lines[1] and "Team Nord" in lines[1]
    assert "Nye ord" not in "\n".join(lines)  # a list shows no plan text


def test_show_and_diff(db_path: Path, revised: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert sdm("revisions", revised, "--show", "2", store=db_path) == 0
    assert "Nye ord fra patienten" in capsys.readouterr().out
    assert sdm("revisions", revised, "--diff", "1", "2", store=db_path) == 0
    out = capsys.readouterr().out
    assert out.startswith("--- revision 1\n+++ revision 2")
    assert any(line.startswith("+") and "Nye ord fra patienten" in line
               for line in out.splitlines())
    assert sdm("revisions", revised, "--diff", "2", "2", store=db_path) == 0
    assert "are the same" in capsys.readouterr().out


def test_clear_errors(db_path: Path, revised: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert sdm("revisions", revised, "--show", "9", store=db_path) == 1
    assert "has no revision 9 (it has: 1, 2, 3)" in capsys.readouterr().err
    assert sdm("revisions", revised, "--diff", "3", store=db_path) == 1
    assert "cannot read" in capsys.readouterr().err
    assert sdm("revisions", revised, "--diff", "1", "2", "3", store=db_path) == 2
    capsys.readouterr()
    assert sdm("revisions", "nopenope", store=db_path) == 1
    assert "no session with id 'nopenope'" in capsys.readouterr().err
    assert sdm("revisions", "nope", store=db_path) == 2  # too short for a prefix
    assert "at least its first 6 characters" in capsys.readouterr().err
