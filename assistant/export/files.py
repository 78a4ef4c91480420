"""Reading a stored session for export, writing export files, recording plan revisions.

The I/O around the pure exports, shared by the CLI (`commands`) and the UI.
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
import stat
from pathlib import Path
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from assistant.engine.state import SessionState
    from assistant.guides.loader import Library
    from assistant.guides.models import Language, PlanTemplate
    from assistant.plans.models import PlanDraft
    from assistant.store.models import Revision, RevisionKind
    from assistant.store.store import Store

__all__ = ["WriteRefused", "plan_templates", "read_state", "save_revision", "target_problem",
           "write_private"]


def read_state(store: Store, library: Library, session_id: str,
               language: Language | None = None) -> SessionState:
    """A stored session's state, replayed on its guide in `library`, without locking it.

    Like resuming (`SessionService.resume`) but read-only: if the guide changed, events that
    no longer fit are left out. Raises `StoreError` (no such session, unreadable store) and
    `LookupError` when the guide is no longer in the library.
    """
    from assistant.engine import EngineError, Session
    from assistant.guides.models import PlanTemplate
    from assistant.store import guide_changed, split_events_for_guide

    row = store.get_session(session_id)
    loaded = library.guides.get(row.guide_id)
    if loaded is None:
        raise LookupError(f"the guide '{row.guide_id}' is no longer in the library")
    events = store.load_events(row.id)
    if guide_changed(row, loaded):
        events = split_events_for_guide(events, loaded)[0]
    guide = loaded.document
    assert not isinstance(guide, PlanTemplate)  # library.guides holds no templates
    session = Session(guide, language=language)
    for event in events:
        try:
            session.apply(event)
        except EngineError:
            continue  # e.g. a choice the new version no longer offers
    return session.state


def plan_templates(library: Library) -> dict[str, PlanTemplate]:
    """The library's plan templates by id."""
    out: dict[str, PlanTemplate] = {}
    for template_id in library.templates:
        template = library.template(template_id)
        if template is not None:
            out[template_id] = template
    return out


def save_revision(store: Store, session_id: str, draft: PlanDraft,
                  kind: RevisionKind) -> Revision:
    """Record `draft` as a plan revision (`exported` or `approved`) with its due date and
    who is responsible. Call it after an `ApproveDraft` event with kind `approved`."""
    from assistant.export.jsonfile import export_json

    return store.add_revision(session_id, kind, export_json(draft),
                              next_revision_due=draft.revision.next_revision_due,
                              responsible=draft.revision.responsible)


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


def write_private(path: Path, text: str, *, replace: bool = False,
                  mode: int | None = None) -> None:
    """Write `text` (UTF-8) to the file `path`, created mode 0600 (or `mode`), harming nothing.

    Every file this program writes for the user goes through here (`sdm export -o`,
    `prep-summary -o`, `agenda -o`, `schema -o`, the review's save):

    * the text goes to a new temporary file in the target's folder, created with `O_EXCL` and
      `O_NOFOLLOW` and no access for group and others from the start; it is written, flushed
      and `fsync`ed, and only then put in place;
    * an existing file is replaced only when `replace` is True (`--force`, or the dialog's
      "save again to overwrite"), by renaming over its name: the old file itself is never
      opened, truncated or chmodded, so a file owned by someone else keeps its contents;
      without `replace`, the file is put in place with `link`, which refuses atomically when
      the name exists;
    * a symlink, folder, device, FIFO or socket at `path` is refused (`WriteRefused`) and
      left untouched;
    * a failed write (a full disk) leaves `path` as it was and removes the temporary file.

    Raises `WriteRefused` for a target that is not written on purpose, and `OSError` for a
    failure of the system (no space, no permission to create files in the folder).
    """
    problem = target_problem(path, replace=replace)
    if problem is not None:
        raise problem
    data = text.encode("utf-8")
    folder = path.parent
    dir_fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    try:
        temp, fd = _create_temp(dir_fd, folder, path.name, mode)
        try:
            try:
                _write_all(fd, data)
                os.fsync(fd)
            finally:
                os.close(fd)
            _put_in_place(dir_fd, temp, path, replace=replace)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temp, dir_fd=dir_fd)
            raise
        with contextlib.suppress(OSError):  # the rename survives a power cut (best effort)
            os.fsync(dir_fd)
    finally:
        os.close(dir_fd)


def _create_temp(dir_fd: int, folder: Path, name: str, mode: int | None) -> tuple[str, int]:
    """A new, empty temporary file next to the target: (its name in the folder, an fd)."""
    from assistant.paths import PRIVATE_FILE_MODE, private_umask

    flags = (os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC
             | getattr(os, "O_BINARY", 0))
    for _ in range(_TEMP_TRIES):
        temp = f".{name[:100]}.{secrets.token_hex(6)}.tmp"
        try:
            if mode is None:
                with private_umask():
                    fd = os.open(temp, flags, PRIVATE_FILE_MODE, dir_fd=dir_fd)
            else:
                fd = os.open(temp, flags, mode, dir_fd=dir_fd)
        except FileExistsError:
            continue
        except PermissionError as exc:
            raise WriteRefused(folder / name, "folder_not_writable",
                               f"cannot create a file in the folder {folder}: "
                               f"{exc.strerror or exc}") from None
        return temp, fd
    raise FileExistsError(errno.EEXIST, "no free name for a temporary file", str(folder))


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        view = view[written:]


def _put_in_place(dir_fd: int, temp: str, path: Path, *, replace: bool) -> None:
    """Give the finished temporary file the target's name (see `write_private`)."""
    name = path.name
    if replace:
        # Looked at again just before: only a regular file (or nothing) is replaced.
        problem = target_problem(path, replace=True)
        if problem is not None:
            raise problem
        os.replace(temp, name, src_dir_fd=dir_fd, dst_dir_fd=dir_fd)
        return
    try:
        os.link(temp, name, src_dir_fd=dir_fd, dst_dir_fd=dir_fd)
    except FileExistsError:
        raise target_problem(path) or WriteRefused(
            path, "exists", f"{path} exists; use --force to replace it") from None
    except OSError as exc:
        if exc.errno not in _NO_HARD_LINKS:
            raise
        # A file system without hard links (FAT, some network shares): check, then rename.
        problem = target_problem(path)
        if problem is not None:
            raise problem from None
        os.rename(temp, name, src_dir_fd=dir_fd, dst_dir_fd=dir_fd)
        return
    os.unlink(temp, dir_fd=dir_fd)


#: `link` errors that mean "this file system has no hard links", not "the name is taken".
_NO_HARD_LINKS = {errno.EPERM, errno.EOPNOTSUPP, errno.ENOTSUP, errno.EMLINK, errno.EXDEV,
                  errno.ENOSYS}
