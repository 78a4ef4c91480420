"""Keys in words: a binding's label in the screen's language, and the keys a screen answers to.

Bindings keep the descriptions they were declared with (Textual's own widgets declare English
ones); what people read comes from the catalogue, found by the binding's action
(`key.<action>`, or `key.<Class>.<action>` where one class means something else by it). The
footer (`widgets/key_footer.py`) and the help (F1, `screens/help.py`) both ask here, so they
always agree — and a label missing from the catalogue shows in the language-leak test.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.app import App
from textual.binding import Binding
from textual.dom import DOMNode
from textual.screen import Screen

from assistant.catalogue import has, t
from assistant.language import Language

__all__ = [
    "READ_KEYS",
    "ScreenKey",
    "action_name",
    "binding_label",
    "key_text",
    "label_key",
    "screen_keys",
    "screen_lang",
]


def screen_lang(screen: Screen[object] | None, app: App[object] | None = None) -> Language:
    """The language `screen` speaks: its own (a conversation may differ from the app's), else
    the app's, else Danish."""
    for owner in (screen, app):
        lang = getattr(owner, "lang", None) or getattr(owner, "_lang", None)
        if lang in ("da", "en"):
            return "en" if lang == "en" else "da"
    return "da"


def action_name(action: str) -> str:
    """An action's name without its namespace or arguments: "app.pop_screen" → "pop_screen",
    "dismiss(None)" → "dismiss"."""
    return action.split("(", 1)[0].rsplit(".", 1)[-1]


def label_key(node: DOMNode | None, action: str) -> str | None:
    """The catalogue key of the label for `action` on `node` (its class, or a base class,
    first), or None when the catalogue has none."""
    name = action_name(action)
    if node is not None:
        for cls in type(node).__mro__:
            key = f"key.{cls.__name__}.{name}"
            if has(key):
                return key
    key = f"key.{name}"
    return key if has(key) else None


def binding_label(node: DOMNode | None, binding: Binding, lang: Language) -> str:
    """What a key does, in `lang`: the catalogue's label for its action, else the binding's
    own description."""
    key = label_key(node, binding.action)
    return t(key, lang) if key is not None else binding.description


def _key_part(part: str, lang: Language) -> str:
    if has(f"keyname.{part}"):
        return t(f"keyname.{part}", lang)
    if part.startswith("f") and part[1:].isdigit():
        return part.upper()
    if part == "ctrl":
        return "Ctrl"
    return part.upper() if len(part) == 1 and part.isalpha() else part.capitalize()


def key_text(key: str, lang: Language) -> str:
    """A key as people read it: "ctrl+q" → "Ctrl+Q", "f1" → "F1", "space" → "Mellemrum"."""
    return "+".join(_key_part(part, lang) for part in key.split("+"))


@dataclass(frozen=True)
class ScreenKey:
    """One thing a screen's keys do: the keys ("F4 / Ctrl+Z") and what they do."""

    keys: str
    label: str


def screen_keys(screen: Screen[object], lang: Language) -> list[ScreenKey]:
    """Every key `screen` answers to now, in its footer's order, one line per action: the
    bindings of the focused widget and its ancestors (the app's too, unless a dialog is on
    top) that are shown in the footer or have a label in the catalogue.

    Keys a text field takes for itself (typing "e" into it) are not among them: Textual
    leaves them out of the screen's active bindings, so the list says what a key does now.
    """
    lines: dict[tuple[int, str], tuple[list[str], str]] = {}
    whole: set[tuple[int, str]] = set()  # lines whose key_display names all their keys
    focused = screen.focused
    for node in (focused.ancestors_with_self if focused is not None else []):
        for cls in type(node).__mro__:
            for name, label in READ_KEYS.get(cls.__name__, ()):
                lines.setdefault((id(node), label), ([t(f"keyname.{name}", lang)
                                                      if has(f"keyname.{name}")
                                                      else key_text(name, lang)],
                                                     t(f"widgetkey.{label}", lang)))
    for key, (node, binding, _enabled, _tooltip) in screen.active_bindings.items():
        if not binding.show and label_key(node, binding.action) is None:
            continue  # Textual's own editing keys (cursor moves and such): not listed
        label = binding_label(node, binding, lang)
        if not label:
            continue
        slot = (id(node), label)
        if binding.key_display and binding.show:
            lines[slot] = ([binding.key_display], label)
            whole.add(slot)
            continue
        name = key_text(key, lang)
        if slot not in lines:
            lines[slot] = ([name], label)
        elif slot not in whole and name not in lines[slot][0]:
            lines[slot][0].append(name)
    return [ScreenKey(" / ".join(names), label) for names, label in lines.values()]


#: Keys an answer widget reads itself (in `on_key`, not as bindings), by the widget's class:
#: (the key's name in `keyname.`, or the key itself; what it does, in `widgetkey.`).
READ_KEYS: dict[str, tuple[tuple[str, str], ...]] = {
    "ChoiceAnswer": (("digits", "choose_number"), ("arrows_up_down", "choose_arrows")),
    "MultiAnswer": (("digits", "toggle_number"), ("space", "toggle")),
    "ScaleAnswer": (("arrows_left_right", "scale_move"), ("scale_digits", "scale_number")),
    "YesNoAnswer": (("yes_no", "yes_no"),),
    "InfoAnswer": (("enter", "enter_save"),),
}
