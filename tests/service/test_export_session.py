"""The session service exports a stored session (issue 14, item 1): `sdm export` and this
function draw the same paper from the same store; the function writes nothing."""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import json
from pathlib import Path

import pytest

from assistant.cli import main
from assistant.guides.loader import load_library
from assistant.plans import PlanChoiceError
from assistant.service.exports import export_session
from assistant.store import open_store

TODAY = dt.date(2026, 12, 2)


@pytest.fixture
def stored(tmp_path: Path) -> tuple[Path, str]:
    """A store holding the akut-medicin scenario (docs/answers), replayed through the CLI."""
    db = tmp_path / "s.sqlite3"
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = main(["--lang", "en", "replay", "akut-medicin", "--answers",
                     "docs/answers/akut-medicin.yaml", "--store", str(db)])
    assert code == 0
    session = json.loads(out.getvalue().splitlines()[-1])["session"]
    return db, session


def test_the_service_and_sdm_export_draw_the_same_paper(stored: tuple[Path, str],
                                                        capsys: pytest.CaptureFixture[str]
                                                        ) -> None:
    db, session = stored
    library = load_library()
    store = open_store(db)
    try:
        revisions = len(store.list_revisions(session))
        made = export_session(store, library, session, "text", today=TODAY, copy="record")
        assert len(store.list_revisions(session)) == revisions  # rendering records nothing
    finally:
        store.close()
    capsys.readouterr()
    assert main(["--lang", "da", "export", session, "--store", str(db), "--format", "text",
                 "--copy", "record", "--today", TODAY.isoformat()]) == 0
    assert capsys.readouterr().out == made.data.decode("utf-8")
    assert made.draft.template.id == made.state.guide.plan


def test_a_plan_the_guide_does_not_fill_is_refused(stored: tuple[Path, str]) -> None:
    db, session = stored
    store = open_store(db)
    try:
        with pytest.raises(PlanChoiceError):
            export_session(store, load_library(), session, "text", today=TODAY,
                           template="tryghedsplan")
    finally:
        store.close()
