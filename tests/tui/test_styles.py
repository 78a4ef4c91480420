"""One style: every screen's and widget's CSS is a `.tcss` file beside it (assistant/tui/css.py)."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from pathlib import Path

from textual.dom import DOMNode

import assistant.tui

TUI = Path(assistant.tui.__file__).parent


def _classes() -> list[type[DOMNode]]:
    found: list[type[DOMNode]] = []
    for info in pkgutil.walk_packages([str(TUI)], prefix="assistant.tui."):
        module = importlib.import_module(info.name)
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, DOMNode) and cls.__module__ == module.__name__:
                found.append(cls)
    return found


def test_each_style_is_a_tcss_file_beside_its_code() -> None:
    classes = _classes()
    assert classes
    sheets = {p.read_text(encoding="utf-8") for p in TUI.rglob("*.tcss")}
    for cls in classes:
        here = Path(inspect.getfile(cls)).parent
        css = cls.__dict__.get("DEFAULT_CSS")
        if css:
            # Read from a file with `beside`, never written or formatted in Python.
            assert css in sheets, cls
        paths = cls.__dict__.get("CSS_PATH")
        for name in [paths] if isinstance(paths, str) else paths or []:
            assert (here / name).is_file(), (cls, name)
        assert not cls.__dict__.get("CSS"), cls


def test_every_tcss_file_is_used() -> None:
    sources = "\n".join(p.read_text(encoding="utf-8") for p in TUI.rglob("*.py"))
    for sheet in TUI.rglob("*.tcss"):
        used = f'"{sheet.name}"' in sources or f'"{sheet.stem}"' in sources or (
            sheet.with_suffix(".py").is_file() and "beside(__file__)" in
            sheet.with_suffix(".py").read_text(encoding="utf-8"))
        assert used, sheet
