"""Multiple choice: space or number keys toggle, Enter saves."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.content import Content
from textual.events import Key
from textual.widgets import SelectionList
from textual.widgets.selection_list import Selection

from assistant.guides.models import MultiStep, text_in
from assistant.text import clean_text
from assistant.tui.answers.base import AnswerWidget
from assistant.tui.css import beside
from assistant.tui.strings import t
from assistant.tui.widgets.toggles import CheckList


class MultiAnswer(AnswerWidget):
    """Pick any number of choices (at least one)."""

    HINT = "multi_hint"
    DEFAULT_CSS = beside(__file__)
    BINDINGS = [("enter", "save", "Save")]

    def inputs(self) -> ComposeResult:
        step = self.step
        assert isinstance(step, MultiStep)
        chosen = set(self.initial) if isinstance(self.initial, (list, tuple)) else set()
        # ☑/☐, not only colour, say what is chosen (tui/widgets/toggles.py).
        yield CheckList[str](*(
            Selection(Content(f"{i}. ") + Content(clean_text(text_in(c.label, self.lang))),
                      c.id, c.id in chosen)
            for i, c in enumerate(step.choices, start=1)
        ), chosen_word=t("chosen_word", self.lang))

    def on_key(self, event: Key) -> None:
        if event.character and event.character.isdigit():
            selection = self.query_one(SelectionList)
            index = int(event.character) - 1
            if 0 <= index < selection.option_count:
                event.stop()
                selection.toggle(selection.get_option_at_index(index).value)
        elif event.key == "enter":
            event.stop()
            self.action_save()

    @on(SelectionList.SelectionToggled)
    def _toggled(self, event: SelectionList.SelectionToggled[str]) -> None:
        event.stop()
        self.show_error("")

    def action_save(self) -> None:
        selected = [str(v) for v in self.query_one(SelectionList).selected]
        if not selected:
            self.show_error(t("empty", self.lang))
            return
        step = self.step
        assert isinstance(step, MultiStep)
        order = [c.id for c in step.choices]
        ordered: list[str] = sorted(selected, key=order.index)
        self.submit(list(ordered))
