"""Fixtures for the command-line tests: the store tests' guide and store (the `sessions`
commands are tested on the same data)."""

from tests.store.conftest import db_path, guide, store

__all__ = ["db_path", "guide", "store"]
