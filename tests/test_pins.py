"""Installed versions equal the pins (R14): markup handling, the crash-handler override and
the encryption format depend on exact versions of Textual, Rich, pydantic, ruamel.yaml and
cryptography, so a different version must fail here before it reaches a ward."""

from __future__ import annotations

import importlib.util
import inspect
import tomllib
from importlib import metadata
from types import ModuleType

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from textual.app import App

from assistant.tui.crash import TEXTUAL_VERSION
from tests.conftest import ROOT

CRITICAL = ("textual", "rich", "pydantic", "ruamel-yaml", "cryptography")


def _pin_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("pin_constraints",
                                                  ROOT / "scripts" / "pin_constraints.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _pyproject_pins() -> dict[str, str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    pins: dict[str, str] = {}
    for line in project["dependencies"]:
        requirement = Requirement(line)
        specs = list(requirement.specifier)
        if len(specs) == 1 and specs[0].operator == "==":
            pins[canonicalize_name(requirement.name)] = specs[0].version
    return pins


def test_critical_packages_are_pinned_exactly_in_pyproject() -> None:
    pins = _pyproject_pins()
    for name in CRITICAL:
        assert name in pins, f"{name} needs an exact == pin in pyproject.toml"


def test_installed_versions_equal_the_constraints() -> None:
    pins = _pin_script().read_constraints()
    wrong = {name: (version, metadata.version(name)) for name, version in pins.items()
             if metadata.version(name) != version}
    assert not wrong, f"installed versions differ from constraints.txt (pin, installed): {wrong}"


def test_constraints_agree_with_pyproject() -> None:
    pins = _pin_script().read_constraints()
    for name, version in _pyproject_pins().items():
        assert pins.get(name) == version, f"{name}: pyproject {version}, constraints {pins.get(name)}"


def test_constraints_cover_everything_installed_for_the_project() -> None:
    """A dependency added to pyproject.toml without re-running the script would be installed
    unpinned in CI; the script's own output must equal the committed file."""
    script = _pin_script()
    assert script.render(script.closure()) == script.CONSTRAINTS.read_text(encoding="utf-8"), (
        "constraints.txt is stale: run python scripts/pin_constraints.py")


def test_textual_crash_contract() -> None:
    """What `assistant.tui.crash` relies on in Textual (see its docstring)."""
    assert metadata.version("textual") == TEXTUAL_VERSION
    assert list(inspect.signature(App._fatal_error).parameters) == ["self"]
    handle = inspect.getsource(App._handle_exception)
    assert "self._fatal_error()" in handle
    assert "self._exception = error" in handle
    # The default it replaces prints locals: if that changes, re-check the override.
    assert "show_locals=True" in inspect.getsource(App._fatal_error)
