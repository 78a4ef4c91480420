"""Dates in answers are shown as people write them (issue 15, item 7), in the chat, the
summary, the review and the papers alike: 15.12.2026 in Danish, 15 December 2026 in
English; the stored value stays the ISO date."""

from __future__ import annotations

from assistant.engine.values import Task
from assistant.guides.models import DateStep
from assistant.wording import date_text, iso_date_text, task_text, value_text

STEP = DateStep(id="dato", type="date", prompt="Hvornår?")


def test_a_date_answer_reads_as_people_write_it() -> None:
    assert value_text(STEP, "2026-12-15", "da") == "15.12.2026"
    assert value_text(STEP, "2026-12-15", "en") == "15 December 2026"


def test_a_task_deadline_too_and_other_text_as_it_is() -> None:
    task = Task(what="Finde en bolig", who="Kommunen", by="2027-01-10")
    assert task_text(task, "da").endswith("10.01.2027")
    assert iso_date_text("næste uge", "da") == "næste uge"
    assert iso_date_text("2027-02-30", "da") == "2027-02-30"  # not a date: left as written


def test_date_text_pads_danish_and_names_english_months() -> None:
    import datetime as dt

    assert date_text(dt.date(2027, 1, 5), "da") == "05.01.2027"
    assert date_text(dt.date(2027, 1, 5), "en") == "5 January 2027"
