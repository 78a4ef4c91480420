"""Answer widgets, one per step type; each posts `AnswerWidget.Submitted` with a JSON value."""

from __future__ import annotations

from typing import assert_never

from assistant.guides.models import (
    AnyStep,
    DateStep,
    InfoStep,
    Language,
    LongTextStep,
    MultiStep,
    PeopleStep,
    ScaleStep,
    SingleStep,
    TasksStep,
    TextStep,
    YesNoStep,
)
from assistant.tui.answers.base import AnswerWidget
from assistant.tui.answers.choice import ChoiceAnswer
from assistant.tui.answers.date import DateAnswer
from assistant.tui.answers.info import InfoAnswer
from assistant.tui.answers.items import PeopleAnswer, TasksAnswer
from assistant.tui.answers.multi import MultiAnswer
from assistant.tui.answers.scale import ScaleAnswer
from assistant.tui.answers.text import LongTextAnswer, TextAnswer
from assistant.tui.answers.yesno import YesNoAnswer


def widget_class(step: AnyStep) -> type[AnswerWidget]:
    """The kind of widget that answers `step` (one per step type)."""
    match step:
        case InfoStep():
            return InfoAnswer
        case SingleStep():
            return ChoiceAnswer
        case MultiStep():
            return MultiAnswer
        case ScaleStep():
            return ScaleAnswer
        case YesNoStep():
            return YesNoAnswer
        case TextStep():
            return TextAnswer
        case LongTextStep():
            return LongTextAnswer
        case DateStep():
            return DateAnswer
        case PeopleStep():
            return PeopleAnswer
        case TasksStep():
            return TasksAnswer
        case _:
            assert_never(step)


def answer_widget(step: AnyStep, lang: Language, initial: object = None) -> AnswerWidget:
    """The widget that answers `step`, prefilled with `initial` (when editing)."""
    return widget_class(step)(step, lang, initial)


__all__ = ["AnswerWidget", "answer_widget", "widget_class"]
