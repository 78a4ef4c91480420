"""Crash reports that carry no health data (R10), for the CLI and the chat UI alike.

Python's traceback and Textual's crash screen show an exception's message and, in Textual's
case, the local variables of every frame: an answer, a note or a label can end up on stderr,
in a terminal's scroll-back or in a bug report. Here an unexpected exception instead gives
the user a short generic message, and a *scrubbed* report is written to a private file:

* the exception's type (module and class name) and those of its causes,
* the frames of sdm-assistant's and Textual's own code as ``file:line in function``,
* the program, Python and library versions and the time.

Never in it: the exception's message or notes, argument values, local variables, source
lines, or frames of other code (their file names could be anywhere, e.g. a user's folder).

No Textual here (the CLI uses this without loading it); `assistant.tui.crash` adds the
Textual side.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import sys
import threading
from collections.abc import Iterator
from importlib.util import find_spec
from pathlib import Path
from types import TracebackType
from typing import TextIO

import assistant.system as system
from assistant.catalogue import t
from assistant.paths import (
    PRIVATE_FILE_MODE,
    SymlinkRefused,
    data_dir,
    make_private_dir,
    private_umask,
)

#: Exit code of a command that stopped on an unexpected error (BSD's EX_SOFTWARE).
EXIT_CRASH = 70
#: Folder in the data directory that holds the reports.
CRASH_DIR = "crash"

#: The generic message a crash shows, by language (from the catalogue: `crash.stopped`).
MESSAGES = {lang: t("crash.stopped", lang) for lang in ("da", "en")}

# How much of a chain or a group to describe: enough to debug, bounded against cycles.
_MAX_EXCEPTIONS = 8
_PACKAGES = ("assistant", "textual")


def _package_roots() -> dict[str, Path]:
    """The folders of the packages whose frames a report shows (found without importing)."""
    roots: dict[str, Path] = {}
    for name in _PACKAGES:
        spec = find_spec(name)
        if spec is not None and spec.submodule_search_locations:
            roots[name] = Path(next(iter(spec.submodule_search_locations))).resolve()
    return roots


def _frames(tb: TracebackType | None, roots: dict[str, Path]) -> Iterator[str]:
    """``package/file.py:line in function`` for our frames; a count for the others."""
    hidden = 0
    while tb is not None:
        code = tb.tb_frame.f_code
        where = _relative(code.co_filename, roots)
        if where is None:
            hidden += 1
        else:
            if hidden:
                yield f"  ... {hidden} frame{'s' if hidden != 1 else ''} in other code"
                hidden = 0
            # co_name is an identifier from source code: a name, never a value.
            yield f"  {where}:{tb.tb_lineno} in {code.co_name}"
        tb = tb.tb_next
    if hidden:
        yield f"  ... {hidden} frame{'s' if hidden != 1 else ''} in other code"


def _relative(filename: str, roots: dict[str, Path]) -> str | None:
    if filename.startswith("<"):  # "<string>", "<frozen runpy>": not a file of ours
        return None
    try:
        path = Path(filename).resolve()
    except (OSError, ValueError):
        return None
    for name, root in roots.items():
        if path.is_relative_to(root):
            return f"{name}/{path.relative_to(root).as_posix()}"
    return None


def _type_name(exc: BaseException) -> str:
    kind = type(exc)
    return f"{kind.__module__}.{kind.__qualname__}"


def _chain(exc: BaseException) -> Iterator[tuple[str, BaseException]]:
    """The exception, what it was raised from or during, and members of exception groups."""
    seen: set[int] = set()
    todo: list[tuple[str, BaseException]] = [("exception", exc)]
    while todo and len(seen) < _MAX_EXCEPTIONS:
        how, current = todo.pop(0)
        if id(current) in seen:
            continue
        seen.add(id(current))
        yield how, current
        if isinstance(current, BaseExceptionGroup):
            todo.extend(("in the group above", e) for e in current.exceptions)
        if current.__cause__ is not None:
            todo.append(("raised from", current.__cause__))
        elif current.__context__ is not None and not current.__suppress_context__:
            todo.append(("while handling", current.__context__))


def _version(distribution: str) -> str:
    # Imported here, when a report is written: `sdm --help` installs the hooks and should not
    # pay for importlib.metadata (and the email package it pulls in) up front.
    from importlib import metadata

    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return "-"


def scrubbed_report(exc: BaseException, *, now: dt.datetime | None = None) -> str:
    """The report text for `exc`: types and code positions only (see the module docstring)."""
    import platform

    moment = (now or dt.datetime.now(dt.UTC)).astimezone(dt.UTC)
    roots = _package_roots()
    lines = [
        "sdm-assistant error report",
        "This report holds no answers, messages or values: only where in the program the "
        "error happened.",
        f"time: {moment.isoformat(timespec='seconds')}",
        f"sdm-assistant: {_version('sdm-assistant')}",
        f"python: {platform.python_version()} ({platform.system()})",
        f"textual: {_version('textual')}  rich: {_version('rich')}  "
        f"pydantic: {_version('pydantic')}  cryptography: {_version('cryptography')}",
        "",
    ]
    for how, current in _chain(exc):
        lines.append(f"{how}: {_type_name(current)}")
        lines.extend(_frames(current.__traceback__, roots))
    return "\n".join(lines) + "\n"


def write_report(exc: BaseException, directory: Path | None = None) -> Path | None:
    """Write the scrubbed report for `exc` to a new 0600 file; its path, or None if that
    failed. Never raises: a crash handler that crashes would print the very traceback it
    exists to hide.

    `directory` defaults to ``crash/`` in the data directory (made 0700). A symbolic link
    there (or as the data directory) is not followed: no report is written, and
    `crash_text` says which link is in the way.
    """
    _refused.clear()
    try:
        folder = make_private_dir(directory or data_dir() / CRASH_DIR, "the crash folder",
                                  "remove the link; sdm-assistant creates the folder itself")
        stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
        text = scrubbed_report(exc).encode("utf-8")
        for attempt in range(100):
            path = folder / f"crash-{stamp}-{os.getpid()}-{attempt}.txt"
            try:
                with private_umask():
                    fd = system.open_file(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL,
                                          PRIVATE_FILE_MODE)
            except FileExistsError:
                continue
            try:
                os.write(fd, text)
                os.fsync(fd)
            finally:
                os.close(fd)
            return path
    except SymlinkRefused as refused:
        _refused.append(str(refused))
        return None
    except Exception:  # see the docstring: this must not raise
        return None
    return None


# Why the last report could not be written, when a symbolic link was in the way.
_refused: list[str] = []


def crash_text(lang: str, report: Path | None) -> str:
    """What the user sees: the generic message and where the report is (nothing else)."""
    where = (f"{t('crash.report_at', lang)}\n{report}" if report is not None
             else t("crash.no_report", lang))
    if report is None and _refused:
        where += f"\n{_refused[-1]}"
    return f"{t('crash.stopped', lang)}\n{where}"


def report_crash(exc: BaseException, lang: str = "da", stream: TextIO | None = None) -> int:
    """Write the report for `exc`, tell the user in a few lines; returns `EXIT_CRASH`."""
    report = write_report(exc)
    out = stream if stream is not None else sys.stderr
    try:
        print(crash_text(lang, report), file=out)
        out.flush()
    except (OSError, ValueError):  # stderr closed or gone: the report is what is left
        pass
    return EXIT_CRASH


_installed_lang: list[str] = []


def install_excepthooks(lang: str = "da") -> None:
    """Route exceptions nobody catches (main thread, other threads, "Exception ignored in")
    to scrubbed reports instead of Python's tracebacks, which print messages and reprs; and
    scrub log records that would otherwise reach stderr through `logging.lastResort`.

    Idempotent; the last `lang` wins.
    """
    _installed_lang[:] = [lang]
    if getattr(sys.excepthook, "_sdm_scrubbed", False):
        return

    def main_hook(kind: type[BaseException], exc: BaseException,
                  tb: TracebackType | None) -> None:
        if issubclass(kind, KeyboardInterrupt):
            return
        report_crash(exc.with_traceback(tb), _installed_lang[0])

    def thread_hook(args: threading.ExceptHookArgs) -> None:
        if args.exc_value is not None and not issubclass(args.exc_type, SystemExit):
            report_crash(args.exc_value, _installed_lang[0])

    def unraisable_hook(unraisable: sys.UnraisableHookArgs) -> None:
        # The program goes on; only leave the report (the object's repr is not printed).
        if unraisable.exc_value is not None:
            write_report(unraisable.exc_value)

    main_hook._sdm_scrubbed = True  # type: ignore[attr-defined]
    sys.excepthook = main_hook
    threading.excepthook = thread_hook
    sys.unraisablehook = unraisable_hook
    logging.lastResort = _ScrubbedStderrHandler()


class _ScrubbedStderrHandler(logging.Handler):
    """Replaces `logging.lastResort`, which prints any library's WARNING+ record to stderr,
    traceback included (asyncio's "Task exception was never retrieved" even puts the
    exception's repr in the message). sdm-assistant configures no logging, so this is where
    every such record would go.

    Records of sdm-assistant's own loggers are printed as they are: their messages are
    written to carry no health data (tested). Other libraries' records are reduced to
    their logger and level, and any exception they carry goes to a scrubbed report.
    """

    def __init__(self) -> None:
        super().__init__(logging.WARNING)

    def emit(self, record: logging.LogRecord) -> None:
        try:
            if record.name == "assistant" or record.name.startswith("assistant."):
                line = f"sdm-assistant: {record.getMessage()}"
            else:
                line = (f"sdm-assistant: {record.levelname.lower()} from {record.name} "
                        "(its text is not shown: it could contain health data)")
            if record.exc_info and record.exc_info[1] is not None:
                report = write_report(record.exc_info[1])
                if report is not None:
                    line += f"; report: {report}"
            print(line, file=sys.stderr)
        except Exception:
            # Never raise into the program, and not `handleError` either: that prints a
            # traceback with the record's arguments.
            pass
