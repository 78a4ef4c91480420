"""Answers files for `sdm replay`: YAML data in, events and located problems out.

```yaml
language: da                      # optional; default: the guide's language
participants: [patient, clinician]   # optional; a role, or {role: relative, name: Mette}
prepared:                         # optional, for a meeting built on a preparation session:
  personlig-udtalelse: "Jeg vil gerne selv bestemme."   # meeting step: the prepared answer
answers:
  - {step: information_level, value: some, speaker: patient}
  - {step: naerhed, value: 7}                    # speaker: the speaker rule (engine/speaker)
  - {step: bekymring, skip: true}                # a skip instead of an answer
  - {step: naerhed, value: 5, edit: true}        # change an earlier answer
  - {step: options_overview, seen: true}         # pass an information step explicitly
  - {step: choice, value: option-id, verbatim: "the patient's words", at: "2026-01-05T10:00:00Z"}
  - {step: personlig-udtalelse, value: "Jeg vil gerne selv bestemme.", prepared: true}
```

`prepared:` gives, per meeting step with `prepared`, what the patient prepared with the peer
worker (a `Prepared` event each, from a preparation session called `answers-file`); an answer
with `prepared: true` accepts those words as they are.

Every entry is checked (the whole file, not up to the first error) and every problem is
located at its line and column. Timestamps are deterministic: answer number n (from 0) is at
2000-01-01T00:00:00Z plus n seconds unless it gives `at`; participants join at that start.
Pure: no file or console access here (see `replay` for that).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import ValidationError

from assistant.engine.errors import AnswerError, EngineError, kind_of, quote
from assistant.engine.events import AddParticipant, Answer, Edit, Event, Prepared, Seen, Skip
from assistant.engine.session import Session
from assistant.engine.speaker import speaker_for, speaker_for_edit
from assistant.engine.state import SessionState
from assistant.guides.models import LANGUAGES, ROLES, Guide, Language, Role
from assistant.guides.problems import Problem, suggestion
from assistant.guides.yamlsubset import Path, Positions

__all__ = ["MAX_OFFSET", "START", "fhir_time", "replay_answers"]

#: When the first answer is given, unless the file says otherwise.
START = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
#: The largest time-zone offset FHIR's dateTime and instant allow (either way).
MAX_OFFSET = dt.timedelta(hours=14)
_AT_FORMAT = ("'at' must be a date and time with a time zone, like 2026-01-05T10:00:00Z")
_AT_RANGE = ("'at' must be a time FHIR can hold: a time zone within -14:00 to +14:00 and a "
             "year from 0001 to 9999 in UTC")

_TOP_KEYS = ("language", "participants", "prepared", "answers")
_ENTRY_KEYS = ("step", "value", "speaker", "verbatim", "skip", "edit", "seen", "prepared", "at")
_FLAGS = ("skip", "edit", "seen")
#: The preparation session named by `Prepared` events from an answers file.
PREPARED_SOURCE = "answers-file"
_FIELD_LIMITS = {
    "step": "'step' is too long to be a step id",
    "verbatim": "'verbatim' must be 1 to 10000 characters",
    "value": "'value' must be plain data (text, numbers, true/false, lists, mappings)",
}


class _Problems:
    """Collects problems located by data path in one answers file."""

    def __init__(self, file: str, positions: Positions) -> None:
        self.file = file
        self.positions = positions
        self.found: list[Problem] = []

    def add(self, path: Path, message: str, *, key: bool = False) -> None:
        line, column = self.positions.of_key(path) if key else self.positions.of_value(path)
        self.found.append(Problem(self.file, line, column, message))


def _role(value: object, path: Path, problems: _Problems) -> Role | None:
    if isinstance(value, str) and value in ROLES:
        return next(r for r in ROLES if r == value)
    if isinstance(value, str):
        problems.add(path, f"unknown role {quote(value)}{suggestion(value, ROLES)}")
    else:
        problems.add(path, f"expected a role ({', '.join(ROLES)}), got {kind_of(value)}")
    return None


def _unknown_keys(entry: dict[str, Any], allowed: tuple[str, ...], path: Path,
                  problems: _Problems) -> bool:
    bad = [k for k in entry if k not in allowed]
    for key in bad:
        problems.add((*path, key), f"unknown key {quote(key)}{suggestion(key, allowed)}",
                     key=True)
    return bool(bad)


def replay_answers(
    guide: Guide, data: Any, positions: Positions | None, file: str
) -> tuple[SessionState | None, list[Problem]]:
    """Check an answers file's data against `guide` and replay it.

    Returns the final state and no problems, or None and every problem found (sorted by
    position). Nothing is half-applied: a state is returned only when the whole file is good.
    """
    problems = _Problems(file, positions or Positions())
    if not isinstance(data, dict):
        problems.add((), "an answers file is a mapping with 'answers:' (and optionally "
                     "'language:' and 'participants:')")
        return None, problems.found
    _unknown_keys(data, _TOP_KEYS, (), problems)

    language: Language = guide.language
    if "language" in data:
        chosen = data["language"]
        if isinstance(chosen, str) and chosen in LANGUAGES:
            language = "en" if chosen == "en" else "da"
        else:
            problems.add(("language",), f"language must be one of: {', '.join(LANGUAGES)}")

    session = Session(guide, language=language)
    joining = _participants(data.get("participants"), problems)
    for joined, where in joining:
        _apply(session, joined, where, problems)
    # Who is present decides whether a step's `ask` applies (the speaker rule). Without a
    # participants list, anyone the guide asks for counts as present, the patient first.
    present: list[Role] = [e.role for e, _ in joining if isinstance(e, AddParticipant)]
    turn = _Turn(list(dict.fromkeys(present)) or list(ROLES))
    for prepared, where in _prepared(session, data.get("prepared"), problems):
        _apply(session, prepared, where, problems)

    if "answers" not in data:
        problems.add((), "missing key 'answers': a list of {step, value, speaker}")
    elif not isinstance(data["answers"], list):
        problems.add(("answers",), f"'answers' must be a list, got {kind_of(data['answers'])}")
    else:
        for index, entry in enumerate(data["answers"]):
            path: Path = ("answers", index)
            event = _entry(session, entry, index, path, problems, turn)
            if event is not None:
                _apply(session, event, path, problems)
                if isinstance(event, (Answer, Edit, Skip, Seen)) and event.speaker is not None:
                    turn.last = event.speaker

    if problems.found:
        return None, sorted(problems.found)
    return session.state, []


def _apply(session: Session, event: Event, path: Path, problems: _Problems) -> None:
    try:
        session.apply(event)
    except AnswerError as exc:
        problems.add((*path, "value"), exc.message)
    except EngineError as exc:
        where = (*path, "step") if isinstance(event, (Answer, Edit, Skip, Seen)) else path
        problems.add(where, exc.message)


def _prepared(session: Session, raw: object, problems: _Problems) -> list[tuple[Event, Path]]:
    """`prepared:` as one `Prepared` event per meeting step, at the start."""
    if raw is None:
        return []
    if not isinstance(raw, dict):
        problems.add(("prepared",), "'prepared' maps meeting steps to the prepared answers, "
                     f"got {kind_of(raw)}")
        return []
    out: list[tuple[Event, Path]] = []
    for step_id, value in raw.items():
        path: Path = ("prepared", step_id)
        state = session.state
        source = state.step(step_id).step.prepared if state.has_step(step_id) else None
        if source is None:
            known = [s.id for s in state.steps if s.step.prepared is not None]
            problems.add(path, f"{quote(str(step_id))} is not a step with 'prepared'"
                         f"{suggestion(str(step_id), known)}", key=True)
            continue
        try:
            out.append((Prepared(step=step_id, value=value, source_session=PREPARED_SOURCE,
                                 source_step=source, prepared_at=START, at=START), path))
        except ValidationError:
            problems.add(path, _FIELD_LIMITS["value"])
    return out


def _participants(raw: object, problems: _Problems) -> list[tuple[Event, Path]]:
    if raw is None:
        return []
    if not isinstance(raw, list):
        problems.add(("participants",), f"'participants' must be a list, got {kind_of(raw)}")
        return []
    out: list[tuple[Event, Path]] = []
    for index, item in enumerate(raw):
        path: Path = ("participants", index)
        name: str | None = None
        if isinstance(item, dict):
            if _unknown_keys(item, ("role", "name"), path, problems):
                continue
            if "role" not in item:
                problems.add(path, "missing key 'role'")
                continue
            raw_name = item.get("name")
            if raw_name is not None and not isinstance(raw_name, str):
                problems.add((*path, "name"), f"a name must be text, got {kind_of(raw_name)}")
                continue
            name = raw_name
            role = _role(item["role"], (*path, "role"), problems)
        else:
            role = _role(item, path, problems)
        if role is None:
            continue
        try:
            out.append((AddParticipant(role=role, name=name, at=START), path))
        except ValidationError:
            problems.add((*path, "name"), "a name must be 1 to 200 characters, not blank")
    return out


class _Turn:
    """Who speaks next in an answers file: the people present and the last speaker."""

    def __init__(self, present: list[Role]) -> None:
        self.present = present
        self.last: Role | None = None

    def speaker(self, session: Session, step_id: str, *, edit: bool) -> Role:
        """The speaker rule (`engine.speaker`) for an entry without `speaker:`."""
        if edit:
            return speaker_for_edit(session.state, step_id, self.present, self.last)
        return speaker_for(session.state, self.present, self.last, step_id=step_id).role


def _entry(
    session: Session, entry: object, index: int, path: Path, problems: _Problems,
    turn: _Turn,
) -> Event | None:
    """The event one answers entry stands for, or None after reporting its problems."""
    if not isinstance(entry, dict):
        problems.add(path, f"an answer is a mapping like {{step: ..., value: ...}}, "
                     f"got {kind_of(entry)}")
        return None
    before = len(problems.found)
    _unknown_keys(entry, _ENTRY_KEYS, path, problems)

    step_id = entry.get("step")
    if "step" not in entry:
        problems.add(path, "missing key 'step'")
    elif not isinstance(step_id, str):
        problems.add((*path, "step"), f"'step' must be a step id, got {kind_of(step_id)}")

    kind = _kind_of_entry(entry, path, problems)
    if kind in ("skip", "seen"):
        for key in ("value", "verbatim"):
            if key in entry:
                problems.add((*path, key), f"a {kind} entry takes no '{key}'", key=True)
    elif kind is not None and "value" not in entry:
        problems.add(path, "missing key 'value' (or write 'skip: true' to skip the step)")

    prepared = entry.get("prepared", False)
    if not isinstance(prepared, bool):
        problems.add((*path, "prepared"), f"'prepared' must be true or false, got "
                     f"{kind_of(prepared)}")
    elif prepared and kind not in ("answer", "edit"):
        problems.add((*path, "prepared"), f"a {kind} entry cannot be 'prepared'", key=True)

    verbatim = entry.get("verbatim")
    if verbatim is not None and not isinstance(verbatim, str):
        problems.add((*path, "verbatim"), f"'verbatim' must be text, got {kind_of(verbatim)}")

    at = START + dt.timedelta(seconds=index)
    if "at" in entry:
        parsed = _time(entry["at"])
        if parsed is None:
            problems.add((*path, "at"), _AT_FORMAT)
        elif not fhir_time(parsed):
            problems.add((*path, "at"), _AT_RANGE)
        else:
            at = parsed

    speaker: Role | None = None
    if "speaker" in entry:
        speaker = _role(entry["speaker"], (*path, "speaker"), problems)
    elif isinstance(step_id, str) and session.state.has_step(step_id):
        speaker = turn.speaker(session, step_id, edit=kind == "edit")
    else:
        speaker = "patient"

    if len(problems.found) > before or not isinstance(step_id, str) or speaker is None:
        return None
    try:
        if kind == "skip":
            return Skip(step=step_id, speaker=speaker, at=at)
        if kind == "seen":
            return Seen(step=step_id, speaker=speaker, at=at)
        # A step the SURE loop reopened is answered anew: an edit of its earlier answer.
        reopened = step_id in session.state.reopened
        cls = Edit if kind == "edit" or reopened else Answer
        return cls(step=step_id, value=entry["value"], speaker=speaker, at=at,
                   verbatim=verbatim, prepared=prepared is True)
    except ValidationError as exc:
        for error in exc.errors(include_input=False):
            field = str(error["loc"][0]) if error["loc"] else "step"
            problems.add((*path, field), _FIELD_LIMITS.get(field, f"'{field}' is not valid"))
        return None


def _kind_of_entry(entry: dict[str, Any], path: Path, problems: _Problems) -> str | None:
    """`answer`, `edit`, `skip` or `seen`; None (reported) when the flags are wrong."""
    flags: list[str] = []
    ok = True
    for flag in _FLAGS:
        value = entry.get(flag, False)
        if not isinstance(value, bool):
            problems.add((*path, flag), f"'{flag}' must be true or false, got {kind_of(value)}")
            ok = False
        elif value:
            flags.append(flag)
    if len(flags) > 1:
        problems.add(path, f"choose one of {' and '.join(flags)}")
        ok = False
    if not ok:
        return None
    return flags[0] if flags else "answer"


def fhir_time(moment: dt.datetime) -> bool:
    """True when FHIR (and every export) can hold `moment`: it has a time zone, the offset is
    within ±14:00 (`MAX_OFFSET`), and in UTC it falls in the years 0001 to 9999.

    The one rule for times from outside: an answers file's `at` is refused (with its line
    and column) unless it holds, so no such time reaches a draft, an export or the store.
    """
    offset = moment.utcoffset()
    if offset is None or abs(offset) > MAX_OFFSET:
        return False
    try:
        moment.astimezone(dt.UTC)
    except OverflowError:  # e.g. 9999-12-31T23:59:59-23:59 is in the year 10000 in UTC
        return False
    return True


def _time(raw: object) -> dt.datetime | None:
    if not isinstance(raw, str):
        return None
    try:
        parsed = dt.datetime.fromisoformat(raw)
    except ValueError:
        return None
    return parsed if parsed.tzinfo is not None else None
