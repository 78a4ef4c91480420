"""Answer widgets, one per step type; each posts `AnswerWidget.Submitted` with a JSON value."""

from __future__ import annotations

from assistant.guides.models import AnyStep, Language
from assistant.tui.answers.base import AnswerWidget
from assistant.tui.answers.choice import ChoiceAnswer
from assistant.tui.answers.date import DateAnswer
from assistant.tui.answers.info import InfoAnswer
from assistant.tui.answers.items import PeopleAnswer, TasksAnswer
from assistant.tui.answers.multi import MultiAnswer
from assistant.tui.answers.scale import ScaleAnswer
from assistant.tui.answers.text import LongTextAnswer, TextAnswer
from assistant.tui.answers.yesno import YesNoAnswer

_BY_TYPE: dict[str, type[AnswerWidget]] = {
    "info": InfoAnswer,
    "single": ChoiceAnswer,
    "multi": MultiAnswer,
    "scale": ScaleAnswer,
    "yesno": YesNoAnswer,
    "text": TextAnswer,
    "longtext": LongTextAnswer,
    "date": DateAnswer,
    "people": PeopleAnswer,
    "tasks": TasksAnswer,
}


def answer_widget(step: AnyStep, lang: Language, initial: object = None) -> AnswerWidget:
    """The widget that answers `step`, prefilled with `initial` (when editing)."""
    return _BY_TYPE[step.type](step, lang, initial)


__all__ = ["AnswerWidget", "answer_widget"]
