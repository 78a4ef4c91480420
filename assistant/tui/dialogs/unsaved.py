"""Words typed but not saved: before quitting or leaving a conversation, ask what to do.

Saving is what the save key would do (the same checks), recorded before anything closes;
discarding closes without them; staying goes back to the answer with the words intact.
Auto-lock does not ask (nobody is at the keyboard): the words stay in the field behind the
lock screen and are there after unlocking.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Literal

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from assistant.language import Language
from assistant.tui.strings import t

if TYPE_CHECKING:
    from assistant.tui.screens.conversation import ConversationScreen

Choice = Literal["save", "discard", "stay"]


class UnsavedDialog(ModalScreen[Choice]):
    """Save, discard or stay (Esc stays)."""

    CSS_PATH = "unsaved.tcss"
    BINDINGS = [Binding("escape", "dismiss('stay')", show=False)]

    def __init__(self, lang: Language) -> None:
        super().__init__()
        self._lang = lang

    def compose(self) -> ComposeResult:
        lang = self._lang
        with Vertical():
            yield Static(Content(t("unsaved_text", lang)), id="unsaved-text")
            with Horizontal():
                yield Button(Content(t("unsaved_save", lang)), id="save", variant="primary",
                             compact=True)
                yield Button(Content(t("unsaved_discard", lang)), id="discard", compact=True)
                yield Button(Content(t("unsaved_stay", lang)), id="stay", compact=True)

    def on_mount(self) -> None:
        self.query_one("#save", Button).focus()

    @on(Button.Pressed)
    def _chosen(self, event: Button.Pressed) -> None:
        event.stop()
        choice: Choice = "save" if event.button.id == "save" else \
            "discard" if event.button.id == "discard" else "stay"
        self.dismiss(choice)


def confirm_unsaved(screen: ConversationScreen, proceed: Callable[[], None]) -> None:
    """Call `proceed` now if `screen` holds no unsaved words; else ask, and call it after
    the words are saved (if they could be) or discarded."""
    widget = screen.unsaved_answer()
    if widget is None:
        proceed()
        return

    def chosen(choice: Choice | None) -> None:
        if choice == "discard":
            proceed()
        elif choice == "save":
            answer = widget.collect()
            if answer is not None and screen.save_answer(answer):
                proceed()
            else:
                widget.focus_first()  # the problem is shown by the field; the words stay

    screen.app.push_screen(UnsavedDialog(screen.lang), chosen)
