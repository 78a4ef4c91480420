"""People and tasks editors: a small form that adds one row at a time, and the list so far.

Enter in the form adds a row; Ctrl+S saves the whole list as the answer. When editing an
earlier answer, the list starts with what was said then.

At a meeting built on a preparation, the people the patient named there (any prepared answer
that is a list of people, e.g. "Lone (Mor)" for "Hvem vil du gerne have med på mødet?") are
offered at every people step as suggestions: Enter on one, or Ctrl+N for the next, takes it
into the list as it was named. Someone already in the list is not offered again.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, HorizontalScroll
from textual.content import Content
from textual.widgets import Button, Input, Static

from assistant.engine.state import SessionState
from assistant.engine.values import Person, Task
from assistant.text import clean_text
from assistant.tui.answers.base import AnswerWidget
from assistant.tui.answers.date import parse_date
from assistant.tui.css import beside
from assistant.tui.strings import t
from assistant.wording import person_text, task_text


class _ItemsAnswer(AnswerWidget):
    """A list of rows, each from a few inputs."""

    FIELDS: ClassVar[tuple[str, ...]] = ()
    REQUIRED: ClassVar[tuple[str, ...]] = ()
    DEFAULT_CSS = beside(__file__)
    # Not a priority binding: it must run after the keys typed before it (see AnswerArea).
    BINDINGS = [Binding("ctrl+s", "save", "Gem")]

    def __init__(self, step: Any, lang: str, initial: object = None) -> None:
        super().__init__(step, lang, initial)  # type: ignore[arg-type]
        self.rows: list[dict[str, str | None]] = []
        if isinstance(initial, (list, tuple)):
            for item in initial:
                data = item.model_dump() if hasattr(item, "model_dump") else item
                if isinstance(data, dict):
                    self.rows.append({k: data.get(k) for k in self.FIELDS})
        self._initial_rows = [dict(row) for row in self.rows]

    def inputs(self) -> ComposeResult:
        yield Static("", classes="rows", markup=False)
        yield from self.offers()
        with Horizontal():
            for name in self.FIELDS:
                yield Input(placeholder=t(name, self.lang), id=f"field-{name}",
                            max_length=2000 if name in ("helps", "what") else 500)
        with Horizontal():
            yield Button(Content(t("add", self.lang)), id="add", compact=True)
            yield Button(Content(t("remove_last", self.lang)), id="remove", compact=True)
            yield Button(Content(t("done", self.lang)), id="done", variant="primary",
                         compact=True)

    def on_mount(self) -> None:
        super().on_mount()
        self._show_rows()

    def offers(self) -> ComposeResult:
        """Widgets between the list and the form (none by default)."""
        yield from ()

    def focus_first(self) -> None:
        """The keyboard goes to the form's first field (not to a suggestion above it)."""
        self.query_one(f"#field-{self.FIELDS[0]}", Input).focus()

    def row_text(self, row: dict[str, str | None]) -> str:
        raise NotImplementedError

    def _show_rows(self) -> None:
        text = "\n".join(f"• {self.row_text(r)}" for r in self.rows)
        self.query_one(".rows", Static).update(Content(text))

    def _read_form(self) -> dict[str, str | None] | None:
        row: dict[str, str | None] = {}
        for name in self.FIELDS:
            value = clean_text(self.query_one(f"#field-{name}", Input).value).strip()
            row[name] = value or None
        if not any(row.values()):
            return None
        return row

    def _add(self) -> bool:
        row = self._read_form()
        if row is None:
            return False
        problem = self.check_row(row)
        if problem:
            self.show_error(problem)
            return False
        self.rows.append(row)
        for name in self.FIELDS:
            self.query_one(f"#field-{name}", Input).value = ""
        self.query_one(f"#field-{self.FIELDS[0]}", Input).focus()
        self.show_error("")
        self._show_rows()
        return True

    def check_row(self, row: dict[str, str | None]) -> str | None:
        """A problem with `row`, or None."""
        raise NotImplementedError

    @on(Input.Submitted)
    def _enter(self, event: Input.Submitted) -> None:
        event.stop()
        self._add()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "add":
            self._add()
        elif event.button.id == "remove" and self.rows:
            self.rows.pop()
            self._show_rows()
        elif event.button.id == "done":
            self.action_save()

    def action_save(self) -> None:
        answer = self.collect()
        if answer is not None:
            self.submit(answer.value)

    def collect(self) -> AnswerWidget.Submitted | None:
        if self._read_form() is not None and not self._add():
            return None  # the half-filled row has a problem: say so rather than drop it
        if not self.rows:
            self.show_error(t("list_empty", self.lang))
            return None
        return self.Submitted(
            [{k: v for k, v in row.items() if v is not None} for row in self.rows])

    def has_unsaved(self) -> bool:
        return self._read_form() is not None or self.rows != self._initial_rows


def prepared_people(state: SessionState) -> list[Person]:
    """Everyone named in the state's prepared answers (lists of people brought from a
    preparation session), each once (same name and relation), in the order named."""
    found: dict[tuple[str, str], Person] = {}
    for record in state.prepared.values():
        if isinstance(record.value, tuple):
            for item in record.value:
                if isinstance(item, Person):
                    found.setdefault(_person_key(item.name, item.relation), item)
    return list(found.values())


def _person_key(name: str | None, relation: str | None) -> tuple[str, str]:
    return ((name or "").strip().casefold(), (relation or "").strip().casefold())


class PeopleAnswer(_ItemsAnswer):
    """People: name, relation, how they help, when, contact; with the people named in a
    preparation offered, one key to take each."""

    HINT = "people_hint"
    FIELDS = ("name", "relation", "helps", "when", "contact")
    BINDINGS = [Binding("ctrl+n", "take_suggestion", "Tag med")]

    def __init__(self, step: Any, lang: str, initial: object = None,
                 suggestions: Iterable[Person] | None = None) -> None:
        super().__init__(step, lang, initial)
        #: People to offer; None: those named in the conversation's prepared answers.
        self.suggestions: list[Person] | None = (
            None if suggestions is None else list(suggestions))
        #: The people offered when the widget was composed, by their button's name.
        self._offer_list: list[Person] = []

    def _offered(self) -> list[Person]:
        """The suggestions not yet in the list."""
        if self.suggestions is None:
            # The conversation's state, if this widget is in one (the review has none).
            state = getattr(self.screen, "state", None) if self.is_attached else None
            self.suggestions = prepared_people(state) if isinstance(state, SessionState) else []
        listed = {_person_key(row.get("name"), row.get("relation")) for row in self.rows}
        return [p for p in self.suggestions if _person_key(p.name, p.relation) not in listed]

    def offers(self) -> ComposeResult:
        offered = self._offer_list = self._offered()
        if not offered:
            return
        yield Static(Content(t("people_from_preparation", self.lang)), classes="offer-title")
        with HorizontalScroll(classes="offers"):
            for number, person in enumerate(offered):
                yield self._offer_button(person, number)

    def _offer_button(self, person: Person, number: int) -> Button:
        head = person.name + (f" ({person.relation})" if person.relation else "")
        return Button(Content("+ " + clean_text(head)), classes="offer", compact=True,
                      name=str(number))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Ctrl+N is shown only while someone is offered."""
        if action == "take_suggestion":
            return bool(self.query(".offer"))
        return True

    def action_take_suggestion(self) -> None:
        """Take the first person offered into the list."""
        buttons = list(self.query(".offer").results(Button))
        if buttons:
            self._take(buttons[0])

    def _take(self, button: Button) -> None:
        person = self._offer_list[int(button.name or 0)]
        self.rows.append({name: getattr(person, name) for name in self.FIELDS})
        self._show_rows()
        buttons = list(self.query(".offer").results(Button))
        following = buttons[buttons.index(button) + 1:] + buttons[:buttons.index(button)]
        had_focus = button.has_focus
        button.remove()
        if not following:
            for widget in self.query(".offer-title, .offers"):
                widget.remove()
        if had_focus or not following:
            # Enter again takes the next one; with none left, the keyboard goes to the form.
            target = following[0] if following else self.query_one(f"#field-{self.FIELDS[0]}")
            target.focus()
        self.refresh_bindings()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.has_class("offer"):
            event.stop()
            self._take(event.button)
            return
        super().on_button_pressed(event)

    def row_text(self, row: dict[str, str | None]) -> str:
        return person_text(Person(**{k: v for k, v in row.items() if v is not None}))

    def check_row(self, row: dict[str, str | None]) -> str | None:
        return None if row.get("name") else t("name_required", self.lang)


class TasksAnswer(_ItemsAnswer):
    """Tasks: what, who, by when."""

    HINT = "tasks_hint"
    FIELDS = ("what", "who", "by")

    def row_text(self, row: dict[str, str | None]) -> str:
        return task_text(Task(**{k: v for k, v in row.items() if v is not None}), self.lang)

    def check_row(self, row: dict[str, str | None]) -> str | None:
        if not row.get("what") or not row.get("who"):
            return t("what_who_required", self.lang)
        if row.get("by"):
            iso = parse_date(row["by"] or "")
            if iso is None:
                return t("date_invalid", self.lang)
            row["by"] = iso
        return None
