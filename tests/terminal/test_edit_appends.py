"""(b) Editing an earlier free-text answer adds words at the end (issue 12, item 2).

F5, the earlier answer picked from the list, then words typed straight away — as a person
adds to what they said — and saved with Ctrl+S. The editor must open with the cursor at the
end, so the stored answer is the old words followed by the new ones (not the new words in
front, as the issue found). The typed words are seen on screen before Ctrl+S, so this test
is about where the cursor starts, not about fast saving (that is test_fast_save.py).
"""

from __future__ import annotations

import uuid

import pytest

from tests.terminal.harness import SIZES, Terminal, needs_terminal

pytestmark = needs_terminal


@pytest.mark.parametrize("term", SIZES, indirect=True)
def test_words_typed_in_the_editor_go_after_the_old_answer(term: Terminal) -> None:
    run = uuid.uuid4().hex[:6]
    old = f"GAMMEL-{run} Jeg vil ikke have sprøjte."
    added = f"NYE-ORD-{run} At blive lagt i bælte igen"
    term.open_guide("blitzmoede", f"T-ED-{run}")
    session_id = term.session().id

    step = term.wait_asked(session_id)
    assert step is not None and step.step.type == "info"
    term.continue_info(session_id, step.id)
    first = term.wait_asked(session_id)
    assert first is not None and first.step.type == "longtext"
    term.answer_text(session_id, first.id, old)
    second = term.wait_asked(session_id)
    assert second is not None and second.step.type == "longtext"
    term.answer_text(session_id, second.id, f"ANDET-{run} noget andet")
    term.wait_asked(session_id)

    term.open_editor(session_id, first.id)
    term.type(f" {added}")
    term.wait_for(added)
    term.keys("C-s")
    term.wait_store(lambda: term.answers(session_id)[first.id][1] != old,
                    f"the edited answer to {first.id!r} to be stored")

    speaker, value = term.stored_answers(session_id)[first.id]
    assert value == f"{old} {added}", (
        f"the editor should open with the cursor at the end, so the words typed follow the "
        f"old answer;\n  expected: {old + ' ' + added!r}\n  stored:   {value!r}")
    assert speaker == "patient", f"the patient's answer is stored as {speaker!r}'s after the edit"
    # The edit is an event: the old answer stays in the history.
    history = [e for e in term.events(session_id) if getattr(e, "step", None) == first.id
               and e.type in ("answer", "edit")]
    assert [e.type for e in history] == ["answer", "edit"]
    assert history[0].value == old
