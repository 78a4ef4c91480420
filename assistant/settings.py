"""The user's settings, remembered between starts: how the app looks and where files are saved.

One small JSON file in the user's config folder (`settings.json`, mode 0600). It never holds
health data: no labels, no answers, no session ids — only choices about the app itself. A
missing, unreadable or malformed file gives the defaults (a setting is a convenience; it must
never stop the app from starting), and unknown keys are ignored so an older version can read
a newer file.

    settings = load()
    save(settings.model_copy(update={"calm": True}))
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Literal

from platformdirs import user_config_dir
from pydantic import BaseModel, ConfigDict, ValidationError

from assistant.paths import APP_NAME, make_private_dir

__all__ = ["Settings", "load", "save", "settings_path"]

#: Bounded read: a settings file is a few hundred bytes; anything larger is not ours.
MAX_BYTES = 64 * 1024


class Settings(BaseModel):
    """What the app remembers. Every field has a default, so `Settings()` is a fresh start."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    #: Calm mode: no animation, no blinking cursor, fewer borders, one question at a time.
    calm: bool = False
    #: The colour theme: the app's default, or high contrast.
    theme: Literal["default", "high-contrast"] = "default"
    #: The folder the last export was saved in (None: the user's documents folder).
    export_folder: str | None = None


def settings_path() -> Path:
    """Where the settings file is (not created): `$XDG_CONFIG_HOME/sdm-assistant/...` etc."""
    return Path(user_config_dir(APP_NAME, appauthor=False)) / "settings.json"


def load(path: Path | None = None) -> Settings:
    """The saved settings, or the defaults when there are none or they cannot be read."""
    path = path or settings_path()
    try:
        with path.open("rb") as file:
            raw = file.read(MAX_BYTES + 1)
        if len(raw) > MAX_BYTES:
            return Settings()
        return Settings.model_validate(json.loads(raw.decode("utf-8")))
    except (OSError, ValueError, ValidationError):
        return Settings()


def save(settings: Settings, path: Path | None = None) -> bool:
    """Write `settings` (mode 0600, replacing the old file); True when written.

    A failure (a read-only home folder, say) is not an error for the user: the setting still
    holds for this run, it is just not remembered.
    """
    from assistant.export.files import write_private

    path = path or settings_path()
    try:
        make_private_dir(path.parent, "the settings folder")
        write_private(path, settings.model_dump_json(indent=2) + "\n", replace=True)
    except (OSError, ValueError):
        return False
    return True
