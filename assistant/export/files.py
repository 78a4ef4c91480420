"""Writing an export file: private, never through a symlink, never half-written.

The I/O around the pure exports, shared by the CLI and the UI. Reading stored sessions and
recording plan revisions is the session service's job (`assistant.service.exports`): nothing
in `assistant.export` touches the store.
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
import stat
from pathlib import Path
from typing import Literal

import assistant.system as system

__all__ = ["WriteRefused", "target_problem", "write_private"]


WriteProblem = Literal["exists", "folder", "symlink", "not_regular", "no_folder",
                       "folder_not_writable", "no_access"]

#: How many random names to try for the temporary file before giving up.
_TEMP_TRIES = 20


class WriteRefused(Exception):
    """`write_private` would not write the file: `message` says why, in one line.

    `reason` tells the cases apart for callers with words of their own: `exists` (replacing
    was not asked for), `folder`, `symlink`, `not_regular` (a device, FIFO or socket),
    `no_folder` (the folder is missing), `folder_not_writable` and `no_access` (the name
    cannot even be looked up).
    """

    def __init__(self, path: Path, reason: WriteProblem, message: str) -> None:
        super().__init__(message)
        self.path = path
        self.reason = reason
        self.message = message

    def text(self, lang: str) -> str:
        """`message` (English) in `lang` ("da" or "en"), from the catalogue
        (`catalogue.cli.RAISED`): for the command line, whose `--force` it names."""
        from assistant.catalogue.cli import translate

        return translate(self.message, lang)


def target_problem(path: Path, *, replace: bool = False) -> WriteRefused | None:
    """Why `write_private(path, ..., replace=replace)` would refuse `path` as it is now, or
    None. Looks at the name itself (`lstat`): a symlink is never followed."""
    try:
        info = os.lstat(path)
    except (FileNotFoundError, NotADirectoryError):
        parent = path.parent
        if not parent.is_dir():
            return WriteRefused(path, "no_folder", f"{path}: the folder {parent} does not exist")
        return None
    except OSError as exc:
        return WriteRefused(path, "no_access", f"{path}: {exc.strerror or exc}")
    mode = info.st_mode
    if stat.S_ISLNK(mode):
        return WriteRefused(path, "symlink", f"{path} is a symbolic link: it is not written "
                            "through; give the real file's name, or a new one")
    if stat.S_ISDIR(mode):
        return WriteRefused(path, "folder", f"{path} is a folder: give a file name")
    if not stat.S_ISREG(mode):
        return WriteRefused(path, "not_regular", f"{path} is not a regular file (a device, "
                            "FIFO or socket): it was left untouched; give a file name")
    if not replace:
        return WriteRefused(path, "exists", f"{path} exists; use --force to replace it")
    return None


def write_private(path: Path, content: bytes | str, *, replace: bool = False,
                  mode: int | None = None) -> None:
    """Write `content` (bytes as they are, text as UTF-8) to the file `path`, created mode
    0600 (or `mode`), harming nothing.

    Every file this program writes for the user goes through here (`sdm export -o`,
    `prep-summary -o`, `agenda -o`, `schema -o`, the review's save):

    * the content goes to a new temporary file in the target's folder (`system.open_folder`:
      on POSIX, every name is looked up relative to the folder opened once), created
      exclusively — never an existing name, never through a symbolic link — with no access
      for group and others from the start; it is written, flushed and `fsync`ed, and only
      then put in place;
    * an existing file is replaced only when `replace` is True (`--force`, or the dialog's
      "save again to overwrite"), by renaming over its name: the old file itself is never
      opened, truncated or chmodded, so a file owned by someone else keeps its contents;
      without `replace`, the file is put in place with `link` (POSIX; Windows: `rename`),
      which refuses atomically when the name exists;
    * a symlink, folder, device, FIFO or socket at `path` is refused (`WriteRefused`) and
      left untouched;
    * a failed write (a full disk) leaves `path` as it was and removes the temporary file.

    Raises `WriteRefused` for a target that is not written on purpose, and `OSError` for a
    failure of the system (no space, no permission to create files in the folder).
    """
    problem = target_problem(path, replace=replace)
    if problem is not None:
        raise problem
    data = content.encode("utf-8") if isinstance(content, str) else content
    folder = path.parent
    with system.open_folder(folder) as place:
        temp, fd = _create_temp(place, path.name, mode)
        try:
            try:
                _write_all(fd, data)
                os.fsync(fd)
            finally:
                os.close(fd)
            _put_in_place(place, temp, path, replace=replace)
        except BaseException:
            with contextlib.suppress(OSError):
                place.remove(temp)
            raise
        with contextlib.suppress(OSError):  # the rename survives a power cut (best effort)
            place.sync()


def _create_temp(place: system.Folder, name: str, mode: int | None) -> tuple[str, int]:
    """A new, empty temporary file next to the target: (its name in the folder, an fd)."""
    from assistant.paths import PRIVATE_FILE_MODE, private_umask

    for _ in range(_TEMP_TRIES):
        temp = f".{name[:100]}.{secrets.token_hex(6)}.tmp"
        try:
            if mode is None:
                with private_umask():
                    fd = place.create(temp, PRIVATE_FILE_MODE)
            else:
                fd = place.create(temp, mode)
        except FileExistsError:
            continue
        except PermissionError as exc:
            raise WriteRefused(place.path / name, "folder_not_writable",
                               f"cannot create a file in the folder {place.path}: "
                               f"{exc.strerror or exc}") from None
        return temp, fd
    raise FileExistsError(errno.EEXIST, "no free name for a temporary file", str(place.path))


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        view = view[written:]


def _put_in_place(place: system.Folder, temp: str, path: Path, *, replace: bool) -> None:
    """Give the finished temporary file the target's name (see `write_private`)."""
    name = path.name
    if replace:
        # Looked at again just before: only a regular file (or nothing) is replaced.
        problem = target_problem(path, replace=True)
        if problem is not None:
            raise problem
        place.replace(temp, name)
        return
    try:
        if place.rename_new(temp, name):
            return
    except FileExistsError:
        raise target_problem(path) or WriteRefused(
            path, "exists", f"{path} exists; use --force to replace it") from None
    # A file system without hard links (FAT, some network shares): check, then rename.
    problem = target_problem(path)
    if problem is not None:
        raise problem
    place.rename(temp, name)
