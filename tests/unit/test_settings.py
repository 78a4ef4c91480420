"""The settings file: remembered between starts, private, and never in the way."""

from __future__ import annotations

from pathlib import Path

from assistant.settings import MAX_BYTES, Settings, load, save, settings_path


def test_defaults_without_a_file(tmp_path: Path) -> None:
    assert load(tmp_path / "none.json") == Settings()
    assert Settings().calm is False and Settings().theme == "default"


def test_saved_settings_come_back_private(tmp_path: Path) -> None:
    path = tmp_path / "config" / "settings.json"
    assert save(Settings(calm=True, theme="high-contrast", export_folder="/x"), path)
    assert load(path) == Settings(calm=True, theme="high-contrast", export_folder="/x")
    assert path.stat().st_mode & 0o777 == 0o600
    assert path.parent.stat().st_mode & 0o777 == 0o700


def test_a_broken_file_gives_the_defaults(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    for content in (b"{not json", b'{"calm": "maybe"}', b"\xff\xfe", b"[]",
                    b" " * (MAX_BYTES + 1)):
        path.write_bytes(content)
        assert load(path) == Settings(), content[:20]


def test_unknown_keys_from_a_newer_version_are_ignored(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    path.write_text('{"calm": true, "font_size": 3}', encoding="utf-8")
    assert load(path) == Settings(calm=True)


def test_a_folder_that_cannot_be_written_is_not_an_error(tmp_path: Path) -> None:
    blocked = tmp_path / "file"
    blocked.write_text("x", encoding="utf-8")
    assert save(Settings(calm=True), blocked / "settings.json") is False


def test_the_file_lives_in_the_users_config_folder() -> None:
    # tests/conftest.py points XDG_CONFIG_HOME at a temporary folder
    assert settings_path().parent.name == "sdm-assistant"
    assert "xdg_config_home" in str(settings_path())
