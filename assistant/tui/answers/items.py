"""People and tasks editors: a small form that adds one row at a time, and the list so far.

Enter in the form adds a row; Ctrl+S saves the whole list as the answer. When editing an
earlier answer, the list starts with what was said then.
"""

from __future__ import annotations

from typing import Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.content import Content
from textual.widgets import Button, Input, Static

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


class PeopleAnswer(_ItemsAnswer):
    """People: name, relation, how they help, when, contact."""

    HINT = "people_hint"
    FIELDS = ("name", "relation", "helps", "when", "contact")

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
