"""No word of the other language (issue #15, item 3): every screen, dialog, the help and the
command palette, in Danish and in English, and the command line's errors.

The words to look for come from the one catalogue: a word of five letters or more that one
language's texts use and the other's never do ("Fortryd", "Maximize"). Guide content brings
its own language (a Danish-only guide shows Danish prompts in the English UI), so every word
of a bundled guide is left out of the lists.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from rich.console import Console
from textual.pilot import Pilot

from assistant.catalogue import Lang, t, texts
from assistant.tui.app import SdmApp
from assistant.tui.bindings import screen_keys
from assistant.tui.screens.conversation import ConversationScreen
from assistant.tui.screens.help import HelpScreen
from tests.tui.driver import answer_current, start
from tests.tui.test_meeting_preparation import open_setup, start_with_label

_WORD = re.compile(r"[^\W\d_]{5,}")

#: Guides whose walk asks every step type (tests/tui/test_conversation.py's KEYBOARD_GUIDES).
WALK = ["forhaandstilkendegivelse", "netvaerksmoede"]


def _words(text: str) -> set[str]:
    return {w.lower() for w in _WORD.findall(text)}


def _guide_words() -> set[str]:
    """Every word of the bundled guides and plan templates (they bring their own language)."""
    from assistant.guides.loader import bundled_dir

    words: set[str] = set()
    for path in sorted(Path(str(bundled_dir())).rglob("*.y*ml")):
        words |= _words(path.read_text(encoding="utf-8"))
    return words


@pytest.fixture(scope="module")
def foreign() -> dict[Lang, set[str]]:
    """For each language, the words that would be the other language's leaking in."""
    da, en = set(), set()
    for text in texts("da"):
        da |= _words(text)
    for text in texts("en"):
        en |= _words(text)
    guide = _guide_words()
    return {"da": (en - da) - guide, "en": (da - en) - guide}


def screen_text(app: SdmApp) -> str:
    """What the terminal shows now, as plain text."""
    width, height = app.size
    console = Console(width=width, height=height, file=io.StringIO(), force_terminal=True,
                      color_system="truecolor", record=True, legacy_windows=False)
    console.print(app.screen._compositor.render_update(
        full=True, screen_stack=app._background_screens))
    return console.export_text(styles=False)


class Seen:
    """Collects what each screen showed, to check at the end (all leaks at once)."""

    def __init__(self, app: SdmApp, foreign: set[str]) -> None:
        self.app = app
        self.foreign = foreign
        self.leaks: dict[str, set[str]] = {}
        self.screens: list[str] = []

    async def look(self, pilot: Pilot[None], where: str) -> None:
        await pilot.pause()
        name = f"{where} ({type(self.app.screen).__name__})"
        self.screens.append(name)
        leaked = _words(screen_text(self.app)) & self.foreign
        if leaked:
            self.leaks[name] = leaked

    def check(self) -> None:
        assert not self.leaks, f"words of the other language: {self.leaks}"


async def _help(pilot: Pilot[None], seen: Seen, where: str) -> None:
    await pilot.press("f1")
    await seen.look(pilot, f"help on {where}")
    assert isinstance(seen.app.screen, HelpScreen)
    await pilot.press("escape")
    await pilot.pause()


async def _palette(pilot: Pilot[None], seen: Seen, where: str) -> None:
    await pilot.press("ctrl+p")
    await seen.look(pilot, f"palette on {where}")
    await pilot.press(*"qqzzxx")
    await pilot.pause(0.9)  # "no matches" shows after half a second
    await seen.look(pilot, f"palette without matches on {where}")
    await pilot.press("escape")
    await pilot.pause()


@pytest.mark.parametrize("lang", ["da", "en"])
async def test_home_setup_palette_and_help_speak_one_language(
    app_factory: Callable[..., SdmApp], foreign: dict[Lang, set[str]], lang: Lang
) -> None:
    app = app_factory(lang=lang)
    async with app.run_test(size=(120, 40)) as pilot:
        seen = Seen(app, foreign[lang])
        await seen.look(pilot, "home")
        await _help(pilot, seen, "home")
        await _palette(pilot, seen, "home")
        app.search_themes()  # the themes' names are names; the search field speaks
        await pilot.pause()
        assert t("textual.themes_placeholder", lang) in screen_text(app)
        await pilot.press("escape")
        await open_setup(pilot, "netvaerksmoede")
        await seen.look(pilot, "setup")
        screen = await start_with_label(pilot, "AB")
        await seen.look(pilot, "conversation start")
        await _palette(pilot, seen, "conversation")
        await pilot.press("ctrl+l")
        await seen.look(pilot, "lock")
        seen.check()
        assert isinstance(screen, ConversationScreen)


@pytest.mark.parametrize("lang", ["da", "en"])
@pytest.mark.parametrize("guide_id", WALK)
async def test_every_step_summary_review_and_dialog_speak_one_language(
    app_factory: Callable[..., SdmApp], foreign: dict[Lang, set[str]], lang: Lang,
    guide_id: str,
) -> None:
    app = app_factory(lang=lang)
    async with app.run_test(size=(120, 40)) as pilot:
        seen = Seen(app, foreign[lang])
        screen = await start(pilot, guide_id, roles=("relative",))
        helped: set[str] = set()
        for _turn in range(300):
            current = screen.state.current
            if current is None:
                break
            await seen.look(pilot, f"{current.id} ({current.step.type})")
            if current.step.type not in helped:
                helped.add(current.step.type)
                await _help(pilot, seen, current.step.type)
            if _turn == 3:
                # The summary (F3) and the sources (F9) mid-conversation.
                for key, where in (("f3", "summary"), ("f9", "sources")):
                    await pilot.press(key)
                    await seen.look(pilot, where)
                    assert app.screen is not screen, where
                    await pilot.press("escape")
                    await pilot.pause()
            await answer_current(pilot, screen)
            await pilot.pause()
        await seen.look(pilot, "after the last step")
        await _help(pilot, seen, "the end")
        review = app.screen
        if type(review).__name__ == "ReviewScreen":
            for key, where in (("a", "approve or blockers"), ("s", "save"), ("e", "edit field"),
                               ("g", "go to"), ("r", "revisions")):
                await pilot.press(key)
                await seen.look(pilot, where)
                await pilot.press("escape")
                await pilot.pause()
                if app.screen is not review:  # "g" may have left the review
                    break
        seen.check()


@pytest.mark.parametrize("lang", ["da", "en"])
async def test_help_lists_the_keys_that_work_in_the_language(
    app_factory: Callable[..., SdmApp], lang: Lang
) -> None:
    app = app_factory(lang=lang)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await start(pilot, "forhaandstilkendegivelse")
        for _turn in range(60):
            current = screen.state.current
            assert current is not None
            if current.step.type == "yesno":
                break
            await answer_current(pilot, screen)
            await pilot.pause()
        keys = {k.label: k.keys for k in screen_keys(screen, lang)}
        yes_no = "Y / N" if lang == "en" else "J / N"
        assert keys[t("widgetkey.yes_no", lang)] == yes_no
        assert keys[t("key.undo", lang)].split(" / ")[0] == "F4"
        await pilot.press("f1")
        await pilot.pause()
        shown = screen_text(app)
        assert yes_no in shown
        assert ("Mellemrum" in shown) is False
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen


def _cli_errors(lang: Lang, tmp_path: Path) -> Iterator[str]:
    """Error messages `sdm --lang LANG` gives for common mistakes."""
    import contextlib

    from assistant.cli import main

    calls = [
        ["replay", "no-such-guide.yaml", "--answers", str(tmp_path / "no-answers.yaml")],
        ["replay", "forhaandstilkendegivelse", "--answers", str(tmp_path / "none.yaml")],
        ["replay", "forhaandstilkendegivelse"],
        ["agenda", "no-such-guide"],
        ["new", "decision-aid", "Bad Id"],
        ["sessions"],
        ["export", "--width", "many", "x"],
        ["list", "--no-such-option"],
    ]
    for argv in calls:
        err = io.StringIO()
        with (contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()),
              contextlib.suppress(SystemExit)):
            main(["--lang", lang, "--store", str(tmp_path / "s.sqlite3"), *argv])
        yield err.getvalue()


@pytest.mark.parametrize("lang", ["da", "en"])
def test_cli_errors_speak_one_language(
    foreign: dict[Lang, set[str]], lang: Lang, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path)
    outputs = list(_cli_errors(lang, tmp_path))
    assert all(outputs), outputs
    # The messages, without the usage lines and the "sdm COMMAND:" prefix (names, not words).
    messages = [m.group(1) for out in outputs for m in re.finditer(r"^sdm[^:]*: (.*)$", out, re.M)]
    assert len(messages) >= len(outputs)
    # Option names and the values typed are the user's, not words of a language.
    messages = [re.sub(r"--[\w-]+|'[^']*'", "", m) for m in messages]
    leaks = {out: _words(out) & foreign[lang] for out in messages}
    assert not {k: v for k, v in leaks.items() if v}


def test_cli_follows_the_locale_without_lang(monkeypatch: pytest.MonkeyPatch,
                                             tmp_path: Path) -> None:
    from assistant.cli import message_language

    for var in ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"):
        monkeypatch.delenv(var, raising=False)
    assert message_language(None) == "en"
    monkeypatch.setenv("LANG", "da_DK.UTF-8")
    assert message_language(None) == "da"
    monkeypatch.setenv("LC_ALL", "C")
    assert message_language(None) == "en"
    assert message_language("da") == "da"
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("LC_ALL", "da_DK.UTF-8")
    err = "".join(_cli_errors_without_lang(tmp_path))
    assert "svarfilen findes ikke" in err


def _cli_errors_without_lang(tmp_path: Path) -> Iterator[str]:
    import contextlib

    from assistant.cli import main

    err = io.StringIO()
    with contextlib.redirect_stderr(err):
        main(["replay", "forhaandstilkendegivelse", "--answers", str(tmp_path / "none.yaml")])
    yield err.getvalue()


def test_the_catalogue_is_complete_in_both_languages() -> None:
    from assistant.catalogue import MESSAGES

    empty = [key for key, (da, en) in MESSAGES.items() if not da.strip() or not en.strip()]
    assert not empty


def test_every_shown_key_of_the_app_has_a_label_in_the_catalogue() -> None:
    import importlib
    import inspect
    import pkgutil

    from textual.dom import DOMNode

    import assistant.tui as tui
    from assistant.tui.bindings import label_key

    unlabelled = []
    for info in pkgutil.walk_packages(tui.__path__, "assistant.tui."):
        module = importlib.import_module(info.name)
        for _name, cls in inspect.getmembers(module, inspect.isclass):
            if not issubclass(cls, DOMNode) or cls.__module__ != module.__name__:
                continue
            node = cls.__new__(cls)  # only its class is read
            for key, binding in cls._merge_bindings():
                if binding.show and label_key(node, binding.action) is None:
                    unlabelled.append(f"{cls.__name__}: {key} {binding.action}")
    assert not unlabelled
