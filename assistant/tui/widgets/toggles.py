"""Choices that say in a glyph whether they are chosen, not in colour alone.

Textual draws every box of a `SelectionList` as `X` and every `RadioButton` as `●`, chosen
or not; only the colour differs, which a monochrome screen, a low-contrast projector, a
colour-blind reader or a plain-text capture (`tmux capture-pane -p`) cannot tell apart.
These draw ☑ (chosen) / ☐ (not) for boxes and ● (chosen) / ○ (not) for radio choices.
"""

from __future__ import annotations

from typing import Any, TypeVar

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from textual.content import Content
from textual.strip import Strip
from textual.style import Style as VisualStyle
from textual.widgets import OptionList, RadioButton, SelectionList
from textual.widgets.option_list import OptionDoesNotExist

__all__ = ["CHECKED", "RADIO_OFF", "RADIO_ON", "UNCHECKED", "CheckList", "RadioChoice"]

#: A box that is chosen / not chosen (a list where several may be chosen).
CHECKED = "☑"
UNCHECKED = "☐"
#: A radio choice that is chosen / not chosen (one of several).
RADIO_ON = "●"
RADIO_OFF = "○"

ValueType = TypeVar("ValueType")


class CheckList(SelectionList[ValueType]):
    """A `SelectionList` whose boxes read ☑ when chosen and ☐ when not, and whose chosen
    options end in a word (`chosen_word`, e.g. "valgt"): state in glyph and word."""

    def __init__(self, *selections: Any, chosen_word: str = "", **kwargs: Any) -> None:
        super().__init__(*selections, **kwargs)
        #: Said after each chosen option's words ("" for none).
        self.chosen_word = chosen_word

    def _get_left_gutter_width(self) -> int:
        return len(CHECKED + " ")

    def render_line(self, y: int) -> Strip:
        """The option's line with its box in front: ☑ or ☐ (plus the usual colour); a
        chosen option's first line ends in the chosen word. A long option wraps: its box is
        on its first line only, and each line belongs to its own option (not to the option
        with the line's number)."""
        # The option's own line, without SelectionList's coloured `▐X▌` button.
        line = OptionList.render_line(self, y)
        try:
            index, line_offset = self._lines[self.scroll_offset.y + y]
            selection = self.get_option_at_index(index)
        except (IndexError, OptionDoesNotExist):
            return line
        chosen = selection.value in self._selected
        underlying = next(iter(line)).style or self.rich_style
        if line_offset:
            return Strip([Segment("  ", underlying), *line])
        if chosen and self.chosen_word:
            line = self._with_word(line, underlying)
        # The glyph in the text's own colour (readable on any theme), never bold: the glyph
        # says chosen or not, and the highlighted row's bold starts at its words.
        glyph_style = underlying + Style(bold=False, meta={"option": index})
        return Strip([Segment(CHECKED if chosen else UNCHECKED, glyph_style),
                      Segment(" ", underlying), *line])

    def _with_word(self, line: Strip, style: Style) -> Strip:
        """`line` with " · valgt" after its words, if it fits in the line's width (the
        option's own words are never cut for it: the box still says it is chosen)."""
        word = f" · {self.chosen_word}"
        width = line.cell_length
        used = cell_len(line.text.rstrip())
        if used + len(word) > width:
            return line
        tail = Strip([Segment(word, style + Style(bold=False))])
        return Strip.join([line.crop(0, used), tail]).adjust_cell_length(width, style)


class RadioChoice(RadioButton):
    """A `RadioButton` that reads ● when chosen and ○ when not."""

    @property
    def _button(self) -> Content:
        # The glyph alone, not Textual's coloured block: off in the text's own colour (the
        # theme's "off" colour is too faint to read), on in the theme's "on" colour and bold.
        if not self.value:
            return Content(RADIO_OFF)
        on = self.get_visual_style("toggle--button")
        return Content.assemble((RADIO_ON, VisualStyle(foreground=on.foreground, bold=True)))
