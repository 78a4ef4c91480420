"""Text from users and authors is data: shown literally, never markup, never a terminal command.

Each hostile string is put where authors write (title, prompt, choices, options) and where users
type (text, long text, people), then every screen that shows it is rendered and every widget
clicked: the app must not quit, ring, open links, write files or lose the text.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path

import pytest
from textual.content import Content
from textual.widget import Widget
from textual.widgets import Static

from assistant.guides.loader import load_library
from assistant.text import clean_text
from assistant.tui.app import SdmApp, make_app
from tests.tui.conftest import FakeClock, temporary_service
from tests.tui.driver import answer_current, start, until

HOSTILE = [
    "[bold]x",
    "[@click=app.quit]quit me[/]",
    "[@click=app.screenshot('x.svg','.')]klik her[/]",
    "[/]",
    "[sic]",
    "[link=http://x]y[/link]",
    "patient [red] said",
    "SAFE-START \x1b]2;PWNED-TITLE\x1b\\ \x1b[2J\x1b[HOVERWRITTEN SAFE-END",
    "a\x07b\x00c\u202ed\ufeffe",
    "Emoji 👨‍👩‍👧 og æøå",
]


def _visible_text(widget: Widget) -> str:
    rendered = widget.render()
    return rendered.plain if isinstance(rendered, Content) else str(rendered)


def _assert_inert(app: SdmApp) -> None:
    for widget in app.screen.query(Static):
        rendered = widget.render()
        if isinstance(rendered, Content):
            for span in rendered.spans:
                style = str(span.style)
                assert "@click" not in style and "link" not in style, style


def _write_hostile_guide(folder: Path) -> None:
    text = " | ".join(HOSTILE)
    aid = {
        "id": "fjendtlig", "kind": "decision_aid", "version": "1.0.0",
        "title": {"da": "Fjendtlig " + HOSTILE[1], "en": "Hostile " + HOSTILE[1]},
        "audience": ["adult"], "authors": [HOSTILE[3]], "reviewed": "2026-11-01",
        "review_due": "2027-11-01",
        "framing": {"purpose": text, "invitation": HOSTILE[5]},
        "preferences": [
            {"id": "valg", "type": "single", "prompt": HOSTILE[2],
             "choices": [{"id": "a", "label": HOSTILE[0]}, {"id": "b", "label": HOSTILE[4]}]},
            {"id": "egne-ord", "type": "text", "prompt": HOSTILE[6], "help": HOSTILE[7]},
            {"id": "mere", "type": "longtext", "prompt": HOSTILE[8]},
            {"id": "folk", "type": "people", "prompt": HOSTILE[9]},
        ],
        "options": [
            {"id": "o1", "title": HOSTILE[1], "summary": HOSTILE[5], "pros": [HOSTILE[3]],
             "cons": [HOSTILE[4]], "experience": HOSTILE[7]},
            {"id": "o2", "title": HOSTILE[2], "summary": HOSTILE[0], "pros": [HOSTILE[6]],
             "cons": [HOSTILE[8]]},
        ],
    }
    (folder / "fjendtlig.yaml").write_text(json.dumps(aid, ensure_ascii=False), encoding="utf-8")


@pytest.fixture
def hostile_app(tmp_path: Path) -> Callable[[], SdmApp]:
    folder = tmp_path / "guides"
    folder.mkdir()
    _write_hostile_guide(folder)
    library = load_library([folder])
    assert library.ok, [p.format() for p in library.errors]

    def build() -> SdmApp:
        return make_app(library, clock=FakeClock(),
                        service=temporary_service(library, tmp_path / "store"))

    return build


async def _click_everything(pilot, app: SdmApp) -> None:
    for widget in list(app.screen.query(Static)):
        if widget.is_attached and widget.region.area:
            try:
                await pilot.click(widget)
            except Exception:
                continue
    await pilot.pause()
    assert app.is_running


async def test_hostile_author_and_user_text_is_inert(
    hostile_app: Callable[[], SdmApp], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    opened: list[str] = []
    app = hostile_app()
    monkeypatch.setattr(app, "open_url", lambda *a, **k: opened.append(str(a)))
    monkeypatch.setattr(app, "bell", lambda: opened.append("bell"))
    async with app.run_test(size=(120, 50)) as pilot:
        screen = await start(pilot, "fjendtlig")
        _assert_inert(app)
        title = screen.query_one("#title", Static)
        assert _visible_text(title) == clean_text("Fjendtlig " + HOSTILE[1])
        await answer_current(pilot, screen)   # welcome
        await answer_current(pilot, screen)   # information level → a_little
        await answer_current(pilot, screen)   # decision role
        await answer_current(pilot, screen)   # hostile choice labels
        typed = "[@click=app.quit]x[/] [sic] [link=http://x]y[/link]"
        await answer_current(pilot, screen, text=typed)
        await answer_current(pilot, screen, text="[/] \x1b[2J [bold]z")
        await answer_current(pilot, screen)   # people
        assert screen.state.answers["egne-ord"].value == typed
        shown = "\n".join(_visible_text(w) for w in screen.query(Static))
        assert typed in shown
        assert screen.state.answers["mere"].value in shown
        assert clean_text(HOSTILE[7]) in shown
        _assert_inert(app)
        await _click_everything(pilot, app)
        await pilot.press("f3")                 # summary
        await pilot.pause()
        assert typed in "\n".join(_visible_text(w) for w in app.screen.query(Static))
        _assert_inert(app)
        await _click_everything(pilot, app)
        app.notify(typed, markup=False)
        await pilot.pause()
    assert opened == []
    assert not [p for p in os.listdir(tmp_path) if p.endswith(".svg")]


async def test_home_screen_search_shows_hostile_titles_literally(
    hostile_app: Callable[[], SdmApp],
) -> None:
    app = hostile_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press(*"Fjendtlig")
        await pilot.pause()
        from textual.widgets import OptionList
        options = app.screen.query_one("#guides", OptionList)
        prompt = options.get_option_at_index(0).prompt
        assert isinstance(prompt, Content)
        assert clean_text("Fjendtlig " + HOSTILE[1]) in prompt.plain
        await pilot.click(options)
        await pilot.pause()
        assert app.is_running


async def test_pasted_escape_sequences_are_cleaned_before_saving(
    hostile_app: Callable[[], SdmApp],
) -> None:
    from textual.widgets import Input

    app = hostile_app()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await start(pilot, "fjendtlig")
        for _ in range(4):
            await answer_current(pilot, screen)
        assert screen.state.current is not None and screen.state.current.id == "egne-ord"
        field = screen.query_one("#answer Input", Input)
        field.value = "a\x1b]2;PWNED\x1b\\b\x1b[2Jc\x07d\x00e\u202ef g"
        await pilot.press("enter")
        # The answer travels Input -> answer widget -> screen -> store: a few messages, so
        # wait for it by frames (a busy CI machine once needed more than one pause).
        await until(pilot, lambda: "egne-ord" in screen.state.answers, "the answer to be saved")
        assert screen.state.answers["egne-ord"].value == "abcdef g"
