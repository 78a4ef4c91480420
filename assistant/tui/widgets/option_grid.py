"""The options side by side (Option Grid style): options as columns; summary, pros, cons,
what living with it is like and more detail as rows. Detail follows the information level."""

from __future__ import annotations

from dataclasses import dataclass

from textual.app import ComposeResult
from textual.containers import Grid, Vertical
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

    def __init__(self, aid: DecisionAid, lang: Language, detail: dict[str, list[str]],
                 show_pros_cons: bool = True) -> None:
        super().__init__()
        self._aid = aid
        self._lang = lang
        self._detail = detail
        self._show_pros_cons = show_pros_cons
        self._announced = False

    def on_resize(self) -> None:
        if not self._announced and self.size.height:
            self._announced = True
            self.post_message(self.Ready(self))

    def compose(self) -> ComposeResult:
        lang, options = self._lang, self._aid.options
        rows: list[tuple[str, list[str]]] = [
            ("", [text_in(o.title, lang) for o in options]),
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
        grid = Grid()
        grid.styles.grid_size_columns = len(options)
        with grid:
            for index, (name, cells) in enumerate(rows):
                for cell in cells:
                    text = f"{name}\n{cell}" if name and cell else cell
                    widget = Static(plain(text), markup=False,
                                    classes="head" if index == 0 else None)
                    yield widget

