"""The languages the app speaks: a foundation every layer may import (no pydantic, no Textual).

`assistant.guides.models` re-exports both names; the UI's first screen imports them from here
so that drawing it does not import the guide models (issue 16).
"""

from __future__ import annotations

from typing import Literal

Language = Literal["da", "en"]
LANGUAGES: tuple[Language, ...] = ("da", "en")
