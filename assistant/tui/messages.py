"""The app's messages: what a screen tells the app, instead of calling it or taking a callback.

A screen posts one of these and goes on; the app (`SdmApp`) handles it: opens the next
screen, or does with the store what the screen may not do itself. A screen does not know the
app, the store or the other screens.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual.message import Message

if TYPE_CHECKING:  # types only: the home screen posts these before the models are imported
    from assistant.engine import Session
    from assistant.guides.models import Guide


@dataclass
class GuideChosen(Message):
    """A guide was chosen to start a conversation about (the home screen)."""

    guide: Guide


@dataclass
class ResumeSession(Message):
    """A stored session was chosen to go on with (the home screen)."""

    session_id: str


@dataclass
class ConversationFinished(Message):
    """Every step of `session` is dealt with: the app marks it finished in the store."""

    session: Session


@dataclass
class LeaveConversation(Message):
    """Close the conversation about `session` (everything is stored) for the home screen;
    with `new`, to choose the next guide there."""

    session: Session
    new: bool = False


class UseLocalStore(Message):
    """The department server could not be reached, and the user chose the local file on
    this computer instead (F6 on the home screen)."""
