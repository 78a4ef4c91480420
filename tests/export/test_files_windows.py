"""`write_private` on its Windows path (issue 14, item 10), run here.

Windows has no `dir_fd`, `O_NOFOLLOW` or `O_DIRECTORY`: there `assistant.system.open_folder`
works with plain paths, puts a new file in place with `os.rename` (which never replaces on
Windows) and a replacement with `os.replace`. Here `sys.platform` is "win32" and `os.rename`
refuses a name in use, as on Windows; the behaviour and the messages are those of POSIX.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import assistant.system as system
from assistant.export.files import WriteRefused, write_private
from tests.test_platform_imports import windows_rename


@pytest.fixture
def on_windows(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_posix_folder(path: Path) -> system.Folder:
        raise AssertionError("the POSIX folder was used on Windows")

    windows_rename(monkeypatch)
    monkeypatch.setattr(system, "_PosixFolder", no_posix_folder)
    monkeypatch.setattr("sys.platform", "win32")


@pytest.mark.usefixtures("on_windows")
def test_a_new_file_is_written_whole(tmp_path: Path) -> None:
    path = tmp_path / "plan.txt"
    write_private(path, "line\r\nnæste\n")
    assert path.read_bytes() == "line\r\nnæste\n".encode()  # no newline translation
    write_private(tmp_path / "plan.bin", b"\x00\x1a\r\n")
    assert (tmp_path / "plan.bin").read_bytes() == b"\x00\x1a\r\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan.bin", "plan.txt"]


@pytest.mark.usefixtures("on_windows")
def test_an_existing_file_is_replaced_only_when_asked(tmp_path: Path) -> None:
    path = tmp_path / "plan.txt"
    path.write_text("old\n")
    with pytest.raises(WriteRefused) as caught:
        write_private(path, "new\n")
    assert caught.value.reason == "exists"
    assert caught.value.message == f"{path} exists; use --force to replace it"
    assert path.read_text() == "old\n"
    write_private(path, "new\n", replace=True)
    assert path.read_text() == "new\n"
    assert [p.name for p in tmp_path.iterdir()] == ["plan.txt"]  # no temporary file left


@pytest.mark.usefixtures("on_windows")
def test_a_name_taken_while_writing_is_not_replaced(tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """The check before writing passed, then someone made the file: the rename refuses."""
    import assistant.export.files as files

    path = tmp_path / "plan.txt"
    write_all = files._write_all

    def racing(fd: int, data: bytes) -> None:
        path.write_text("theirs\n")
        write_all(fd, data)

    monkeypatch.setattr(files, "_write_all", racing)
    with pytest.raises(WriteRefused) as caught:
        write_private(path, "ours\n")
    assert caught.value.reason == "exists"
    assert path.read_text() == "theirs\n"
    assert [p.name for p in tmp_path.iterdir()] == ["plan.txt"]


@pytest.mark.usefixtures("on_windows")
def test_a_folder_or_a_missing_folder_is_refused(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    with pytest.raises(WriteRefused) as caught:
        write_private(tmp_path / "sub", "x", replace=True)
    assert caught.value.reason == "folder"
    with pytest.raises(WriteRefused) as caught:
        write_private(tmp_path / "missing" / "plan.txt", "x")
    assert caught.value.reason == "no_folder"
