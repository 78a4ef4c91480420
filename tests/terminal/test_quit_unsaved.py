"""(d) Quitting never loses words (issue 12, item 4).

An answer is typed but not saved; Ctrl+Q must not quit at once but ask: save, discard or stay
("Gem", "Kassér", "Bliv"). Staying goes back to the answer with the words intact; asked again,
saving stores the words and then quits, and the terminal is given back.

The buttons are chosen with the keyboard (Tab, Enter), whichever one the dialog focuses first.
"""

from __future__ import annotations

import uuid

import pytest

from tests.terminal.harness import SIZES, Terminal, answer_area, field_text, needs_terminal

pytestmark = needs_terminal

BUTTONS = ["Gem", "Kassér", "Bliv"]


def _asks(screen: str) -> bool:
    """The save / discard / stay question is on screen: the three buttons on one line."""
    return any(all(f" {b} " in f" {line} " or f"{b} " in line for b in BUTTONS)
               for line in screen.splitlines())


@pytest.mark.parametrize("term", SIZES, indirect=True)
def test_ctrl_q_with_unsaved_words_asks_and_save_keeps_them(term: Terminal) -> None:
    run = uuid.uuid4().hex[:6]
    words = f"USAGT-{run} Jeg vil gerne have ro og en kop te"
    term.open_guide("blitzmoede", f"T-Q-{run}")
    session_id = term.session().id
    step = term.wait_asked(session_id)
    assert step is not None and step.step.type == "info"
    term.continue_info(session_id, step.id)
    step = term.wait_asked(session_id)
    assert step is not None and step.step.type == "longtext"

    term.type(words)
    term.wait_for(words)
    term.keys("C-q")
    term.wait_until(_asks, "Ctrl+Q with unsaved words to ask: Gem / Kassér / Bliv (save, "
                    "discard, stay) — instead of quitting and losing them")

    # Stay: back at the answer, the words still there, nothing stored yet.
    term.choose_button("Bliv", BUTTONS)
    screen = term.wait_until(lambda s: not _asks(s), "the question to close after 'Bliv'")
    assert not term.dead(), "'Bliv' (stay) quit the app"
    assert field_text(answer_area(screen)) == " ".join(words.split()), (
        f"after 'Bliv' the answer field should still hold the words:\n{screen}")
    assert step.id not in term.answers(session_id)

    # Asked again: save. The words are stored, then the app quits and restores the terminal.
    term.keys("C-q")
    term.wait_until(_asks, "Ctrl+Q to ask again")
    term.choose_button("Gem", BUTTONS)
    term.wait_exit()
    stored = term.stored_answers(session_id).get(step.id)
    assert stored == ("patient", words), (
        f"'Gem' should have stored the typed words as the patient's answer to {step.id!r}; "
        f"the store holds {stored!r}")
