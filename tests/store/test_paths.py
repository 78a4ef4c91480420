"""The data directory: where it is, and that it is private whatever the umask."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant.paths import data_dir, make_private_dir, private_umask


@pytest.fixture
def umask_022() -> Iterator[None]:
    previous = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(previous)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_data_dir_honours_xdg_data_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    assert data_dir(create=False) == tmp_path / "xdg" / "sdm-assistant"
    assert not (tmp_path / "xdg").exists()


def test_data_dir_is_created_0700_under_umask_022(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, umask_022: None
) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    path = data_dir()
    assert path.is_dir()
    assert mode(path) == 0o700


def test_existing_open_dir_is_tightened(tmp_path: Path, umask_022: None) -> None:
    folder = tmp_path / "open"
    folder.mkdir(mode=0o755)
    folder.chmod(0o755)
    make_private_dir(folder)
    assert mode(folder) == 0o700


def test_private_umask_restores_previous(umask_022: None) -> None:
    with private_umask():
        inside = os.umask(0o077)
        os.umask(inside)
    after = os.umask(0o022)
    assert inside == 0o077
    assert after == 0o022
