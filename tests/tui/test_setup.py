"""The setup dialog: chosen and not chosen told apart without colour, and the keyboard in the
first thing to fill as it opens; every dialog opens with the focus on something to use."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

from rich.console import Console
from textual.app import App, ComposeResult
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, RadioSet, SelectionList, Static

from assistant.guides.loader import Library
from assistant.guides.models import ROLES, Language
from assistant.tui.app import SdmApp
from assistant.tui.dialogs.export import ExportDialog
from assistant.tui.dialogs.role_picker import RolePicker
from assistant.tui.dialogs.step_picker import StepPicker
from assistant.tui.dialogs.text_editor import TextEditor
from assistant.tui.dialogs.unsaved import UnsavedDialog
from assistant.tui.screens.setup import SetupScreen
from assistant.tui.widgets.toggles import CHECKED, RADIO_OFF, RADIO_ON, UNCHECKED
from assistant.wording import role_label
from tests.tui.test_meeting_preparation import open_setup


def plain_screen(app: App[object]) -> str:
    """The screen as text without any colour or style: what `tmux capture-pane -p` shows
    (and what a monochrome screen or a screen reader has to go on)."""
    width, height = app.size
    console = Console(width=width, height=height, file=io.StringIO(), force_terminal=True,
                      color_system=None, record=True, legacy_windows=False, safe_box=False)
    console.print(app.screen._compositor.render_update(
        full=True, screen_stack=app._background_screens))
    return console.export_text(styles=False)


def _line_with(text: str, words: str) -> str:
    lines = [line for line in text.splitlines() if words in line]
    assert lines, f"{words!r} is not on the screen:\n{text}"
    return lines[0]


def _mark_before(text: str, words: str) -> str:
    """The glyph right before `words` on its line (spaces skipped)."""
    line = _line_with(text, words)
    return line[:line.index(words)].rstrip()[-1:]


async def test_the_plain_text_says_which_participants_and_language_are_chosen(
    app_factory: Callable[..., SdmApp],
) -> None:
    app = app_factory()
    async with app.run_test(size=(100, 50)) as pilot:
        setup = await open_setup(pilot, "netvaerksmoede")
        await pilot.pause()
        roles = setup.query_one("#roles", SelectionList)
        chosen = set(roles.selected)
        assert {"patient", "clinician", "municipality"} <= chosen
        text = plain_screen(app)
        for role in ROLES:
            expected = CHECKED if role in chosen else UNCHECKED
            assert _mark_before(text, role_label(role, "da")) == expected, role
        assert _mark_before(text, "Dansk") == RADIO_ON
        assert _mark_before(text, "English") == RADIO_OFF
        assert "X" not in _line_with(text, role_label("gp", "da"))
        # … and in a word: a chosen role's line says "valgt", a role not chosen does not.
        for role in ROLES:
            said = "· valgt" in _line_with(text, role_label(role, "da"))
            assert said is (role in chosen), role

        # Choosing with the keyboard changes the glyph, not only the colour.
        roles.focus()
        roles.highlighted = ROLES.index("gp")
        await pilot.press("space")
        language = setup.query_one("#language", RadioSet)
        language.focus()
        await pilot.press("down", "enter")
        await pilot.pause()
        text = plain_screen(app)
        assert _mark_before(text, role_label("gp", "da")) == CHECKED
        assert _mark_before(text, "Dansk") == RADIO_OFF
        assert _mark_before(text, "English") == RADIO_ON


async def test_the_setup_dialog_opens_in_the_label_field(
    app_factory: Callable[..., SdmApp],
) -> None:
    app = app_factory()
    async with app.run_test(size=(100, 50)) as pilot:
        setup = await open_setup(pilot, "beroligende-metoder")
        label = setup.query_one("#label", Input)
        assert app.focused is label
        await pilot.press(*"AB")
        assert label.value == "AB"
        await pilot.press("enter")  # Enter in the label starts the conversation
        await pilot.pause()
        assert not isinstance(app.screen, SetupScreen)


async def test_without_a_label_to_fill_the_setup_opens_in_the_participants(
    library: Library,
) -> None:
    guide = library.guides["beroligende-metoder"].document
    assert not isinstance(guide, type(None))

    class Host(App[None]):
        def on_mount(self) -> None:
            self.push_screen(SetupScreen(guide, "da"))  # type: ignore[arg-type]

    app = Host()
    async with app.run_test(size=(100, 50)) as pilot:
        await pilot.pause()
        assert isinstance(app.focused, SelectionList)
        assert app.focused.highlighted == 0  # the first participant, ready for Space


class _Host(App[None]):
    """An empty app that opens one dialog."""

    def __init__(self, dialog: ModalScreen[Any]) -> None:
        super().__init__()
        self.dialog = dialog

    def compose(self) -> ComposeResult:
        yield Static("under the dialog")

    def on_mount(self) -> None:
        self.push_screen(self.dialog)


def _dialogs(lang: Language, tmp_path: Path) -> list[tuple[ModalScreen[Any], str]]:
    """Each dialog that needs no plan draft, and the widget that should have the focus."""
    return [
        (RolePicker(lang, exclude=["patient"]), "OptionList"),
        (StepPicker([("a", "Første spørgsmål"), ("b", "Andet")], lang), "OptionList"),
        (TextEditor("Titel", "Tekst", lang), "#editor"),
        (UnsavedDialog(lang), "#save"),
        (ExportDialog(lang, formats=[("text", "Tekst"), ("html", "HTML")],
                      default_path=lambda fmt: tmp_path / f"plan.{fmt}", encrypted=False),
         "*"),
    ]


async def test_every_dialog_opens_with_the_focus_on_something_to_use(tmp_path: Path) -> None:
    for dialog, expected in _dialogs("da", tmp_path):
        app = _Host(dialog)
        async with app.run_test(size=(100, 40)) as pilot:
            await pilot.pause()
            focused = app.focused
            assert focused is not None, type(dialog).__name__
            assert focused.screen is dialog
            if expected != "*":
                assert focused is dialog.query_one(expected), (type(dialog).__name__, focused)
            if isinstance(focused, OptionList):
                assert focused.highlighted == 0  # Enter picks the first, Down moves on


async def test_the_chosen_word_follows_the_choice_and_never_cuts_an_option() -> None:
    """Each chosen option ends in "· valgt", an option not chosen does not, a toggle moves
    the word; an option whose words fill the line keeps all its words (only the box says)."""
    from textual.widgets.selection_list import Selection

    from assistant.tui.widgets.toggles import CheckList

    long = "Jeg vil gerne have besøg af min kontaktperson hver dag"

    class One(App[None]):
        def compose(self) -> ComposeResult:
            yield CheckList[str](Selection(long, "a", True), Selection("Kort valg", "b", False),
                                 Selection("Sidste", "c", True), chosen_word="valgt")

    app = One()
    async with app.run_test(size=(66, 12)) as pilot:
        await pilot.pause()
        text = plain_screen(app)
        assert long in text and "· valgt" not in _line_with(text, long)
        assert _mark_before(text, long) == CHECKED
        assert _mark_before(text, "Kort valg") == UNCHECKED
        assert "· valgt" not in _line_with(text, "Kort valg")
        assert _mark_before(text, "Sidste") == CHECKED
        assert "Sidste · valgt" in _line_with(text, "Sidste")
        app.query_one(CheckList).toggle("b")
        await pilot.pause()
        assert "Kort valg · valgt" in _line_with(plain_screen(app), "Kort valg")
        await pilot.resize_terminal(90, 12)
        await pilot.pause()
        assert f"{long} · valgt" in _line_with(plain_screen(app), long)
