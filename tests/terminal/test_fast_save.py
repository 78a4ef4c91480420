"""(c) Saved means exactly what was typed, however fast (issue 12, item 3).

50 times: a 200-character answer arrives in one burst (`send-keys -l`) and Ctrl+S follows in
the same tmux command, with no pause — a person typing fast and saving at once. Each answer
is a unique canary (start and end markers), so a cut-off answer shows which end it lost. The
store must hold all 50 exactly: 0 truncated.

The long-text questions of the preparation with a peer worker are answered in turn (the other
steps are passed with Enter or F6); when a conversation ends, `sdm` is started again for a
new one, alternating between 80×24 and 120×40.

Before each burst the test waits for the new, empty answer field (its hint on screen); not
for the question itself, which test_network_meeting_roles.py checks is in sight. After the
burst, the store is polled until the conversation has moved on. If Ctrl+S is lost altogether
(saved before the text arrived, refused as empty), the wait runs out with the store's and the
screen's view in the message.
"""

from __future__ import annotations

from pathlib import Path

from assistant.guides.models import text_in
from tests.terminal.harness import Terminal, canary, library, needs_terminal

pytestmark = needs_terminal

RUNS = 50
LENGTH = 200
GUIDE = "forberedelse-med-peer"
SIZES = [(80, 24), (120, 40)]


def test_fifty_fast_saves_store_every_character(tmp_path: Path) -> None:
    typed: list[tuple[Terminal, str, str, str]] = []  # (terminal, session, step, canary)
    problems: list[str] = []
    conversation = 0
    while len(typed) < RUNS and not problems:
        # A new `sdm` for each conversation, in its own folders: the home screen then lists
        # no earlier sessions (at 80×24 a list of them leaves no room for the guides).
        width, height = SIZES[conversation % len(SIZES)]
        term = Terminal(tmp_path / f"conversation-{conversation}", width, height)
        conversation += 1
        try:
            term.start()
            term.open_guide(GUIDE, f"T-FAST-{conversation}", present=["patient", "peer_worker"])
            session_id = term.session().id
            while len(typed) < RUNS and (step := term.wait_ready(session_id)) is not None:
                if step.step.type == "info":
                    term.continue_info(session_id, step.id)
                    continue
                if step.step.type != "longtext":
                    term.skip(session_id, step.id)
                    continue
                text = canary(f"R{len(typed) + 1:02d}", LENGTH)
                typed.append((term, session_id, step.id, text))
                term.type_then(text, "C-s")  # the burst and the save key, no pause between
                try:
                    term.wait_moved_on(session_id, step.id)
                except AssertionError as exc:
                    stored = term.answers(session_id).get(step.id)
                    raise AssertionError(
                        f"run {len(typed)}/{RUNS} ({width}×{height}): Ctrl+S right after a "
                        f"{LENGTH}-character burst did not save it (stored for {step.id!r}: "
                        f"{stored!r});\n{exc}") from None
                value = term.answers(session_id)[step.id][1]
                if value != text:
                    problems.append(_describe(len(typed), step.id, text, value,
                                              f"{width}×{height}"))
                    break  # the rest of the burst went to the next field: stop here
            term.keys("C-q")
            term.wait_exit()
        finally:
            term.kill()

    assert not problems, (f"{len(problems)} of {len(typed)} fast-typed answers were not "
                          f"stored as typed:\n" + "\n".join(problems))
    assert len(typed) == RUNS
    # Read back once more, after every `sdm` has exited, through `sdm sessions show`: every
    # answer exactly as typed, 0 truncated.
    stored = {(id(term), session_id): term.stored_answers(session_id)
              for term, session_id, _step, _text in typed}
    truncated = [_describe(run, step_id, text, value, "read back")
                 for run, (term, session_id, step_id, text) in enumerate(typed, 1)
                 if (value := stored[id(term), session_id].get(step_id, (None, None))[1])
                 != text]
    assert not truncated, f"{len(truncated)} of {RUNS} truncated:\n" + "\n".join(truncated)


def _describe(run: int, step_id: str, typed: str, stored: object, where: str) -> str:
    prompt = text_in(library().guides[GUIDE].document.title, "da")
    if isinstance(stored, str) and typed.startswith(stored):
        what = f"cut off after {len(stored)} of {len(typed)} characters (the end is missing)"
    elif isinstance(stored, str) and typed.endswith(stored):
        what = f"the first {len(typed) - len(stored)} characters are missing"
    else:
        what = "different text"
    return (f"  run {run} ({where}, {prompt} / {step_id}): {what}\n"
            f"    typed:  {typed!r}\n    stored: {stored!r}")

