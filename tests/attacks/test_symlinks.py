"""Issue 13, item 6: symbolic links are refused, and what they point to is left alone.

A symbolic link as the data folder, as the store (`--store LINK`), beside the store (its
-wal, -shm, commit mark or lock folder) or as the crash folder must be refused with a
message that names the link and says what to do; the file or folder it points to keeps its
mode and contents, and nothing is created in it.
"""

from __future__ import annotations

import hashlib
import os
import stat
from pathlib import Path

import pytest

from assistant import paths
from assistant.crash import crash_text, write_report
from assistant.guides.loader import Loaded, load_file
from assistant.paths import data_dir, make_private_dir, make_private_file
from assistant.store import DB_NAME, SessionLock, Store, StoreUnavailable
from tests.attacks.test_wal import sdm
from tests.conftest import EXAMPLES


@pytest.fixture
def guide() -> Loaded:
    loaded, problems = load_file(EXAMPLES / "eksempel-beslutning.yaml")
    assert loaded is not None, problems
    return loaded


def mode(path: Path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def state(folder: Path) -> dict[str, tuple[int, str]]:
    """Mode and content hash of everything in `folder` (and of the folder itself)."""
    found = {".": (mode(folder), "")}
    for path in sorted(folder.rglob("*")):
        digest = hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else ""
        found[str(path.relative_to(folder))] = (mode(path), digest)
    return found


@pytest.fixture
def elsewhere(tmp_path: Path) -> Path:
    """Someone else's folder (mode 755, one file 644) a link could point to."""
    folder = tmp_path / "elsewhere"
    folder.mkdir()
    folder.chmod(0o755)
    (folder / "notes.txt").write_text("not a session store\n")
    (folder / "notes.txt").chmod(0o644)
    return folder


def test_data_folder_link_is_refused(elsewhere: Path) -> None:
    link = data_dir(create=False)
    link.parent.mkdir(parents=True, exist_ok=True)
    link.symlink_to(elsewhere, target_is_directory=True)
    before = state(elsewhere)
    with pytest.raises(StoreUnavailable) as caught:
        Store.open()
    message = caught.value.message
    assert f"the data folder {link} is a symbolic link" in message
    assert "put the real folder there" in message
    done = sdm("sessions", "list")  # the same, from the command line
    assert done.returncode == 1
    assert f"the data folder {link} is a symbolic link" in done.stderr
    assert "Traceback" not in done.stderr
    with pytest.raises(StoreUnavailable):  # a store named inside it is refused too
        Store.open(link / DB_NAME)
    assert state(elsewhere) == before  # still 755, nothing created in it


def test_store_link_is_refused(tmp_path: Path, guide: Loaded) -> None:
    real = tmp_path / "real" / "sessions.sqlite3"
    with Store.open(real) as store:
        store.create_session(guide, "AB")
    real.chmod(0o644)
    real.parent.chmod(0o755)
    before = state(real.parent)
    link = tmp_path / "link.sqlite3"
    link.symlink_to(real)
    with pytest.raises(StoreUnavailable) as caught:
        Store.open(link)
    assert f"the session store {link} is a symbolic link" in caught.value.message
    assert "point --store at the real file" in caught.value.message
    done = sdm("sessions", "list", "--store", str(link))
    assert done.returncode == 1
    assert f"the session store {link} is a symbolic link" in done.stderr
    assert state(real.parent) == before  # still 644, no -wal or -shm beside it
    assert sorted(p.name for p in tmp_path.iterdir()) == ["link.sqlite3", "real"]


def test_store_link_to_another_file_is_refused(tmp_path: Path, elsewhere: Path) -> None:
    before = state(elsewhere)
    for target in (elsewhere / "notes.txt", elsewhere / "not-there.sqlite3"):
        link = tmp_path / f"to-{target.name}"
        link.symlink_to(target)
        with pytest.raises(StoreUnavailable) as caught:
            Store.open(link)
        assert str(link) in caught.value.message and "symbolic link" in caught.value.message
    assert state(elsewhere) == before  # 644 kept, the dangling link's target not created


@pytest.mark.parametrize("suffix", ["-wal", "-shm", "-commits", ".locks"])
def test_links_beside_the_store_are_refused(
    tmp_path: Path, guide: Loaded, elsewhere: Path, suffix: str
) -> None:
    db = tmp_path / "store" / "sessions.sqlite3"
    with Store.open(db) as store:
        store.create_session(guide, "AB")
    beside = db.with_name(db.name + suffix)
    target = elsewhere if suffix == ".locks" else elsewhere / "notes.txt"
    if beside.is_dir():
        beside.rmdir()
    elif beside.exists():
        beside.unlink()
    beside.symlink_to(target)
    before = state(elsewhere)
    with pytest.raises(StoreUnavailable) as caught:
        Store.open(db)
    assert f"{beside} is a symbolic link" in caught.value.message
    assert state(elsewhere) == before


def test_lock_folder_link_is_refused_when_locking(tmp_path: Path, elsewhere: Path) -> None:
    link = tmp_path / "s.sqlite3.locks"
    link.symlink_to(elsewhere, target_is_directory=True)
    before = state(elsewhere)
    with pytest.raises(StoreUnavailable) as caught:
        SessionLock(link, "a" * 32).acquire()
    assert f"the lock folder {link} is a symbolic link" in caught.value.message
    assert state(elsewhere) == before


def test_crash_folder_link_is_refused(elsewhere: Path) -> None:
    link = data_dir() / "crash"
    link.symlink_to(elsewhere, target_is_directory=True)
    before = state(elsewhere)
    try:
        raise RuntimeError("CANARY")
    except RuntimeError as exc:
        report = write_report(exc)
    assert report is None
    text = crash_text("en", report)
    assert f"the crash folder {link} is a symbolic link" in text and "CANARY" not in text
    assert state(elsewhere) == before  # still 755 and empty of reports


def test_crash_report_in_a_linked_data_folder_is_refused(elsewhere: Path) -> None:
    link = data_dir(create=False)
    link.parent.mkdir(parents=True, exist_ok=True)
    link.symlink_to(elsewhere, target_is_directory=True)
    before = state(elsewhere)
    assert write_report(RuntimeError()) is None
    assert "is a symbolic link" in crash_text("en", None)
    assert state(elsewhere) == before


def test_helpers_never_change_what_a_link_points_to(tmp_path: Path, elsewhere: Path) -> None:
    before = state(elsewhere)
    file_link = tmp_path / "file-link"
    file_link.symlink_to(elsewhere / "notes.txt")
    make_private_file(file_link)
    dir_link = tmp_path / "dir-link"
    dir_link.symlink_to(elsewhere, target_is_directory=True)
    with pytest.raises(paths.SymlinkRefused) as caught:
        make_private_dir(dir_link)
    assert str(dir_link) in str(caught.value)
    assert state(elsewhere) == before
