"""Answer values per step type: checking what was given, and matching free text to a choice.

`validate_value` turns raw JSON data into the canonical value the state keeps:

=========  ===================================================  ==============================
step type  raw value                                            canonical value
=========  ===================================================  ==============================
single     a choice id                                          str
multi      a list of distinct choice ids (at least one)         tuple[str, ...] in choice order
scale      a whole number from `min` to `max`                   int
yesno      true or false                                        bool
text       text, not blank, at most `max_length` characters     str (stripped)
longtext   as text                                              str (stripped)
date       "YYYY-MM-DD", a real date                            str
people     a list of {name, relation, helps, when, contact}     tuple[Person, ...]
tasks      a list of {what, who, by}                            tuple[Task, ...]
info       (not answerable)                                     –
=========  ===================================================  ==============================

Canonical values are immutable (tuples, frozen models) so the state can be frozen too;
`plain` turns one back into JSON data, e.g. for an `Edit` event or an export.
Error messages never quote the patient's text: only ids and short, one-line values.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from typing import Annotated, assert_never

from pydantic import BaseModel, ConfigDict, Field, JsonValue
from rapidfuzz import fuzz
from rapidfuzz.utils import default_process

from assistant.engine.errors import AnswerError, kind_of, quote
from assistant.guides.models import (
    AnyStep,
    DateStep,
    InfoStep,
    Language,
    LocalText,
    LongTextStep,
    MultiStep,
    PeopleStep,
    ScaleStep,
    SingleStep,
    TasksStep,
    TextStep,
    YesNoStep,
    choices_of,
)
from assistant.guides.problems import did_you_mean

__all__ = [
    "DATE_FORMATS",
    "MATCH_CERTAIN",
    "MATCH_MARGIN",
    "MATCH_MINIMUM",
    "AnswerError",
    "Person",
    "Task",
    "Value",
    "match_choice",
    "parse_date",
    "plain",
    "validate_value",
]

MAX_ITEMS = 100
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class _Item(BaseModel):
    model_config = ConfigDict(extra="forbid", hide_input_in_errors=True, frozen=True)


class Person(_Item):
    """Someone in the patient's network: only the name is required."""

    name: Annotated[str, Field(min_length=1, max_length=200)]
    relation: Annotated[str, Field(max_length=200)] | None = None
    helps: Annotated[str, Field(max_length=2000)] | None = None
    when: Annotated[str, Field(max_length=500)] | None = None
    contact: Annotated[str, Field(max_length=500)] | None = None


class Task(_Item):
    """One next step: what, who does it, and (optionally) by when (YYYY-MM-DD)."""

    what: Annotated[str, Field(min_length=1, max_length=2000)]
    who: Annotated[str, Field(min_length=1, max_length=200)]
    by: Annotated[str, Field(pattern=r"^\d{4}-\d{2}-\d{2}$")] | None = None


#: A checked answer, as the state keeps it.
Value = str | int | bool | tuple[str, ...] | tuple[Person, ...] | tuple[Task, ...]

_PERSON_KEYS = tuple(Person.model_fields)
_TASK_KEYS = tuple(Task.model_fields)
_REQUIRED_KEYS = {"person": ("name",), "task": ("what", "who")}


# --- messages ---------------------------------------------------------------------------------


def _listing(ids: Sequence[str], limit: int = 10) -> str:
    shown = ", ".join(ids[:limit])
    return shown + (", …" if len(ids) > limit else "")


# --- validation -------------------------------------------------------------------------------


def validate_value(step: AnyStep, raw: object) -> Value:
    """Check `raw` against `step` and return the canonical value (see the module table).

    Raises:
        AnswerError: the value does not fit the step; the message says what is expected.
            Info steps take no answer, so they always raise.
    """
    match step:
        case SingleStep():
            return _choice_id(step, raw)
        case MultiStep():
            return _choice_ids(step, raw)
        case ScaleStep():
            return _scale(step, raw)
        case TextStep() | LongTextStep():
            return _text(step, raw)
        case YesNoStep():
            if not isinstance(raw, bool):
                raise AnswerError(f"expected true or false, got {kind_of(raw)}")
            return raw
        case DateStep():
            return _date(raw)
        case PeopleStep():
            return tuple(Person(**fields) for fields in _items(raw, "person", _PERSON_KEYS))
        case TasksStep():
            return tuple(Task(**fields) for fields in _items(raw, "task", _TASK_KEYS))
        case InfoStep():
            raise AnswerError("this step is information only: it takes no answer")
        case _:
            assert_never(step)


def _choice_id(step: SingleStep | MultiStep, raw: object) -> str:
    ids = [c.id for c in step.choices]
    if not isinstance(raw, str):
        raise AnswerError(f"expected a choice id (one of: {_listing(ids)}), got {kind_of(raw)}")
    if raw not in ids:
        close = did_you_mean(raw, ids)
        hint = f" — did you mean '{close}'?" if close else ""
        raise AnswerError(f"{quote(raw)} is not a choice here{hint} (choices: {_listing(ids)})")
    return raw


def _choice_ids(step: MultiStep, raw: object) -> tuple[str, ...]:
    if not isinstance(raw, (list, tuple)):
        raise AnswerError(f"expected a list of choice ids, got {kind_of(raw)}")
    if not raw:
        raise AnswerError("choose at least one, or skip the step")
    chosen: set[str] = set()
    for item in raw:
        choice = _choice_id(step, item)
        if choice in chosen:
            raise AnswerError(f"'{choice}' is chosen more than once")
        chosen.add(choice)
    # Choice order, not click order: the same selection always gives the same value.
    return tuple(c.id for c in step.choices if c.id in chosen)


def _scale(step: ScaleStep, raw: object) -> int:
    span = f"a whole number from {step.min} to {step.max}"
    if isinstance(raw, bool) or not isinstance(raw, int):
        raise AnswerError(f"expected {span}, got {kind_of(raw)}")
    if not step.min <= raw <= step.max:
        raise AnswerError(f"{raw} is outside the scale: expected {span}")
    return raw


def _text(step: TextStep | LongTextStep, raw: object) -> str:
    if not isinstance(raw, str):
        raise AnswerError(f"expected text, got {kind_of(raw)}")
    text = raw.strip()
    if not text:
        raise AnswerError("the answer is empty: write something, or skip the step")
    if len(text) > step.max_length:
        raise AnswerError(
            f"the answer is too long: at most {step.max_length} characters (got {len(text)})"
        )
    return text


def _date(raw: object) -> str:
    if not isinstance(raw, str) or not _DATE.match(raw):
        shown = quote(raw) if isinstance(raw, str) else kind_of(raw)
        raise AnswerError(f"expected a date written as YYYY-MM-DD, got {shown}")
    try:
        dt.date.fromisoformat(raw)
    except ValueError:
        raise AnswerError(f"{quote(raw)} is not a real date") from None
    return raw


#: The date formats `parse_date` accepts, in words for messages.
DATE_FORMATS = "DD-MM-YYYY, DD.MM.YYYY or YYYY-MM-DD"
_DANISH_DATE = re.compile(r"^(\d{1,2})[-./](\d{1,2})[-./](\d{4})$")


def parse_date(text: str) -> str | None:
    """The ISO date (YYYY-MM-DD) for a date as a person writes it, or None if it is none.

    Accepts YYYY-MM-DD and the Danish DD-MM-YYYY, DD.MM.YYYY (and DD/MM/YYYY); the one
    parser for dates typed in the chat and given on the command line (`sdm agenda --date`).
    """
    text = text.strip()
    match = _DANISH_DATE.match(text)
    try:
        if match:
            day, month, year = (int(g) for g in match.groups())
            return dt.date(year, month, day).isoformat()
        return dt.date.fromisoformat(text).isoformat() if len(text) == 10 else None
    except ValueError:
        return None


def _items(raw: object, what: str, keys: tuple[str, ...]) -> list[dict[str, str | None]]:
    """Check a people/tasks list; each entry becomes keyword arguments for its model."""
    if not isinstance(raw, (list, tuple)):
        raise AnswerError(f"expected a list of {what}s, got {kind_of(raw)}")
    if not raw:
        raise AnswerError(f"add at least one {what}, or skip the step")
    if len(raw) > MAX_ITEMS:
        raise AnswerError(f"at most {MAX_ITEMS} {what}s")
    fields = (Person if what == "person" else Task).model_fields
    out: list[dict[str, str | None]] = []
    for number, entry in enumerate(raw, start=1):
        if isinstance(entry, BaseModel):
            entry = entry.model_dump()
        if not isinstance(entry, Mapping):
            raise AnswerError(f"{what} {number}: expected a mapping, got {kind_of(entry)}")
        item: dict[str, str | None] = {}
        for key, value in entry.items():
            if key not in keys:
                close = did_you_mean(str(key), keys)
                hint = f" — did you mean '{close}'?" if close else f" (keys: {', '.join(keys)})"
                raise AnswerError(f"{what} {number}: unknown key {quote(str(key))}{hint}")
            if value is not None and not isinstance(value, str):
                raise AnswerError(f"{what} {number}: '{key}' must be text, got {kind_of(value)}")
            # A blank optional field means "not given", as if the key were absent.
            item[key] = (value.strip() or None) if value is not None else None
        for key in _REQUIRED_KEYS[what]:
            if item.get(key) is None:
                raise AnswerError(f"{what} {number}: '{key}' is required")
        for key, text in item.items():
            limit = _max_length(fields[key].metadata)
            if text is not None and limit is not None and len(text) > limit:
                raise AnswerError(f"{what} {number}: '{key}' is too long (at most {limit})")
        if what == "task" and item.get("by") is not None:
            try:
                _date(item["by"])
            except AnswerError as exc:
                raise AnswerError(f"task {number}: 'by': {exc.message}") from None
        out.append(item)
    return out


def _max_length(metadata: list[object]) -> int | None:
    for meta in metadata:
        limit = getattr(meta, "max_length", None)
        if isinstance(limit, int):
            return limit
    return None


def plain(value: Value) -> JsonValue:
    """A canonical value as JSON data (lists and mappings), e.g. to send it back in an Edit."""
    if isinstance(value, tuple):
        return [item.model_dump() if isinstance(item, BaseModel) else item for item in value]
    return value


# --- free text → choice -----------------------------------------------------------------------

#: A match is certain at this score or more, when it is also clearly ahead of the runner-up.
MATCH_CERTAIN = 85.0
#: "Clearly ahead": at least this many points above the best other choice.
MATCH_MARGIN = 10.0
#: Below this score nothing is suggested at all.
MATCH_MINIMUM = 60.0
#: Labels in the other language, and choice ids, weigh a little less than the asked language.
_OTHER_WEIGHT = 0.95


def _candidates(label: str | LocalText, choice_id: str, lang: Language) -> list[tuple[str, float]]:
    if isinstance(label, str):
        texts = [(label, 1.0)]
    else:
        own, other = (label.en, label.da) if lang == "en" else (label.da, label.en)
        texts = [(own or label.da, 1.0)]
        if other:
            texts.append((other, _OTHER_WEIGHT))
    texts.append((choice_id.replace("-", " ").replace("_", " "), _OTHER_WEIGHT))
    return [(default_process(text), weight) for text, weight in texts]


def _score(query: str, candidate: str) -> float:
    """How well `query` matches `candidate` (both processed), 0–100.

    The best of: the whole strings (typos: "medicn" ~ "medicin"), the words of one inside the
    other ("alt med detaljer" ~ "alt med detaljer og kilder"), and the query as a fragment of
    the label ("lidt" ~ "lidt det vigtigste kort"). Not rapidfuzz's WRatio: it scores any
    shared short word ("med", "og") as a near-perfect partial match.
    """
    scores = [fuzz.ratio(query, candidate)]
    if " " in query:
        scores.append(fuzz.token_set_ratio(query, candidate) * 0.95)
    if len(query) >= 3:
        scores.append(fuzz.partial_ratio(query, candidate) * 0.9)
    return max(scores)


def match_choice(step: AnyStep, text: str, lang: Language) -> tuple[str | None, float, bool]:
    """Match free text (what someone typed or said) to one of a choice step's choices.

    Every choice is scored (0–100, case and punctuation ignored) against its label in `lang`,
    its label in the other language and its id; "medicn" finds "Medicin".

    Returns:
        (choice id, score, certain). The id is None when no choice scores at least
        `MATCH_MINIMUM`. `certain` is True when the score is at least `MATCH_CERTAIN` and at
        least `MATCH_MARGIN` above every other choice, and the text is neither a one- or
        two-letter fragment nor a sentence much longer than the label: then the UI may take
        the match without asking back. Words are not understood ("ikke medicin" still finds
        "Medicin"), which is why a long sentence is never certain.

    Raises:
        AnswerError: the step has no choices (it is not a single- or multi-choice step).
    """
    choices = choices_of(step)
    if not choices:
        raise AnswerError(f"step '{step.id}' has no choices to match")
    query = default_process(text)
    if not query:
        return None, 0.0, False
    scored: list[tuple[float, str, str]] = []
    for choice in choices:
        best, matched = 0.0, ""
        for candidate, weight in _candidates(choice.label, choice.id, lang):
            score = 100.0 * weight if candidate == query else _score(query, candidate) * weight
            if score > best:
                best, matched = score, candidate
        scored.append((best, matched, choice.id))
    scored.sort(key=lambda item: -item[0])  # stable: ties keep the guide's order
    score, matched, choice_id = scored[0]
    if score < MATCH_MINIMUM:
        return None, score, False
    runner_up = scored[1][0] if len(scored) > 1 else 0.0
    certain = (
        score >= MATCH_CERTAIN
        and score - runner_up >= MATCH_MARGIN
        and (len(query) >= 3 or query == matched)
        and len(query.split()) <= len(matched.split()) + 2
    )
    return choice_id, score, certain
