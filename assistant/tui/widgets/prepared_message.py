"""A meeting step's prepared answer in the chat.

A meeting started from a preparation session has the patient's prepared answers in its state
(`SessionState.prepared`). When such a step comes up, the chat shows the prepared words in a
message marked "Forberedt af patienten sammen med peer-medarbejderen", verbatim (plain text,
never markup), and the answer widget starts with them filled in. Submitting them unchanged
records an `Answer(prepared=True)` in the patient's name (`engine.transcript.answer_event`).
"""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Static

from assistant.language import Language
from assistant.text import clean_text
from assistant.tui.css import beside
from assistant.tui.strings import t

__all__ = ["PreparedMessage"]


class PreparedMessage(Static):
    """The patient's prepared answer, marked as prepared with the peer worker."""

    DEFAULT_CSS = beside(__file__)

    def __init__(self, text: str, lang: Language, *, step_id: str,
                 when: str | None = None) -> None:
        head = Content(t("prepared_by_patient", lang)).stylize("bold")
        if when:
            head = head + Content(" · ") + Content(when).stylize("dim")
        super().__init__(head + Content("\n") + Content(clean_text(text)), markup=False,
                         classes="prepared")
        self.step_id = step_id
