"""Words shared by every front end and export: role names, and answers as readable text.

No Textual here: the chat UI, the summary, the plan draft and the exports all say "Patienten"
and format a list of people the same way. The words come from the one message catalogue
(`assistant.catalogue`); here is only how an answer becomes text.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import assert_never

from assistant.catalogue import has, t
from assistant.engine.values import Person, Task, Value
from assistant.guides.models import (
    AnyStep,
    DateStep,
    InfoStep,
    Language,
    LongTextStep,
    MultiStep,
    PeopleStep,
    Role,
    ScaleStep,
    SingleStep,
    TasksStep,
    TextStep,
    YesNoStep,
    choices_of,
    text_in,
)


def youth(audience: Iterable[str]) -> bool:
    """True for a guide or plan meant for children and young people only: its patient is
    "the young person" and its relatives "the parents" (`role_label(..., young=True)`). A
    guide for both (the move to adult psychiatry) keeps the general names."""
    return set(audience) == {"youth"}


def role_label(role: Role, lang: Language, *, young: bool = False) -> str:
    """The role's name in `lang` ("Patient", "Pårørende", ...); with `young`, as a guide for
    children and young people names it ("Den unge", "Forældre")."""
    if young and has(f"youth_role.{role}"):
        return t(f"youth_role.{role}", lang)
    return t(f"role.{role}", lang)


def choice_label(step: AnyStep, choice_id: str, lang: Language) -> str:
    """The label of a choice of `step`, or the id itself if the step has no such choice."""
    for choice in choices_of(step):
        if choice.id == choice_id:
            return text_in(choice.label, lang)
    return choice_id


def person_text(person: Person) -> str:
    """One line: name (relation) — how they help — when — contact."""
    head = person.name + (f" ({person.relation})" if person.relation else "")
    return " — ".join([head, *(p for p in (person.helps, person.when, person.contact) if p)])


#: English month names: "15 December 2026" reads the same in every English-speaking country.
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")


def date_text(day: dt.date, lang: Language) -> str:
    """A date as people write it: 15.12.2026 in Danish, 15 December 2026 in English."""
    if lang == "en":
        return f"{day.day} {MONTHS[day.month - 1]} {day.year:04d}"
    return f"{day.day:02d}.{day.month:02d}.{day.year:04d}"


def iso_date_text(text: str, lang: Language) -> str:
    """`text` as `date_text` when it is an ISO date (a date answer is stored as 2026-12-15),
    else as it is (a person may write a date any way)."""
    try:
        return date_text(dt.date.fromisoformat(text.strip()), lang) if len(text.strip()) == 10 \
            else text
    except ValueError:
        return text


def task_text(task: Task, lang: Language) -> str:
    """One line: what — who — by when."""
    by = f"{t('answer.by', lang)} {iso_date_text(task.by, lang)}" if task.by else None
    return " — ".join(p for p in (task.what, task.who, by) if p)


def value_text(step: AnyStep, value: Value, lang: Language) -> str:
    """An answer as plain text, one line per person or task; never markup."""
    match step:
        case ScaleStep():
            if isinstance(value, int) and not isinstance(value, bool):
                if step.min == 0:
                    return f"{value} / {step.max}"
                return f"{value} ({step.min}–{step.max})"
        case SingleStep() | MultiStep():
            if isinstance(value, str):
                return choice_label(step, value, lang)
            if isinstance(value, tuple):
                return ", ".join(choice_label(step, str(v), lang) for v in value)
        case DateStep():
            if isinstance(value, str):  # stored as an ISO date; shown as people write it
                return iso_date_text(value, lang)
        case (InfoStep() | YesNoStep() | TextStep() | LongTextStep() | PeopleStep()
              | TasksStep()):
            pass  # the value's own shape says how to write it
        case _:
            assert_never(step)
    return _plain_text(value, lang)


def _plain_text(value: Value, lang: Language) -> str:
    """A value as text by its shape alone: yes/no, a number, text, people, tasks or ids."""
    if isinstance(value, bool):
        return t("answer.yes" if value else "answer.no", lang)
    if isinstance(value, (int, str)):
        return str(value)
    items = list(value)
    if not items:
        return ""
    if isinstance(items[0], Person):
        return "\n".join(person_text(p) for p in items if isinstance(p, Person))
    if isinstance(items[0], Task):
        return "\n".join(task_text(t, lang) for t in items if isinstance(t, Task))
    return ", ".join(str(v) for v in items)
