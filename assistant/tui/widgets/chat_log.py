"""The scrolling chat log, pinned to its newest message; its older messages folded."""

from __future__ import annotations

from textual.containers import VerticalScroll
from textual.events import Resize
from textual.timer import Timer
from textual.widget import AwaitMount, Widget
from textual.widgets import Static

from assistant.tui.widgets.chat_message import AnswerBubble
from assistant.tui.widgets.folded_log import FoldedBlock, foldable


class ChatLog(VerticalScroll):
    """A VerticalScroll pinned to the bottom, with an explicit way to pin it again.

    Textual's `anchor()` does not undo `release_anchor()` (the release lasts until the view
    happens to reach the bottom), and an anchored view does not follow when it *shrinks* — a
    taller answer widget below could hide the newest question. Both rely on Textual 8.2.8's
    anchor fields, which the exact pin in pyproject.toml keeps stable.

    Only the recent messages stay widgets: once more than `FOLD_AT` are, the oldest are
    folded into `FoldedBlock`s (their drawn lines) until `KEEP` remain, so that a turn costs
    the same at 500 messages as at 20 (widgets/folded_log.py says what a folded message
    still does).
    """

    #: Live messages that make the log fold its oldest ones...
    FOLD_AT = 36
    #: ...until this many are left as widgets (a fold every FOLD_AT - KEEP messages: about
    #: eight turns). A turn at 20 messages has 20 to 36 widgets in the log; so has one at
    #: 500. Every widget on screen costs each layout and each frame something (issue 16:
    #: 60/40 measured turn_cpu_ratio 1.84-2.15, 36/20 1.50-1.72 in the same runs); twenty
    #: live messages are the last ten answers, more than an 80x24 screen shows.
    KEEP = 20
    #: Seconds a new width must last before the folded lines are drawn again for it.
    REFOLD_DELAY = 0.3

    def __init__(self, *children: Widget, id: str | None = None,
                 classes: str | None = None) -> None:
        super().__init__(*children, id=id, classes=classes)
        self._fold_pending = False
        self._refold_timer: Timer | None = None
        #: Mounts started since `take_mounts` was last asked (a turn's new messages).
        self._mounting: list[AwaitMount] = []

    def take_mounts(self) -> list[AwaitMount]:
        """The mounts started since the last call (awaitable: done once their widgets are
        in the log), and forget them."""
        mounting, self._mounting = self._mounting, []
        return mounting

    def pin(self) -> None:
        """Stay at the newest message from now on (after showing something from its top)."""
        self._anchor_released = False
        self.anchor()

    @property
    def pinned(self) -> bool:
        """True while the log follows its newest message."""
        return self._anchored and not self._anchor_released

    def on_resize(self, event: Resize) -> None:
        if self.pinned:
            self.scroll_end(animate=False, immediate=True)
        if self._stale_blocks():
            # Drawn for another width: drawn again once the size has settled (a window
            # dragged wider sends many sizes).
            if self._refold_timer is not None:
                self._refold_timer.stop()
            self._refold_timer = self.set_timer(self.REFOLD_DELAY, self._refold)

    def notify_style_update(self) -> None:
        super().notify_style_update()
        # Another theme: the folded lines show the old look.
        self._refold_if_stale()

    def _refold_if_stale(self) -> None:
        if self.is_attached and self._refold_timer is None and self._stale_blocks():
            self._refold_timer = self.set_timer(0.01, self._refold)

    # --- folding ------------------------------------------------------------------------------

    def mount(self, *widgets: Widget, before: int | str | Widget | None = None,
              after: int | str | Widget | None = None) -> AwaitMount:
        mounted = super().mount(*widgets, before=before, after=after)
        self._mounting.append(mounted)
        # Calm mode switched on or off since (its borders; no style of the log changes then,
        # so it is noticed here, at the next message).
        self._refold_if_stale()
        self._schedule_fold()
        return mounted

    @property
    def live_messages(self) -> int:
        """The messages that are widgets (not folded)."""
        return sum(1 for child in self.children if not isinstance(child, FoldedBlock))

    def _schedule_fold(self) -> None:
        if not self._fold_pending and len(self.children) > self.FOLD_AT:
            self._fold_pending = True
            # After the next layout: a message is folded as it was drawn.
            self.call_after_refresh(self._fold)

    def _fold_width(self) -> int:
        return self.scrollable_content_region.width

    def _look(self) -> tuple[str, frozenset[str]]:
        """What decides how a message looks besides its own classes: the theme, and the
        classes of the app, the screen and the log (calm mode, dark or light)."""
        classes = frozenset(f"{type(node).__name__}.{name}" for node in self.ancestors_with_self
                            for name in node.classes)
        return self.app.theme, classes

    def _stale_blocks(self) -> list[FoldedBlock]:
        """The blocks drawn for another width or look than the log's now."""
        # Asked at every message: the children looked at directly (no query), and the look
        # only worked out once there is a block to compare it with.
        blocks = [child for child in self.children if isinstance(child, FoldedBlock)]
        if not blocks:
            return []
        width, look = self._fold_width(), self._look()
        return [block for block in blocks if block.fold_width != width or block.look != look]

    def _fold(self) -> None:
        """Fold the older messages, so that the newest `KEEP` are the widgets left."""
        self._fold_pending = False
        if not self.is_attached:
            return
        live = [child for child in self.children if not isinstance(child, FoldedBlock)]
        if len(live) <= self.FOLD_AT:
            return
        keep_from = live[-self.KEEP]
        focused = self.screen.focused
        width, look = self._fold_width(), self._look()
        folded: list[Widget] = []
        new_blocks: list[tuple[FoldedBlock, Widget]] = []
        block: FoldedBlock | None = None  # the block right above the message looked at
        for child in list(self.children):
            if child is keep_from:
                break
            if isinstance(child, FoldedBlock):
                block = child if (child.fold_width, child.look) == (width, look) else None
                continue
            if focused is not None and (focused is child or child in focused.ancestors):
                break  # someone is on it (Tab to an old answer): it stays, and what follows
            if not foldable(child) or not child.display or not child.outer_size.height:
                # Stays a widget: a button, a comparison; not laid out yet, or hidden (calm
                # mode's one question at a time): not drawn, so nothing to keep.
                block = None
                continue
            assert isinstance(child, Static)
            if block is None:
                block = FoldedBlock(width, self.rich_style, look)
                new_blocks.append((block, child))
            block.add(child)
            folded.append(child)
        for new, first in new_blocks:
            super().mount(new, before=first)
        if folded:
            self.remove_children(folded)

    def _refold(self) -> None:
        """Draw the folded messages again at the log's width: as widgets, then folded."""
        self._refold_timer = None
        if not self.is_attached:
            return
        for block in self._stale_blocks():
            self.unfold(block)
        self._schedule_fold()

    def unfold(self, block: FoldedBlock) -> list[Static]:
        """Make `block`'s messages widgets again (they fold again after the next turn)."""
        widgets = block.unfold()
        # Widget.mount_all calls self.mount: no fold is scheduled for these (the caller does
        # that when it wants one).
        super().mount(*widgets, before=block)
        block.remove()
        return widgets

    def on_folded_block_unfold_requested(self, message: FoldedBlock.UnfoldRequested) -> None:
        """The keyboard reached a folded block: its answers become bubbles, the newest of them
        focused (Shift+Tab goes on up through the older ones)."""
        message.stop()
        if message.block.parent is not self:
            return
        bubbles = [w for w in self.unfold(message.block) if isinstance(w, AnswerBubble)]
        if bubbles:
            self.call_after_refresh(self._focus_and_show, bubbles[-1])

    def _focus_and_show(self, widget: Widget) -> None:
        if widget.is_attached:
            widget.focus()
            self.scroll_to_widget(widget, animate=False)
