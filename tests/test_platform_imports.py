"""Platform specifics live in `assistant.system` only (issue 14, item 10).

Clinicians' PCs run Windows, so every module of the package must at least import there. CI
runs Linux, so Windows is imitated: in a fresh interpreter `sys.platform` is "win32", the
POSIX-only modules cannot be imported, and the POSIX-only names of `os` and `signal` are gone,
before the package is imported. Then, statically: no module but `assistant.system` names
`fcntl`, `termios`, `resource` or `prctl`, the POSIX-only flags of `os.open` (`O_NOFOLLOW`,
`O_DIRECTORY`, ...), or passes `dir_fd` to a call. And the POSIX path of `assistant.system`
works: locks exclude across processes, modes are set, reads and writes land at their offsets,
folders name files relative to themselves; the Windows lock's own logic is run against an
imitated `msvcrt`, and the Windows folder's against an imitated Windows `os.rename`.
"""

from __future__ import annotations

import ast
import errno
import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

import assistant.system as system
from tests.conftest import ROOT

PACKAGE = ROOT / "assistant"
POSIX_ONLY_NAMES = {"fcntl", "termios", "resource", "prctl"}
#: Flags of `os.open` that Windows does not have (`os.O_NOFOLLOW` raises AttributeError there).
POSIX_ONLY_FLAGS = {"O_NOFOLLOW", "O_DIRECTORY", "O_CLOEXEC", "O_NONBLOCK", "O_NOCTTY"}
#: Keyword arguments of `os` calls that Windows does not support (NotImplementedError there).
DIR_FD_KEYWORDS = {"dir_fd", "src_dir_fd", "dst_dir_fd"}

# Run in a fresh interpreter with the module names as argv[1] (JSON): imitate Windows as far as
# an import can tell, then import every module and print the failures as JSON.
IMITATE_WINDOWS = """
import importlib, json, os, signal, sys, traceback

failed = {}
def record(name):
    failed[name] = traceback.format_exc(limit=-3)

# First import everything normally, so that the standard library and the dependencies are
# loaded as they are on this system (under a pretended "win32" they would take their Windows
# branches, such as asyncio's, which cannot run here); then forget the package's own modules.
names = json.loads(sys.argv[1])
for name in names:
    try:
        importlib.import_module(name)
    except Exception:
        pass  # reported below, where it is imported again
for name in [m for m in sys.modules if m == "assistant" or m.startswith("assistant.")]:
    del sys.modules[name]

# Windows, as far as an import can tell.
for name in ("fcntl", "termios", "resource", "pwd", "grp", "tty", "pty"):
    sys.modules[name] = None  # `import name` now raises ImportError
for name in ("getuid", "geteuid", "getgid", "pread", "pwrite", "fchmod", "fchown", "O_NOFOLLOW",
             "O_DIRECTORY", "O_CLOEXEC", "O_NONBLOCK", "O_NOCTTY"):
    if hasattr(os, name):
        delattr(os, name)
for name in ("SIGHUP", "SIGKILL", "SIGQUIT", "SIGUSR1", "SIGUSR2", "SIGALRM", "SIGCHLD",
             "SIGPIPE", "SIGTSTP", "SIGCONT", "SIGWINCH"):
    if hasattr(signal, name):
        delattr(signal, name)
sys.platform = "win32"
try:  # the imitation itself works
    import fcntl
except ImportError:
    pass
else:
    failed["(imitation)"] = "fcntl can still be imported"

imported = 0
for name in names:
    try:
        importlib.import_module(name)
    except Exception:
        record(name)
    else:
        imported += 1
print(json.dumps({"imported": imported, "failed": failed}))
"""


def package_modules() -> list[str]:
    """Every module of the package by name, found by file (pkgutil.walk_packages would miss
    the modules of a folder without `__init__.py`). `__main__` is left out: importing it runs
    the program, and what it imports is imported anyway."""
    names = []
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(ROOT).with_suffix("").parts
        if parts[-1] == "__main__":
            continue
        names.append(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
    return names


def test_every_module_imports_on_windows() -> None:
    names = package_modules()
    assert {"assistant", "assistant.system", "assistant.store.lock", "assistant.tui.run"} \
        <= set(names)
    done = subprocess.run([sys.executable, "-c", IMITATE_WINDOWS, json.dumps(names)], cwd=ROOT,
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["failed"] == {}, "\n".join(f"{k}:\n{v}" for k, v in result["failed"].items())
    assert result["imported"] == len(names)


def _posix_names(tree: ast.AST) -> set[str]:
    """The POSIX-only names a module uses: imported, referred to, or read as an attribute."""
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            found |= {(node.module or "").split(".")[0], *(a.name for a in node.names)}
        elif isinstance(node, ast.Name):
            found.add(node.id)
        elif isinstance(node, ast.Attribute):
            found.add(node.attr)
    return found & POSIX_ONLY_NAMES


def test_only_the_system_module_names_posix_only_modules() -> None:
    offenders = {
        str(path.relative_to(ROOT)): sorted(names)
        for path in sorted(PACKAGE.rglob("*.py"))
        if path != PACKAGE / "system.py"
        and (names := _posix_names(ast.parse(path.read_text(encoding="utf-8"))))
    }
    assert offenders == {}
    assert _posix_names(ast.parse((PACKAGE / "system.py").read_text(encoding="utf-8"))) \
        == POSIX_ONLY_NAMES  # the scan itself finds what it looks for


def _posix_file_calls(tree: ast.AST) -> set[str]:
    """The POSIX-only flags a module names (as `os.O_...`, imported, or read with `getattr` or
    `hasattr`), and the `dir_fd` keywords it passes (as "dir_fd=")."""
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute):
            found.add(node.attr)
        elif isinstance(node, ast.Name):
            found.add(node.id)
        elif isinstance(node, ast.ImportFrom):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.Call):
            found |= {f"{kw.arg}=" for kw in node.keywords if kw.arg in DIR_FD_KEYWORDS}
            if (isinstance(node.func, ast.Name) and node.func.id in ("getattr", "hasattr")
                    and len(node.args) >= 2 and isinstance(node.args[1], ast.Constant)
                    and isinstance(node.args[1].value, str)):
                found.add(node.args[1].value)
    return found & (POSIX_ONLY_FLAGS | {f"{name}=" for name in DIR_FD_KEYWORDS})


def test_only_the_system_module_uses_posix_only_flags_and_dir_fd() -> None:
    offenders = {
        str(path.relative_to(ROOT)): sorted(names)
        for path in sorted(PACKAGE.rglob("*.py"))
        if path != PACKAGE / "system.py"
        and (names := _posix_file_calls(ast.parse(path.read_text(encoding="utf-8"))))
    }
    assert offenders == {}
    assert _posix_file_calls(ast.parse((PACKAGE / "system.py").read_text(encoding="utf-8"))) \
        == POSIX_ONLY_FLAGS | {f"{name}=" for name in DIR_FD_KEYWORDS}  # the scan finds them


def test_the_scan_finds_each_way_of_naming_them() -> None:
    source = '''
import os
from os import O_DIRECTORY
os.open("x", os.O_RDONLY | os.O_NOFOLLOW)
getattr(os, "O_NONBLOCK", 0)
os.unlink("x", dir_fd=3)
os.replace("a", "b", src_dir_fd=3, dst_dir_fd=3)
'''
    assert _posix_file_calls(ast.parse(source)) == {
        "O_DIRECTORY", "O_NOFOLLOW", "O_NONBLOCK", "dir_fd=", "src_dir_fd=", "dst_dir_fd="}


# --- the POSIX path of assistant.system ------------------------------------------------------

posix_only = pytest.mark.skipif(sys.platform == "win32", reason="the POSIX path")

HOLD = """
import os, sys, time
import assistant.system as system
fd = os.open(sys.argv[1], os.O_RDWR)
system.lock_file(fd, wait=False)
print("locked", flush=True)
time.sleep(60)
"""


@posix_only
def test_a_lock_excludes_other_processes_until_they_end(tmp_path: Path) -> None:
    path = tmp_path / "x.lock"
    path.write_bytes(b"")
    holder = subprocess.Popen([sys.executable, "-c", HOLD, str(path)], cwd=ROOT,
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        fd = system.open_file(path, os.O_RDWR)
        try:
            with pytest.raises(BlockingIOError):
                system.lock_file(fd, wait=False)
            holder.kill()  # the lock goes with the process, however it ends
            holder.wait()
            system.lock_file(fd, wait=False)
            system.unlock_file(fd)
        finally:
            os.close(fd)
    finally:
        holder.kill()
        holder.wait()


@posix_only
def test_a_lock_is_per_open_file_and_released_on_close(tmp_path: Path) -> None:
    path = tmp_path / "x.lock"
    first = system.open_file(path, os.O_RDWR | os.O_CREAT, 0o600)
    second = system.open_file(path, os.O_RDWR)
    try:
        system.lock_file(first, wait=False)
        with pytest.raises(BlockingIOError):
            system.lock_file(second, wait=False)
        system.unlock_file(first)
        system.lock_file(second, wait=False)
        os.close(second)  # closing releases
        second = -1
        system.lock_file(first, wait=True)
    finally:
        os.close(first)
        if second != -1:
            os.close(second)


@posix_only
def test_discarding_a_lock_file_removes_only_our_own(tmp_path: Path) -> None:
    path = tmp_path / "x.lock"
    fd = system.open_file(path, os.O_RDWR | os.O_CREAT, 0o600)
    system.lock_file(fd, wait=False)
    system.discard_lock_file(fd, path, lambda: True)
    assert not path.exists()
    fd = system.open_file(path, os.O_RDWR | os.O_CREAT, 0o600)
    system.discard_lock_file(fd, path, lambda: False)  # replaced meanwhile: left alone
    assert path.exists()
    with pytest.raises(OSError):
        os.fstat(fd)  # closed either way


@posix_only
def test_open_file_never_follows_a_link(tmp_path: Path) -> None:
    target = tmp_path / "target"
    target.write_text("someone else's\n")
    link = tmp_path / "link"
    link.symlink_to(target)
    with pytest.raises(OSError) as caught:
        system.open_file(link, os.O_RDWR)
    assert caught.value.errno == errno.ELOOP
    assert target.read_text() == "someone else's\n"


@posix_only
def test_modes_and_offsets(tmp_path: Path) -> None:
    path = tmp_path / "data"
    fd = system.open_file(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        assert system.pwrite(fd, b"abcdef", 0) == 6
        assert system.pwrite(fd, b"XY", 2) == 2
        assert system.pread(fd, 3, 1) == b"bXY"
        system.set_mode(fd, 0o600)
        assert stat.S_IMODE(os.fstat(fd).st_mode) == 0o600
        assert system.owned_by_user(os.fstat(fd))
    finally:
        os.close(fd)
    path.chmod(0o664)
    system.restrict_file(path, 0o600)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    folder = tmp_path / "folder"
    folder.mkdir(mode=0o755)
    folder.chmod(0o755)
    system.restrict_folder(folder, 0o700)
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    system.sync_folder(folder)


@posix_only
def test_a_posix_folder_names_files_relative_to_itself(tmp_path: Path) -> None:
    """Created exclusively and never through a link, 0600 from creation, renamed without
    replacing (hard link, then unlink), in the folder that was opened even after its path
    moved."""
    folder = tmp_path / "out"
    folder.mkdir()
    outside = tmp_path / "someone else's"
    outside.write_text("theirs\n")
    (folder / "link").symlink_to(outside)
    with system.open_folder(folder) as place:
        assert isinstance(place, system._PosixFolder)
        with pytest.raises(FileExistsError):
            place.create("link", 0o600)  # a symbolic link is never created through
        assert outside.read_text() == "theirs\n"
        previous = os.umask(0o022)
        try:
            fd = place.create("a", 0o600)
        finally:
            os.umask(previous)
        try:
            assert stat.S_IMODE(os.fstat(fd).st_mode) == 0o600
            os.write(fd, b"A")
        finally:
            os.close(fd)
        with pytest.raises(FileExistsError):
            place.create("a", 0o600)
        folder.rename(tmp_path / "moved")  # every name below is still in the opened folder
        moved = tmp_path / "moved"
        assert place.rename_new("a", "b") is True
        assert (moved / "b").read_bytes() == b"A" and not (moved / "a").exists()
        os.close(place.create("c", 0o600))
        with pytest.raises(FileExistsError):
            place.rename_new("c", "b")
        assert (moved / "b").read_bytes() == b"A" and (moved / "c").exists()
        place.replace("c", "b")
        assert (moved / "b").read_bytes() == b"" and not (moved / "c").exists()
        place.rename("b", "d")
        place.remove("d")
        assert sorted(p.name for p in moved.iterdir()) == ["link"]
        place.sync()
    place.close()  # closing twice is harmless


@posix_only
def test_a_posix_folder_without_hard_links_does_nothing_and_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_links(*args: object, **kwargs: object) -> None:
        raise PermissionError(errno.EPERM, "Operation not permitted")

    with system.open_folder(tmp_path) as place:
        os.close(place.create("a", 0o600))
        monkeypatch.setattr(os, "link", no_links)
        assert place.rename_new("a", "b") is False
        assert sorted(p.name for p in tmp_path.iterdir()) == ["a"]


@posix_only
def test_open_for_reading_follows_a_link_and_never_waits_on_a_fifo(tmp_path: Path) -> None:
    target = tmp_path / "guide.yaml"
    target.write_bytes(b"id: x\r\n")
    link = tmp_path / "link.yaml"
    link.symlink_to(target)
    fd = system.open_for_reading(link)
    try:
        assert os.read(fd, 100) == b"id: x\r\n"
    finally:
        os.close(fd)
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    fd = system.open_for_reading(fifo)  # returns at once, with no writer
    try:
        assert stat.S_ISFIFO(os.fstat(fd).st_mode)
    finally:
        os.close(fd)


@posix_only
def test_terminal_modes_of_no_terminal(tmp_path: Path) -> None:
    fd = os.open(tmp_path / "plain", os.O_RDWR | os.O_CREAT, 0o600)
    try:
        assert system.terminal_modes(fd) is None  # not a terminal: nothing to restore
        system.restore_terminal_modes(fd, [])  # never raises
    finally:
        os.close(fd)


def test_windows_paths_are_no_ops_where_windows_has_nothing_to_do(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The documented Windows no-ops, with `sys.platform` read at call time as the module
    does."""
    path = tmp_path / "data"
    path.write_text("x")
    path.chmod(0o644)
    monkeypatch.setattr(sys, "platform", "win32")
    system.restrict_file(path, 0o600)
    system.restrict_folder(tmp_path, 0o700)
    system.sync_folder(tmp_path)
    assert system.owned_by_user(path.stat())
    assert system.terminal_modes(0) is None
    monkeypatch.undo()
    assert stat.S_IMODE(path.stat().st_mode) == 0o644  # nothing was changed


class FakeMsvcrt:
    """`msvcrt.locking` as Windows behaves for one process: one holder per byte range."""

    LK_UNLCK, LK_LOCK, LK_NBLCK = 0, 1, 2

    def __init__(self) -> None:
        self.held: dict[int, int] = {}  # byte position -> descriptor holding it
        self.calls: list[tuple[int, int, int]] = []

    def locking(self, fd: int, mode: int, nbytes: int) -> None:
        where = os.lseek(fd, 0, os.SEEK_CUR)
        self.calls.append((mode, where, nbytes))
        if mode == self.LK_UNLCK:
            del self.held[where]
        elif self.held.setdefault(where, fd) != fd:
            raise PermissionError(errno.EACCES, "Permission denied")


def test_the_windows_lock_path_with_an_imitated_msvcrt(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The Windows branch's own logic (the real `msvcrt` runs only on Windows): one byte far
    past the data is locked, a busy lock is `BlockingIOError` at once, the holder's words at
    the start stay readable, and a lock file is unlocked and closed before it is removed."""
    fake = FakeMsvcrt()
    monkeypatch.setitem(sys.modules, "msvcrt", fake)
    monkeypatch.setattr(sys, "platform", "win32")
    path = tmp_path / "x.lock"
    first = system.open_file(path, os.O_RDWR | os.O_CREAT, 0o600)
    second = system.open_file(path, os.O_RDWR)
    system.lock_file(first, wait=False)
    system.pwrite(first, b'{"pid": 1}', 0)
    with pytest.raises(BlockingIOError):
        system.lock_file(second, wait=False)
    assert system.pread(second, 100, 0) == b'{"pid": 1}'
    assert [mode for mode, _, _ in fake.calls] == [fake.LK_NBLCK, fake.LK_NBLCK]
    assert {where for _, where, _ in fake.calls} == {system._WINDOWS_LOCK_OFFSET}
    assert all(nbytes == 1 for _, _, nbytes in fake.calls)
    assert path.stat().st_size == len(b'{"pid": 1}')  # locking past the end adds nothing
    os.close(second)
    system.discard_lock_file(first, path, lambda: True)
    assert fake.held == {} and not path.exists()
    with pytest.raises(OSError):
        os.fstat(first)  # closed


def windows_rename(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make `os.rename` behave as on Windows: it never replaces (`FileExistsError`)."""
    rename = os.rename

    def refusing(src: str | os.PathLike[str], dst: str | os.PathLike[str]) -> None:
        if os.path.lexists(dst):
            raise FileExistsError(errno.EEXIST, "Cannot create a file when that file already "
                                  "exists", str(src), None, str(dst))
        rename(src, dst)

    monkeypatch.setattr(os, "rename", refusing)


def test_the_windows_folder_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The Windows branch of `open_folder`, run here with Windows' `os.rename`: plain paths
    inside the folder, exclusive creation, `rename` that refuses a name in use, no sync."""
    windows_rename(monkeypatch)
    monkeypatch.setattr(sys, "platform", "win32")
    with system.open_folder(tmp_path) as place:
        assert isinstance(place, system._WindowsFolder)
        fd = place.create("a", 0o600)
        try:
            os.write(fd, b"A\r\n")
        finally:
            os.close(fd)
        with pytest.raises(FileExistsError):
            place.create("a", 0o600)
        assert place.rename_new("a", "b") is True
        assert (tmp_path / "b").read_bytes() == b"A\r\n" and not (tmp_path / "a").exists()
        os.close(place.create("c", 0o600))
        with pytest.raises(FileExistsError):
            place.rename_new("c", "b")
        assert (tmp_path / "b").read_bytes() == b"A\r\n" and (tmp_path / "c").exists()
        place.replace("c", "b")
        assert (tmp_path / "b").read_bytes() == b"" and not (tmp_path / "c").exists()
        place.rename("b", "d")
        place.remove("d")
        with pytest.raises(FileNotFoundError):
            place.remove("d")
        place.sync()  # a no-op
    assert list(tmp_path.iterdir()) == []
    with pytest.raises(FileNotFoundError):
        system.open_folder(tmp_path / "missing")
    (tmp_path / "file").write_text("x")
    with pytest.raises(NotADirectoryError):
        system.open_folder(tmp_path / "file")
