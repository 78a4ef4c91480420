"""The layering of the package, as a checked contract (docs/architecture.md).

Every `import` of an `assistant` module — at module level, inside a function (the lazy imports
that keep start-up cheap) and under `TYPE_CHECKING` alike — is an edge between two parts of
the package. Each part may use only the parts listed for it in `ALLOWED`; anything else fails
with the module and the import that broke the rule. Adding a part means adding a row here and
a line in docs/architecture.md, which is the point: the edges are a decision, not an accident.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import ROOT

PACKAGE = ROOT / "assistant"

#: The foundations: small modules every layer may use (plain text, folders, the platform: `system`,
#: the languages).
BASE = frozenset({"text", "paths", "system", "catalogue", "language", "(package)"})

#: Which parts each part may import, besides itself and `BASE`. The pipeline reads top-down:
#: guides → engine → wording/plans → export; the store keeps rows and bytes; the service joins
#: the store to the pipeline; the TUI and the CLI sit at the edge.
ALLOWED: dict[str, frozenset[str]] = {
    "text": frozenset(),
    "language": frozenset(),
    "catalogue": frozenset(),
    "paths": frozenset({"system"}),
    "system": frozenset(),
    "hardening": frozenset(),
    "crash": frozenset(),
    "guides": frozenset(),
    "engine": frozenset({"guides"}),
    "wording": frozenset({"guides", "engine"}),
    "plans": frozenset({"guides", "engine", "wording"}),
    "export": frozenset({"guides", "engine", "wording", "plans"}),
    "store": frozenset({"guides", "engine"}),
    # A second backend of the store (PostgreSQL): the store's rows, errors and checks, and
    # like the store no export, plans or service.
    "pgstore": frozenset({"guides", "engine", "store"}),
    "service": frozenset({"guides", "engine", "wording", "plans", "export", "store",
                          "pgstore"}),
    "settings": frozenset({"export"}),
    "tui": frozenset({"guides", "engine", "wording", "plans", "export", "store", "service",
                      "settings", "hardening", "crash"}),
    "cli": frozenset({"guides", "engine", "wording", "plans", "export", "store", "service",
                      "settings", "hardening", "crash", "tui", "(package)"}),
    "__main__": frozenset({"cli"}),
    "(package)": frozenset(),
}


def _part(module: str) -> str:
    """The part of the package a dotted module name belongs to (`assistant.x.y` → `x`)."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "(package)"


def _module_name(path: Path) -> str:
    rel = path.relative_to(ROOT).with_suffix("")
    return ".".join(rel.parts).removesuffix(".__init__")


def _is_module(name: str) -> bool:
    return (PACKAGE / f"{name}.py").exists() or (PACKAGE / name).is_dir()


def _imports(path: Path) -> Iterator[tuple[int, str]]:
    """(line, imported module) for every import of an `assistant` module in `path`."""
    module = _module_name(path)
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                names = [".".join([*base, node.module] if node.module else base)]
            else:
                names = [node.module or ""]
            if names == ["assistant"]:  # `from assistant import paths`: the modules named
                names = [f"assistant.{alias.name}" if _is_module(alias.name) else "assistant"
                         for alias in node.names]
        else:
            continue
        for name in names:
            if name == "assistant" or name.startswith("assistant."):
                yield node.lineno, name


MODULES = sorted(PACKAGE.rglob("*.py"))


def test_every_part_of_the_package_is_in_the_contract() -> None:
    parts = {_part(_module_name(path)) for path in MODULES}
    assert parts <= set(ALLOWED), f"add these to ALLOWED and docs/architecture.md: " \
                                  f"{sorted(parts - set(ALLOWED))}"


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_imports_follow_the_layers(path: Path) -> None:
    source = _part(_module_name(path))
    allowed = ALLOWED.get(source, frozenset()) | BASE | {source}
    broken = [f"{path.relative_to(ROOT)}:{line}: imports {name} ({_part(name)})"
              for line, name in _imports(path) if _part(name) not in allowed]
    assert not broken, (f"'{source}' may use only {sorted(allowed)}:\n" + "\n".join(broken))


def test_the_contract_names_the_rules_the_issue_asks_for() -> None:
    # The edges that must never appear, spelled out so a loosened table shows up in review.
    assert "store" not in ALLOWED["export"], "export renders; it never reads the store"
    assert not ALLOWED["engine"] & {"export", "plans", "store", "service", "tui", "cli"}
    assert "export" not in ALLOWED["store"], "the store holds rows and bytes"
    assert not ALLOWED["pgstore"] & {"export", "plans", "service", "tui", "cli"}, \
        "a store backend holds rows and bytes too"
    assert [part for part, uses in ALLOWED.items() if "tui" in uses] == ["cli"], \
        "only the command line starts the TUI; no stage of the pipeline imports it"
    assert [part for part, uses in ALLOWED.items() if "cli" in uses] == ["__main__"]
