"""Words shared by every front end and export: role names, and answers as readable text.

No Textual here: the chat UI, the summary, the plan draft and the exports all say "Patienten"
and format a list of people the same way.
"""

from __future__ import annotations

from assistant.engine.values import Person, Task, Value
from assistant.guides.models import (
    AnyStep,
    Language,
    LocalText,
    MultiStep,
    Role,
    ScaleStep,
    SingleStep,
    text_in,
)

ROLE_LABELS: dict[Role, LocalText] = {
    "patient": LocalText(da="Patient", en="Patient"),
    "relative": LocalText(da="Pårørende", en="Relative"),
    "clinician": LocalText(da="Behandler", en="Clinician"),
    "municipality": LocalText(da="Kommune", en="Municipality"),
    "housing": LocalText(da="Botilbud", en="Supported housing"),
    "gp": LocalText(da="Egen læge", en="GP"),
    "peer_worker": LocalText(da="Peer-medarbejder", en="Peer worker"),
    "other": LocalText(da="Anden", en="Other"),
}

YES_NO: dict[bool, LocalText] = {
    True: LocalText(da="Ja", en="Yes"),
    False: LocalText(da="Nej", en="No"),
}


def role_label(role: Role, lang: Language) -> str:
    """The role's name in `lang` ("Patient", "Pårørende", ...)."""
    return text_in(ROLE_LABELS[role], lang)


def choice_label(step: AnyStep, choice_id: str, lang: Language) -> str:
    """The label of a choice of `step`, or the id itself if the step has no such choice."""
    if isinstance(step, (SingleStep, MultiStep)):
        for choice in step.choices:
            if choice.id == choice_id:
                return text_in(choice.label, lang)
    return choice_id


def person_text(person: Person) -> str:
    """One line: name (relation) — how they help — when — contact."""
    head = person.name + (f" ({person.relation})" if person.relation else "")
    return " — ".join([head, *(p for p in (person.helps, person.when, person.contact) if p)])


def task_text(task: Task, lang: Language) -> str:
    """One line: what — who — by when."""
    by = (("senest " if lang == "da" else "by ") + task.by) if task.by else None
    return " — ".join(p for p in (task.what, task.who, by) if p)


def value_text(step: AnyStep, value: Value, lang: Language) -> str:
    """An answer as plain text, one line per person or task; never markup."""
    if isinstance(value, bool):
        return text_in(YES_NO[value], lang)
    if isinstance(value, int):
        if isinstance(step, ScaleStep):
            return f"{value} / {step.max}" if step.min == 0 else f"{value} ({step.min}–{step.max})"
        return str(value)
    if isinstance(value, str):
        if isinstance(step, SingleStep):
            return choice_label(step, value, lang)
        return value
    items = list(value)
    if not items:
        return ""
    if isinstance(items[0], Person):
        return "\n".join(person_text(p) for p in items if isinstance(p, Person))
    if isinstance(items[0], Task):
        return "\n".join(task_text(t, lang) for t in items if isinstance(t, Task))
    return ", ".join(choice_label(step, str(v), lang) for v in items)
