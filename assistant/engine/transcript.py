"""The conversation so far as items a face draws, and the event a submitted answer makes.

A chat shows each step dealt with, in conversation order, under its phase's title: the
guide's words, the patient's prepared words (a meeting built on a preparation), then the
answer with who gave it — or the mark that it was skipped. `transcript(state)` lists those
steps; `asking(state)` is the step asked now. What counts as "dealt with", "asked again" and
"the prepared words, accepted as they are" is the state's (`assistant.engine.state`); this
module only reads it, so the TUI, a web front and the tests agree on it.

`answer_event`, `skip_event`, `join_event` and `undo_event` turn what someone did into the one
event it stands for. Which built-in steps a face treats specially (the comparison of options,
the decision asked again, the SURE score once the test is complete) is said here too, so no
face compares step ids itself. Pure: no Textual, no clock (the caller passes the time).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from pydantic import JsonValue

from assistant.engine.errors import AnswerError
from assistant.engine.events import AddParticipant, Answer, Edit, Event, Seen, Skip, Undo
from assistant.engine.records import AnswerRecord, PreparedRecord
from assistant.engine.state import SessionState
from assistant.engine.sure import SureScore, sure_score
from assistant.engine.values import plain, validate_value
from assistant.guides.flow import PHASE_TITLES, FlowStep
from assistant.guides.models import (
    DecisionAid,
    Guide,
    Language,
    MeetingGuide,
    Role,
    takes_answer,
    text_in,
)
from assistant.guides.step_ids import CHOICE, OPTIONS_OVERVIEW, SURE_IDS

__all__ = [
    "TranscriptItem",
    "answer_event",
    "asking",
    "is_prepared_value",
    "join_event",
    "phase_heading",
    "phase_title",
    "skip_event",
    "sure_complete",
    "transcript",
    "transcript_item",
    "undo_event",
]


@dataclass(frozen=True)
class TranscriptItem:
    """One step of the conversation as it is shown: the step, the patient's prepared words
    for it (if any) and its answer that counts (if any)."""

    step: FlowStep
    #: The patient's answer from a preparation session, shown before the step is answered.
    prepared: PreparedRecord | None
    #: The answer that counts; for a step asked again, the earlier one (it counts until then).
    answer: AnswerRecord | None
    #: True when the step was skipped (and not answered since).
    skipped: bool
    #: True when the step is asked again (the SURE loop) although it has an answer.
    reopened: bool
    #: True for the decision aid's comparison of options: shown with the options side by side.
    shows_options: bool = False
    #: True for the decision itself (asked again: "decide again", not "answer again").
    is_decision: bool = False

    @property
    def id(self) -> str:
        """The step's id."""
        return self.step.id

    @property
    def phase(self) -> str:
        """The id of the step's phase (a meeting guide's section)."""
        return self.step.phase

    @property
    def speaker(self) -> Role | None:
        """Who gave the answer that counts; None without one."""
        return self.answer.speaker if self.answer is not None else None

    @property
    def start_value(self) -> JsonValue:
        """What the answer field starts with when the step is asked: the prepared words, or
        (asked again) the earlier answer; as JSON data. None: an empty field."""
        if self.prepared is not None:
            return plain(self.prepared.value)
        if self.reopened and self.answer is not None:
            return plain(self.answer.value)
        return None


def transcript_item(state: SessionState, step_id: str) -> TranscriptItem:
    """Step `step_id` as an item, wherever it is in the conversation (e.g. the one just
    answered). Raises KeyError for an unknown step."""
    return TranscriptItem(step=state.step(step_id), prepared=state.prepared.get(step_id),
                          answer=state.answers.get(step_id), skipped=step_id in state.skipped,
                          reopened=step_id in state.reopened,
                          shows_options=step_id == OPTIONS_OVERVIEW
                          and isinstance(state.guide, DecisionAid),
                          is_decision=step_id == CHOICE)


def sure_complete(state: SessionState, step_id: str) -> SureScore | None:
    """The SURE score to tell once step `step_id` has been answered: when it was the last of
    the SURE questions the decision asks (none of them still to be asked again); else None."""
    if step_id not in SURE_IDS or any(item in state.reopened for item in SURE_IDS):
        return None
    score = sure_score(state)
    if score is None or score.asked < sum(1 for item in SURE_IDS if state.has_step(item)):
        return None
    return score


def transcript(state: SessionState) -> tuple[TranscriptItem, ...]:
    """Every step dealt with before the one asked now (answered, skipped or — information —
    seen), in conversation order; the whole conversation once it is finished."""
    dealt = {*state.answers, *state.skipped, *state.seen}
    current = state.current.id if state.current is not None else None
    items: list[TranscriptItem] = []
    for flow_step in state.steps:
        if flow_step.id == current:
            break
        if flow_step.id in dealt and flow_step.id in state.enabled_ids:
            items.append(transcript_item(state, flow_step.id))
    return tuple(items)


def asking(state: SessionState) -> TranscriptItem | None:
    """The step asked now, as an item (None when the conversation is finished)."""
    return transcript_item(state, state.current.id) if state.current is not None else None


# --- phases -----------------------------------------------------------------------------------


def phase_title(guide: Guide, phase: str, lang: Language) -> str:
    """The title of `phase` in `lang`: a meeting section's title, or a decision aid's phase
    name. Raises KeyError for a phase the guide does not have."""
    if isinstance(guide, MeetingGuide):
        for section in guide.sections:
            if section.id == phase:
                return text_in(section.title, lang)
        raise KeyError(phase)
    return text_in(PHASE_TITLES[phase], lang)


def phase_heading(guide: Guide, phase: str, lang: Language) -> str:
    """The heading a phase opens with in the chat: its title; for a meeting section also its
    time box ("(15 min)") and, on a line of its own, its introduction."""
    title = phase_title(guide, phase, lang)
    if isinstance(guide, MeetingGuide):
        section = next(s for s in guide.sections if s.id == phase)
        if section.timebox_minutes:
            title += f" ({section.timebox_minutes} min)"
        if section.intro:
            title += "\n" + text_in(section.intro, lang)
    return title


# --- events from what people did --------------------------------------------------------------


def is_prepared_value(state: SessionState, step_id: str, value: JsonValue) -> bool:
    """True when `value` is exactly the step's prepared answer (so: accepted as it is)."""
    record = state.prepared.get(step_id)
    if record is None:
        return False
    try:
        return validate_value(state.step(step_id).step, value) == record.value
    except AnswerError:
        return False


def answer_event(state: SessionState, step_id: str, value: JsonValue, speaker: Role,
                 at: dt.datetime, *, verbatim: str | None = None) -> Event:
    """The event for `value` submitted for step `step_id` by `speaker`.

    An information step is `Seen`. A step with an answer that counts — edited, or asked again
    by the SURE loop — gets an `Edit`; any other an `Answer`. The prepared words submitted as
    they are become the patient's, marked `prepared` (whoever is speaking; the words are the
    patient's). The event is not checked here: `Session.check` does that.
    Raises KeyError for an unknown step.
    """
    step = state.step(step_id).step
    if not takes_answer(step):
        return Seen(step=step_id, speaker=speaker, at=at)
    kind = Edit if step_id in state.answers else Answer
    if is_prepared_value(state, step_id, value):
        return kind(step=step_id, value=value, speaker="patient", at=at, prepared=True)
    return kind(step=step_id, value=value, speaker=speaker, at=at, verbatim=verbatim)


def skip_event(state: SessionState, step_id: str, speaker: Role, at: dt.datetime) -> Event:
    """The event for passing over step `step_id`: `Seen` for an information step (it takes no
    answer), else `Skip`. Raises KeyError for an unknown step."""
    if not takes_answer(state.step(step_id).step):
        return Seen(step=step_id, speaker=speaker, at=at)
    return Skip(step=step_id, speaker=speaker, at=at)


def join_event(role: Role, at: dt.datetime) -> Event:
    """The event for `role` joining the conversation (e.g. support asked for by SURE)."""
    return AddParticipant(role=role, at=at)


def undo_event(at: dt.datetime) -> Event:
    """The event that takes back the last answer, skip or step (checked by the session)."""
    return Undo(at=at)
