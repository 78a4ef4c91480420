"""`sdm --help` stays cheap: building the parser loads no Textual, no models and no store."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest

from tests.conftest import ROOT

HEAVY = ("textual", "pydantic", "assistant.guides.models", "assistant.store",
         "assistant.service", "assistant.tui")

SCRIPT = """
import json, sys
from assistant.cli import main
try:
    main(sys.argv[1:])
except SystemExit as exc:
    assert exc.code in (0, None), exc.code
print(json.dumps(sorted(sys.modules)))
"""


@pytest.mark.parametrize("argv", [["--help"], ["export", "--help"], ["sessions", "--help"],
                                  ["replay", "--help"], ["--lang", "da", "--help"]],
                         ids=" ".join)
def test_help_imports_nothing_heavy(argv: list[str]) -> None:
    done = subprocess.run([sys.executable, "-c", SCRIPT, *argv], capture_output=True,
                          text=True, cwd=ROOT, check=True)
    modules = json.loads(done.stdout.strip().splitlines()[-1])
    loaded = [m for m in modules
              if any(m == heavy or m.startswith(heavy + ".") for heavy in HEAVY)]
    assert loaded == []


#: What `sdm --help` has no use for either: the crash reporter (logging), the process
#: hardening (ctypes), argparse's terminal-size helper (shutil and its compression modules),
#: json and copy (issue 16: each was a few ms of a 40 ms command).
LIGHT_EXTRAS = ("logging", "ctypes", "shutil", "json", "copy", "assistant.crash",
                "assistant.hardening", "assistant.export.text", "datetime")


BARE_SCRIPT = """
import sys
from assistant.cli import main
try:
    main(["--help"])
except SystemExit:
    pass
sys.stdout.write("\\n" + " ".join(sorted(sys.modules)))
"""


def test_top_level_help_loads_only_the_parser() -> None:
    done = subprocess.run([sys.executable, "-c", BARE_SCRIPT], capture_output=True,
                          text=True, cwd=ROOT, check=True)
    modules = set(done.stdout.splitlines()[-1].split())
    assert not modules & set(LIGHT_EXTRAS), sorted(modules & set(LIGHT_EXTRAS))


LIST_SCRIPT = """
import json, sys
from assistant.cli import main
code = main(sys.argv[1:])
print(json.dumps([code, sorted(sys.modules)]))
"""


@pytest.mark.parametrize("argv", [["validate"], ["list"], ["list", "--format", "json"]],
                         ids=" ".join)
def test_library_commands_load_no_ui_and_no_store(argv: list[str]) -> None:
    """`sdm validate` and `sdm list` read guides: no Textual, no store, no encryption."""
    done = subprocess.run([sys.executable, "-c", LIST_SCRIPT, *argv], capture_output=True,
                          text=True, cwd=ROOT, check=True)
    code, modules = json.loads(done.stdout.strip().splitlines()[-1])
    assert code == 0
    loaded = [m for m in modules
              if any(m == heavy or m.startswith(heavy + ".")
                     for heavy in ("textual", "assistant.store", "assistant.service",
                                   "assistant.tui", "cryptography", "sqlite3"))]
    assert loaded == []


# --- the help in Danish -----------------------------------------------------------------------


def test_every_help_text_has_its_danish_and_no_entry_is_stale() -> None:
    from assistant.catalogue.help_da import HELP_DA
    from assistant.cli import _parser
    from assistant.cli.common import help_texts

    texts = set(help_texts(_parser()))
    assert texts - set(HELP_DA) == set(), "help texts without Danish"
    assert set(HELP_DA) - texts == set(), "Danish for help texts no longer in the parser"
    placeholder = re.compile(r"%\(\w+\)s|%%")
    for english, danish in HELP_DA.items():
        assert sorted(placeholder.findall(danish)) == sorted(placeholder.findall(english)), \
            english
        assert (danish.strip() and danish != english) or english.startswith("sdm-assistant"), \
            english


def _help(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    from assistant.cli import main

    with pytest.raises(SystemExit) as done:
        main([*argv, "--help"])
    assert done.value.code == 0
    return capsys.readouterr().out


@pytest.mark.parametrize("command", [[], ["sessions"], ["export"], ["store", "copy"]],
                         ids=lambda c: " ".join(c) or "sdm")
def test_help_speaks_danish_under_lang_da(capsys: pytest.CaptureFixture[str],
                                          command: list[str]) -> None:
    from assistant.catalogue.help_da import HELP_DA

    danish = _help(capsys, "--lang", "da", *command)
    english = _help(capsys, "--lang", "en", *command)
    assert danish.startswith("brug: ") and english.startswith("usage: ")
    assert "tilvalg:" in danish and "\noptions:" not in danish
    assert "show this help message and exit" in english
    assert "show this help message and exit" not in danish
    # Words of a Danish help text appear (argparse rewraps lines: compare words).
    words = danish.split()
    assert any(" ".join(d.split()[:3]) in " ".join(words) for d in HELP_DA.values())
    # The options themselves are the same in both.
    assert set(re.findall(r"--[a-z-]+", danish)) == set(re.findall(r"--[a-z-]+", english))
