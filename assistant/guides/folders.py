"""Where guides come from besides the bundled library: library folders (issue 18, item 1).

A region or a ward keeps its own decision aids and plan templates in folders outside the
package. `sdm` reads, in this order after the bundled library:

1. the per-user library folder (`user_library()`: `<data folder>/library`, created the first
   time it is asked for, empty; `sdm list` names it);
2. each folder in `SDM_LIBRARY` (a path list, separated like `PATH`: `:` on Linux and macOS,
   `;` on Windows);
3. each `--library DIR` given on the command line, in order.

A document in a folder that has the id of a bundled one replaces it only when it says so
(`replaces_bundled: true`): an authoring choice, said on the home screen, in `sdm list` and in
`sdm validate`; without it the same id is an error, as any other duplicate. No pydantic here:
the first screen may ask for the folders before the models are imported.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

__all__ = ["ENV", "LibraryFolder", "library_folders", "user_library"]

#: The environment variable with extra library folders (a path list).
ENV = "SDM_LIBRARY"


@dataclass(frozen=True)
class LibraryFolder:
    """One library folder and why it is read."""

    path: Path
    #: "user" (the per-user folder), "env" (`SDM_LIBRARY`) or "option" (`--library`).
    source: str

    @property
    def name(self) -> str:
        """How the folder is named beside its guides: its own name."""
        return self.path.name or str(self.path)


def user_library(*, create: bool = True) -> Path:
    """The per-user library folder (`<data folder>/library`), created (private) unless
    `create` is False. Raises `SymlinkRefused` / `OSError` as `paths.make_private_dir`."""
    from assistant.paths import data_dir, make_private_dir

    folder = data_dir(create=create) / "library"
    if create:
        make_private_dir(folder, "the library folder")
    return folder


def library_folders(options: list[str] | tuple[str, ...] = (), *,
                    environ: dict[str, str] | None = None,
                    create_user: bool = True) -> list[LibraryFolder]:
    """The library folders to read, in order (see the module docstring), each once.

    The per-user folder is created when `create_user` (a read-only home is not an error:
    it is then left out). `SDM_LIBRARY` entries that are empty are ignored; a folder named
    that does not exist is kept, so the loader reports it (`no such file or folder`).
    """
    environ = dict(os.environ) if environ is None else environ
    found: list[LibraryFolder] = []
    try:
        user = user_library(create=create_user)
    except OSError:
        user = None
    if user is not None and (user.is_dir() or not create_user):
        found.append(LibraryFolder(user, "user"))
    for entry in environ.get(ENV, "").split(os.pathsep):
        if entry.strip():
            found.append(LibraryFolder(Path(entry.strip()).expanduser(), "env"))
    found += [LibraryFolder(Path(option).expanduser(), "option") for option in options]
    unique: dict[Path, LibraryFolder] = {}
    for folder in found:
        key = folder.path.resolve() if folder.path.exists() else folder.path
        unique.setdefault(key, folder)
    # The user's folder only when it exists (`create_user=False` may name one that does not).
    return [f for f in unique.values() if f.source != "user" or f.path.is_dir()]
