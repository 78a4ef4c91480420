"""A scale (0–10 by default): arrows or number keys, Enter saves; a click picks a point."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.events import Click, Key
from textual.reactive import reactive
from textual.widget import Widget

from assistant.guides.models import Language, ScaleStep, text_in
from assistant.text import clean_text
from assistant.tui.answers.base import AnswerWidget
from assistant.tui.css import beside

_CELL = 4  # characters per point


class ScaleBar(Widget, can_focus=True):
    """The points of the scale in a row, the chosen one highlighted."""

    DEFAULT_CSS = beside(__file__)
    BINDINGS = [
        Binding("left", "move(-1)", show=False),
        Binding("right", "move(1)", show=False),
        Binding("home", "home", show=False),
        Binding("end", "end", show=False),
    ]
    value: reactive[int] = reactive(0)

    def __init__(self, step: ScaleStep, lang: Language, value: int | None) -> None:
        super().__init__()
        self.step = step
        self.lang = lang
        middle = (step.min + step.max) // 2
        self.set_reactive(ScaleBar.value, value if value is not None else middle)
        self._typed = ""

    def render(self) -> Content:
        step = self.step
        cells = []
        for point in range(step.min, step.max + 1):
            label = f"{point:^{_CELL}}"
            cell = Content(label)
            if point == self.value:
                cell = cell.stylize("reverse bold")
            cells.append(cell)
        row = Content("").join(cells)
        low = clean_text(text_in(step.min_label, self.lang)) if step.min_label else ""
        high = clean_text(text_in(step.max_label, self.lang)) if step.max_label else ""
        width = _CELL * (step.max - step.min + 1)
        ends = Content(low) + Content(" " * max(1, width - len(low) - len(high))) + Content(high)
        return row + Content("\n") + ends.stylize("dim")

    def get_content_width(self, container: object, viewport: object) -> int:
        return _CELL * (self.step.max - self.step.min + 1)

    def action_move(self, delta: int) -> None:
        self.value = max(self.step.min, min(self.step.max, self.value + delta))

    def action_home(self) -> None:
        self.value = self.step.min

    def action_end(self) -> None:
        self.value = self.step.max

    def on_key(self, event: Key) -> None:
        if event.character and event.character.isdigit():
            event.stop()
            # "1" then "0" gives 10 on a 0–10 scale.
            typed = (self._typed + event.character)[-2:]
            number = int(typed)
            if not self.step.min <= number <= self.step.max:
                typed, number = event.character, int(event.character)
            self._typed = typed
            if self.step.min <= number <= self.step.max:
                self.value = number

    def on_click(self, event: Click) -> None:
        if event.y == 0:
            point = self.step.min + event.x // _CELL
            if self.step.min <= point <= self.step.max:
                self.value = point


class ScaleAnswer(AnswerWidget):
    """Choose a point on a scale."""

    HINT = "scale_hint"
    BINDINGS = [("enter", "save", "Save")]

    def inputs(self) -> ComposeResult:
        step = self.step
        assert isinstance(step, ScaleStep)
        yield ScaleBar(step, self.lang, self.initial if isinstance(self.initial, int) else None)

    def action_save(self) -> None:
        self.submit(self.query_one(ScaleBar).value)
