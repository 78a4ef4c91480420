"""The shelf: the library's cards, kept between starts so the first screen needs no YAML.

`sdm` draws its home screen from the shelf (issue 16: first paint from a catalogue) and
validates the whole library in a worker right after; a guide opens only once that is done.
The shelf is one JSON file in the user's cache folder (`library-cards.json`, private),
holding for each library file its size, modification time and cards. A file whose size or
time differs, or that is new, is not on the shelf: `read_shelf` says so (`stale`), and the
screen shows the cards it has until the validated library replaces them. Guide titles and
keywords only — never health data. A missing, unreadable or malformed shelf is simply empty.

No pydantic, no YAML, no Textual here: this runs before the first screen.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from assistant.guides.cards import GuideCard, card_of
from assistant.paths import APP_NAME

if TYPE_CHECKING:
    from assistant.guides.loader import Library

#: The suffixes of guide files (the loader reads the same).
GUIDE_SUFFIXES = (".yaml", ".yml")
#: Bumped when the file's layout changes: an older shelf is then ignored, not misread.
SHELF_VERSION = 1
#: A shelf is a few kB per hundred guides; anything much larger is not ours.
MAX_BYTES = 16 * 1024 * 1024


def bundled_dir() -> Path:
    """Where the bundled library lives: inside an installed wheel, or the source checkout."""
    here = Path(__file__).resolve().parent.parent
    installed = here / "decision_aids"
    return installed if installed.is_dir() else here.parent / "decision_aids"


def guide_files(paths: list[Path]) -> list[Path]:
    """Every guide file under `paths` (folders are searched recursively), sorted, once each."""
    seen: dict[Path, None] = {}
    for path in paths:
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                if child.suffix in GUIDE_SUFFIXES and child.is_file():
                    seen.setdefault(child.resolve(), None)
        else:
            seen.setdefault(path.resolve(), None)
    return list(seen)


def shelf_path() -> Path:
    """Where the shelf is kept (not created): the user's cache folder."""
    from platformdirs import user_cache_dir

    return Path(user_cache_dir(APP_NAME, appauthor=False)) / "library-cards.json"


def _stamp(path: Path) -> list[int] | None:
    try:
        info = path.stat()
    except OSError:
        return None
    return [info.st_size, info.st_mtime_ns]


@dataclass(frozen=True)
class Shelf:
    """The cards the shelf holds for the library's files as they are now."""

    cards: tuple[GuideCard, ...]
    #: True when a file is new or changed since the shelf was written (its cards are missing
    #: or old): the validated library will tell.
    stale: bool


def read_shelf(folder: Path | None = None, path: Path | None = None) -> Shelf:
    """The cards for the files in `folder` (default: the bundled library) that have not
    changed since the shelf at `path` (default: `shelf_path()`) was written."""
    files = guide_files([folder or bundled_dir()])
    try:
        with (path or shelf_path()).open("rb") as handle:
            raw = handle.read(MAX_BYTES + 1)
        data = json.loads(raw) if len(raw) <= MAX_BYTES else None
        if not isinstance(data, dict) or data.get("version") != SHELF_VERSION:
            return Shelf((), stale=True)
        stored = data["files"]
        cards: list[GuideCard] = []
        stale = False
        for file in files:
            entry = stored.get(str(file))
            if entry is None or entry["stamp"] != _stamp(file):
                stale = True
                continue
            cards.extend(GuideCard.from_json(c) for c in entry["cards"])
        return Shelf(tuple(cards), stale=stale)
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        return Shelf((), stale=True)


def write_shelf(library: Library, stamps: dict[Path, list[int] | None],
                path: Path | None = None) -> bool:
    """Keep the cards of `library`'s guides that loaded without a problem, each under the
    size and time its file had when it was read (`stamps`, taken before reading, so a file
    changed while it was read is read again next time). True when written; a failure (a
    read-only cache folder) only means the next start reads the library first."""
    from assistant.paths import make_private_dir, make_private_file

    troubled = {problem.file for problem in library.problems}
    by_file: dict[str, dict[str, Any]] = {}
    for file, stamp in stamps.items():
        if stamp is not None:
            by_file[str(file)] = {"stamp": stamp, "cards": []}
    for loaded in library.documents:
        if loaded.file in troubled or loaded.path is None:
            by_file.pop(str(loaded.path), None)  # not on the shelf: read it again next time
            continue
        entry = by_file.get(str(loaded.path))
        if entry is not None and loaded.document.kind != "plan_template":
            entry["cards"].append(card_of(loaded.document).to_json())
    target = path or shelf_path()
    try:
        make_private_dir(target.parent, "the cache folder")
        temporary = target.with_name(f".{target.name}.{os.getpid()}")
        temporary.write_text(json.dumps({"version": SHELF_VERSION, "files": by_file}),
                             encoding="utf-8")
        make_private_file(temporary)
        os.replace(temporary, target)
    except (OSError, ValueError):
        return False
    return True


def stamps_of(folder: Path | None = None) -> dict[Path, list[int] | None]:
    """The size and modification time of each file in `folder` (default: the bundled
    library), taken before the library is read for `write_shelf`."""
    return {file: _stamp(file) for file in guide_files([folder or bundled_dir()])}
