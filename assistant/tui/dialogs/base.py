"""The look the review's dialogs share: a framed box in the middle of the screen."""

from __future__ import annotations

from typing import TypeVar

from textual.screen import ModalScreen

ResultType = TypeVar("ResultType")


class Dialog(ModalScreen[ResultType]):
    """A modal box (`Vertical`) with a title (`.dialog-title`), warnings (`.warning`), errors
    (`.error`) and a row of buttons (`Horizontal`). A subclass that adds a style of its own
    lists both files: `CSS_PATH = ["dialog.tcss", "<its own>.tcss"]`."""

    CSS_PATH = ["dialog.tcss"]
