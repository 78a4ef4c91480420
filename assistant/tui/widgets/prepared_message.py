"""A meeting step's prepared answer in the chat, and how a submitted answer relates to it.

A meeting started from a preparation session has the patient's prepared answers in its state
(`SessionState.prepared`). When such a step comes up, the chat shows the prepared words in a
message marked "Forberedt af patienten sammen med peer-medarbejderen", verbatim (plain text,
never markup), and the answer widget starts with them filled in. Submitting them unchanged
records an `Answer(prepared=True)` in the patient's name.
"""

from __future__ import annotations

from pydantic import JsonValue
from textual.content import Content
from textual.widgets import Static

from assistant.engine.errors import AnswerError
from assistant.engine.state import SessionState
from assistant.engine.values import plain as plain_value
from assistant.engine.values import validate_value
from assistant.guides.models import Language
from assistant.text import clean_text
from assistant.tui.strings import t
from assistant.wording import value_text

__all__ = ["PreparedMessage", "initial_value", "is_prepared_value", "prepared_message"]


class PreparedMessage(Static):
    """The patient's prepared answer, marked as prepared with the peer worker."""

    DEFAULT_CSS = """
    PreparedMessage { margin: 1 8 0 4; padding: 0 1; border-left: thick $success;
                      background: $success 10%; }
    """

    def __init__(self, text: str, lang: Language, *, step_id: str,
                 when: str | None = None) -> None:
        head = Content(t("prepared_by_patient", lang)).stylize("bold")
        if when:
            head = head + Content(" · ") + Content(when).stylize("dim")
        super().__init__(head + Content("\n") + Content(clean_text(text)), markup=False,
                         classes="prepared")
        self.step_id = step_id


def prepared_message(state: SessionState, step_id: str, lang: Language) -> PreparedMessage | None:
    """The chat message for the step's prepared answer, or None when it has none."""
    record = state.prepared.get(step_id)
    if record is None:
        return None
    step = state.step(step_id).step
    return PreparedMessage(value_text(step, record.value, lang), lang, step_id=step_id,
                           when=record.prepared_at.astimezone().strftime("%Y-%m-%d"))


def initial_value(state: SessionState, step_id: str) -> JsonValue:
    """The step's prepared answer as JSON data for the answer widget, or None."""
    record = state.prepared.get(step_id)
    return None if record is None else plain_value(record.value)


def is_prepared_value(state: SessionState, step_id: str, value: JsonValue) -> bool:
    """True when `value` is exactly the step's prepared answer (so: accepted as it is)."""
    record = state.prepared.get(step_id)
    if record is None:
        return False
    try:
        return validate_value(state.step(step_id).step, value) == record.value
    except AnswerError:
        return False
