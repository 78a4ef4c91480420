"""Single choice: number keys or arrows and Enter; or free text matched to a choice.

Free text typed where a choice is expected is matched with rapidfuzz ("medicn" → "Medicin").
A certain match is taken at once; an uncertain one is highlighted and confirmed with a second
Enter. Either way the typed words are kept verbatim as the patient's own words.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.content import Content
from textual.events import Key
from textual.widgets import Input, OptionList
from textual.widgets.option_list import Option

from assistant.engine.values import match_choice
from assistant.guides.models import MultiStep, SingleStep, text_in
from assistant.text import clean_text
from assistant.tui.answers.base import AnswerWidget
from assistant.tui.css import beside
from assistant.tui.strings import t


class ChoiceAnswer(AnswerWidget):
    """Pick one choice."""

    HINT = "choose_hint"
    DEFAULT_CSS = beside(__file__)

    def __init__(self, step: SingleStep | MultiStep, lang: str, initial: object = None) -> None:
        super().__init__(step, lang, initial)  # type: ignore[arg-type]
        self._pending: tuple[str, str] | None = None  # (choice id, typed words) to confirm

    @property
    def choices(self) -> list[tuple[str, str]]:
        """(id, label) of every choice, in order."""
        step = self.step
        assert isinstance(step, (SingleStep, MultiStep))
        return [(c.id, text_in(c.label, self.lang)) for c in step.choices]

    def inputs(self) -> ComposeResult:
        options = [Option(Content(f"{i}. ") + Content(clean_text(label)), id=cid)
                   for i, (cid, label) in enumerate(self.choices, start=1)]
        option_list = OptionList(*options, id="choices")
        ids = [cid for cid, _ in self.choices]
        option_list.highlighted = ids.index(self.initial) if self.initial in ids else 0
        yield option_list
        yield Input(placeholder=t("own_words_hint", self.lang), id="own-words", compact=True)

    def on_key(self, event: Key) -> None:
        # Number keys pick a choice while the list has the focus (the input takes digits).
        if self.query_one(OptionList).has_focus and event.character and event.character.isdigit():
            index = int(event.character) - 1
            if 0 <= index < len(self.choices):
                event.stop()
                self.submit(self.choices[index][0])

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        choice_id = str(event.option.id)
        verbatim = None
        if self._pending and self._pending[0] == choice_id:
            verbatim = self._pending[1]
        self.submit(choice_id, verbatim)

    @on(Input.Submitted, "#own-words")
    def _typed(self, event: Input.Submitted) -> None:
        event.stop()
        text = clean_text(event.value).strip()
        if not text:
            self.show_error(t("empty", self.lang))
            return
        if self._pending and self._pending[1] == text:
            self.submit(self._pending[0], text)  # the second Enter confirms
            return
        if text.isdigit() and 1 <= int(text) <= len(self.choices):
            self.submit(self.choices[int(text) - 1][0])
            return
        choice_id, _score, certain = match_choice(self.step, text, self.lang)
        if choice_id is None:
            self.show_error(t("no_match_choice", self.lang))
            return
        if certain:
            self.submit(choice_id, text)
            return
        self._pending = (choice_id, text)
        ids = [cid for cid, _ in self.choices]
        self.query_one(OptionList).highlighted = ids.index(choice_id)
        label = dict(self.choices)[choice_id]
        self.show_hint(f"{t('did_you_mean', self.lang)} “{label}”? {t('confirm_match', self.lang)}")
