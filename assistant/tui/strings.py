"""The UI's words: a thin door to the one message catalogue (`assistant.catalogue`).

The words themselves live in `assistant/catalogue/ui.py` (add new ones there); screens keep
calling `t(key, lang)` from here.
"""

from __future__ import annotations

from assistant.catalogue import MESSAGES, has
from assistant.catalogue import t as _t
from assistant.language import Language

__all__ = ["has", "keys", "t"]


def t(key: str, lang: Language) -> str:
    """The words under `key` in `lang` (a key of the catalogue, e.g. "save" or "key.undo")."""
    return _t(key, lang)


def keys() -> frozenset[str]:
    """Every key of the catalogue (for tests that check both languages exist)."""
    return frozenset(MESSAGES)
