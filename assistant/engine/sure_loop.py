"""The SURE loop: a "no" reopens the decision, and a new decision repeats the SURE test.

After Légaré et al. (Can Fam Physician 2010;56:e308–14): a "no" to any SURE item signals
decisional conflict. The route for that item (`sure.sure_routes`) says what would help; then
the decision is asked again, and after it the SURE test again, until every item is "yes" or
the patient chooses "not yet" (it is fine not to be sure; waiting closes the loop too).

In terms of answers, positions in the session's answer history decide:

* `choice` is **reopened** when a SURE answer "no" was given after the latest answer to
  `choice`, and that choice is not "not yet";
* `decided_by` and each SURE item are **reopened** when their latest answer is older than the
  latest answer to `choice`: a new decision needs to say again who made it, and a new SURE
  check (also after an F5 edit of the decision).

A reopened step is answered (its old answer counts until then) but not done: it becomes
the current step again in conversation order, and an `Edit` answers it anew.
"""

from __future__ import annotations

from collections.abc import Mapping

from assistant.engine.records import AnswerRecord
from assistant.guides.step_ids import CHOICE, DECIDED_BY, NOT_YET, SURE_IDS

__all__ = ["reopened_steps"]


def reopened_steps(
    position: Mapping[str, int], answers: Mapping[str, AnswerRecord]
) -> frozenset[str]:
    """Ids of the decision steps to ask again (see the module docstring).

    `position` gives, for each step, where its latest answer or edit stands in the history of
    every answer and edit that counts or counted (kept by the event log as it grows, so this
    costs the same at the 10th event and the 10,000th); `answers` the ones that count now.
    """
    if CHOICE not in answers:
        return frozenset()
    chosen_at = position.get(CHOICE, -1)
    reopened = {sid for sid in (DECIDED_BY, *SURE_IDS)
                if sid in answers and position.get(sid, -1) < chosen_at}
    said_no = any(
        answers[item].value is False and position.get(item, -1) > chosen_at
        for item in SURE_IDS if item in answers
    )
    if said_no and answers[CHOICE].value != NOT_YET:
        reopened.add(CHOICE)
    return frozenset(reopened)
