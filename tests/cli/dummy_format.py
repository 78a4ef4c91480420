"""A dummy export format for the registry tests: the text export under another id.

Used as a pytest plugin (`-p tests.cli.dummy_format`) it is registered before the tests are
collected, as a new built-in format would be.
"""

from __future__ import annotations

from assistant.export import formats

DUMMY = "dummy"


def _render(request: formats.ExportRequest) -> bytes:
    return formats.get("text").render(request)


def register_dummy() -> formats.Exporter:
    """Register the dummy format; returns it."""
    return formats.register(formats.Exporter(DUMMY, ".dummy.txt", "format_dummy", False,
                                             _render))


def pytest_configure() -> None:
    """As a plugin: register the dummy before collection."""
    if DUMMY not in formats.names():
        register_dummy()
