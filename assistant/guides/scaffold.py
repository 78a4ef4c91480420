"""`sdm new`: commented scaffolds that validate as they are, for authors to fill in.

Every scaffold is checked by the test suite: it must pass `sdm validate` unchanged, so an author
starts from something that works and changes one thing at a time.
"""

from __future__ import annotations

import datetime as dt

# The first line points the editor at the schema `sdm new` writes beside the file (`MODELINE`).
_HEADER = """\
{modeline}
# Written by `sdm new`. The format is described in docs/authoring.md; check your changes with
#   sdm validate {id}.yaml    (format and references)
#   sdm lint {id}.yaml        (IPDAS minimum standards, readability)
# Texts are a plain string or {{da: ..., en: ...}}; write Danish first, with English.
"""

_DECISION_AID = """\
id: {id}
kind: decision_aid
version: 0.1.0
title: {{da: "Titel på dansk", en: "Title in English"}}
# The words people search by, when they are not in the title ("forhånd", "PN", "bælte").
keywords:
  - {{da: "søgeord", en: "search word"}}
audience: [adult]                    # adult and/or youth
authors: [sdm-assistant contributors]
reviewed: {today}                  # when the content was last checked against its sources
review_due: {due}                # lint fails after this date
update_policy: {{da: "Gennemgås hvert år og når kilderne ændres.", en: "Reviewed yearly and when sources change."}}
funding: {{da: "Udviklet uden ekstern finansiering.", en: "Developed without external funding."}}
conflicts_of_interest: {{da: "Ingen.", en: "None."}}
plan: ua                             # the plan template the answers fill by default

# IPDAS: describe the situation, and state the decision as a question.
situation: {{da: "Hvilken situation handler beslutningen om?", en: "What situation is the decision about?"}}
question: {{da: "Hvad skal vi beslutte?", en: "What do we need to decide?"}}

sources:
  - id: s1
    citation: "Forfatter, titel, år"

# Phase 1: why we are here, and an invitation to decide together.
framing:
  purpose: {{da: "Formålet med samtalen.", en: "The purpose of the conversation."}}
  invitation: {{da: "Vi vil gerne beslutte det sammen med dig.", en: "We would like to decide this together with you."}}
  ask_information_level: true        # a little / some / everything: sets the detail shown later

# Phase 2: what matters to the patient. Step types: {step_types}.
# `fills` puts the answer into a plan field (template.field).
preferences:
  - id: vigtigst
    type: longtext
    ask: patient
    prompt: {{da: "Hvad er vigtigst for dig?", en: "What matters most to you?"}}
    fills: [ua.patient_wishes]
  - id: tryghed
    type: scale
    min: 0
    max: 10
    min_label: {{da: "Slet ikke", en: "Not at all"}}
    max_label: {{da: "Meget", en: "Very much"}}
    prompt: {{da: "Hvor tryg er du ved situationen nu?", en: "How safe do you feel about the situation now?"}}
  - id: uddyb
    type: text
    prompt: {{da: "Hvad ville gøre dig mere tryg?", en: "What would make you feel safer?"}}
    enable_when:                     # asked only when the scale answer is 5 or lower
      - {{question: tryghed, operator: "<=", answer: 5}}

# Phase 3: the options side by side, balanced, each with sources.
options:
  - id: mulighed-a
    title: {{da: "Mulighed A", en: "Option A"}}
    summary: {{da: "Kort om mulighed A.", en: "Option A in brief."}}
    pros: [{{da: "En fordel.", en: "An advantage."}}]
    cons: [{{da: "En ulempe.", en: "A disadvantage."}}]
    experience: {{da: "Sådan er det at leve med A.", en: "What living with A is like."}}
    more:
      everything: {{da: "Flere detaljer.", en: "More detail."}}
    sources: [s1]
  - id: som-nu
    title: {{da: "Fortsætte som nu", en: "Carry on as now"}}
    summary: {{da: "Intet ændres lige nu.", en: "Nothing changes for now."}}
    pros: [{{da: "Ingen ændringer.", en: "No changes."}}]
    cons: [{{da: "Problemet er uløst.", en: "The problem stays."}}]
    experience: {{da: "Sådan er det at fortsætte som nu.", en: "What carrying on is like."}}
    sources: [s1]
    status_quo: true

# Phase 4: the choice (or "not yet"), who decided, the SURE test and the next steps.
decision:
  sure: true
  next_steps: true
  allow_not_yet: true
  fills:
    choice: [ua.decisions]
    next_steps: [ua.responsibilities]
"""

_MEETING_GUIDE = """\
id: {id}
kind: meeting_guide
version: 0.1.0
title: {{da: "Titel på dansk", en: "Title in English"}}
keywords: [{{da: "søgeord", en: "search word"}}]   # the words people search by
audience: [adult]
authors: [sdm-assistant contributors]
reviewed: {today}
review_due: {due}
update_policy: {{da: "Gennemgås hvert år.", en: "Reviewed yearly."}}
funding: {{da: "Udviklet uden ekstern finansiering.", en: "Developed without external funding."}}
conflicts_of_interest: {{da: "Ingen.", en: "None."}}
plan: ua
sources:
  - id: s1
    citation: "Forfatter, titel, år"
purpose: {{da: "Formålet med mødet.", en: "The purpose of the meeting."}}
time_limit_minutes: 60               # shown as a timer; 15 for a blitz meeting

# Who should be in the circle: patient relative clinician municipality housing gp peer_worker other
participants:
  - {{role: patient, required: true}}
  - {{role: clinician, required: true}}
  - {{role: municipality}}

sections:
  - id: oensker
    title: {{da: "Ønsker og præferencer", en: "Wishes and preferences"}}
    timebox_minutes: 10
    steps:
      - id: oensker-egne-ord
        type: longtext
        ask: patient
        prompt: {{da: "Hvad ønsker du dig af den nærmeste tid?", en: "What do you wish for in the near future?"}}
        fills: ua.patient_wishes
  - id: plan
    title: {{da: "Hvem gør hvad", en: "Who does what"}}
    steps:
      - id: opgaver
        type: tasks
        prompt: {{da: "Hvem gør hvad, og hvornår?", en: "Who does what, and by when?"}}
        fills: ua.responsibilities
"""

_PLAN_TEMPLATE = """\
id: {id}
kind: plan_template
version: 0.1.0
title: {{da: "Planens titel", en: "Title of the plan"}}
audience: [adult]
legal_basis: {{da: "Lovgrundlag, hvis der er et", en: "Legal basis, if any"}}
reviewed: {today}
# Field types: text longtext date people tasks yesno choice number.
# Guides fill a field with `fills: {id}.FIELD`; required fields left empty are shown as gaps.
fields:
  - id: wishes
    label: {{da: "Mine ønsker", en: "My wishes"}}
    required: true
    help: {{da: "Med patientens egne ord.", en: "In the patient's own words."}}
  - id: next_meeting
    type: date
    label: {{da: "Næste møde", en: "Next meeting"}}
  - id: who_does_what
    type: tasks
    label: {{da: "Hvem gør hvad", en: "Who does what"}}
"""

_BODIES = {
    "decision_aid": _DECISION_AID,
    "meeting_guide": _MEETING_GUIDE,
    "plan_template": _PLAN_TEMPLATE,
}


def scaffold(kind: str, guide_id: str, today: dt.date | None = None) -> str:
    """The text of a new, valid, commented guide of `kind` with id `guide_id`."""
    today = today or dt.date.today()
    due = today.replace(year=today.year + 1) if not (today.month == 2 and today.day == 29) \
        else today.replace(year=today.year + 1, day=28)
    # The step types are named from the one list in the models, so a new type shows here too.
    from assistant.guides.models import STEP_TYPES
    from assistant.guides.schema import MODELINE

    return (_HEADER + _BODIES[kind]).format(id=guide_id, today=today.isoformat(),
                                            due=due.isoformat(), step_types=" ".join(STEP_TYPES),
                                            modeline=MODELINE)
