"""Fixtures for the command-line tests: the store tests' guide and store (the `sessions`
commands are tested on the same data), and English messages: the tests pin the CLI's English
words, and the CLI follows the locale when `--lang` is not given."""

import contextlib
import io
from collections.abc import Iterator

import pytest

from tests.store.conftest import db_path, guide, store

__all__ = ["db_path", "english_messages", "guide", "run_sdm", "store"]


def run_sdm(*argv: str) -> tuple[int, str, str]:
    """`sdm ARGV` in this process: its exit code, stdout and stderr."""
    from assistant.cli import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(argv))
    return code, out.getvalue(), err.getvalue()


@pytest.fixture(autouse=True)
def english_messages(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The C locale for every CLI test, whatever the machine's (a Danish one would speak
    Danish)."""
    from assistant.cli.common import set_language

    monkeypatch.setenv("LC_ALL", "C")
    # A test that ran `sdm --lang da` in this process left the messages Danish; the tests
    # that call a command's function directly (not `main`) would inherit that.
    set_language("en")
    yield
