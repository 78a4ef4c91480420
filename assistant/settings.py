"""The user's settings, remembered between starts: how the app looks and where files are saved.

One small JSON file in the user's config folder (`settings.json`, mode 0600). It never holds
health data: no labels, no answers, no session ids — only choices about the app itself. A
missing, unreadable or malformed file gives the defaults (a setting is a convenience; it must
never stop the app from starting), and unknown keys are ignored so an older version can read
a newer file.

    settings = load()
    save(dataclasses.replace(settings, calm=True))

A frozen dataclass with its own checks, not a pydantic model: the settings are read before the
first screen is drawn, and pydantic costs more to import than the whole first screen may
(issue 16). `Settings.from_json` is the one description of the file's format.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any, Literal, get_args

from platformdirs import user_config_dir

from assistant.paths import APP_NAME, make_private_dir

__all__ = ["Settings", "load", "save", "settings_path"]

#: Bounded read: a settings file is a few hundred bytes; anything larger is not ours.
MAX_BYTES = 64 * 1024


Theme = Literal["default", "high-contrast"]


@dataclasses.dataclass(frozen=True)
class Settings:
    """What the app remembers. Every field has a default, so `Settings()` is a fresh start."""

    #: Calm mode: no animation, no blinking cursor, fewer borders, one question at a time.
    calm: bool = False
    #: The colour theme: the app's default, or high contrast.
    theme: Theme = "default"
    #: The folder the last export was saved in (None: the user's documents folder).
    export_folder: str | None = None

    @classmethod
    def from_json(cls, data: Any) -> Settings:
        """The settings in `data` (the parsed file); unknown keys are ignored (a newer
        version's file). Raises ValueError when a known key holds the wrong kind of value."""
        if not isinstance(data, dict):
            raise ValueError("the settings file holds no object")
        calm = data.get("calm", False)
        theme = data.get("theme", "default")
        folder = data.get("export_folder")
        if not isinstance(calm, bool):
            raise ValueError("calm is not true or false")
        if theme not in get_args(Theme):
            raise ValueError("no such theme")
        if folder is not None and not isinstance(folder, str):
            raise ValueError("export_folder is not text")
        return cls(calm=calm, theme=theme, export_folder=folder)

    def to_json(self) -> str:
        """The settings as the file holds them."""
        return json.dumps(dataclasses.asdict(self), indent=2, ensure_ascii=False)


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
        return Settings.from_json(json.loads(raw.decode("utf-8")))
    except (OSError, ValueError):
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
        write_private(path, settings.to_json() + "\n", replace=True)
    except (OSError, ValueError):
        return False
    return True
