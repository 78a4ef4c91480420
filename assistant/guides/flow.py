"""The order of a guide's steps, with the built-in framing and decision steps filled in.

A decision aid runs framing → preferences → options → decision; a meeting guide runs its
sections in order. Built-in steps have fixed ids that authors may refer to in `enable_when`
and `decision.fills`. The validator, the engine and the FHIR export all read this one list.

The built-in wording rests on `BUILTIN_SOURCES` (the Beslutningshjælper structure, the Control
Preferences Scale, the SURE test). The patient sees plain words only: instrument names and
citations stay out of prompts and help texts, and the chat's sources view lists them.
"""

from __future__ import annotations

from dataclasses import dataclass

from assistant.guides import step_ids
from assistant.guides.models import (
    AnyStep,
    Choice,
    DecisionAid,
    Guide,
    InfoStep,
    LocalText,
    MeetingGuide,
    SingleStep,
    TasksStep,
    YesNoStep,
    text_in,
)
from assistant.guides.yamlsubset import Path

DECISION_AID_PHASES: tuple[str, ...] = ("framing", "preferences", "options", "decision")

PHASE_TITLES: dict[str, LocalText] = {
    "framing": LocalText(da="Rammen", en="Framing"),
    "preferences": LocalText(da="Det, der betyder noget for dig", en="What matters to you"),
    "options": LocalText(da="Mulighederne", en="The options"),
    "decision": LocalText(da="Den fælles beslutning", en="The joint decision"),
}


@dataclass(frozen=True)
class FlowStep:
    """One step in the order the conversation takes it."""

    phase: str
    step: AnyStep
    #: Where the step is written in the guide file; None for built-in steps.
    path: Path | None

    @property
    def id(self) -> str:
        """The step's id."""
        return self.step.id

    @property
    def builtin(self) -> bool:
        """True for steps the app adds (information level, SURE, ...)."""
        return self.path is None


def _t(da: str, en: str) -> LocalText:
    return LocalText(da=da, en=en)


def _choices(*items: tuple[str, str, str]) -> list[Choice]:
    return [Choice(id=i, label=_t(da, en)) for i, da, en in items]


INFORMATION_LEVEL = SingleStep(
    id=step_ids.INFORMATION_LEVEL,
    type="single",
    ask="patient",
    required=True,
    prompt=_t(
        "Hvor meget vil du gerne vide om mulighederne?",
        "How much would you like to know about the options?",
    ),
    help=_t(
        "Det bestemmer, hvor mange detaljer der vises senere. Du kan altid spørge om mere.",
        "This decides how much detail is shown later. You can always ask for more.",
    ),
    choices=_choices(
        ("a_little", "Lidt – det vigtigste kort", "A little – the main points, briefly"),
        ("some", "Noget – med fordele og ulemper", "Some – with pros and cons"),
        ("everything", "Alt – med detaljer og kilder", "Everything – with details and sources"),
    ),
)

DECISION_ROLE = SingleStep(
    id=step_ids.DECISION_ROLE,
    type="single",
    ask="patient",
    prompt=_t(
        "Hvordan vil du helst have, at beslutningen bliver truffet?",
        "How would you prefer the decision to be made?",
    ),
    help=_t(
        "Der er ikke noget rigtigt svar.",
        "There is no right answer.",
    ),
    choices=_choices(
        ("patient", "Jeg vil selv bestemme", "I want to decide myself"),
        ("shared", "Vi beslutter sammen", "We decide together"),
        ("clinician", "Behandleren skal bestemme", "The clinician should decide"),
    ),
)

DECIDED_BY = SingleStep(
    id=step_ids.DECIDED_BY,
    type="single",
    required=True,
    prompt=_t("Hvem traf beslutningen?", "Who made the decision?"),
    choices=_choices(
        ("patient", "Patienten besluttede", "The patient decided"),
        ("shared", "Vi besluttede sammen", "We decided together"),
        ("clinician", "Behandleren besluttede", "The clinician decided"),
    ),
)

#: The four SURE items; a "no" routes back to what would help (see the engine).
SURE_STEPS: tuple[YesNoStep, ...] = (
    YesNoStep(
        id=step_ids.SURE_SURE, type="yesno", ask="patient",
        prompt=_t("Føler du dig sikker på, hvad der er det bedste valg for dig?",
                  "Do you feel sure about the best choice for you?"),
        help=_t("Fire korte spørgsmål om, hvor sikker du er på dit valg. "
                "Dette er spørgsmål 1 af 4.",
                "Four short questions about how sure you feel about your choice. "
                "This is question 1 of 4."),
    ),
    YesNoStep(
        id=step_ids.SURE_UNDERSTAND, type="yesno", ask="patient",
        prompt=_t("Kender du fordele og ulemper ved hver mulighed?",
                  "Do you know the benefits and risks of each option?"),
        help=_t("Spørgsmål 2 af 4 om, hvor sikker du er på dit valg.",
                "Question 2 of 4 about how sure you feel about your choice."),
    ),
    YesNoStep(
        id=step_ids.SURE_RISK_BENEFIT, type="yesno", ask="patient",
        prompt=_t("Er du klar over, hvilke fordele og ulemper der betyder mest for dig?",
                  "Are you clear about which benefits and risks matter most to you?"),
        help=_t("Spørgsmål 3 af 4 om, hvor sikker du er på dit valg.",
                "Question 3 of 4 about how sure you feel about your choice."),
    ),
    YesNoStep(
        id=step_ids.SURE_SUPPORT, type="yesno", ask="patient",
        prompt=_t("Har du nok støtte og råd til at træffe et valg?",
                  "Do you have enough support and advice to make a choice?"),
        help=_t("Spørgsmål 4 af 4 om, hvor sikker du er på dit valg.",
                "Question 4 of 4 about how sure you feel about your choice."),
    ),
)

NEXT_STEPS = TasksStep(
    id=step_ids.NEXT_STEPS,
    type="tasks",
    prompt=_t("Hvad er de næste skridt? Hvem gør hvad, og hvornår?",
              "What are the next steps? Who does what, and by when?"),
)


@dataclass(frozen=True)
class BuiltinSource:
    """A reference the wording of some built-in steps rests on (shown in the sources view)."""

    id: str
    #: The built-in steps (ids from `step_ids`) that rest on it.
    steps: frozenset[str]
    #: What it is used for, in plain words.
    about: LocalText
    citation: str


#: Everything the built-in steps rest on: the one place their references are kept.
BUILTIN_SOURCES: tuple[BuiltinSource, ...] = (
    BuiltinSource(
        id="beslutningshjaelper",
        steps=frozenset({step_ids.WELCOME, step_ids.INFORMATION_LEVEL,
                         step_ids.OPTIONS_OVERVIEW, step_ids.CHOICE, step_ids.NEXT_STEPS}),
        about=_t("Samtalens fire trin, og hvor meget du vil vide om mulighederne",
                 "The conversation's four phases, and how much you want to know"),
        citation="Lærings- og kvalitetsteam LKT Tvang: slides fra første læringsseminar (2021) "
                 "— Beslutningshjælperen: rammen, det der betyder noget, mulighederne, den "
                 "fælles beslutning. Seed 001_4e62c2f7fc255890.",
    ),
    BuiltinSource(
        id="control-preferences-scale",
        steps=frozenset({step_ids.DECISION_ROLE, step_ids.DECIDED_BY}),
        about=_t("Hvordan du helst vil have beslutningen truffet, og hvem der traf den",
                 "How you prefer the decision to be made, and who made it"),
        citation="Control Preferences Scale — Degner LF, Sloan JA, Venkatesh P. The Control "
                 "Preferences Scale. Can J Nurs Res 1997;29(3):21–43.",
    ),
    BuiltinSource(
        id="sure",
        steps=frozenset(step.id for step in SURE_STEPS),
        about=_t("De fire spørgsmål om, hvor sikker du er på dit valg (vores oversættelse)",
                 "The four questions about how sure you feel about your choice"),
        citation="SURE — Légaré F, et al. Are you SURE? Assessing patient decisional conflict "
                 "with a 4-item screening test. Can Fam Physician 2010;56:e308–14. "
                 "© O'Connor & Légaré.",
    ),
)


def builtin_sources(guide: Guide) -> tuple[BuiltinSource, ...]:
    """The references of the built-in steps `guide` asks (none for a meeting guide)."""
    asked = {f.id for f in flow(guide) if f.builtin}
    return tuple(s for s in BUILTIN_SOURCES if s.steps & asked)


def _welcome(aid: DecisionAid) -> InfoStep:
    purpose, invitation = aid.framing.purpose, aid.framing.invitation
    if isinstance(purpose, LocalText) or isinstance(invitation, LocalText):
        da = f"{text_in(purpose, 'da')}\n\n{text_in(invitation, 'da')}"
        en = f"{text_in(purpose, 'en')}\n\n{text_in(invitation, 'en')}"
        prompt: str | LocalText = LocalText(da=da, en=en)
    else:
        prompt = f"{purpose}\n\n{invitation}"
    return InfoStep(id=step_ids.WELCOME, type="info", prompt=prompt)


def _options_overview(aid: DecisionAid) -> InfoStep:
    question = aid.question or _t("Her er mulighederne side om side.",
                                  "Here are the options side by side.")
    return InfoStep(id=step_ids.OPTIONS_OVERVIEW, type="info", prompt=question)


def _choice(aid: DecisionAid) -> SingleStep:
    # The options' ids and titles are validated already (they are the aid's): built without
    # validating them again (a flow is made for every guide the library checks).
    choices = [Choice.model_construct(id=o.id, label=o.title) for o in aid.options]
    if aid.decision.allow_not_yet:
        choices.append(Choice(id=step_ids.NOT_YET, label=_t("Ikke endnu – jeg vil tænke over det",
                                                     "Not yet – I want to think about it")))
    while len(choices) < 2:  # an invalid aid (lint reports it); keep the step well-formed
        choices.append(Choice(id=f"option-{len(choices) + 1}", label="–"))
    return SingleStep(
        id=step_ids.CHOICE, type="single", ask="patient", required=True,
        prompt=_t("Hvad vælger du?", "What do you choose?"), choices=choices,
        fills=aid.decision.fills.choice,
    )


#: Ids the app gives its own steps; an author's step may not use them.
RESERVED_STEP_IDS: frozenset[str] = frozenset(step_ids.BUILTIN)


def flow(guide: Guide) -> tuple[FlowStep, ...]:
    """Every step of `guide` in conversation order, built-in steps included."""
    if isinstance(guide, MeetingGuide):
        return tuple(
            FlowStep(section.id, step, ("sections", i, "steps", j))
            for i, section in enumerate(guide.sections)
            for j, step in enumerate(section.steps)
        )
    aid = guide
    steps: list[FlowStep] = [FlowStep("framing", _welcome(aid), None)]
    if aid.framing.ask_information_level:
        steps.append(FlowStep("framing", INFORMATION_LEVEL, None))
    if aid.framing.ask_decision_role:
        steps.append(FlowStep("framing", DECISION_ROLE, None))
    steps += [FlowStep("framing", s, ("framing", "steps", i))
              for i, s in enumerate(aid.framing.steps)]
    steps += [FlowStep("preferences", s, ("preferences", i))
              for i, s in enumerate(aid.preferences)]
    steps.append(FlowStep("options", _options_overview(aid), None))
    steps.append(FlowStep("decision", _choice(aid), None))
    decided_by = DECIDED_BY.model_copy(update={"fills": aid.decision.fills.decided_by})
    steps.append(FlowStep("decision", decided_by, None))
    if aid.decision.sure:
        steps += [FlowStep("decision", s, None) for s in SURE_STEPS]
    if aid.decision.next_steps:
        next_steps = NEXT_STEPS.model_copy(update={"fills": aid.decision.fills.next_steps})
        steps.append(FlowStep("decision", next_steps, None))
    steps += [FlowStep("decision", s, ("decision", "steps", i))
              for i, s in enumerate(aid.decision.steps)]
    return tuple(steps)


def draft_templates(guide: Guide) -> tuple[str, ...]:
    """Ids of the templates a draft can be made of: the guide's `plan` first, then every
    other template its steps fill, in order of first appearance."""
    seen: dict[str, None] = {guide.plan: None} if guide.plan else {}
    # The flow has the built-in decision steps with `decision.fills` copied onto them.
    for s in flow(guide):
        for target in s.step.fills:
            seen.setdefault(target.partition(".")[0])
    return tuple(seen)


def phases(guide: Guide) -> tuple[str, ...]:
    """The phase ids of `guide`, in order (a meeting guide's phases are its sections)."""
    if isinstance(guide, MeetingGuide):
        return tuple(s.id for s in guide.sections)
    return DECISION_AID_PHASES
