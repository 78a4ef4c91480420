"""The app's screens; each has its styles in a .tcss file beside it."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, TypeGuard

if TYPE_CHECKING:
    from textual.screen import Screen

    from assistant.tui.screens.conversation import ConversationScreen


def is_conversation(screen: Screen[object] | object) -> TypeGuard[ConversationScreen]:
    """True when `screen` is a conversation — without importing the conversation screen
    (and the engine with it) before one was ever opened: the footer asks on the first
    screen (issue 16)."""
    module = sys.modules.get("assistant.tui.screens.conversation")
    return module is not None and isinstance(screen, module.ConversationScreen)
