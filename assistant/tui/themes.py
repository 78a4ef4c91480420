"""How the app looks: a high-contrast theme and calm mode, remembered between starts.

`LookMixin` goes before `App` in the app's bases (as `LockMixin` does). It offers two
commands in the command palette, each a switch:

* **High contrast** (`HIGH_CONTRAST`): white text on black, yellow for what has the focus or is
  chosen — for a low-contrast screen, a projector or weak eyes.
* **Calm mode** (also `sdm --calm`): no animation, no blinking cursor, fewer borders, and in a
  conversation one question at a time — the transcript of earlier questions and answers is
  hidden, Ctrl+T shows it again (and hides it). The app carries the CSS class `-calm`, and
  `-one-question` while the transcript is hidden; what in a chat log belongs to questions
  already dealt with is marked `-past` (each time a new answer field takes the focus);
  `calm.tcss` holds every rule, so the screens themselves know nothing of it.

Both are remembered in the settings file (`assistant.settings`: no health data); a setting that
cannot be saved still holds for this run, and the user is told it will not be remembered.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from textual import events
from textual.app import SystemCommand
from textual.theme import Theme

from assistant import settings as user_settings
from assistant.tui.strings import t

if TYPE_CHECKING:
    from textual.app import App
    from textual.screen import Screen

    from assistant.language import Language

    _AppBase = App[Any]
else:
    _AppBase = object

__all__ = ["HIGH_CONTRAST", "LookMixin"]

#: White on black, yellow for the focus and for what is chosen; nothing muted or faint.
HIGH_CONTRAST = Theme(
    name="sdm-high-contrast",
    primary="#FFFF00",
    secondary="#00FFFF",
    accent="#FFFF00",
    warning="#FFFF00",
    error="#FF6E6E",
    success="#00FF00",
    foreground="#FFFFFF",
    background="#000000",
    surface="#000000",
    panel="#000000",
    boost="#FFFFFF",
    dark=True,
    variables={
        # Textual's muted text is the foreground at 60 %: grey on black. Here it is white.
        "text-muted": "#FFFFFF",
        "text-disabled": "#C0C0C0",
        "foreground-muted": "#FFFFFF",
        "block-cursor-background": "#FFFF00",
        "block-cursor-foreground": "#000000",
        "block-cursor-text-style": "bold",
        "block-cursor-blurred-background": "#FFFFFF",
        "block-cursor-blurred-foreground": "#000000",
        "input-cursor-background": "#FFFF00",
        "input-cursor-foreground": "#000000",
        "input-selection-background": "#FFFF00 40%",
        "footer-key-foreground": "#FFFF00",
        "footer-description-foreground": "#FFFFFF",
        "border": "#FFFFFF",
        "border-blurred": "#C0C0C0",
        "scrollbar": "#FFFFFF",
    },
)

#: The settings' theme names and Textual's: "default" is whatever theme the app starts with.
_THEMES = {"high-contrast": HIGH_CONTRAST.name}


class LookMixin(_AppBase):
    """High contrast and calm mode, from the palette or `sdm --calm`. Put before `App`."""

    lang: Language

    #: Calm mode is on.
    calm: bool = False
    #: In calm mode: the conversation's transcript is shown (Ctrl+T toggles it).
    transcript_shown: bool = False
    #: The settings as last loaded or saved.
    look: user_settings.Settings = user_settings.Settings()
    _default_theme: str | None = None

    def configure_look(self, *, calm: bool | None = None) -> None:
        """Read the remembered look; `calm` (from `sdm --calm`) chooses calm mode and is
        remembered as if chosen in the palette. Call before the app runs."""
        self.look = user_settings.load()
        if calm is not None and calm != self.look.calm:
            self.look = dataclasses.replace(self.look, calm=calm)
            user_settings.save(self.look)
        self.calm = self.look.calm
        self.register_theme(HIGH_CONTRAST)

    # Textual calls the Mount handlers of every class in the MRO.
    def _on_mount(self, _event: events.Mount) -> None:
        self._default_theme = self.theme
        self._apply_look()

    @property
    def high_contrast(self) -> bool:
        """True while the high-contrast theme is on."""
        return self.look.theme == "high-contrast"

    def _apply_look(self) -> None:
        """Put the remembered look into effect: theme, classes, animation and cursors."""
        default = self._default_theme or self.theme
        self.theme = _THEMES.get(self.look.theme, default)
        self.set_class(self.calm, "-calm")
        self.set_class(self.calm and not self.transcript_shown, "-one-question")
        # Textual's own setting: "none" stops scrolling and fading animations.
        self.animation_level = "none" if self.calm else "full"
        for screen in self.screen_stack:
            for field in screen.query("Input, TextArea"):
                self._set_blink(field)
            self._mark_past(screen)
        self.refresh_bindings()

    @staticmethod
    def _mark_past(screen: Screen[object]) -> None:
        """Mark what a chat log holds of questions already dealt with (`-past`): everything
        up to its last question or answer. What comes after — the notice of a new phase, the
        comparison or the prepared words of the question asked now — stays in view."""
        # By name: the chat's widgets are imported only once a chat is shown (the first
        # screen has none; issue 16).
        logs = list(screen.query("ChatLog"))
        if not logs:
            return
        from assistant.tui.widgets.chat_message import AnswerBubble, GuideMessage

        for log in logs:
            children = list(log.children)
            last = max((i for i, widget in enumerate(children)
                        if isinstance(widget, (GuideMessage, AnswerBubble))), default=-1)
            for i, widget in enumerate(children):
                widget.set_class(i <= last, "-past")

    def _set_blink(self, widget: object) -> None:
        # An Input or a TextArea (the widgets with a blinking cursor), without importing
        # TextArea for the first screen.
        if any(cls.__name__ in ("Input", "TextArea") for cls in type(widget).__mro__):
            widget.cursor_blink = not self.calm  # type: ignore[attr-defined]

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        # Each new question's answer field takes the focus: it must not blink either, and
        # what was asked before it is now past.
        if self.calm:
            self._set_blink(event.widget)
            self._mark_past(event.widget.screen)

    def _remember(self, **changes: Any) -> None:
        self.look = dataclasses.replace(self.look, **changes)
        if not user_settings.save(self.look):
            self.notify(t("not_remembered", self.lang), severity="warning", markup=False)
        self._apply_look()

    def action_toggle_calm(self) -> None:
        """Switch calm mode on or off (and remember it)."""
        self.calm = not self.calm
        self.transcript_shown = False
        self._remember(calm=self.calm)

    def action_toggle_contrast(self) -> None:
        """Switch the high-contrast theme on or off (and remember it)."""
        self._remember(theme="default" if self.high_contrast else "high-contrast")

    def action_toggle_transcript(self) -> None:
        """In calm mode: show the conversation's earlier questions and answers, or hide
        them again."""
        if self.calm:
            self.transcript_shown = not self.transcript_shown
            self._mark_past(self.screen)
            self.set_class(not self.transcript_shown, "-one-question")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Ctrl+T (the transcript) exists only in calm mode, in a conversation."""
        if action == "toggle_transcript":
            from assistant.tui.screens import is_conversation

            return self.calm and is_conversation(self.screen)
        return super().check_action(action, parameters)

    def look_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        """The palette's switches for calm mode and high contrast."""
        yield SystemCommand(t("calm_off" if self.calm else "calm_on", self.lang),
                            t("calm_help", self.lang), self.action_toggle_calm)
        yield SystemCommand(t("contrast_off" if self.high_contrast else "contrast_on",
                              self.lang),
                            t("contrast_help", self.lang), self.action_toggle_contrast)
