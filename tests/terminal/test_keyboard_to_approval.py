"""(g) At 80×24, by keyboard alone, from the home screen to an approved plan (issue 15).

One decision aid (the advance statement, which fills the crisis plan) and one network
meeting (which fills the discharge agreement), each with the patient and a clinician. Every
step is answered the way a person would: Enter on information, a number or J for a choice,
words and Enter or Ctrl+S for text, and so on. After each step the capture of the pane must
show the *whole* current question (word-wrapped lines allowed, nothing cut off), as the
store says it is being asked.

At the end the review opens on the guide's plan. What the conversation left empty but the
plan requires is marked "discussed, nothing to add" (`d`) field by field, moving with Down;
then `a`: the patient confirms the draft (Enter on the confirmation), the clinician
approves it (Enter in the date field takes the suggested revision date). The store must hold
the approval and an approved revision, and `sdm sessions list` names the approved plan.
"""

from __future__ import annotations

import re
import uuid
from typing import Any

import pytest

from assistant.export.words import word
from assistant.guides.models import text_in
from tests.terminal.harness import (
    REVIEW_TITLE,
    Terminal,
    library,
    needs_terminal,
    shows,
    ui,
)

pytestmark = needs_terminal

GAPS = re.compile(r"(\d+) påkrævede felter? mangler")


def _answer(term: Terminal, session_id: str, step: Any, run: str) -> None:
    """Answer the step asked now with the keys a person would press; wait until stored."""
    kind = step.step.type
    if kind == "info":
        term.keys("Enter")
    elif kind in ("single",):
        term.keys("1")
    elif kind == "multi":
        term.keys("1", "Enter")
    elif kind == "scale":
        term.keys(str(max(step.step.min, min(step.step.max, 3))), "Enter")
    elif kind == "yesno":
        term.keys("j")
    elif kind == "text":
        term.type(f"Svar-{run}")
        term.wait_for(f"Svar-{run}")
        term.keys("Enter")
    elif kind == "longtext":
        term.type(f"Med mine ord {run}")
        term.wait_for(f"Med mine ord {run}")
        term.keys("C-s")
    elif kind == "date":
        term.type("15.12.2026")
        term.keys("Enter")
    elif kind == "people":
        _row(term, "Lone", "Mor")
    elif kind == "tasks":
        _row(term, "Ring til kontaktperson", "Behandler")
    else:  # pragma: no cover - a new step type needs its keys here
        raise AssertionError(f"no keys for a {kind} step")
    term.wait_moved_on(session_id, step.id)


def _row(term: Terminal, first: str, second: str) -> None:
    """A list answer: the first field, Tab, the second, Enter adds the row, Ctrl+S saves."""
    term.type(first)
    term.wait_for(first[-12:])
    term.keys("Tab")
    term.type(second)
    term.wait_for(second)
    term.keys("Enter")
    term.wait_until(lambda s: shows(s, first) and shows(s, second), "the row to be added")
    term.keys("C-s")


def _converse(term: Terminal, session_id: str, run: str) -> int:
    """Answer every step; after each, the whole question it asks must be on screen."""
    asked = 0
    while (step := term.wait_asked(session_id)) is not None:
        prompt = text_in(step.step.prompt, "da")
        screen = term.wait_until(lambda s, p=prompt: shows(s, p),
                                 f"the whole question of {step.id!r} in view: {prompt!r}")
        assert shows(screen, prompt)
        asked += 1
        _answer(term, session_id, step, run)
    return asked


def _gaps(screen: str) -> int | None:
    """How many required fields the review's status line says are missing; None while the
    line is not (yet) on screen (a capture can catch a redraw half-way)."""
    flat = " ".join(screen.split())
    found = GAPS.search(flat)
    if found:
        return int(found.group(1))
    return 0 if word("no_gaps", "da") in flat else None


def _marked(screen: str) -> str:
    """The header line of the field the review's marker is on ("" if none is in view)."""
    marked = [line for line in screen.splitlines() if line.startswith(" █ ")]
    return marked[0] if marked else ""


def _approve(term: Terminal, session_id: str, plan: str) -> None:
    """In the review: mark the required gaps discussed (Down, d), then approve."""
    term.wait_for(REVIEW_TITLE)  # the end of the conversation opens the review by itself
    # The review may open on a field half-way down: to the first field, then down from there.
    # Each move is waited for, field by field, by the label the marker must reach: on a busy
    # machine the screen lags the keys, and a "d" pressed on what an old picture showed once
    # marked the wrong field.
    labels = [text_in(f.label, "da")[:24]  # the head of the label (a long one wraps)
              for f in library().templates[plan].document.fields]  # type: ignore[union-attr]
    term.keys(*["Up"] * len(labels))
    screen = term.wait_until(lambda s: _gaps(s) is not None and labels[0] in _marked(s),
                             "the review's status line, the marker on the first field")
    at = 0
    for key in ["Down"] * len(labels) + ["Up"] * len(labels):
        if _gaps(screen) == 0:
            break
        if "mangler" in _marked(screen):
            missing = _gaps(screen) or 0
            term.keys("d")
            screen = term.wait_until(lambda s, m=missing: (g := _gaps(s)) is not None and g < m,
                                     "the marked field to be marked discussed")
        to = min(at + 1, len(labels) - 1) if key == "Down" else max(at - 1, 0)
        if to == at:
            continue
        term.keys(key)
        screen = term.wait_until(lambda s, w=labels[to]: w in _marked(s),
                                 f"the marker to move to {labels[to]!r}")
        at = to
    term.wait_until(lambda s: _gaps(s) == 0, "every required field filled or discussed")
    term.keys("a")
    term.wait_for(ui("approval_confirm", "jeg kan genkende mine ord")[:20])
    term.keys("Enter")  # the patient confirms (the focus is on "confirm")
    term.wait_store(lambda: any(e.type == "confirm_draft" for e in term.events(session_id)),
                    "the patient's confirmation to be stored")
    term.wait_for(ui("approve_title", "Godkend planen"))
    term.keys("Enter")  # the suggested revision date
    term.wait_store(lambda: any(e.type == "approve_draft" for e in term.events(session_id)),
                    "the approval to be stored")


@pytest.mark.parametrize(("guide", "plan"), [
    pytest.param("forhaandstilkendegivelse", "kriseplan", id="decision-aid"),
    pytest.param("netvaerksmoede", "ua", id="network-meeting"),
])
def test_from_home_to_an_approved_plan_by_keyboard_at_80x24(
        term: Terminal, guide: str, plan: str) -> None:
    assert (term.width, term.height) == (80, 24)
    run = uuid.uuid4().hex[:6]
    term.open_guide(guide, f"T-KB-{run}", present=["patient", "clinician"])
    session_id = term.session().id
    assert _converse(term, session_id, run) >= 5
    _approve(term, session_id, plan)
    revisions = term.revisions(session_id)
    assert [r.kind for r in revisions][-1:] == ["approved"], revisions
    term.keys("C-q")
    term.wait_exit()
    listed = term.sdm("sessions", "list", "--store", str(term.store_path)).stdout
    title = text_in(library().templates[plan].document.title, "da")  # type: ignore[union-attr]
    assert f"T-KB-{run}" in listed and title in listed, listed
