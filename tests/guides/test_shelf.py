"""The shelf: the library's cards between starts, kept only while the files are unchanged."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from assistant.guides.cards import GuideCard
from assistant.guides.loader import bundled_dir, load_library
from assistant.guides.shelf import read_shelf, stamps_of, write_shelf
from assistant.guides.status import LibraryStatus


def _copy_of_the_library(tmp_path: Path) -> Path:
    folder = tmp_path / "library"
    shutil.copytree(bundled_dir(), folder)
    return folder


def test_the_shelf_gives_back_the_checked_librarys_cards(tmp_path: Path) -> None:
    folder = _copy_of_the_library(tmp_path)
    shelf = tmp_path / "cache" / "cards.json"
    assert read_shelf(folder, shelf).stale  # nothing kept yet
    stamps = stamps_of(folder)
    library = load_library([folder], include_bundled=False)
    assert library.ok
    assert write_shelf(library, stamps, shelf)
    assert shelf.stat().st_mode & 0o777 == 0o600
    kept = read_shelf(folder, shelf)
    assert not kept.stale
    assert set(kept.cards) == set(LibraryStatus.from_library(library).cards)
    assert all(isinstance(card, GuideCard) for card in kept.cards)
    assert {card.kind for card in kept.cards} == {"decision_aid", "meeting_guide"}


def test_a_changed_or_new_file_is_read_again(tmp_path: Path) -> None:
    folder = _copy_of_the_library(tmp_path)
    shelf = tmp_path / "cards.json"
    stamps = stamps_of(folder)
    write_shelf(load_library([folder], include_bundled=False), stamps, shelf)
    changed = folder / "blitzmoede.yaml"
    info = changed.stat()
    os.utime(changed, ns=(info.st_atime_ns, info.st_mtime_ns + 1_000_000))
    kept = read_shelf(folder, shelf)
    assert kept.stale and "blitzmoede" not in {card.id for card in kept.cards}
    assert len(kept.cards) == len(stamps) - 4 - 1  # the templates have none; one changed

    write_shelf(load_library([folder], include_bundled=False), stamps_of(folder), shelf)
    assert not read_shelf(folder, shelf).stale
    shutil.copy(folder / "blitzmoede.yaml", folder / "ny.yaml")
    assert read_shelf(folder, shelf).stale


def test_a_file_with_a_problem_is_not_kept(tmp_path: Path) -> None:
    folder = _copy_of_the_library(tmp_path)
    text = (folder / "blitzmoede.yaml").read_text("utf-8")
    (folder / "blitzmoede.yaml").write_text(text.replace("plan: ua", "plan: findes_ikke", 1),
                                            encoding="utf-8")
    shelf = tmp_path / "cards.json"
    stamps = stamps_of(folder)
    library = load_library([folder], include_bundled=False)
    assert library.errors
    write_shelf(library, stamps, shelf)
    kept = read_shelf(folder, shelf)
    assert kept.stale and "blitzmoede" not in {card.id for card in kept.cards}


def test_a_broken_shelf_is_an_empty_one(tmp_path: Path) -> None:
    shelf = tmp_path / "cards.json"
    for content in (b"{not json", b"[]", b'{"version": 1, "files": 3}', b"\xff",
                    b'{"version": 999, "files": {}}'):
        shelf.write_bytes(content)
        kept = read_shelf(bundled_dir(), shelf)
        assert kept.cards == () and kept.stale, content
