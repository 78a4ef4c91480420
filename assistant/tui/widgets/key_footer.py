"""A footer that fits its width: labels shorten, then the least important keys go — never
is a label cut in the middle ("a Godkend  s▏").

It also redraws its keys only when the keys shown actually change. Textual's Footer
recomposes on every bindings update, and every focus change publishes one: in a chat where
each answer moves the focus, that was most of the time of a turn. The keys on show rarely
change, so this footer compares them first (and the width they have).

How a footer fits, step by step (`fit_keys`): the keys as they are; in compact style; with
each label's short form (the catalogue's `short_<action>`, else the label's first word);
without the command palette's key; then dropping keys from the end of the screen's list (a
screen lists its keys most important first) — F1 (help, which lists them all) stays.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from textual.app import ComposeResult
from textual.events import Resize
from textual.screen import Screen
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

from assistant.language import Language
from assistant.tui.bindings import binding_label
from assistant.tui.strings import keys as catalogue_keys
from assistant.tui.strings import t

#: The one key never dropped: F1 lists every key of the screen.
_KEEP = "help"


@dataclass(frozen=True)
class FooterItem:
    """One key as the footer shows it."""

    key: str
    key_display: str
    description: str
    action: str
    enabled: bool
    tooltip: str
    short: str

    def width(self, *, compact: bool, short: bool) -> int:
        """Columns this key takes (its margin included)."""
        label = self.short if short else self.description
        if compact:  # "key label" then a margin of one
            return len(self.key_display) + (len(label) + 1 if label else 0) + 1
        return len(self.key_display) + 2 + (len(label) + 1 if label else 0)


@dataclass(frozen=True)
class FooterFit:
    """How the footer shows its keys at a width."""

    items: tuple[FooterItem, ...]
    compact: bool
    short: bool
    palette: bool


#: The command palette's key, docked at the right: "▏^p palette" with its padding.
PALETTE_WIDTH = 13


def fit_keys(items: Sequence[FooterItem], width: int, *, palette: bool) -> FooterFit:
    """The fullest way to show `items` in `width` columns (see the module's docstring)."""
    steps = [(False, False, palette), (True, False, palette), (True, True, palette),
             (True, True, False)]
    for compact, short, with_palette in steps:
        used = sum(i.width(compact=compact, short=short) for i in items)
        if used + (PALETTE_WIDTH if with_palette else 0) <= width:
            return FooterFit(tuple(items), compact, short, with_palette)
    kept = list(items)
    while kept and sum(i.width(compact=True, short=True) for i in kept) > width:
        droppable = [i for i in kept if i.action != _KEEP]
        if not droppable:
            break
        kept.remove(droppable[-1])
    return FooterFit(tuple(kept), True, True, False)


def short_label(action: str, description: str, lang: Language) -> str:
    """The short form of a key's label: the catalogue's `short_<action>` (the action's name
    without its arguments or namespace), else the label's first word."""
    name = action.split("(")[0].rsplit(".", 1)[-1]
    key = f"short_{name}"
    if key in catalogue_keys():
        return t(key, lang)
    return description.split(" ")[0] if description else ""


class KeyFooter(Footer):
    """A footer that fits its width and skips recomposing when nothing it shows changed."""

    _shown: tuple[object, ...] | None = None
    _pending = False

    def _lang(self) -> Language:
        lang = getattr(self.screen, "lang", None) or getattr(self.app, "lang", "da")
        return "en" if lang == "en" else "da"

    def _items(self) -> list[FooterItem]:
        """The screen's shown keys, one per action, in the screen's order."""
        lang = self._lang()
        seen: set[str] = set()
        items: list[FooterItem] = []
        for (node, binding, enabled, tooltip) in self.screen.active_bindings.values():
            if not binding.show or binding.action in seen:
                continue
            seen.add(binding.action)
            label = binding_label(node, binding, lang)  # the catalogue's, in the screen's language
            items.append(FooterItem(binding.key, self.app.get_key_display(binding),
                                    label, binding.action, enabled, tooltip,
                                    short_label(binding.action, label, lang)))
        return items

    def _width(self) -> int:
        return self.size.width or self.app.size.width

    def _palette_shown(self) -> bool:
        return (self.show_command_palette and self.app.ENABLE_COMMAND_PALETTE
                and self.app.COMMAND_PALETTE_BINDING in self.screen.active_bindings)

    def current_fit(self) -> FooterFit:
        """How the keys are shown at the footer's width now."""
        return fit_keys(self._items(), self._width(), palette=self._palette_shown())

    def compose(self) -> ComposeResult:
        if not self._bindings_ready:
            return
        fit = self.current_fit()
        self.set_class(fit.compact, "-compact")
        for item in fit.items:
            key = FooterKey(item.key, item.key_display,
                            item.short if fit.short else item.description, item.action,
                            disabled=not item.enabled,
                            tooltip=item.tooltip or item.description,
                            classes="-compact" if fit.compact else "")
            # FooterKey's `compact` starts True; its class is what its style follows.
            key.set_reactive(FooterKey.compact, fit.compact)
            yield key
        if fit.palette:
            node, binding, enabled, _tooltip = self.screen.active_bindings[
                self.app.COMMAND_PALETTE_BINDING]
            palette = FooterKey(binding.key, self.app.get_key_display(binding),
                                binding_label(node, binding, self._lang()), binding.action,
                                classes="-command-palette"
                                + (" -compact" if fit.compact else ""),
                                disabled=not enabled,
                                tooltip=binding_label(node, binding, self._lang()))
            palette.set_reactive(FooterKey.compact, fit.compact)
            yield palette

    def bindings_changed(self, screen: Screen[object]) -> None:
        self._bindings_ready = True
        if not screen.app.app_focus or not self.is_attached or screen is not self.screen:
            return
        self._schedule()

    def _schedule(self) -> None:
        if not self._pending:
            self._pending = True
            self.call_after_refresh(self._maybe_recompose)

    def on_resize(self, event: Resize) -> None:
        if self._bindings_ready:
            self._schedule()

    async def _maybe_recompose(self) -> None:
        self._pending = False
        if not self.is_attached:
            return
        fit = self.current_fit()
        shown = (fit, self._lang())
        if shown != self._shown:
            self._shown = shown
            await self.recompose()
