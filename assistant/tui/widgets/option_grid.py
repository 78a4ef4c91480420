"""The options side by side (Option Grid style): options as columns; summary, pros, cons,
what living with it is like and more detail as rows. Detail follows the information level.

Where the columns would be narrower than `MIN_COLUMN` characters (three options at 80
columns), texts would run into each other: the options are stacked as cards instead, one
below the other, each with the same rows in the same order.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.app import ComposeResult
from textual.containers import Grid, Vertical
from textual.events import Resize
from textual.message import Message
from textual.widgets import Static

from assistant.guides.models import DecisionAid, Language, text_in
from assistant.tui.css import beside
from assistant.tui.strings import t
from assistant.tui.widgets.chat_message import plain


class OptionGrid(Vertical):
    """A read-only comparison of a decision aid's options."""

    @dataclass
    class Ready(Message):
        """The grid has its size: now it can be scrolled into view reliably."""

        grid: OptionGrid

    DEFAULT_CSS = beside(__file__)
    #: The narrowest column the table is shown with; narrower, the options stack as cards.
    MIN_COLUMN = 24
    #: Columns the grid's own border, padding and right margin take, and the log's around it.
    _CHROME = 10

    def __init__(self, aid: DecisionAid, lang: Language, detail: dict[str, list[str]],
                 show_pros_cons: bool = True) -> None:
        super().__init__()
        self._aid = aid
        self._lang = lang
        self._detail = detail
        self._show_pros_cons = show_pros_cons
        self._announced = False
        #: True while the options are shown as stacked cards rather than a table.
        self.stacked = False

    def _should_stack(self, inner_width: int) -> bool:
        """True when `inner_width` columns give each option less than `MIN_COLUMN`."""
        count = len(self._aid.options)
        if count <= 1:
            return False
        return (inner_width - (count - 1)) // count < self.MIN_COLUMN

    def on_resize(self, event: Resize) -> None:
        stacked = self._should_stack(self.content_size.width)
        if stacked != self.stacked:
            self.refresh(recompose=True)  # the new layout announces itself when sized
            return
        if not self._announced and self.size.height:
            self._announced = True
            self.post_message(self.Ready(self))

    def _rows(self) -> list[tuple[str, list[str]]]:
        """The comparison's rows after the titles: (row name, one text per option)."""
        lang, options = self._lang, self._aid.options
        rows: list[tuple[str, list[str]]] = [
            ("", [text_in(o.summary, lang) for o in options]),
        ]
        if self._show_pros_cons:
            rows.append((t("pros", lang), ["\n".join(f"+ {text_in(p, lang)}" for p in o.pros)
                                           for o in options]))
            rows.append((t("cons", lang), ["\n".join(f"– {text_in(c, lang)}" for c in o.cons)
                                           for o in options]))
            if any(o.experience for o in options):
                rows.append((t("experience", lang),
                             [text_in(o.experience, lang) for o in options]))
        if any(self._detail.get(o.id) for o in options):
            rows.append((t("more", lang),
                         ["\n".join(self._detail.get(o.id, [])) for o in options]))
        return rows

    def compose(self) -> ComposeResult:
        width = self.content_size.width or max(0, self.app.size.width - self._CHROME)
        self.stacked = self._should_stack(width)
        self.set_class(self.stacked, "-stacked")
        if self.stacked:
            yield from self._cards()
            return
        lang, options = self._lang, self._aid.options
        rows = [("", [text_in(o.title, lang) for o in options]), *self._rows()]
        grid = Grid()
        grid.styles.grid_size_columns = len(options)
        with grid:
            for index, (name, cells) in enumerate(rows):
                for cell in cells:
                    text = f"{name}\n{cell}" if name and cell else cell
                    widget = Static(plain(text), markup=False,
                                    classes="head" if index == 0 else None)
                    yield widget

    def _cards(self) -> ComposeResult:
        """One card per option, one below the other: title, then the rows by name."""
        rows = self._rows()
        for index, option in enumerate(self._aid.options):
            with Vertical(classes="card"):
                yield Static(plain(text_in(option.title, self._lang)), markup=False,
                             classes="head")
                for name, cells in rows:
                    cell = cells[index]
                    if not cell:
                        continue
                    if name:
                        yield Static(plain(name), markup=False, classes="rowname")
                    yield Static(plain(cell), markup=False)

