"""The chat UI's crash screen without health data (R10): replaces Textual's `_fatal_error`.

Textual 8.2.8's `App._fatal_error` renders a Rich traceback with ``show_locals=True``; the
locals of the frames that handle an answer hold the answer, so it would be printed to the
terminal when the app stops. The replacement here shows only the generic message and the path
of a scrubbed report (see `assistant.crash`), written 0600 to ``crash/`` in the data folder.

Wire it in one of two ways:

    class SdmApp(SafeCrashMixin, App[None]): ...     # the mixin first, so its method wins
    install_crash_handler(app)                         # or on an existing instance

Pinned to Textual 8.2.8: `App._handle_exception(error)` calls ``self._fatal_error()`` (no
arguments) from inside the ``except`` block, so `sys.exc_info()` still holds the error; it
then records `error` in ``app._exception`` and the app exits with return code 1. Exceptions
that have ``__rich__`` go to `App.panic` instead; in Textual those are only CSS parse errors,
which show the stylesheet, not patient data. `tests/test_pins.py` checks this contract.
"""

from __future__ import annotations

import sys
import types
from typing import TYPE_CHECKING, Any

from rich.text import Text

from assistant.crash import crash_text, write_report

if TYPE_CHECKING:
    from textual.app import App

    _AppBase = App[Any]
else:
    _AppBase = object

#: The Textual version whose `_fatal_error` contract this module was written against.
TEXTUAL_VERSION = "8.2.8"


def safe_fatal_error(app: App[Any]) -> None:
    """What the app does instead of Textual's `_fatal_error`: bell, report, generic message,
    exit. The message is plain `Text` (never markup), printed to stderr as the app closes."""
    error = sys.exc_info()[1] or app._exception
    report = write_report(error) if error is not None else None
    app.bell()
    # Soft wrap: Rich would otherwise break the report's path at the terminal width, and a
    # path broken over two lines cannot be copied. The app is ending; nothing else prints.
    app.error_console.soft_wrap = True
    message = crash_text(str(getattr(app, "lang", "da")), report)
    app._exit_renderables.append(Text(message))
    app._close_messages_no_wait()


class SafeCrashMixin(_AppBase):
    """Put before `App` in the bases: unhandled errors end in the generic message."""

    def _fatal_error(self) -> None:
        safe_fatal_error(self)


def install_crash_handler(app: App[Any]) -> App[Any]:
    """Make `app` (an instance) use the scrubbed crash handler; returns `app`."""
    # An instance attribute wins over the class's method when Textual calls
    # self._fatal_error(), so this works for any App subclass.
    app._fatal_error = types.MethodType(safe_fatal_error, app)  # type: ignore[method-assign]
    return app
