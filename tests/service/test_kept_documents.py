"""A stored session keeps the guide and plan template texts it was made with (issue 18,
item 1): its plan can be read, exported and resumed after the files change, move or leave
the library; the copies are sealed like the answers and go with the session."""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Callable
from pathlib import Path

from assistant.engine.transcript import answer_event
from assistant.guides.loader import Library, load_library
from assistant.service.exports import export_session, read_state, session_library
from assistant.service.sessions import SessionService
from assistant.store import Store
from tests.conftest import AnyStore

ROOT = Path(__file__).resolve().parents[2]
AT = dt.datetime(2026, 12, 2, 9, 0, tzinfo=dt.UTC)
PASSPHRASE = "en lang og hemmelig sætning"


def _folder(tmp_path: Path) -> Path:
    """A region's folder outside the package: the example aid and its own plan template."""
    folder = tmp_path / "region"
    folder.mkdir()
    for name in ("eksempel-beslutning.yaml", "eksempel-plan.yaml"):
        shutil.copy(ROOT / "docs" / "examples" / name, folder / name)
    return folder


def _answered(store: AnyStore, library: Library, steps: int = 4) -> str:
    """A stored session of the example aid with its first `steps` steps dealt with (an
    information step is seen, the others answered)."""
    service = SessionService(store, library)
    guide = library.guides["eksempel-beslutning"].document
    opened = service.start(guide, "AB", ["patient", "clinician"], "da", at=AT)  # type: ignore[arg-type]
    try:
        for i in range(steps):
            state = opened.session.state
            step = state.current
            assert step is not None
            value = _value_for(step.step)
            opened.record_applied(answer_event(state, step.id, value, "patient",
                                               AT + dt.timedelta(minutes=i)))
        return str(opened.row.id)
    finally:
        opened.close()


def _value_for(step: object) -> object:
    from assistant.guides.models import choices_of, takes_answer

    kind = getattr(step, "type", "")
    if not takes_answer(step):  # type: ignore[arg-type]
        return None
    if kind in ("single",):
        return choices_of(step)[0].id  # type: ignore[arg-type]
    if kind == "multi":
        return [choices_of(step)[0].id]  # type: ignore[arg-type]
    if kind == "yesno":
        return True
    if kind == "scale":
        return getattr(step, "min", 0)
    if kind == "date":
        return "2027-01-15"
    return "Mine egne ord"


def test_the_plan_exports_after_the_folder_is_gone(tmp_path: Path,
                                                   make_store: Callable[..., AnyStore]) -> None:
    folder = _folder(tmp_path)
    with make_store(clock=lambda: AT) as store:
        library = load_library([folder])
        session = _answered(store, library)
        kept = store.session_documents(session)
        assert [(d.kind, d.id) for d in kept] == [("guide", "eksempel-beslutning"),
                                                 ("plan_template", "eksempel-plan")]
        assert kept[0].text == (folder / "eksempel-beslutning.yaml").read_text("utf-8")
        before = export_session(store, library, session, "text", today=AT.date())
    shutil.rmtree(folder)
    with make_store(clock=lambda: AT) as store:
        bundled_only = load_library()
        assert "eksempel-beslutning" not in bundled_only.guides
        after = export_session(store, bundled_only, session, "text", today=AT.date())
        assert after.data == before.data
        assert read_state(store, bundled_only, session).answers


def test_a_changed_file_reads_as_the_session_was_made(tmp_path: Path,
                                                      make_store: Callable[..., AnyStore]) -> None:
    folder = _folder(tmp_path)
    with make_store(clock=lambda: AT) as store:
        session = _answered(store, load_library([folder]))
        aid = folder / "eksempel-beslutning.yaml"
        text = aid.read_text("utf-8")
        # Every step id renamed: on the changed file no answer would fit any more.
        aid.write_text(text.replace("id: ", "id: x-").replace("id: x-eksempel-beslutning",
                                                                "id: eksempel-beslutning"),
                       encoding="utf-8")
        changed = load_library([folder])
        made_with = session_library(store, changed, store.get_session(session))
        assert made_with is not changed
        assert made_with.guides["eksempel-beslutning"].text == text
        answered = read_state(store, load_library([ROOT / "docs" / "examples"]), session).answers
        assert answered and read_state(store, changed, session).answers == answered


def test_resuming_after_the_guide_left_the_library(tmp_path: Path,
                                                   make_store: Callable[..., AnyStore]) -> None:
    folder = _folder(tmp_path)
    with make_store(clock=lambda: AT) as store:
        session = _answered(store, load_library([folder]), steps=3)
        answered = read_state(store, load_library([folder]), session).answers
        shutil.rmtree(folder)
        service = SessionService(store, load_library())
        opened = service.resume(session, "da")
        try:
            assert answered and opened.session.state.answers == answered
            assert not opened.guide_changed
        finally:
            opened.close()


def test_the_copies_are_sealed_and_go_with_the_session(tmp_path: Path) -> None:
    import sqlite3

    from tests.privacy.conftest import FAST_KDF

    folder = _folder(tmp_path)
    path = tmp_path / "enc.sqlite3"
    Store.create_encrypted(path, PASSPHRASE, kdf=FAST_KDF).close()
    with Store.open(path, passphrase=PASSPHRASE, clock=lambda: AT) as store:
        session = _answered(store, load_library([folder]), steps=1)
        assert store.session_documents(session)[0].text.startswith("# ")
    raw = sqlite3.connect(path)
    try:
        texts = [row[0] for row in raw.execute("SELECT text FROM session_documents")]
    finally:
        raw.close()
    assert len(texts) == 2 and all(isinstance(t, bytes) for t in texts)
    words = b"decision_aid"  # in the file's text (kind: decision_aid)
    assert not any(words in t for t in texts)  # encrypted, not merely stored as bytes
    with Store.open(path, passphrase=PASSPHRASE, clock=lambda: AT) as store:
        assert store.delete_session(session)
    raw = sqlite3.connect(path)
    try:
        assert raw.execute("SELECT count(*) FROM session_documents").fetchone()[0] == 0
    finally:
        raw.close()
