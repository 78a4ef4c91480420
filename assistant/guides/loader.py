"""Load guide files into models, turning every problem into `file:line:col: message`.

The fast path reads a file without positions and validates it; only when something is wrong is
the file read again with positions, so a clean library costs little more than parsing it.
Nothing here raises on bad input: every problem of every file is collected and returned.

A document whose shape is wrong is not dropped: it is kept as read (`Rejected`: plain data
with positions), so that the reference checks (`references.py`) still check what can be read
of it, in the same round as the shape errors (issue 18, item 6).
"""

from __future__ import annotations

import contextlib
import gc
import types
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path as FsPath
from types import MappingProxyType
from typing import Annotated, Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel, Tag, TypeAdapter, ValidationError
from pydantic_core import ErrorDetails

from assistant.guides.models import (
    KINDS,
    STEP_TYPES,
    DecisionAid,
    Document,
    MeetingGuide,
    PlanTemplate,
)
from assistant.guides.problems import Problem, suggestion
from assistant.guides.shelf import GUIDE_SUFFIXES as GUIDE_SUFFIXES
from assistant.guides.shelf import bundled_dir as bundled_dir
from assistant.guides.shelf import guide_files as guide_files
from assistant.guides.yamlsubset import (
    Path,
    Positions,
    YamlSubsetError,
    decode,
    read,
    read_file,
)

MAX_PROBLEMS_PER_FILE = 50
#: The problem of a path given that does not exist (the CLI says it in its own language).
NO_SUCH_PATH = "no such file or folder"

_DOCUMENT = TypeAdapter(Document)


@dataclass
class Loaded:
    """A document that validated, with what is needed to point back into its file."""

    file: str
    document: DecisionAid | MeetingGuide | PlanTemplate
    text: str
    bundled: bool = False
    _positions: Positions | None = field(default=None, repr=False)
    #: The file it was read from (resolved); None for text that came from no file.
    path: FsPath | None = None
    #: Joined as a sibling of a file named to `sdm validate`/`lint` (`load_library(...,
    #: siblings=True)`): known to references, but its own references are not checked.
    beside: bool = False
    #: The library folder it came from, by name (`guides/folders.py`); None: bundled, or
    #: a file named on the command line.
    origin: str | None = None

    @property
    def id(self) -> str:
        """The document's id."""
        return self.document.id

    @property
    def positions(self) -> Positions:
        """Positions of every value in the file (read again on first use)."""
        if self._positions is None:
            try:
                self._positions = read(self.text, positions=True)[1] or Positions()
            except YamlSubsetError:  # pragma: no cover - the file read cleanly once
                self._positions = Positions()
        return self._positions

    def problem(self, path: Path, message: str, *, key: bool = False, **kw: Any) -> Problem:
        """A problem located at the value (or key) at `path` in this file."""
        line, col = self.positions.of_key(path) if key else self.positions.of_value(path)
        return Problem(self.file, line, col, message, **kw)


@dataclass
class Rejected:
    """A document whose shape is wrong, as read: its references are checked as far as it can
    be read, and its id (when it is text) keeps references to it from being called unknown."""

    file: str
    data: dict[str, Any]
    positions: Positions
    #: Joined as a sibling (see `Loaded.beside`): nothing of it is reported.
    beside: bool = False

    @property
    def id(self) -> str | None:
        """The id as written, when it is text."""
        value = self.data.get("id")
        return value if isinstance(value, str) else None

    @property
    def kind(self) -> str | None:
        """The kind, when it is one of the kinds."""
        value = self.data.get("kind")
        return value if isinstance(value, str) and value in KINDS else None

    def problem(self, path: Path, message: str, *, key: bool = False, **kw: Any) -> Problem:
        """A problem located at the value (or key) at `path` in this file."""
        line, col = self.positions.of_key(path) if key else self.positions.of_value(path)
        return Problem(self.file, line, col, message, **kw)


@dataclass(frozen=True)
class Replacement:
    """A bundled document replaced by a library folder's (`replaces_bundled: true`)."""

    #: The replacing document's file, as problems name it.
    file: str
    kind: Literal["guide", "plan_template"]
    id: str
    #: The library folder's name (None: a file named on the command line).
    origin: str | None


@dataclass
class Library:
    """Every guide and plan template that loaded, and every problem found on the way."""

    documents: list[Loaded] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    #: Bundled documents a library folder's replaced on purpose (`replaces_bundled`): not a
    #: problem, but said wherever the library is shown.
    replaced: list[Replacement] = field(default_factory=list)
    #: Documents whose shape is wrong (their shape problems are in `problems`).
    rejected: list[Rejected] = field(default_factory=list)
    #: `guides` and `templates`, worked out once per list of documents (the cross-reference
    #: check asks for them once per guide: rebuilding them each time made validation
    #: quadratic in the size of the library). Documents are only ever appended.
    _index: tuple[int, int, dict[str, Loaded], dict[str, Loaded]] | None = field(
        default=None, init=False, repr=False, compare=False)

    def _by_id(self) -> tuple[dict[str, Loaded], dict[str, Loaded]]:
        key = (id(self.documents), len(self.documents))
        if self._index is None or self._index[:2] != key:
            guides: dict[str, Loaded] = {}
            templates: dict[str, Loaded] = {}
            for d in self.documents:
                into = templates if isinstance(d.document, PlanTemplate) else guides
                into.setdefault(d.id, d)
            self._index = (*key, guides, templates)
        return self._index[2], self._index[3]

    @property
    def guides(self) -> Mapping[str, Loaded]:
        """Decision aids and meeting guides by id (first one wins on duplicates)."""
        return MappingProxyType(self._by_id()[0])

    @property
    def templates(self) -> Mapping[str, Loaded]:
        """Plan templates by id (first one wins on duplicates)."""
        return MappingProxyType(self._by_id()[1])

    def template(self, template_id: str) -> PlanTemplate | None:
        """The plan template with this id, or None."""
        found = self.templates.get(template_id)
        return found.document if found and isinstance(found.document, PlanTemplate) else None

    @property
    def errors(self) -> list[Problem]:
        """Problems of severity error."""
        return [p for p in self.problems if p.severity == "error"]

    @property
    def ok(self) -> bool:
        """True when nothing is wrong."""
        return not self.errors


def display_name(path: FsPath) -> str:
    """A short name for messages: relative to the working directory when inside it."""
    try:
        return str(path.relative_to(FsPath.cwd()))
    except ValueError:
        return str(path)


def parse_text(text: str, file: str) -> tuple[Any, list[Problem]]:
    """Validate one document's text. Returns (model or None, problems)."""
    document, problems, _rejected = parse_document(text, file)
    return document, problems


def parse_document(
    text: str, file: str
) -> tuple[DecisionAid | MeetingGuide | PlanTemplate | None, list[Problem], Rejected | None]:
    """Validate one document's text: (model or None, shape problems, the rejected document
    when it is a mapping whose shape is wrong, for the reference checks)."""
    try:
        data, _ = read(text)
    except YamlSubsetError as exc:
        problem = Problem(file, max(exc.line, 1), max(exc.column, 1), exc.message, code="yaml")
        return None, [problem], None
    if data is None:
        return None, [
            Problem(file, 1, 1, "the file is empty: a guide starts with 'id:' and 'kind:'")
        ], None
    if not isinstance(data, dict):
        return None, [Problem(
            file, 1, 1, "a guide file must be a mapping of keys (id, kind, title, ...)"
        )], None
    try:
        return _DOCUMENT.validate_python(data), [], None
    except ValidationError as exc:
        positions = read(text, positions=True)[1]
        assert positions is not None
        return None, schema_problems(exc, data, positions, file), Rejected(file, data, positions)
    except (RecursionError, ValueError, TypeError) as exc:  # pragma: no cover - defensive
        return None, [Problem(file, 1, 1, f"could not be validated ({type(exc).__name__})")], None


def load_file(path: FsPath, *, bundled: bool = False) -> tuple[Loaded | None, list[Problem]]:
    """Read and validate one file; never raises for bad content or an unreadable file.

    Only a regular file is read, and no more than the size limit + 1 byte (`read_file`):
    `/dev/zero` or a FIFO is a problem at 1:1 ("cannot read the file: not a regular file"),
    not a hang or a MemoryError.
    """
    loaded, problems, _rejected = _load(path, bundled=bundled)
    return loaded, problems


def _load(
    path: FsPath, *, bundled: bool = False
) -> tuple[Loaded | None, list[Problem], Rejected | None]:
    name = display_name(path)
    try:
        text = decode(read_file(path))
    except OSError as exc:
        return None, [Problem(name, 1, 1, f"cannot read the file: {exc.strerror or exc}")], None
    except YamlSubsetError as exc:
        problem = Problem(name, max(exc.line, 1), max(exc.column, 1), exc.message, code="yaml")
        return None, [problem], None
    document, problems, rejected = parse_document(text, name)
    if document is None:
        return None, problems, rejected
    return Loaded(name, document, text, bundled, path=path.resolve()), [], None


def load_library(
    paths: Sequence[FsPath] = (), *, include_bundled: bool = True, check: bool = True,
    siblings: bool = False, folders: Sequence[FsPath] = (),
) -> Library:
    """Load the bundled library plus `paths` (files or folders), and check references.

    Args:
        paths: extra guide files or folders; they join the bundled library.
        include_bundled: start from the bundled library (`decision_aids/`).
        check: run the cross-reference checks (ids, conditions, sources, fills).
        folders: library folders (`guides/folders.py`), read after the bundled library and
            before `paths`; their documents carry the folder's name (`Loaded.origin`). A
            document of a folder or of `paths` with `replaces_bundled: true` takes the place
            of the bundled one with its id (`Library.replaced` says so).
        siblings: for each file in `paths`, the guide documents beside it (in the same
            folder, not below it) join too, as `sdm validate FILE` and `sdm lint FILE` read
            it: so an aid's own plan template is found. A sibling that is not a guide
            document (no `kind:`, an answers file, unreadable YAML) or whose id is already in
            the library is passed over; the others are known to references only: neither
            their problems nor their references are reported (name them, or the folder, to
            check them).
    """
    roots: list[tuple[FsPath, bool]] = []
    if include_bundled:
        roots.append((bundled_dir(), True))
    roots += [(FsPath(p), False) for p in folders]
    roots += [(FsPath(p), False) for p in paths]
    named = {FsPath(p): FsPath(p).name or str(p) for p in folders}
    library = Library()
    done: set[FsPath] = set()
    with _no_gc():
        _load_roots(library, roots, done, named)
        if siblings:
            _load_siblings(library, [FsPath(p) for p in paths], done)
        _replace_bundled(library)
    if check:
        from assistant.guides.references import check_library

        # Also without the collector: the checks build only short-lived outlines and
        # problems, and its full passes over a large library's models cost more than the
        # checks themselves (issue 16: 2,000 guides, 5.4 s with it, 1.8 s without).
        with _no_gc():
            library.problems += check_library(library)
    library.problems.sort(key=lambda p: (p.file, p.line, p.column))
    return library


@contextlib.contextmanager
def _no_gc() -> Iterator[None]:
    """No cyclic garbage collection while a library loads: it makes only new, live objects
    (parsed data, models), so the collector's passes find nothing, yet they were about a
    tenth of a load (issue 16). The collector is back on afterwards if it was on."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()


def _load_roots(library: Library, roots: list[tuple[FsPath, bool]], done: set[FsPath],
                named: dict[FsPath, str] | None = None) -> None:
    for root, bundled in roots:
        if not root.exists():
            library.problems.append(Problem(display_name(root), 1, 1, NO_SUCH_PATH))
            continue
        origin = (named or {}).get(root)
        for file in guide_files([root]):
            if file in done:
                continue
            done.add(file)
            loaded, problems, rejected = _load(file, bundled=bundled)
            library.problems += problems
            if loaded is not None:
                loaded.origin = origin
                library.documents.append(loaded)
            elif rejected is not None:
                library.rejected.append(rejected)


def _replace_bundled(library: Library) -> None:
    """A document outside the bundled library with `replaces_bundled: true` takes the place
    of the bundled document with its id (of the same sort: guide or plan template), with a
    notice; one that replaces nothing gets a warning. Without the flag, the same id stays a
    duplicate (an error, `references.check_library`)."""
    bundled = {(d.id, isinstance(d.document, PlanTemplate)): d
               for d in library.documents if d.bundled}
    replaced: set[int] = set()
    for doc in library.documents:
        if doc.bundled or not getattr(doc.document, "replaces_bundled", False):
            continue
        sort = isinstance(doc.document, PlanTemplate)
        what = "plan template" if sort else "guide"
        old = bundled.get((doc.id, sort))
        if old is None:
            library.problems.append(Problem(
                doc.file, 1, 1, f"replaces_bundled: there is no bundled {what} '{doc.id}' to "
                "replace", severity="warning", code="ref",
                hint="remove `replaces_bundled`, or give the id of the bundled one"))
            continue
        replaced.add(id(old))
        library.replaced.append(Replacement(doc.file, "plan_template" if sort else "guide",
                                            doc.id, doc.origin))
    if replaced:
        library.documents = [d for d in library.documents if id(d) not in replaced]


def _load_siblings(library: Library, paths: list[FsPath], done: set[FsPath]) -> None:
    """The guide documents beside the files in `paths` (see `load_library`)."""
    folders: dict[FsPath, None] = {}
    for path in paths:
        if path.is_file():
            folders.setdefault(path.resolve().parent, None)
    for folder in folders:
        try:
            files = sorted(c for c in folder.iterdir() if c.suffix in GUIDE_SUFFIXES)
        except OSError:
            continue
        for child in files:
            file = child.resolve()
            if file in done or not file.is_file():
                continue
            done.add(file)
            loaded, _problems, rejected = _load(file)
            taken = set(library.guides) | set(library.templates)
            taken |= {r.id for r in library.rejected if r.id is not None}
            if loaded is not None and loaded.id not in taken:
                loaded.beside = True
                library.documents.append(loaded)
            elif rejected is not None and "kind" in rejected.data and rejected.id not in taken:
                rejected.beside = True
                library.rejected.append(rejected)


# --- pydantic errors → problems ---------------------------------------------------------------


def _locate(data: Any, loc: tuple[Any, ...]) -> tuple[Path, bool]:
    """Follow a pydantic `loc` through the data, skipping union tags and model names.

    Returns the data path and whether the last element of `loc` exists in the data.
    """
    path: list[str | int] = []
    node = data
    found = False
    for elem in loc:
        found = False
        in_dict = isinstance(node, dict) and elem in node
        in_list = isinstance(node, list) and isinstance(elem, int) and 0 <= elem < len(node)
        if in_dict or in_list:
            node, found = node[elem], True
            path.append(elem)
    return tuple(path), found


def _tag_of(member: Any) -> str | None:
    for meta in getattr(member, "__metadata__", ()):
        if isinstance(meta, Tag):
            return meta.tag
    return None


def _fields_at(loc: Sequence[Any]) -> list[str]:
    """The keys allowed in the mapping at `loc` (a pydantic loc), or [] if unknown."""
    tp: Any = Document
    i = 0
    for _ in range(200):  # bounded walk; locs are short
        while get_origin(tp) is Annotated:
            tp = get_args(tp)[0]
        origin = get_origin(tp)
        if origin in (Union, types.UnionType):
            members = get_args(tp)
            elem = loc[i] if i < len(loc) else None
            tagged = next((m for m in members if _tag_of(m) == elem), None)
            if tagged is not None:
                tp, i = tagged, i + 1
                continue
            real = [m for m in members if m is not type(None)]
            if len(real) == 1:
                tp = real[0]
                continue
            return []
        if i >= len(loc):
            break
        elem = loc[i]
        if isinstance(tp, type) and issubclass(tp, BaseModel):
            info = tp.model_fields.get(str(elem))
            if info is None:
                return []
            tp = info.annotation
            if info.discriminator is not None or info.metadata:
                tp = Annotated[tuple([tp, *info.metadata])]
        elif origin is list:
            tp = get_args(tp)[0]
        else:
            return []
        i += 1
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        return list(tp.model_fields)
    return []


def _value_at(data: Any, path: Path) -> Any:
    node = data
    for elem in path:
        node = node[elem]
    return node


def _short(value: Any) -> str | None:
    """A value fit to quote in a message: short, one line, a scalar; else None."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, str) and len(value) <= 40 and "\n" not in value and value.isprintable():
        return value
    return None


def _kind_name(value: Any) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return "a number"
    return "text"


_EXPECTED = {
    "string_type": "text",
    "int_type": "a whole number",
    "int_parsing": "a whole number",
    "int_from_float": "a whole number",
    "float_type": "a number",
    "float_parsing": "a number",
    "bool_type": "true or false",
    "bool_parsing": "true or false",
    "list_type": "a list",
    "model_type": "a mapping",
    "dict_type": "a mapping",
    "model_attributes_type": "a mapping",
}


def _message(err: ErrorDetails, data: Any, path: Path, found: bool) -> tuple[str, bool]:
    """The message for one pydantic error; the bool says whether to point at the key."""
    kind = err["type"]
    loc = err["loc"]
    last = loc[-1] if loc else None
    value = _value_at(data, path) if found else None
    shown = _short(value)

    if kind == "extra_forbidden":
        if " " in str(last) and value is None:
            # `{da: Vi taler om, hvem ...}`: an unquoted comma split the text into a new key.
            return ("a comma in an unquoted text split it into a new key: put the text in "
                    "quotes, like {da: \"…, …\"}"), True
        allowed = _fields_at(loc[:-1])
        return f"unknown key '{last}'{suggestion(str(last), allowed)}", True
    if kind == "missing":
        return f"missing required key '{last}'", False
    if kind in ("step_type", "document_kind"):
        key, allowed = ("type", list(STEP_TYPES)) if kind == "step_type" else (
            "kind", list(KINDS))
        node = value if found else _value_at(data, path)
        if isinstance(node, dict) and isinstance(node.get(key), str):
            word = node[key]
            what = "step type" if key == "type" else "kind"
            return f"unknown {what} '{_short(word) or '…'}'{suggestion(word, allowed)}", False
        if isinstance(node, dict):
            return f"missing required key '{key}' (one of: {', '.join(allowed)})", False
        return f"expected a mapping, got {_kind_name(node)}", False
    if kind == "text_type":
        return ("expected text: a string or a mapping with 'da' and 'en', "
                f"got {_kind_name(value)}"), False
    if kind == "literal_error":
        expected = str(err.get("ctx", {}).get("expected", ""))
        words = [w.strip(" '") for w in expected.replace(" or ", ",").split(",") if w.strip(" '")]
        got = f"'{shown}'" if shown is not None else _kind_name(value)
        hint = suggestion(str(value), words) if isinstance(value, str) else ""
        if hint.startswith(" —"):
            return f"{got} is not allowed here{hint} (allowed: {expected})", False
        return f"{got} is not allowed here (allowed: {expected})", False
    if kind == "string_pattern_mismatch":
        got = f"'{shown}'" if shown is not None else "this value"
        if last == "version":
            return f"{got} is not a version: write it like 1.0 or 1.0.0", False
        if last == "url":
            return f"{got} is not a web address: it must start with http:// or https://", False
        if "fills" in loc or loc[-2:-1] in (("choice",), ("decided_by",), ("next_steps",)):
            return f"{got} is not a fill target: write template.field, for example ua.needs", False
        return (f"{got} is not a valid id: use lower-case letters, digits, '-' and '_', "
                "starting with a letter or digit"), False
    if kind.startswith("date_"):
        got = f"'{shown}'" if shown is not None else _kind_name(value)
        return f"{got} is not a date: write it as YYYY-MM-DD", False
    if kind == "too_short":
        if isinstance(value, str) or kind == "string_too_short":
            return "must not be empty", False
        minimum = err.get("ctx", {}).get("min_length", 1)
        return f"needs at least {minimum} item{'s' if minimum != 1 else ''}", False
    if kind == "string_too_short":
        return "must not be empty", False
    if kind in ("string_too_long", "too_long"):
        return f"too long (at most {err.get('ctx', {}).get('max_length')})", False
    if kind in _EXPECTED:
        return f"expected {_EXPECTED[kind]}, got {_kind_name(value)}", False
    if kind in ("greater_than", "less_than_equal", "greater_than_equal", "less_than"):
        return f"{err['msg'][0].lower()}{err['msg'][1:]}", False
    msg = str(err.get("msg", "is not valid"))
    msg = msg.removeprefix("Value error, ")
    return msg, False


def schema_problems(
    exc: ValidationError, data: Any, positions: Positions, file: str
) -> list[Problem]:
    """Turn a pydantic ValidationError into located, readable problems (at most 50)."""
    out: dict[tuple[int, int, str], Problem] = {}
    errors = exc.errors(include_input=False, include_url=False)
    #: What each member of a union expected, by the value's path: one problem for the value,
    #: not one per member (`answer: [1]` is not four mistakes).
    branches: dict[Path, list[str]] = {}
    for err in errors:
        path, found = _locate(data, tuple(err["loc"]))
        if not found and err["type"] in _EXPECTED and path:
            expected = branches.setdefault(path, [])
            if _EXPECTED[err["type"]] not in expected:
                expected.append(_EXPECTED[err["type"]])
            continue
        message, at_key = _message(err, data, path, found)
        if err["type"] in ("step_type", "document_kind"):
            key = "type" if err["type"] == "step_type" else "kind"
            node = _value_at(data, path)
            if isinstance(node, dict) and key in node:
                path = (*path, key)  # point at the wrong word, not the whole step
        if at_key:
            line, col = positions.of_key(path)
        else:
            line, col = positions.of_value(path)
        where = ".".join(str(p) for p in path)
        text = f"{where}: {message}" if where else message
        out.setdefault((line, col, text), Problem(file, line, col, text))
    for path, expected in branches.items():
        line, col = positions.of_value(path)
        wanted = " or ".join(expected) if len(expected) < 3 else (
            f"{', '.join(expected[:-1])} or {expected[-1]}")
        text = (f"{'.'.join(str(p) for p in path)}: expected {wanted}, "
                f"got {_kind_name(_value_at(data, path))}")
        out.setdefault((line, col, text), Problem(file, line, col, text))
    problems = sorted(out.values())
    if len(problems) > MAX_PROBLEMS_PER_FILE:
        rest = len(problems) - MAX_PROBLEMS_PER_FILE
        more = Problem(file, problems[MAX_PROBLEMS_PER_FILE].line, 1,
                       f"… and {rest} more problems")
        problems = [*problems[:MAX_PROBLEMS_PER_FILE], more]
    return problems
