"""(a) A network meeting at one keyboard: a relative, a clinician and the patient answer in
turn, and every answer is stored, and drafted into the UA, under the role that gave it.

Typed as people in the room would: each question appears, the speaker bar is read, F2 is
pressed until the bar names whoever answers, then the answer is typed (and seen) and saved.
The speaker rule (issue 12, item 1) is checked on the screen as it goes: a step whose guide
`ask`s the patient shows the patient as speaker before anything is typed; a step that asks
nobody keeps the last speaker.
"""

from __future__ import annotations

import re
import uuid

import pytest

from assistant.export.words import speaker
from assistant.guides.models import ROLES, Role
from tests.terminal.harness import SIZES, Terminal, label, needs_terminal

pytestmark = needs_terminal

PRESENT: list[Role] = ["patient", "relative", "clinician", "municipality"]

# Step id → who answers it, and how (long text: Ctrl+S; one line: Enter). Each answer is a
# unique canary. Other steps: information Enter, "svaere-episoder" N (no), "plan-hjaelp" 1
# (yes), the rest skipped with F6.
TURNS: dict[str, tuple[Role, str]] = {
    "stoette-i-dag": ("relative", "longtext"),
    "ikke-i-dag": ("clinician", "longtext"),
    "om-mig": ("patient", "longtext"),
    "det-vil-jeg-sige": ("relative", "longtext"),
    "hjaelp-til": ("clinician", "longtext"),
    "oensker": ("patient", "longtext"),
    "fik-hjaelp": ("relative", "longtext"),
    "tovholder": ("clinician", "text"),
    "hvem-reagerer": ("clinician", "text"),   # no `ask`: the clinician is still speaking
    "revurdering": ("municipality", "text"),
}
#: Steps whose guide `ask`s a role: the bar must show that role when they are asked.
ASKED = {"kredsen": "patient", "stoette-i-dag": "patient", "ikke-i-dag": "patient",
         "om-mig": "patient", "det-vil-jeg-sige": "patient", "hjaelp-til": "patient",
         "oensker": "patient", "hvem-kan-hjaelpe": "patient", "svaere-episoder": "patient",
         "fik-hjaelp": "patient", "plan-hjaelp": "patient", "foerste-moede": "clinician"}
#: Steps asking nobody, answered without pressing F2: the last speaker must still be shown.
KEPT = {"hvem-reagerer": "clinician"}


@pytest.mark.parametrize("term", SIZES, indirect=True)
def test_each_answer_keeps_the_role_that_gave_it(term: Terminal) -> None:
    run = uuid.uuid4().hex[:6]
    texts = {step: f"{step.upper()}-{run} sagt af {label(role)}"
             for step, (role, _kind) in TURNS.items()}
    term.open_guide("netvaerksmoede", f"T-NM-{run}", present=PRESENT)
    session_id = term.session().id

    while (step := term.wait_asked(session_id)) is not None:
        if step.id in ASKED:
            term.wait_speaker(ASKED[step.id])
        if step.id in KEPT:
            kept = label(KEPT[step.id])
            term.wait_until(lambda s, k=kept: k in (term.speaker(s) or ""),
                            f"the speaker bar to keep {kept!r}: {step.id!r} asks nobody, so "
                            f"the last speaker speaks on")
        if step.step.type == "info":
            term.continue_info(session_id, step.id)
        elif step.id in TURNS:
            role, kind = TURNS[step.id]
            if step.id not in KEPT:
                term.set_speaker(role)
            term.answer_text(session_id, step.id, texts[step.id],
                             save="C-s" if kind == "longtext" else "Enter")
        elif step.id == "svaere-episoder":
            term.keys("n")  # no: the steps about hard episodes are not asked
            term.wait_moved_on(session_id, step.id)
        elif step.id == "plan-hjaelp":
            term.keys("1")  # "Ja": the plan helps, so "what would make it help" is not asked
            term.wait_moved_on(session_id, step.id)
        else:
            term.skip(session_id, step.id)

    term.wait_for("Planudkast")  # the end: the plan draft opens by itself
    term.keys("C-q")
    term.wait_exit()

    # The store (`sdm sessions show`): every answer under the role that gave it.
    stored = term.stored_answers(session_id)
    wrong = {step: stored.get(step) for step, (role, _kind) in TURNS.items()
             if stored.get(step) != (role, texts[step])}
    assert not wrong, (f"answers stored under the wrong role or with other words: "
                       f"{wrong}\nexpected: { {s: (r, texts[s]) for s, (r, _) in TURNS.items()} }")

    # The UA draft, as `sdm export` writes it: each line's speaker is the role that answered.
    draft = term.export_json(session_id, "--template", "ua")
    assert draft["template"]["id"] == "ua"
    lines = [line for field in draft["fields"] for line in field["lines"]]
    in_ua = {line["step"] for line in lines}
    for line in lines:
        if line["step"] in TURNS:
            role = TURNS[line["step"]][0]
            assert line["speaker"] == role, (
                f"UA line of {line['step']!r} says {line['speaker']!r}, "
                f"but {role!r} answered: {line}")
            assert line["text"] == texts[line["step"]]
    # Every answer that fills a UA field is there (the guide's `fills`).
    fills_ua = {"om-mig", "det-vil-jeg-sige", "hjaelp-til", "oensker", "fik-hjaelp",
                "tovholder", "hvem-reagerer", "revurdering"}
    assert fills_ua <= in_ua, f"missing in the UA draft: {sorted(fills_ua - in_ua)}"

    # The text for the health record says who said it in words.
    text = term.sdm("export", session_id, "--template", "ua",
                    "--store", str(term.store_path)).stdout
    for step in sorted(fills_ua):
        role = TURNS[step][0]
        # The lines that say who said it ("Pårørende: ...", after the question it answers
        # when a field holds several: "„Hvad vil du sige?“ – Pårørende: ..."); a header may
        # repeat the words (e.g. "Ansvarlig for revision: ...") without a speaker.
        speakers = {speaker(r, "da") for r in ROLES}
        said = [(who.group(1), line.strip()) for line in text.splitlines()
                if texts[step] in line
                and (who := re.match(r"(?:„[^“]*“ – )?([^:]+): ", line.strip()))
                and who.group(1) in speakers]
        assert said, f"{texts[step]!r} is not in the text export as someone's words:\n{text}"
        assert all(who == speaker(role, "da") for who, _line in said), (
            f"{step!r} was said by {speaker(role, 'da')}, the export has: {said}")
