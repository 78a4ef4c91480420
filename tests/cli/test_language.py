"""The command line speaks one language (issue 15, item 3): `sdm --lang da` (and the Danish
locale) and `sdm --lang en` give every error, refusal and summary in that language, including
what the store, the session service and file writing raise in English.

The words to look for come from the one catalogue, as in tests/tui/test_language.py: a word of
five letters or more that one language's texts use and the other's never do. Guide content,
paths, ids and quoted values are the user's, not a language's, and are left out. The located
problems of the guides' checks (`file:line:col: message`) are the authors' English format
(docs/authoring.md) and are not printed by any call here.
"""

from __future__ import annotations

import ast
import contextlib
import io
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant.catalogue import Lang, texts
from assistant.catalogue.cli import RAISED, RAISED_PARTS, translate
from assistant.cli import main
from tests.conftest import ROOT

_WORD = re.compile(r"[^\W\d_]{5,}")
ANSWERS = ROOT / "docs" / "answers" / "akut-medicin.yaml"
#: English words that must never reach a Danish screen (the audit's; "1 problem" is Danish
#: too), and Danish ones never an English one.
ENGLISH = ("exists", "no session", "checked", "problems", "folder", "store", "session store")
DANISH = ("findes", "ingen session", "tjekket", "problemer", "mappe", "lageret")


def _words(text: str) -> set[str]:
    return {w.lower() for w in _WORD.findall(text)}


@pytest.fixture(scope="module")
def foreign() -> dict[Lang, set[str]]:
    """For each language, the words that would be the other language's leaking in."""
    from assistant.guides.loader import bundled_dir

    guide: set[str] = set()
    for path in sorted(Path(str(bundled_dir())).rglob("*.y*ml")):
        guide |= _words(path.read_text(encoding="utf-8"))
    da = set().union(*(_words(text) for text in texts("da")))
    en = set().union(*(_words(text) for text in texts("en")))
    return {"da": (en - da) - guide, "en": (da - en) - guide}


def _run(*argv: str) -> str:
    """`sdm ARGV`: what it wrote on stdout and stderr."""
    out, err = io.StringIO(), io.StringIO()
    with (contextlib.redirect_stdout(out), contextlib.redirect_stderr(err),
          contextlib.suppress(SystemExit)):
        main(list(argv))
    return out.getvalue() + err.getvalue()


def _cleaned(text: str, tmp_path: Path) -> str:
    """`text` without what is the user's: paths, option names, quoted values, ids."""
    text = text.replace(str(tmp_path), "")
    text = re.sub(r"^(sdm[\w -]*|usage|brug): ", "", text, flags=re.MULTILINE)  # names
    return re.sub(r"--[\w-]+|'[^']*'|\b[0-9a-f]{32}\b", "", text)


def _leaks(text: str, lang: Lang, foreign: dict[Lang, set[str]], tmp_path: Path) -> set[str]:
    cleaned = _cleaned(text, tmp_path)
    found = _words(cleaned) & foreign[lang]
    known = ENGLISH if lang == "da" else DANISH
    found |= {word for word in known if re.search(rf"\b{word}\b", cleaned, re.IGNORECASE)}
    return found


def _paths(tmp_path: Path) -> dict[str, Path]:
    exists = tmp_path / "p.html"
    exists.write_text("already here", encoding="utf-8")
    damaged = tmp_path / "x.sqlite3"
    damaged.write_bytes(b"not a database, only text " * 400)
    return {"exists": exists, "damaged": damaged, "store": tmp_path / "s.sqlite3"}


def _error_calls(tmp_path: Path) -> Iterator[tuple[str, list[str]]]:
    """(what, argv) for each error path the audit found English under the Danish default,
    and the others like them."""
    p = _paths(tmp_path)
    store = ["--store", str(p["store"])]
    missing = "0123456789abcdef0123456789abcdef"
    yield "no session", [*store, "sessions", "show", missing]
    yield "id too short", [*store, "sessions", "show", "abc"]
    yield "revisions of no session", [*store, "sessions", "revisions", "abcdef"]
    yield "delete no session", [*store, "sessions", "delete", "--yes", "abcdef"]
    yield "export no session", [*store, "export", missing]
    yield "prep-summary no session", [*store, "prep-summary", missing]
    yield "export file exists", [*store, "export", missing, "--format", "html",
                                 "-o", str(p["exists"])]
    yield "export to a folder", [*store, "export", missing, "-o", str(tmp_path)]
    yield "export to no folder", [*store, "export", missing, "-o",
                                  str(tmp_path / "nowhere" / "p.txt")]
    yield "export copy", [*store, "export", missing, "--format", "json", "--copy", "patient"]
    yield "agenda file exists", ["agenda", "netvaerksmoede", "-o", str(p["exists"])]
    yield "agenda date", ["agenda", "netvaerksmoede", "--date", "soon"]
    yield "schema file exists", ["schema", "-o", str(p["exists"])]
    yield "validate no file", ["validate", "--no-bundled", str(tmp_path / "none.yaml")]
    yield "lint no file", ["lint", str(tmp_path / "none.yaml")]
    yield "store is a folder", ["--store", str(tmp_path), "sessions", "list"]
    yield "damaged store", ["--store", str(p["damaged"]), "sessions", "list"]
    yield "replay no guide", ["replay", "akut-medicinn", "--answers", str(ANSWERS)]


@pytest.mark.parametrize("lang", ["da", "en"])
def test_cli_errors_and_refusals_speak_one_language(
    foreign: dict[Lang, set[str]], lang: Lang, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path)
    said = {what: _run("--lang", lang, *argv) for what, argv in _error_calls(tmp_path)}
    assert all(said.values()), [what for what, text in said.items() if not text]
    leaks = {what: _leaks(text, lang, foreign, tmp_path) for what, text in said.items()}
    assert not {what: words for what, words in leaks.items() if words}, said


def test_the_audited_messages_in_danish(tmp_path: Path,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    said = {what: _run("--lang", "da", *argv) for what, argv in _error_calls(tmp_path)}
    assert "der er ingen session med id '0123456789abcdef0123456789abcdef' i lageret" \
        in said["no session"]
    assert "p.html findes allerede; brug --force for at erstatte den" \
        in said["export file exists"]
    assert "--copy: formatet 'json' laver ingen kopi til patienten" in said["export copy"]
    assert "filen eller mappen findes ikke" in said["validate no file"]
    assert "1 fil tjekket: 1 problem" in said["validate no file"]
    assert re.search(r"\d+ guider tjekket: 1 fejl, \d+ advarsl", said["lint no file"])
    assert "er en mappe, ikke et sessionslager" in said["store is a folder"]
    assert "Sessionslageret" in said["damaged store"] and "beskadiget" in said["damaged store"]


def test_the_same_messages_in_english(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    said = {what: _run("--lang", "en", *argv) for what, argv in _error_calls(tmp_path)}
    assert "no session with id '0123456789abcdef0123456789abcdef' in the store" \
        in said["no session"]
    assert "p.html exists; use --force to replace it" in said["export file exists"]
    assert "--copy: the format 'json' makes no patient copy" in said["export copy"]
    assert "1 file checked: 1 problem" in said["validate no file"]


def test_the_danish_locale_without_lang(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("LC_ALL", "da_DK.UTF-8")
    said = _run("--store", str(tmp_path / "s.sqlite3"), "sessions", "show", "abcdef")
    assert "der er ingen session med id 'abcdef' i lageret" in said


@pytest.mark.parametrize("lang", ["da", "en"])
def test_summaries_of_stored_sessions_speak_one_language(
    foreign: dict[Lang, set[str]], lang: Lang, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path)
    store = ["--store", str(tmp_path / "s.sqlite3")]
    assert main([*store, "replay", "akut-medicin", "--answers", str(ANSWERS),
                 "--label", "AB"]) == 0
    assert main([*store, "sessions", "list", "--format", "json"]) == 0
    assert _run(*store, "--lang", lang, "export", _first_id(store), "-o",
                str(tmp_path / "plan.txt"))
    session = _first_id(store)
    said = {
        "list": _run("--lang", lang, *store, "sessions", "list"),
        "revisions": _run("--lang", lang, *store, "sessions", "revisions", session),
        "no such revision": _run("--lang", lang, *store, "sessions", "revisions", session,
                                 "--show", "9"),
        # The header and the answers' heading: the events and answers are the patient's.
        "show": "\n".join(line for line in _run("--lang", lang, *store, "sessions", "show",
                                                session).splitlines()
                          if not re.match(r"\s", line)),
        "validate": _run("--lang", lang, "validate"),
    }
    leaks = {what: _leaks(text, lang, foreign, tmp_path) for what, text in said.items()}
    assert not {what: words for what, words in leaks.items() if words}, said
    if lang == "da":
        assert "eksporteret" in said["revisions"] and "hændelser" in said["show"]
        assert "svar:" in said["show"] and "tjekket: ingen problemer" in said["validate"]
        assert "i gang" in said["list"] or "afsluttet" in said["list"]


def _first_id(store: list[str]) -> str:
    import json

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        main([*store, "sessions", "list", "--format", "json"])
    return str(json.loads(out.getvalue())["sessions"][0]["id"])


# --- every message raised in English below the CLI has its Danish -----------------------------


#: The exceptions whose messages reach the command line, and the functions that build them.
_RAISERS = frozenset({
    "StoreError", "StoreDamaged", "StoreUnavailable", "StoreReadOnly", "StoreWriteError",
    "StoreBusy", "PassphraseRequired", "WrongPassphrase", "StoreNotEncrypted", "CannotEncrypt",
    "InvalidSessionData", "SessionUnavailable", "SessionPaused", "WriteRefused", "LookupError",
    "PlanChoiceError", "damaged", "_damaged_message", "_read_only_message", "super",
})
_SOURCES = [*sorted((ROOT / "assistant" / "store").glob("*.py")),
            *sorted((ROOT / "assistant" / "service").glob("*.py")),
            *sorted((ROOT / "assistant" / "pgstore").glob("*.py")),
            ROOT / "assistant" / "export" / "files.py", ROOT / "assistant" / "plans" / "draft.py",
            ROOT / "assistant" / "store" / "db.py"]


def _sample(node: ast.expr) -> str | None:
    """A message as it could be raised: each `{value}` of an f-string stands in as "X"."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(part.value if isinstance(part, ast.Constant) else "X"
                       for part in node.values)
    if isinstance(node, ast.BinOp):  # "..." + "..."
        left, right = _sample(node.left), _sample(node.right)
        return left + right if left is not None and right is not None else None
    return None


def _raised_messages() -> list[tuple[str, str]]:
    found = []
    for path in _SOURCES:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call) or not node.args:
                continue
            name = getattr(node.func, "id", getattr(node.func, "attr", ""))
            if name not in _RAISERS:
                continue
            for arg in node.args:
                text = _sample(arg)
                if text is not None and " " in text.strip():
                    found.append((f"{path.name}:{node.lineno}", text))
    return found


def _known(text: str) -> bool:
    """True when a template of `RAISED` or `RAISED_PARTS` matches `text`."""
    templates = [english for _da, english in (*RAISED.values(), *RAISED_PARTS.values())]
    for english in templates:
        pieces = re.split(r"\{\w+\}", english)
        if re.fullmatch(".*?".join(re.escape(piece) for piece in pieces), text, re.DOTALL):
            return True
    return False


def test_every_message_raised_below_the_cli_has_its_danish() -> None:
    messages = _raised_messages()
    assert len(messages) > 60  # the scan found them
    assert not [(where, text) for where, text in messages if not _known(text)]


def test_symbolic_links_and_holders_are_put_in_words() -> None:
    from assistant.paths import SymlinkRefused
    from assistant.store.errors import LockHolder, SessionBusy

    for what, advice in (("the session store", "point --store at the real file instead"),
                         ("the data folder", "put the real folder there instead of the link"),
                         ("the lock folder",
                          "remove the link; sdm-assistant creates the folder itself"),
                         ("the file", "replace the link with the file it points to, or "
                                      "remove the link"),
                         ("the folder", "put the real folder there instead of the link")):
        message = str(SymlinkRefused(Path("/x/s"), what, advice))
        danish = translate(message, "da")
        assert danish != message and not _words(danish) & {"point", "replace", "remove"}
    busy = SessionBusy("ab12", LockHolder(12, "host-a", "2026-05-01T10:00"))
    assert busy.text("da") == "session ab12 er i brug af proces 12 på host-a siden " \
                              "2026-05-01T10:00"
    assert SessionBusy("ab12", None).text("da") == "session ab12 er i brug af et andet program"


def test_the_english_is_the_message_itself_and_every_template_is_used() -> None:
    # English: unchanged. Danish: every template of RAISED fills (no unknown field).
    for key, (danish, english) in RAISED.items():
        assert translate(english, "en") == english
        fields = set(re.findall(r"\{(\w+)\}", english))
        assert fields == set(re.findall(r"\{(\w+)\}", danish)), key
        sample = english.format(**{name: f"<{name}>" for name in fields})
        assert translate(sample, "da") == danish.format(**{name: f"<{name}>" for name in fields}), key


def test_a_command_does_not_repeat_the_store_s_log_line_in_english() -> None:
    import logging

    from assistant.cli.common import quiet_store_repeats

    saved = logging.lastResort
    try:
        logging.lastResort = logging.StreamHandler(io.StringIO())
        quiet_store_repeats()
        quiet_store_repeats()  # once is enough
        printer = logging.lastResort
        assert len(printer.filters) == 1
        record = logging.LogRecord("assistant.store", logging.WARNING, __file__, 1,
                                   "session store opened read-only: %s", ("x",), None)
        assert not printer.filter(record)
        record.msg = "WAL checkpoint failed: %s"
        assert printer.filter(record)  # the store's own diagnostics are still printed
    finally:
        logging.lastResort = saved


def test_store_and_file_errors_say_their_message_in_either_language(tmp_path: Path) -> None:
    from assistant.export.files import target_problem
    from assistant.store import SessionNotFound

    error = SessionNotFound("abcdef")
    assert error.text("en") == error.message == "no session with id 'abcdef' in the store"
    assert error.text("da") == "der er ingen session med id 'abcdef' i lageret"
    existing = tmp_path / "p.html"
    existing.write_text("x", encoding="utf-8")
    refused = target_problem(existing)
    assert refused is not None
    assert refused.text("da") == f"{existing} findes allerede; brug --force for at erstatte den"
    assert refused.text("en") == refused.message
