"""Who is speaking: one rule for the chat, `sdm replay` and the tests.

The record says who said what, so nobody may have to guess who the next answer will be
stored for. The rule, in full:

* The speaker changes only when a person changes it (F2 or a click in the chat; a `speaker:`
  in an answers file), or when the step being asked names a role in its `ask` and someone
  in that role is present. Then the screen shows the change, in words, before anything is
  typed.
* Otherwise the last speaker stays: no step, screen or resume resets it.
* When nobody has spoken yet (a new session), or the last speaker is not among those
  present, the first person present speaks (the patient, when the patient takes part).
* Editing an earlier answer (F5) starts with the speaker of that answer. Saving it with
  another speaker chosen corrects who said it, as an `Edit` event; the old record stays in
  the history. After the edit, the speaker before the edit is back.

Pure: the TUI and `answersfile` both call `speaker_for`; neither computes its own.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from assistant.engine.events import Answer, Edit, Note, Seen, SetInformationLevel, Skip
from assistant.engine.state import SessionState
from assistant.guides.models import Role

__all__ = ["SpeakerTurn", "last_speaker", "speaker_for", "speaker_for_edit"]

#: The events that are someone's turn in the conversation.
_TURNS = (Answer, Edit, Skip, Seen, SetInformationLevel, Note)

#: Why a role speaks now: the step asks it, it spoke last, or it is the first one present.
Reason = Literal["asked", "kept", "first"]


@dataclass(frozen=True)
class SpeakerTurn:
    """The speaker for the step being asked, and why."""

    role: Role
    reason: Reason
    #: True when `role` differs from the last speaker: the screen must say so.
    changed: bool


def last_speaker(state: SessionState) -> Role | None:
    """The speaker of the latest conversation event that counts (an answer, edit, skip,
    seen step, information level or note), or None if there is none.

    This is who spoke last when a session is resumed: resuming does not reset the speaker.
    Review events and prepared answers do not count: they are not a turn in the chat.
    """
    for event in reversed(state.effective_events):
        if isinstance(event, _TURNS) and event.speaker is not None:
            return event.speaker
    return None


def speaker_for(state: SessionState, present: Sequence[Role], last: Role | None, *,
                step_id: str | None = None) -> SpeakerTurn:
    """Who speaks for a step, given those `present` and the `last` speaker (the one shown
    now; None for a new session).

    The step is `step_id`, or the current step of `state` (when the conversation is
    finished, the last speaker stays). `present` must not be empty.
    """
    if not present:
        raise ValueError("nobody is present")
    step = state.step(step_id) if step_id is not None else state.current
    asked = step.step.ask if step is not None else None
    if asked is not None and asked in present:
        return SpeakerTurn(asked, "asked", changed=asked != last)
    if last is not None and last in present:
        return SpeakerTurn(last, "kept", changed=False)
    first = present[0]
    return SpeakerTurn(first, "first", changed=last is not None and first != last)


def speaker_for_edit(state: SessionState, step_id: str, present: Sequence[Role],
                     last: Role | None) -> Role:
    """Who speaks while the answer to `step_id` is edited: the one who gave it, if present;
    else `last` (or the first present). Raises KeyError for an unknown step."""
    state.step(step_id)
    record = state.answers.get(step_id)
    if record is not None and record.speaker in present:
        return record.speaker
    if last is not None and last in present:
        return last
    return present[0]
