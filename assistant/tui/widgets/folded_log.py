"""Older chat messages folded into one light widget: their rendered lines, kept as they were.

A turn's cost in Textual grows with the number of widgets on the screen: every layout pass
places each of them, and the garbage collector walks them all (issue 16: 44 ms of CPU per
turn at 20 messages, 152 ms at 500). `ChatLog` therefore keeps only its recent messages as
widgets and folds the older ones into a `FoldedBlock`: the exact lines each message drew
(border, padding, colours, the blank line of its margin), so the transcript looks and
scrolls as before, for the cost of one widget.

What a folded message still does:

* an answer bubble in it can be clicked to edit it (the block maps the row to its step);
* the block takes the keyboard focus when an answer in it is reached with Tab/Shift+Tab, and
  then unfolds (`ChatLog.unfold`), so the answers are focusable bubbles again;
* each message keeps what it takes to be rebuilt as a widget (`unfold`), which the log does
  when its width changes (the lines were drawn for the old width).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from rich.style import Style as RichStyle
from textual.events import Click, Focus
from textual.geometry import Region, Size
from textual.message import Message
from textual.strip import Strip
from textual.widget import Widget
from textual.widgets import Static

from assistant.tui.css import beside
from assistant.tui.widgets.chat_message import AnswerBubble

__all__ = ["FoldedBlock", "foldable"]

#: Attributes every Static has; any other public one on a message (e.g. `step_id`) is its own
#: and is copied to the rebuilt widget.
_STATIC_ATTRIBUTES = frozenset(vars(Static("")))


def foldable(widget: Widget) -> bool:
    """True for a message that is drawn from its content alone (a Static with no children),
    so its lines can stand in for it; a button, a comparison grid or a container stays."""
    # An id stays findable by a query only on a widget.
    return isinstance(widget, Static) and not widget.children and widget.id is None


@dataclass
class _Folded:
    """One folded message: where its lines are in the block, and how to rebuild it."""

    top: int
    """The block row of the message's first line (after the blank rows of its margin)."""
    bottom: int
    """The row after its last line."""
    kind: type[Static]
    content: Any
    classes: str
    extra: dict[str, Any] = field(default_factory=dict)
    edit_step: str | None = None
    """The step whose answer this is (an answer bubble), else None."""

    def rebuild(self) -> Static:
        """The message as a widget again, as it was before it was folded."""
        widget = self.kind.__new__(self.kind)
        # The subclass's __init__ built `content` from its arguments; the rebuilt widget
        # starts from the content it made (plain Content: never parsed as markup).
        Static.__init__(widget, self.content, markup=False, classes=self.classes or None)
        for name, value in self.extra.items():
            setattr(widget, name, value)
        return widget


class FoldedBlock(Widget):
    """Older messages of the chat log as the lines they drew, for the cost of one widget."""

    DEFAULT_CSS = beside(__file__)

    class UnfoldRequested(Message):
        """The keyboard reached the block: its answers are to become focusable widgets."""

        def __init__(self, block: FoldedBlock) -> None:
            super().__init__()
            self.block = block

    def __init__(self, width: int, blank: RichStyle, look: object = None) -> None:
        super().__init__()
        #: The width the lines were drawn for (the log's content width then)...
        self.fold_width = width
        #: ...and the look (theme, calm mode: `ChatLog._look`).
        self.look = look
        #: The log's own style, for the rows and columns of the messages' margins.
        self.blank = blank
        self.lines: list[Strip] = []
        self.items: list[_Folded] = []
        #: The bottom margin of the last message: the gap before the next one collapses
        #: with it, as in a vertical layout.
        self._margin_bottom = 0

    def add(self, widget: Static) -> None:
        """Take in `widget`'s lines (it has been laid out; the caller removes it)."""
        margin = widget.styles.margin
        if self.items:
            gap = max(self._margin_bottom, margin.top)
            self.lines.extend(Strip.blank(self.fold_width, self.blank) for _ in range(gap))
        else:
            # The first message's top margin stays a margin, so that it collapses with the
            # widget above the block as it did with the message.
            self.styles.margin = (margin.top, 0, 0, 0)
        width, height = widget.outer_size  # with its border and padding
        right = max(0, self.fold_width - margin.left - width)
        top = len(self.lines)
        for strip in widget.render_lines(Region(0, 0, width, height)):
            self.lines.append(Strip.join([Strip.blank(margin.left, self.blank), strip,
                                          Strip.blank(right, self.blank)])
                              .crop(0, self.fold_width))
        self._margin_bottom = margin.bottom
        self.styles.margin = (self.styles.margin.top, 0, margin.bottom, 0)
        extra = {name: value for name, value in vars(widget).items()
                 if not name.startswith("_") and name not in _STATIC_ATTRIBUTES}
        edit_step = widget.step_id if isinstance(widget, AnswerBubble) else None
        self.items.append(_Folded(top, len(self.lines), type(widget), widget.content,
                                  " ".join(sorted(widget.classes)), extra, edit_step))
        if edit_step is not None:
            # Reached with Tab like the bubbles it holds (then it unfolds: on_focus).
            self.can_focus = True
        self.refresh(layout=True)

    def unfold(self) -> list[Static]:
        """The folded messages as widgets again, in order."""
        return [item.rebuild() for item in self.items]

    def item_at(self, row: int) -> _Folded | None:
        """The message drawn at `row` of the block, if any (not a margin row)."""
        for item in self.items:
            if item.top <= row < item.bottom:
                return item
        return None

    # --- drawing ------------------------------------------------------------------------------

    def get_content_width(self, container: Size, viewport: Size) -> int:
        return self.fold_width

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self.lines)

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        if 0 <= y < len(self.lines):
            line = self.lines[y]
            # Until the log folds again for a new width (ChatLog.on_resize), the lines are
            # cut or padded to fit.
            return line if line.cell_length == width \
                else line.crop_extend(0, width, self.blank)
        return Strip.blank(width, self.blank)

    # --- what a folded answer still does ------------------------------------------------------

    def on_click(self, event: Click) -> None:
        item = self.item_at(event.y)
        if item is not None and item.edit_step is not None:
            event.stop()
            self.post_message(AnswerBubble.EditRequested(item.edit_step))

    def focus_on_click(self) -> bool:
        # A click asks to edit the answer under it (on_click); it does not unfold the block.
        return False

    def on_focus(self, event: Focus) -> None:
        self.post_message(self.UnfoldRequested(self))
