"""(f) Forhåndstilkendegivelse is about the crisis plan (issue 12, item 5): the conversation
ends on the kriseplan's review, and `sdm export ID` — with a unique prefix of the session id
(item 10) and no --template — exports the kriseplan.

The patient answers the two free-text questions that fill the kriseplan; the other steps are
passed as a person in a hurry would: Enter on information, F6 to skip, a number or J for
the steps the app asks itself (information level, decision, SURE).
"""

from __future__ import annotations

import json
import uuid

import pytest

from tests.terminal.harness import REVIEW_TITLE, SIZES, Terminal, needs_terminal

pytestmark = needs_terminal

PREFIX = 8  # characters of the session id given to `sdm export` (at least 6)


@pytest.mark.parametrize("term", SIZES, indirect=True)
def test_ends_on_the_kriseplan_and_export_defaults_to_it(term: Terminal) -> None:
    run = uuid.uuid4().hex[:6]
    texts = {"frygter_mest": f"FRYGT-{run} at blive holdt fast",
             "beroliger": f"ROLIG-{run} tal stille til mig"}
    term.open_guide("forhaandstilkendegivelse", f"T-FTK-{run}")
    session_id = term.session().id

    while (step := term.wait_asked(session_id)) is not None:
        kind = step.step.type
        if kind == "info":
            term.continue_info(session_id, step.id)
        elif step.id in texts:
            term.answer_text(session_id, step.id, texts[step.id])
        elif step.builtin and kind == "single":
            term.keys("1")
            term.wait_moved_on(session_id, step.id)
        elif step.builtin and kind == "yesno":
            term.keys("j")
            term.wait_moved_on(session_id, step.id)
        else:
            term.skip(session_id, step.id)

    # The end: the review opens by itself, on the crisis plan.
    screen = term.wait_for(REVIEW_TITLE)
    heading = next(line for line in screen.splitlines() if REVIEW_TITLE in line)
    assert "Kriseplan" in heading, (
        f"the review should open on the kriseplan, it opened on: {heading.strip()!r}\n{screen}")
    term.keys("C-q")
    term.wait_exit()

    ref = session_id[:PREFIX]
    store = ["--store", str(term.store_path)]
    text = term.sdm("export", ref, *store).stdout
    first = text.strip().splitlines()[0]
    assert "Kriseplan" in first, f"`sdm export {ref}` should export the kriseplan:\n{text}"
    assert "Udskrivningsaftale" not in first
    for words in texts.values():
        assert words in " ".join(text.split()), f"{words!r} is not in the export:\n{text}"
    draft = json.loads(term.sdm("export", ref, "--format", "json", *store).stdout)
    assert draft["template"]["id"] == "kriseplan"
