"""Problems found in guide files: where, what, and how to fix it.

Every check (YAML subset, model validation, references, lint) reports `Problem`s; the CLI
prints them as `file:line:col: message` or JSON. Messages never quote an author's prose, only
ids, key names and allowed values.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from typing import Literal

from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

Severity = Literal["error", "warning"]


@dataclass(frozen=True, order=True)
class Problem:
    """One finding in one file."""

    file: str
    line: int
    column: int
    message: str
    severity: Severity = "error"
    #: A stable code: `yaml`, `schema`, `ref`, or a lint rule such as `IPDAS-Q3`.
    code: str = "schema"
    #: How to fix it, when there is more to say than the message.
    hint: str | None = None

    def format(self) -> str:
        """`file:line:col: message`, with the severity and code for anything but plain errors."""
        where = f"{self.file}:{self.line}:{self.column}"
        label = "" if self.severity == "error" and self.code in _PLAIN else (
            f"{self.severity} [{self.code}]: "
        )
        text = f"{where}: {label}{self.message}"
        if self.hint:
            text += f"\n    fix: {self.hint}"
        return text

    def as_dict(self) -> dict[str, object]:
        """The problem as a JSON-ready mapping."""
        return asdict(self)


_PLAIN = frozenset({"yaml", "schema", "ref"})


def did_you_mean(word: str, candidates: Iterable[str], *, cutoff: float = 60.0) -> str | None:
    """The candidate closest to `word` (rapidfuzz), if one is close enough."""
    options = [c for c in candidates if c != word]
    if not options:
        return None
    scored = process.extract(word, options, scorer=fuzz.ratio, score_cutoff=cutoff, limit=None)
    if not scored:
        return None
    top = scored[0][1]
    # On a tie, fewer edits counting a swap of two letters as one: `lsit` is `list`, not
    # `lint` (both 75 by ratio).
    tied = [candidate for candidate, score, _i in scored if score == top]
    return min(tied, key=lambda candidate: OSA.distance(word, candidate))


def nearest(word: str, candidates: Sequence[str], limit: int = 3) -> list[str]:
    """Up to `limit` candidates nearest to `word`, best first (for 'known ids are ...')."""
    found = process.extract(word, list(candidates), scorer=fuzz.ratio, limit=limit)
    return [c for c, _score, _i in found]


def suggestion(word: str, candidates: Sequence[str]) -> str:
    """A ' — did you mean 'x'?' suffix, or a short list of known values, or ''."""
    close = did_you_mean(word, candidates)
    if close is not None:
        return f" — did you mean '{close}'?"
    if candidates:
        known = ", ".join(f"'{c}'" for c in nearest(word, candidates))
        return f" (nearest known: {known})"
    return ""
