"""A restricted YAML subset reader: plain data out, a clean error with a position for the rest.

Guides are authored by people, so the format is YAML without the parts that surprise or hurt
(as StrictYAML does): one UTF-8 document; no tags (`!!python/...` is refused before anything is
constructed), no anchors or aliases (so no alias bombs), no directives; keys are plain scalars;
no duplicate keys; bounded depth, node count and size.

It reads ruamel.yaml's *event stream* (the C parser from ruamel.yaml.clib when installed) and
builds dicts, lists and scalars itself. That is both the safety boundary — ruamel's round-trip
composer raises TypeError/NotImplementedError/RecursionError on some inputs, and we never run
it — and the fast path: no round-trip objects, and positions only when asked for.

Scalars follow the YAML 1.2 core schema, narrowed: `true`/`false`, `null`/`~`/empty, decimal
integers and floats; everything else (dates included) stays a string, and quoted scalars are
always strings. `0101901234` stays a string, as do `no` and `0755`.
"""

from __future__ import annotations

import errno
import os
import re
import stat
from dataclasses import dataclass, field
from typing import Any

from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.events import (
    AliasEvent,
    DocumentEndEvent,
    DocumentStartEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
    StreamStartEvent,
)

import assistant.system as system
from assistant.text import clean_text

try:  # The C parser is ~5x faster; pure Python is the fallback, not the plan.
    from ruamel.yaml.cyaml import CParser as _CParser  # type: ignore[attr-defined]

    HAVE_C_PARSER = True
except ImportError:  # pragma: no cover - depends on the installation
    _CParser = None
    HAVE_C_PARSER = False

MAX_BYTES = 1024 * 1024
MAX_DEPTH = 20
MAX_NODES = 100_000

Path = tuple[str | int, ...]
Position = tuple[int, int]  # 1-based line and column


class YamlSubsetError(Exception):
    """The text is not in the allowed YAML subset; `line`/`column` are 1-based (0 if unknown)."""

    def __init__(self, message: str, line: int = 0, column: int = 0) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column


@dataclass
class Positions:
    """Where each value (and each mapping key) of a document starts, by data path."""

    values: dict[Path, Position] = field(default_factory=dict)
    keys: dict[Path, Position] = field(default_factory=dict)

    def of_value(self, path: Path) -> Position:
        """The position of the value at `path`, or of its nearest enclosing value."""
        while path not in self.values and path:
            path = path[:-1]
        return self.values.get(path, (1, 1))

    def of_key(self, path: Path) -> Position:
        """The position of the key naming `path` (falls back to the value's position)."""
        return self.keys.get(path) or self.of_value(path)


_INT = re.compile(r"^[-+]?(0|[1-9][0-9]*)$")
# No leading zeros: `0101901234` (a phone or CPR-like number) and `0755` stay strings.
_FLOAT = re.compile(r"^[-+]?(\.[0-9]+|(0|[1-9][0-9]*)(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")
_NULLS = frozenset({"", "~", "null", "Null", "NULL"})
_TRUE = frozenset({"true", "True", "TRUE"})
_FALSE = frozenset({"false", "False", "FALSE"})


def _plain_scalar(value: str) -> Any:
    if value in _NULLS:
        return None
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    if _INT.match(value):
        return int(value)
    if _FLOAT.match(value) and any(c.isdigit() for c in value):
        return float(value)
    return value


def _pos(mark: Any) -> Position:
    return (int(mark.line) + 1, int(mark.column) + 1)


def _parser(text: str) -> Any:
    if _CParser is not None:
        return _CParser(text)
    from ruamel.yaml.parser import Parser  # pure-Python fallback
    from ruamel.yaml.reader import Reader
    from ruamel.yaml.scanner import Scanner

    class _Loader(Reader, Scanner, Parser):
        def __init__(self, stream: str) -> None:
            Reader.__init__(self, stream, loader=self)
            Scanner.__init__(self, loader=self)
            Parser.__init__(self, loader=self)

    return _Loader(text)


def _too_large() -> YamlSubsetError:
    return YamlSubsetError(f"file is larger than {MAX_BYTES // 1024} KiB", 1, 1)


def read_file(path: str | os.PathLike[str]) -> bytes:
    """The bytes of a guide or answers file, for `decode`: never more than `MAX_BYTES` + 1 read.

    Only a regular file is read (a symlink to one is fine): a device (`/dev/zero`), FIFO,
    socket or folder is refused before a byte is read (`NotRegularFile`, an `OSError`). The
    file is opened without blocking (`system.open_for_reading`; POSIX `O_NONBLOCK`), so a
    FIFO put in its place after the check cannot make the open wait, and checked again once
    open. Raises `YamlSubsetError` (at 1:1) for a file
    larger than `MAX_BYTES`, and `OSError` when it cannot be read.
    """
    if not stat.S_ISREG(os.stat(path).st_mode):
        raise _not_regular()
    fd = system.open_for_reading(path)
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise _not_regular()
        if info.st_size > MAX_BYTES:
            raise _too_large()
        chunks: list[bytes] = []
        left = MAX_BYTES + 1  # one byte more than allowed tells "too large" from "just fits"
        while left > 0:
            chunk = os.read(fd, min(left, 1 << 16))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
    finally:
        os.close(fd)
    if left <= 0:
        raise _too_large()
    return b"".join(chunks)


class NotRegularFile(OSError):
    """A guide or answers file that is a device, FIFO, socket or folder: never read."""


def _not_regular() -> NotRegularFile:
    return NotRegularFile(errno.EINVAL, "not a regular file (a device, FIFO, socket or "
                          "folder): it was not read")


def decode(raw: bytes) -> str:
    """Decode a guide file: UTF-8 only (a UTF-8 BOM is allowed and dropped)."""
    if len(raw) > MAX_BYTES:
        raise _too_large()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise YamlSubsetError("the file is not valid UTF-8 text", line, column) from None
    return text.removeprefix("\ufeff")


def read(text: str, *, positions: bool = False) -> tuple[Any, Positions | None]:
    """Parse `text` (one YAML document in the allowed subset) into plain Python data.

    Args:
        text: the document.
        positions: also record where every value and key starts (slower; used for errors).

    Returns:
        The data and, if asked for, its positions.

    Raises:
        YamlSubsetError: the text is not YAML, or uses something the subset forbids. The error
            carries the line and column of the offending construct. No other exception escapes.
    """
    if len(text) > MAX_BYTES:
        raise YamlSubsetError(f"file is larger than {MAX_BYTES // 1024} KiB", 1, 1)
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        raise YamlSubsetError("the file contains a NUL character (is it a binary file?)", line, 1)
    try:
        return _read(text, positions)
    except YamlSubsetError:
        raise
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or "not valid YAML"
        line, col = _clamp(text, *_pos(mark)) if mark is not None else (0, 0)
        hint = ""
        lines = yaml_lines(text)
        where = lines[line - 1] if 0 < line <= len(lines) else ""
        if "\t" in where[: len(where) - len(where.lstrip(" \t"))] or "\t" in where[col - 1:col]:
            # A tab in the indentation: YAML indents with spaces only (issue 18).
            hint = " (YAML indents with spaces only: replace the tab with spaces)"
        elif "expected" in problem or "mapping values" in problem:
            misplaced = _misindented(lines, line)
            if misplaced is not None:
                # A line indented a space or two off its siblings (issue 18, item 6).
                at, spaces, siblings, side = misplaced
                raise YamlSubsetError(
                    f"not valid YAML: this line is indented {spaces} "
                    f"space{'s' if spaces != 1 else ''}; its siblings {side} use {siblings} "
                    "(line it up with them: YAML nests by indentation)", at, spaces + 1,
                ) from None
            # The usual cause for authors: prose with ':', ',' or '?' in an unquoted value.
            hint = " (text containing : , ? # [ ] { } must be put in quotes)"
        raise YamlSubsetError(f"not valid YAML: {problem}{hint}", line, col) from None
    except YAMLError as exc:
        raise YamlSubsetError(f"not valid YAML: {_first_line(exc)}") from None
    except RecursionError:
        raise YamlSubsetError(f"nesting deeper than {MAX_DEPTH} levels") from None
    except Exception as exc:
        raise YamlSubsetError(f"not valid YAML ({type(exc).__name__})") from None


_LINE_BREAK = re.compile("\r\n|[\n\r\x85\u2028\u2029]")


def yaml_lines(text: str) -> list[str]:
    """The lines of `text` as YAML counts them (NEL and the Unicode separators break lines)."""
    return _LINE_BREAK.split(text)


#: Indentation is only looked into for files up to this size (each try parses the file again,
#: up to a little past the line the parser stopped at), and this many tries at most.
_INDENT_MAX_BYTES = 256 * 1024
_INDENT_MAX_TRIES = 24
#: The lines before the one the parser stopped at that may be the misplaced one.
_INDENT_LOOK_BACK = 3


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _content(line: str) -> bool:
    stripped = line.strip()
    return bool(stripped) and not stripped.startswith("#")


def _misindented(lines: list[str], line: int) -> tuple[int, int, int, str] | None:
    """The line near line `line` (1-based) whose indentation is off its siblings', when that
    is why the parser stopped: (its line, its indentation, the siblings', "above"/"below").

    Each of the last few content lines up to the one the parser stopped at is tried at each
    indentation used by the content lines near it; a try counts when the text then parses
    past line `line`. Of those that count, the line whose own indentation is the rarest in the
    file is named (the odd one out, not its siblings), on a tie the later one.
    """
    if not 0 < line <= len(lines) or sum(map(len, lines)) > _INDENT_MAX_BYTES:
        return None
    candidates = [i for i in range(line - 1, -1, -1) if _content(lines[i])]
    usage: dict[int, int] = {}
    for text in lines:
        if _content(text):
            usage[_indent(text)] = usage.get(_indent(text), 0) + 1
    # Only a little past the line matters: the rest of the file is not parsed again.
    end = min(len(lines), line + 20)
    tries = 0
    found: list[tuple[int, int, int, int, str]] = []  # (usage, line, indent, to, side)
    for i in candidates[: _INDENT_LOOK_BACK + 1]:
        current = _indent(lines[i])
        near = [j for j in range(max(0, i - 12), min(len(lines), i + 4))
                if j != i and _content(lines[j])]
        targets: dict[int, str] = {}
        for j in sorted(near, key=lambda j: (abs(j - i), j > i)):  # the nearest line first
            for to in _levels(lines[j]):
                if to != current and abs(to - current) <= 4:
                    targets.setdefault(to, "above" if j < i else "below")
        for to, side in targets.items():
            tries += 1
            if tries > _INDENT_MAX_TRIES:
                break
            tried = [*lines[:i], " " * to + lines[i].lstrip(" "), *lines[i + 1:end]]
            if _parses_past("\n".join(tried), line):
                found.append((usage.get(current, 0), i + 1, current, to, side))
                break
    if not found:
        return None
    # The rarest indentation; on a tie, the line nearest to where the parser stopped.
    _usage, at, current, to, side = min(found, key=lambda f: (f[0], -f[1]))
    return at, current, to, side


def _levels(line: str) -> list[int]:
    """The indentations a sibling of `line` may have: its own, and after each `- `."""
    levels = [_indent(line)]
    rest = line[levels[0]:]
    while rest.startswith("- "):
        step = len(rest) - len(rest[1:].lstrip(" "))
        levels.append(levels[-1] + step)
        rest = rest[step:]
    return levels


def _parses_past(text: str, line: int) -> bool:
    """True when `text` parses, or stops only after line `line` (1-based)."""
    try:
        _read(text, False)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        return mark is not None and int(mark.line) + 1 > line
    except YamlSubsetError as exc:
        return exc.line > line
    except Exception:
        return False
    return True


def _clamp(text: str, line: int, col: int) -> Position:
    """Keep a position inside the text: at end of input the parser points one line past it."""
    lines = yaml_lines(text)
    if line > len(lines):
        line = len(lines)
        col = len(lines[-1]) + 1
    return line, max(1, min(col, len(lines[line - 1]) + 1))


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__


class _Container:
    __slots__ = ("is_map", "path", "pending_key", "value")

    def __init__(self, value: Any, path: Path, is_map: bool) -> None:
        self.value = value
        self.path = path
        self.pending_key: str | None = None
        self.is_map = is_map


def _read(text: str, want_positions: bool) -> tuple[Any, Positions | None]:
    parser = _parser(text)
    pos = Positions() if want_positions else None
    stack: list[_Container] = []
    root: Any = None
    documents = 0
    nodes = 0
    get_event = parser.get_event

    while True:
        event = get_event()
        cls = type(event)

        if cls is ScalarEvent or cls is MappingStartEvent or cls is SequenceStartEvent:
            nodes += 1
            if nodes > MAX_NODES:
                raise YamlSubsetError(
                    f"the document has more than {MAX_NODES} values", *_pos(event.start_mark)
                )
            if event.anchor is not None:
                raise YamlSubsetError(
                    f"anchors (&{event.anchor}) are not allowed: write the value out",
                    *_pos(event.start_mark),
                )
            # `ctag`, the stored tag: `tag` is a property that builds a string each time.
            if event.ctag is not None:
                raise YamlSubsetError(
                    f"tags ({event.tag}) are not allowed: plain values only",
                    *_pos(event.start_mark),
                )
            top = stack[-1] if stack else None

            # A mapping key: only plain or quoted scalars.
            if top is not None and top.is_map and top.pending_key is None:
                if cls is not ScalarEvent:
                    raise YamlSubsetError(
                        "a key must be a plain name, not a list or mapping",
                        *_pos(event.start_mark),
                    )
                key = event.value
                if event.implicit[0] and event.value in _NULLS:
                    raise YamlSubsetError("a key cannot be empty", *_pos(event.start_mark))
                if key in top.value:
                    raise YamlSubsetError(f"duplicate key '{key}'", *_pos(event.start_mark))
                top.pending_key = key
                if pos is not None:
                    pos.keys[(*top.path, key)] = _pos(event.start_mark)
                continue

            # Data paths only for positions: the fast path (a valid file) builds none.
            path: Path = ()
            if pos is not None:
                if top is None:
                    pass
                elif top.is_map:
                    path = (*top.path, str(top.pending_key))
                else:
                    path = (*top.path, len(top.value))
                pos.values[path] = _pos(event.start_mark)

            if cls is ScalarEvent:
                # Author text is data: no escape sequences or bidi controls reach a screen.
                # (Printable ASCII, most ids and keys, has nothing to clean: skip the call.)
                raw = event.value
                if not (raw.isascii() and raw.isprintable()):
                    raw = clean_text(raw)
                value = _plain_scalar(raw) if event.implicit[0] else raw
            else:
                if len(stack) >= MAX_DEPTH:
                    raise YamlSubsetError(
                        f"nesting deeper than {MAX_DEPTH} levels", *_pos(event.start_mark)
                    )
                value = {} if cls is MappingStartEvent else []

            if top is None:
                root = value
            elif top.is_map:
                top.value[top.pending_key] = value
                top.pending_key = None
            else:
                top.value.append(value)
            if cls is not ScalarEvent:
                stack.append(_Container(value, path, cls is MappingStartEvent))

        elif cls is MappingEndEvent or cls is SequenceEndEvent:
            stack.pop()
        elif cls is AliasEvent:
            raise YamlSubsetError(
                f"aliases (*{event.anchor}) are not allowed: write the value out",
                *_pos(event.start_mark),
            )
        elif cls is DocumentStartEvent:
            documents += 1
            if documents > 1:
                raise YamlSubsetError(
                    "only one document per file (found a second '---')", *_pos(event.start_mark)
                )
            if getattr(event, "version", None) or getattr(event, "tags", None):
                raise YamlSubsetError(
                    "directives (%YAML, %TAG) are not allowed", *_pos(event.start_mark)
                )
        elif cls is StreamEndEvent:
            break
        elif cls is DocumentEndEvent or cls is StreamStartEvent:
            continue
    return root, pos
