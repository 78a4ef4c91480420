"""`sdm preview FILE` (tui/preview.py): an author's guide file in the chat UI, read again when
it is saved — answers kept where their steps still exist, errors shown in place, nothing
written anywhere."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Static

from assistant.guides.loader import bundled_dir, display_name
from assistant.tui.preview import PreviewApp, make_preview_app, read_version
from assistant.tui.screens.preview import PreviewConversation, PreviewReview, PreviewWaiting
from assistant.tui.widgets.chat_message import GuideMessage
from assistant.tui.widgets.preview_panel import ProblemsPanel
from tests.tui.conftest import FakeClock
from tests.tui.driver import answer_current

AID = "forhaandstilkendegivelse"
#: The Danish prompt of the step asked after the two answered in the tests.
ERFARING = "Tænk på sidste gang. Hvad gjorde det værre? Hvad skal personalet undgå?"
XDG = ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME",
       "XDG_RUNTIME_DIR")


@pytest.fixture
def homes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The user's folders (data, settings, cache, ...) in a temporary folder, empty."""
    root = tmp_path / "home"
    for var in XDG:
        folder = root / var.lower()
        folder.mkdir(parents=True)
        monkeypatch.setenv(var, str(folder))
    monkeypatch.setenv("HOME", str(root))
    yield root


@pytest.fixture
def aid(tmp_path: Path) -> Path:
    """A copy of a bundled aid in a folder of its own (as an author adapting it would have)."""
    folder = tmp_path / "aid"
    folder.mkdir()
    path = folder / f"{AID}.yaml"
    shutil.copyfile(bundled_dir() / f"{AID}.yaml", path)
    return path


def _app(path: Path) -> PreviewApp:
    return make_preview_app(path, clock=FakeClock(), lock_after=None, poll_seconds=0.1)


async def _next_version(pilot: Pilot[None], app: PreviewApp, seen: int) -> None:
    """Wait until the file was read again after `seen` readings (the timer's next look),
    giving up after a number of looks, not a time (a busy machine is slow, not wrong)."""
    for _ in range(400):
        if app.readings > seen:
            break
        await pilot.pause(0.05)
    assert app.readings > seen, "the file was not read again"
    for _ in range(5):
        await pilot.pause()


def _save(path: Path, text: str) -> None:
    """Write `text` as an editor saving the file would (the time moves on visibly)."""
    before = path.stat().st_mtime_ns
    path.write_text(text, encoding="utf-8")
    if path.stat().st_mtime_ns == before:  # a coarse clock: make the change visible
        import os

        os.utime(path, ns=(before + 1_000_000, before + 1_000_000))


def _question(screen: PreviewConversation) -> str:
    shown = [w for w in screen.question_area.children if isinstance(w, GuideMessage)]
    assert shown
    return shown[0].content.plain.splitlines()[0]  # type: ignore[union-attr]


def _bar(screen: PreviewConversation | PreviewWaiting) -> str:
    return screen.query_one("#preview-bar", Static).content.plain  # type: ignore[union-attr]


def _files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file())


async def _answer_until(pilot: Pilot[None], app: PreviewApp, step_id: str) -> None:
    for _ in range(10):
        screen = app.screen
        assert isinstance(screen, PreviewConversation)
        current = screen.state.current
        assert current is not None
        if current.id == step_id:
            return
        await answer_current(pilot, screen)  # type: ignore[arg-type]
        await pilot.pause()
    raise AssertionError(f"never asked {step_id}")


async def test_preview_reloads_keeps_answers_shows_errors_in_place_and_writes_nothing(
    homes: Path, aid: Path,
) -> None:
    original = aid.read_text(encoding="utf-8")
    app = _app(aid)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, PreviewConversation)
        # A copy of a bundled aid replaces the bundled one (not "id used twice"), and says so.
        assert "erstatter den indbyggede guide" in _bar(screen)
        assert "intet gemmes" in _bar(screen)
        # Two answers.
        await _answer_until(pilot, app, "vigtighed")
        await answer_current(pilot, app.screen)  # type: ignore[arg-type]
        await pilot.pause()
        await answer_current(pilot, app.screen)  # type: ignore[arg-type]
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, PreviewConversation)
        answers = {k: v.value for k, v in screen.state.answers.items()}
        assert {"vigtighed", "tidligere_tvang"} <= set(answers)
        assert screen.state.current is not None and screen.state.current.id == "erfaring"

        # The prompt of the question asked now changes (with markup in it: shown as written).
        changed = original.replace(ERFARING, "Hvad skal personalet [b]undgå[/b] – ny tekst?")
        assert changed != original
        seen = app.readings
        _save(aid, changed)
        await _next_version(pilot, app, seen)
        screen = app.screen
        assert isinstance(screen, PreviewConversation)
        assert _question(screen) == "Hvad skal personalet [b]undgå[/b] – ny tekst?"
        assert {k: v.value for k, v in screen.state.answers.items()} == answers
        assert "Genindlæst" in _bar(screen)
        assert "faldt bort" not in _bar(screen)
        assert not screen.query_one(ProblemsPanel).display

        # A YAML error: shown with its line, the last good version still there and usable.
        lines = changed.splitlines(keepends=True)
        where = next(i for i, line in enumerate(lines) if line.startswith("audience:")) + 1
        lines.insert(where, "   indented: too far\n")
        seen = app.readings
        _save(aid, "".join(lines))
        await _next_version(pilot, app, seen)
        assert app.is_running
        assert app.screen is screen  # the conversation stays
        panel = screen.query_one(ProblemsPanel)
        assert panel.display
        assert any(p.startswith(f"{display_name(aid.resolve())}:{where + 1}:")
                   for p in screen.problems), screen.problems
        shown = screen.query_one("#preview-problems-list", Static).content.plain  # type: ignore[union-attr]
        assert f":{where + 1}:" in shown
        head = screen.query_one("#preview-problems-head", Static).content.plain  # type: ignore[union-attr]
        assert "Ret filen, og gem den" in head
        await answer_current(pilot, screen)  # erfaring, still asked from the last good version
        await pilot.pause()
        assert "erfaring" in screen.state.answers
        answers = {k: v.value for k, v in screen.state.answers.items()}

        # Fixed: the next save resumes, with every answer.
        seen = app.readings
        _save(aid, changed)
        await _next_version(pilot, app, seen)
        screen = app.screen
        assert isinstance(screen, PreviewConversation)
        assert not screen.problems and not screen.query_one(ProblemsPanel).display
        assert {k: v.value for k, v in screen.state.answers.items()} == answers

        # F8: the plan draft the answers so far make, read-only.
        await pilot.press("f8")
        await pilot.pause()
        review = app.screen
        assert isinstance(review, PreviewReview)
        assert review.draft.fields
        await pilot.press("s")  # saving is not offered: no dialog, nothing written
        await pilot.pause()
        assert app.screen is review
        assert not review.active_bindings.get("s")
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen
    # Nothing written: no store, no settings, no cache; the aid's folder holds the aid only.
    assert _files(homes) == []
    assert _files(aid.parent) == [aid]


async def test_a_step_gone_drops_its_answer_and_says_so(homes: Path, aid: Path) -> None:
    original = aid.read_text(encoding="utf-8")
    app = _app(aid)
    async with app.run_test(size=(120, 40)) as pilot:
        await _answer_until(pilot, app, "vigtighed")
        await answer_current(pilot, app.screen)  # type: ignore[arg-type]
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, PreviewConversation)
        assert "vigtighed" in screen.state.answers
        kept = set(screen.state.answers) - {"vigtighed"}
        seen = app.readings
        _save(aid, original.replace("  - id: vigtighed\n", "  - id: hvor_vigtigt\n"))
        await _next_version(pilot, app, seen)
        screen = app.screen
        assert isinstance(screen, PreviewConversation)
        assert set(screen.state.answers) == kept
        assert "1 svar faldt bort: vigtighed" in _bar(screen)
        assert screen.state.current is not None
        assert screen.state.current.id == "hvor_vigtigt"
    assert _files(homes) == []


async def test_never_good_waits_for_a_good_save_and_problems_are_data(
    homes: Path, aid: Path,
) -> None:
    good = aid.read_text(encoding="utf-8")
    # An unknown key that looks like markup: quoted in the problem, shown as written.
    _save(aid, good.replace("kind: decision_aid\n", 'kind: decision_aid\n"[red]x[/red]": 1\n'))
    app = _app(aid)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        waiting = app.screen
        assert isinstance(waiting, PreviewWaiting)
        assert any("unknown key '[red]x[/red]'" in p for p in waiting.problems), waiting.problems
        shown = waiting.query_one("#preview-problems-list", Static).content.plain  # type: ignore[union-attr]
        assert "[red]x[/red]" in shown
        head = waiting.query_one("#preview-problems-head", Static).content.plain  # type: ignore[union-attr]
        assert "ingen gyldig udgave" in head
        seen = app.readings
        _save(aid, good)
        await _next_version(pilot, app, seen)
        screen = app.screen
        assert isinstance(screen, PreviewConversation)
        assert screen.state.current is not None
    assert _files(homes) == []


def test_a_plan_template_is_not_previewed(tmp_path: Path) -> None:
    path = tmp_path / "kriseplan.yaml"
    shutil.copyfile(bundled_dir() / "plans" / "kriseplan.yaml", path)
    version = read_version(path, "en")
    assert not version.good
    assert any("the file is a plan template" in p for p in version.problems)


def test_a_plan_template_beside_the_file_joins_the_library(tmp_path: Path, aid: Path) -> None:
    text = aid.read_text(encoding="utf-8").replace("plan: kriseplan", "plan: min-plan")
    aid.write_text(text, encoding="utf-8")
    plan = (bundled_dir() / "plans" / "kriseplan.yaml").read_text(encoding="utf-8")
    (aid.parent / "min-plan.yaml").write_text(
        plan.replace("id: kriseplan", "id: min-plan", 1), encoding="utf-8")
    version = read_version(aid, "da")
    assert version.good, version.problems
    assert version.library is not None and version.library.template("min-plan") is not None
