"""The ids of the steps the app builds itself (guides/flow.py), named once.

Code that must recognise a built-in step (the options table, the decision, the SURE test)
compares with these names, never with a string literal, so renaming one is one edit here.
Authors may refer to the ones that take an answer (in `enable_when`); none may be used as the
id of an author's own step (`BUILTIN`, read by `RESERVED_STEP_IDS` in guides/flow.py).
"""

from __future__ import annotations

from typing import Final

WELCOME: Final = "welcome"
INFORMATION_LEVEL: Final = "information_level"
DECISION_ROLE: Final = "decision_role"
OPTIONS_OVERVIEW: Final = "options_overview"
CHOICE: Final = "choice"
DECIDED_BY: Final = "decided_by"
NEXT_STEPS: Final = "next_steps"
SURE_SURE: Final = "sure_sure"
SURE_UNDERSTAND: Final = "sure_understand"
SURE_RISK_BENEFIT: Final = "sure_risk_benefit"
SURE_SUPPORT: Final = "sure_support"

#: The SURE test's four questions, in the order they are asked.
SURE_IDS: Final = (SURE_SURE, SURE_UNDERSTAND, SURE_RISK_BENEFIT, SURE_SUPPORT)
#: The choice offered at the decision for "not yet".
NOT_YET: Final = "not_yet"

#: Every id the app gives its own steps, in conversation order; no author's step may use one.
BUILTIN: Final = (
    WELCOME, INFORMATION_LEVEL, DECISION_ROLE, OPTIONS_OVERVIEW, CHOICE, DECIDED_BY, *SURE_IDS,
    NEXT_STEPS,
)
