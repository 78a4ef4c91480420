"""A network meeting for young people at one keyboard, in a real terminal at 80×24 and
120×40 (issue 17, item 11; owed as a scenario of its own): the speaker bar, the setup and
the chat name the young person "Den unge" and the parents "Forældre", never "Patient" or
"Pårørende"; each answer is stored under the role that gave it; the Trygheds- og
forebyggelsesplan's text for the record says "Den unge:" and "Forældrene:".

Typed as people in the room would: F2 until the bar names who answers, the answer typed
(and seen), then saved; the other steps passed with Enter (information), N (no hard
episodes), 1 (the plan helps) or F6.
"""

from __future__ import annotations

import re
import uuid

import pytest

from assistant.export.words import speaker
from assistant.guides.models import Role
from tests.terminal.harness import SIZES, Terminal, needs_terminal

pytestmark = needs_terminal

PRESENT: list[Role] = ["patient", "relative", "clinician"]
GUIDE = "netvaerksmoede-unge"

#: Step id → who answers it and how. Each answer is a unique canary.
TURNS: dict[str, tuple[Role, str]] = {
    "stoette-i-dag": ("relative", "longtext"),
    "om-mig": ("patient", "longtext"),
    "det-vil-jeg-sige": ("patient", "longtext"),
    "foraeldres-rolle": ("relative", "longtext"),
    "tovholder": ("clinician", "text"),
}
#: What a young person's meeting must not say about its people.
ADULT_WORDS = ("Patient", "Pårørende")


@pytest.mark.parametrize("term", SIZES, indirect=True)
def test_a_youth_meeting_names_its_people_and_keeps_who_said_what(term: Terminal) -> None:
    run = uuid.uuid4().hex[:6]
    texts = {step: f"{step.upper()}-{run} sagt af {term.name_of(role)}"
             for step, (role, _kind) in TURNS.items()}
    term.open_guide(GUIDE, f"T-UNGE-{run}", present=PRESENT)
    assert term.young
    assert set(term.speakers_present()) >= {"Den unge", "Forældre"}
    session_id = term.session().id

    while (step := term.wait_asked(session_id)) is not None:
        bar = term.speakers_present()
        assert not [w for w in ADULT_WORDS if any(w in name for name in bar)], bar
        if step.step.ask == "patient":
            term.wait_speaker("patient")  # the guide asks the young person: "Den unge"
        if step.step.type == "info":
            term.continue_info(session_id, step.id)
        elif step.id in TURNS:
            role, kind = TURNS[step.id]
            term.set_speaker(role)
            term.answer_text(session_id, step.id, texts[step.id],
                             save="C-s" if kind == "longtext" else "Enter")
        elif step.id == "svaere-episoder":
            term.keys("n")
            term.wait_moved_on(session_id, step.id)
        elif step.id == "plan-hjaelp":
            term.keys("1")
            term.wait_moved_on(session_id, step.id)
        else:
            term.skip(session_id, step.id)

    term.wait_for("Planudkast")
    screen = term.screen()
    assert "Den unge" in screen or "Forældre" in screen, screen
    term.keys("C-q")
    term.wait_exit()

    stored = term.stored_answers(session_id)
    wrong = {step: stored.get(step) for step, (role, _kind) in TURNS.items()
             if stored.get(step) != (role, texts[step])}
    assert not wrong, f"answers stored under the wrong role or with other words: {wrong}"

    # The record's text: the young people's words for who said it.
    text = term.sdm("export", session_id, "--template", "tryghedsplan",
                    "--store", str(term.store_path)).stdout
    for step in ("om-mig", "det-vil-jeg-sige", "foraeldres-rolle"):  # they fill the plan
        role = TURNS[step][0]
        said = [who.group(1) for line in text.splitlines() if texts[step] in line
                and (who := re.match(r"(?:„[^“]*“ – )?([^:]+): ", line.strip()))]
        assert said == [speaker(role, "da", young=True)], (step, said, text)
    assert "Den unge:" in text and "Forældrene:" in text
    assert "Patienten:" not in text and "Pårørende:" not in text
