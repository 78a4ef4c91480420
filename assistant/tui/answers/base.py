"""The base of every answer widget: a hint line, an error line, and the Submitted message."""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import JsonValue
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.widgets import Static

from assistant.guides.models import AnyStep, Language
from assistant.tui import typeahead
from assistant.tui.css import beside
from assistant.tui.strings import t


class AnswerWidget(Vertical):
    """Base class. Subclasses compose `inputs()` and call `submit(value)`."""

    DEFAULT_CSS = beside(__file__)
    HINT = "text_hint"

    @dataclass
    class Submitted(Message):
        """An answer is ready: `value` is JSON data for the step's type."""

        value: JsonValue
        """The answer (a choice id, a list, a number, text, a date ...)."""
        verbatim: str | None = None
        """The patient's own words, when free text was matched to a choice."""

    def __init__(self, step: AnyStep, lang: Language, initial: object = None) -> None:
        super().__init__(classes="answer")
        self.step = step
        self.lang = lang
        self.initial = initial
        #: A line above the field, e.g. that the guide changed the speaker (plain text).
        self.note: str | None = None

    def compose(self) -> ComposeResult:
        if self.note:
            yield Static(Content(self.note), classes="speaker-note")
        yield from self.inputs()
        yield Static(Content(t(self.HINT, self.lang)), classes="hint")
        yield Static("", classes="error", markup=False)

    def on_mount(self) -> None:
        # Each new question takes the keyboard (no mouse needed on a ward PC), then the
        # previous answer widget goes: focus moves once, straight from old to new.
        self.focus_first()
        # Only once the focus has moved here (Widget.focus is deferred through the app's
        # queue): removing the focused old widget first would hand the focus to the chat log
        # (an answer bubble), which scrolls the log away from the newest question.
        self.app.call_later(self._took_over)

    async def _took_over(self) -> None:
        self._remove_previous()
        # Keys typed while this widget was on its way come here now (tui/typeahead.py) —
        # unless a newer answer widget is on its way too: they are for that one.
        if self.parent is not None and self.parent.children[-1] is self:
            await typeahead.release(self.app)

    def _remove_previous(self) -> None:
        # Only the widgets mounted before this one: a newer answer widget (a quick second
        # turn) stays, and removes this one in its own turn.
        if self.parent is not None:
            for sibling in list(self.parent.children):
                if sibling is self:
                    break
                sibling.remove()

    def inputs(self) -> ComposeResult:
        """The widgets that take the answer."""
        yield from ()

    #: Whether `take` may show another step in this field (its inputs depend on the step
    #: only through what `reset` sets). Choices, scales, dates and lists are built anew.
    REUSABLE = False

    def take(self, step: AnyStep, initial: object, note: str | None) -> bool:
        """Show `step` (of this field's class: the caller checks) in this field instead of a
        new one; True when done. The field is reset as a new one would start (`initial` in
        it, no error, the usual hint, `note` above it) and keeps the keyboard.

        A new field per question cost about a third of a turn's CPU (issue 16: its widgets
        built, styled and laid out, the focus moved and the footer redrawn); a conversation
        often asks several free-text or yes/no questions in a row."""
        if not self.REUSABLE or (self.note is None) != (note is None):
            return False  # a note line to add or take away: a new field (rare)
        self.step, self.initial, self.note = step, initial, note
        if note is not None:
            self.query_one(".speaker-note", Static).update(Content(note))
        self.show_error("")
        hint = self.query_one(".hint", Static)
        if str(hint.content) != t(self.HINT, self.lang):
            hint.update(Content(t(self.HINT, self.lang)))
        self.reset()
        if not self.has_focus_within:
            self.focus_first()
        return True

    def reset(self) -> None:
        """Put the inputs back as `inputs()` makes them for `self.step` and `self.initial`
        (for a `REUSABLE` field)."""

    def submit(self, value: JsonValue, verbatim: str | None = None) -> None:
        """Post the answer; the screen checks and records it."""
        self.show_error("")
        # Keys typed on from here are for the next question's field (tui/typeahead.py).
        typeahead.hold(self.app)
        self.post_message(self.Submitted(value, verbatim))

    def has_unsaved(self) -> bool:
        """True when words were typed here that are not saved (quitting must ask first)."""
        return False

    def collect(self) -> Submitted | None:
        """The answer as it stands, checked as the save key checks it; None (with the
        problem shown) when it cannot be saved. For the "save, discard or stay" question."""
        return None

    def show_error(self, text: str) -> None:
        """Show a problem with the answer below it (plain text)."""
        shown = self.query_one(".error", Static)
        # Every submit clears the line: when it is empty already, leave it be — an update
        # asks for a whole layout pass, one of three a turn used to pay (issue 16).
        if text or str(shown.content):
            shown.update(Content(text))

    def show_hint(self, text: str) -> None:
        """Replace the hint line (plain text), e.g. to ask for a confirmation."""
        self.query_one(".hint", Static).update(Content(text))

    def focus_first(self) -> None:
        """Put the keyboard in the first input."""
        for widget in self.query("*"):
            if widget.can_focus:
                widget.focus()
                return
