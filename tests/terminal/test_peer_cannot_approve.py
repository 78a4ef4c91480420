"""(e) A preparation with only the patient and a peer worker cannot approve a plan (issue 12,
item 6): approval needs a clinician among the participants.

The patient answers a question that fills the UA; F8 opens the plan draft and `a` asks to
approve it. The screen must say that approval needs a clinician ("behandler"), and nothing
approved may be stored: no approval event, no approved revision, the session not marked
"plan approved". Should an approval dialog open instead, the test confirms it as a person
would (Enter) and then shows what got stored.
"""

from __future__ import annotations

import uuid

import pytest

from tests.terminal.harness import (
    REVIEW_TITLE,
    SIZES,
    Terminal,
    TerminalError,
    needs_terminal,
    ui,
)

pytestmark = needs_terminal

APPROVE_DIALOG = ui("approve_title", "Godkend planen")


def _mentions(screen: str) -> int:
    """How often the screen mentions a clinician."""
    return screen.lower().count("behandler")


@pytest.mark.parametrize("term", SIZES, indirect=True)
def test_no_approval_without_a_clinician(term: Terminal) -> None:
    run = uuid.uuid4().hex[:6]
    term.open_guide("forberedelse-med-peer", f"T-PEER-{run}", present=["patient", "peer_worker"])
    session_id = term.session().id
    assert set(term.session().present) == {"patient", "peer_worker"}
    while (step := term.wait_asked(session_id)) is not None and step.step.type == "info":
        term.continue_info(session_id, step.id)
    assert step is not None and step.step.type == "longtext"
    term.answer_text(session_id, step.id, f"MINE-ORD-{run} om mig selv")

    term.keys("F8")
    before = term.wait_for(REVIEW_TITLE)
    # Nobody present is a clinician.
    assert not any("Behandler" in name for name in term.speakers_present(before))
    # The draft may say so already; `a` must say it (again), not open the approval dialog.
    mentions = _mentions(before)
    term.keys("a")
    try:
        screen = term.wait_until(
            lambda s: _mentions(s) > mentions or APPROVE_DIALOG in s,
            "`a` to say that approval needs a clinician ('behandler')")
    except TerminalError:
        if not mentions:
            raise
        screen = term.screen()  # `a` did nothing, and the draft says who approves it
    opened_dialog = APPROVE_DIALOG in screen
    if opened_dialog:  # confirm it, as a person would, to see what it does
        term.keys("Enter")
        term.wait_gone(APPROVE_DIALOG)
    term.keys("C-q")
    term.wait_exit()

    state = term.state(session_id)
    approved = [r for r in term.revisions(session_id) if r.kind == "approved"]
    status = term.session().status
    assert not opened_dialog and not state.approvals and not approved \
        and status != "plan_approved", (
            f"a session with only the patient and a peer worker must not approve: "
            f"approval dialog opened on `a`: {opened_dialog}; stored: approvals "
            f"{state.approvals!r}, approved revisions {len(approved)}, status {status!r}\n"
            f"the screen after `a`:\n{screen}")
    assert _mentions(screen), f"nothing on screen says approval needs a clinician:\n{screen}"
