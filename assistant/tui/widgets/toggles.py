"""Choices that say in a glyph whether they are chosen, not in colour alone.

Textual draws every box of a `SelectionList` as `X` and every `RadioButton` as `●`, chosen
or not; only the colour differs, which a monochrome screen, a low-contrast projector, a
colour-blind reader or a plain-text capture (`tmux capture-pane -p`) cannot tell apart.
These draw ☑ (chosen) / ☐ (not) for boxes and ● (chosen) / ○ (not) for radio choices.
"""

from __future__ import annotations

from typing import TypeVar

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
    """A `SelectionList` whose boxes read ☑ when chosen and ☐ when not."""

    def _get_left_gutter_width(self) -> int:
        return len(CHECKED + " ")

    def render_line(self, y: int) -> Strip:
        """The option's line with its box in front: ☑ or ☐ (plus the usual colour)."""
        # The option's own line, without SelectionList's coloured `▐X▌` button.
        line = OptionList.render_line(self, y)
        index = self.scroll_offset.y + y
        try:
            selection = self.get_option_at_index(index)
        except OptionDoesNotExist:
            return line
        chosen = selection.value in self._selected
        underlying = next(iter(line)).style or self.rich_style
        # The glyph in the text's own colour (readable on any theme), never bold: the glyph
        # says chosen or not, and the highlighted row's bold starts at its words.
        glyph_style = underlying + Style(bold=False, meta={"option": index})
        return Strip([Segment(CHECKED if chosen else UNCHECKED, glyph_style),
                      Segment(" ", underlying), *line])


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
