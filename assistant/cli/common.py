"""What every `sdm` command shares: exit codes, the one-line failure, guarded standard output,
and the options and argument types several commands take.

Exit codes, for every command: 0 clean (`EXIT_OK`), 1 problems found or a problem met
(`EXIT_PROBLEMS`), 2 the command itself was used wrongly (`EXIT_USAGE`: an unknown option, a
missing file). Cheap to import: nothing here loads the store, the models or Textual.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, TextIO

if TYPE_CHECKING:
    import datetime as dt
    import re

    from assistant.guides.folders import LibraryFolder
    from assistant.guides.loader import Library
    from assistant.store.errors import StoreError

__all__ = ["EXIT_OK", "EXIT_PROBLEMS", "EXIT_USAGE", "SESSION_HELP", "Handler", "Parser",
           "StdoutFailed", "add_store_option", "count", "exit_code", "fail", "guard_stdout",
           "language", "note", "os_reason", "quiet_store_repeats", "say", "set_language",
           "spoken", "today"]

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2

#: A command: the parsed arguments in, the exit code out.
Handler = Callable[[argparse.Namespace], int]

#: The help of every argument that names a stored session.
SESSION_HELP = ("the session's id, or its first 6 or more characters (see 'sdm sessions "
                "list')")


#: The language of the CLI's messages (`--lang`, else the locale); set by `main`.
_language = "en"


def set_language(lang: str) -> None:
    """Speak `lang` ("da" or "en") in every message from now on."""
    global _language
    _language = "en" if lang == "en" else "da"


def language() -> str:
    """The language of the CLI's messages."""
    return _language


def say(key: str, **values: object) -> str:
    """The catalogue's `cli.KEY` message in the CLI's language, with `values` filled in."""
    from assistant.catalogue import t

    text = t(f"cli.{key}", _language)
    return text.format(**values) if values else text


def count(n: int, key: str) -> str:
    """`n` things in words: `cli.KEY_one` for 1, else `cli.KEY_many` ("1 fil", "3 filer")."""
    return say(f"{key}_one") if n == 1 else say(f"{key}_many", n=n)


def spoken(message: str) -> str:
    """A message the layers below raised in English (the store, the session service, a file
    not written, a plan not chosen) in the CLI's language (`catalogue.cli.translate`)."""
    from assistant.catalogue.cli import translate

    return translate(message, _language)


def os_reason(exc: OSError) -> str:
    """The system's reason for `exc` ("Permission denied"), in the CLI's language."""
    return spoken(exc.strerror or str(exc))


# argparse's own messages are matched in English below (`Parser._PATTERNS`) and put in the
# catalogue's words, so they must be English whatever translations the system has: no gettext
# lookup (which also searched the disk 51 times for `sdm --help`: issue 16).
argparse._ = lambda message: message  # type: ignore[attr-defined]
argparse.ngettext = lambda singular, plural, n: singular if n == 1 else plural  # type: ignore[attr-defined]


class Parser(argparse.ArgumentParser):
    """An argument parser whose usage errors speak the CLI's language (argparse's own
    messages are English: the common ones are put in the catalogue's words)."""

    _PATTERNS = (
        (r"the following arguments are required: (?P<names>.*)", "required"),
        (r"unrecognized arguments: (?P<names>.*)", "unrecognized"),
        (r"argument (?P<name>\S+): invalid choice: (?P<value>.*) \(choose from (?P<choices>.*)\)",
         "invalid_choice"),
        (r"argument (?P<name>\S+): expected one argument", "expected_one"),
        (r"argument (?P<name>\S+): expected at least one argument", "expected_some"),
        (r"argument (?P<name>\S+): invalid (?P<type>\w+) value: (?P<value>.*)", "invalid_type"),
        (r"argument (?P<name>\S+): not allowed with argument (?P<other>.*)", "not_allowed_with"),
        (r"argument (?P<name>[^:]+): (?P<reason>.*)", "invalid_value"),
    )

    def error(self, message: str) -> NoReturn:  # argparse's: prints usage, exits with 2
        import re

        for pattern, key in self._PATTERNS:
            found = re.fullmatch(pattern, message)
            if found:
                message = say(key, **found.groupdict()) + self._did_you_mean(key, found)
                break
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"{self.prog}: {say('error')}: {message}\n")

    def _did_you_mean(self, key: str, found: re.Match[str]) -> str:
        """" — did you mean 'list'?" for a command, a choice or an option mistyped
        (`sdm lsit`, `--format txt`, `--fromat`); "" when nothing is close."""
        import re

        from assistant.guides.problems import did_you_mean

        if key == "invalid_choice":
            wanted = found["value"].strip("'\"")
            close = did_you_mean(wanted, re.findall(r"'([^']*)'", found["choices"]))
        elif key == "unrecognized":
            wanted = next((w for w in found["names"].split() if w.startswith("--")), "")
            close = did_you_mean(wanted, _option_strings(self)) if wanted else None
        else:
            close = None
        return say("did_you_mean", name=close) if close else ""

    def format_usage(self) -> str:
        return super().format_usage().replace("usage: ", say("usage"), 1)

    def format_help(self) -> str:
        # argparse writes its "usage: " itself; the rest is translated by `translate_help`.
        return super().format_help().replace("usage: ", say("usage"), 1)

    def _get_formatter(self) -> argparse.HelpFormatter:
        # The width given, so that argparse does not import shutil (and its compression
        # modules) for it: a tenth of `sdm --help` (issue 16). The same rule as shutil's.
        formatter: Callable[..., argparse.HelpFormatter] = self.formatter_class
        return formatter(prog=self.prog, width=_terminal_columns() - 2)


#: argparse's own headings, in Danish (the rest of its words are in `HELP_DA`).
_HEADINGS_DA = {"positional arguments": "argumenter", "options": "tilvalg"}


def translate_help(parser: argparse.ArgumentParser) -> None:
    """Put `parser`'s help texts (descriptions, commands, options; its subcommands' too) in
    Danish, from `catalogue.help_da` (keyed by the English text); a text without an entry
    stays English. Called once, after the parser is built, when the messages are Danish."""
    from assistant.catalogue.help_da import HELP_DA

    def danish(text: str | None) -> str | None:
        return HELP_DA.get(text, text) if text else text

    for each in _parsers(parser):
        each.description = danish(each.description)
        for group in each._action_groups:
            group.title = _HEADINGS_DA.get(group.title or "", group.title)
        for action in each._actions:
            action.help = danish(action.help)
            if isinstance(action, argparse._SubParsersAction):
                for choice in action._choices_actions:
                    choice.help = danish(choice.help)


def help_texts(parser: argparse.ArgumentParser) -> list[str]:
    """Every help text of `parser` and its subcommands (descriptions, commands, options),
    in order, as `translate_help` sees them (argparse's hidden ones left out)."""
    texts: list[str] = []
    for each in _parsers(parser):
        texts += [each.description] if each.description else []
        for action in each._actions:
            if action.help and action.help != argparse.SUPPRESS:
                texts.append(action.help)
            if isinstance(action, argparse._SubParsersAction):
                texts += [c.help for c in action._choices_actions if c.help]
    return texts


def _parsers(parser: argparse.ArgumentParser) -> list[argparse.ArgumentParser]:
    """`parser` and every subcommand's parser below it, each once."""
    found = [parser]
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub in dict.fromkeys(action.choices.values()):
                found += _parsers(sub)
    return found


def _option_strings(parser: argparse.ArgumentParser) -> list[str]:
    """Every long option of `parser` and of its subcommands' parsers, for a suggestion."""
    found: list[str] = []
    for action in parser._actions:
        found += [o for o in action.option_strings if o.startswith("--")]
        if isinstance(action, argparse._SubParsersAction):
            for sub in dict.fromkeys(action.choices.values()):
                found += _option_strings(sub)
    return list(dict.fromkeys(found))


def _terminal_columns() -> int:
    """The terminal's width as `shutil.get_terminal_size` finds it: $COLUMNS, else the
    terminal's, else 80."""
    try:
        columns = int(os.environ.get("COLUMNS", ""))
    except ValueError:
        columns = 0
    if columns <= 0:
        try:
            columns = os.get_terminal_size(sys.__stdout__.fileno()).columns  # type: ignore[union-attr]
        except (AttributeError, ValueError, OSError):
            columns = 0
    return columns or 80


def fail(command: str, message: str, code: int = EXIT_PROBLEMS) -> int:
    """`sdm COMMAND: MESSAGE` as one line on stderr; returns `code` (default: 1).

    `message` is in the CLI's language already (`say`), or one the layers below raised in
    English, put in the CLI's language here (`spoken`)."""
    print(f"sdm {command}: {spoken(message)}", file=sys.stderr)
    return code


#: The store's log lines that a command says itself, in its own language, right after (a
#: store opened or turned read-only, a write that failed): not printed twice, once in English.
_SAID_BY_THE_COMMAND = ("session store opened read-only: %s",
                        "session store %s turned read-only: a read failed (%s)",
                        "session store write failed: %s (%s)")


def quiet_store_repeats() -> None:
    """Leave out the store's log lines a command repeats in its own words (see above); the
    other warnings (the store's own diagnostics) still reach stderr. Only where they would
    be printed (`logging.lastResort`, the crash module's): a logging set up otherwise (a
    test's) still gets every record."""
    import logging

    printer = logging.lastResort
    if printer is not None and not any(isinstance(f, _RepeatFilter) for f in printer.filters):
        printer.addFilter(_RepeatFilter())


class _RepeatFilter:
    """A logging filter: False for the records in `_SAID_BY_THE_COMMAND`."""

    def filter(self, record: object) -> bool:
        return getattr(record, "msg", None) not in _SAID_BY_THE_COMMAND


def note(command: str, message: str) -> None:
    """`sdm COMMAND: MESSAGE` on stderr, the command going on (a damaged store, a warning);
    `message` as for `fail`."""
    print(f"sdm {command}: {spoken(message)}", file=sys.stderr)


def exit_code(exc: StoreError) -> int:
    """The exit code for a store error: 2 for an id prefix too short to use, else 1."""
    from assistant.store.ids import SessionIdTooShort

    return EXIT_USAGE if isinstance(exc, SessionIdTooShort) else EXIT_PROBLEMS


def store_address(text: str) -> Path | str:
    """A `--store` value: a PostgreSQL address (`postgresql://…`, `service=NAME`) as it is,
    else the path of a SQLite store file."""
    from assistant.service.stores import is_server_address

    return text if is_server_address(text) else Path(text)


def add_store_option(parser: argparse.ArgumentParser,
                     help: str = "the session store file") -> None:
    """`--store PATH` on a subcommand; when not given, the top-level `--store` (or None)."""
    parser.add_argument("--store", type=store_address, metavar="PATH", default=argparse.SUPPRESS,
                        help=help)


def store_parent(help: str = "the session store file") -> argparse.ArgumentParser:
    """A parent parser holding only `--store` (`add_store_option`), for a subcommand that
    accepts it after its own name too (`sdm store check --store F`)."""
    parent = Parser(add_help=False)  # ours: no shutil for its formatter
    add_store_option(parent, help=help)
    return parent


def library_folders(args: argparse.Namespace) -> list[LibraryFolder]:
    """The library folders a command reads (`guides/folders.py`): the per-user folder,
    `SDM_LIBRARY`, then `--library DIR` in order."""
    from assistant.guides.folders import library_folders as folders

    return folders([str(p) for p in getattr(args, "library", None) or []])


def load_library_of(args: argparse.Namespace, paths: Sequence[Path] = (),
                    **options: Any) -> Library:
    """The library a command works with: bundled, the library folders, and `paths`
    (`load_library`'s other options as given)."""
    from assistant.guides.loader import load_library

    return load_library(paths, folders=[f.path for f in library_folders(args)], **options)


def today(args: argparse.Namespace) -> dt.date:
    """The day `--today` pins (tests), else today."""
    import datetime as dt

    raw = getattr(args, "today", None)
    return dt.date.fromisoformat(raw) if raw else dt.date.today()


# --- standard output that cannot be written -----------------------------------------------------


class StdoutFailed(Exception):
    """Writing to standard output failed (a full disk, a closed pipe); `reason` says why."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class _GuardedStdout:
    """Standard output whose write errors become `StdoutFailed` (told apart from other
    OSErrors, e.g. of the store or an output file)."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        try:
            return self._stream.write(text)
        except OSError as exc:
            raise StdoutFailed(exc.strerror or str(exc)) from None

    def flush(self) -> None:
        try:
            self._stream.flush()
        except OSError as exc:
            raise StdoutFailed(exc.strerror or str(exc)) from None

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


def _silence(stream: TextIO) -> None:
    """Point `stream`'s file descriptor at /dev/null, so the text still buffered is not
    written (and fails) again when Python exits."""
    try:
        fd = stream.fileno()
    except (AttributeError, OSError, ValueError):
        return
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, fd)
    finally:
        os.close(devnull)


def guard_stdout(prog: str, handler: Handler) -> Handler:
    """`handler`, but a failure to write standard output (`> /dev/full`, a closed pipe) ends
    it with one line on stderr and exit code 1 instead of a crash report.

    The output is flushed before the handler counts as done, so every failure is seen here.
    """
    def run(args: argparse.Namespace) -> int:
        real = sys.stdout
        sys.stdout = _GuardedStdout(real)
        try:
            code = handler(args)
            sys.stdout.flush()
            return code
        except StdoutFailed as exc:
            _silence(real)
            print(f"{prog}: {say('stdout_failed', reason=spoken(exc.reason))}",
                  file=sys.stderr)
            return EXIT_PROBLEMS
        finally:
            sys.stdout = real
    return run
