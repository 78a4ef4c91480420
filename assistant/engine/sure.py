"""SURE routing: each "no" in the SURE test points to what would help.

After Légaré et al., Can Fam Physician 2010;56:e308–14: a "no" signals decisional conflict,
and each item names its cause — not knowing the options (go back to the options), unclear
values (go back to what matters), too little support (bring someone in), or simply not
being sure (it is fine to wait: "not yet", and a new appointment).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from assistant.engine.records import AnswerRecord, SureAction, SureRoute
from assistant.guides.flow import FlowStep
from assistant.guides.models import LocalText as _T
from assistant.guides.models import choices_of
from assistant.guides.step_ids import (
    CHOICE,
    NOT_YET,
    SURE_RISK_BENEFIT,
    SURE_SUPPORT,
    SURE_SURE,
    SURE_UNDERSTAND,
)

if TYPE_CHECKING:  # the state calls `sure_routes`; the score only reads a state
    from assistant.engine.state import SessionState

#: The order to work through the routes: knowledge and values first, deciding later last.
_ROUTES: tuple[tuple[str, SureAction, str | None, _T], ...] = (
    (SURE_UNDERSTAND, "revisit", "options", _T(
        da="Lad os se på mulighederne igen, med fordele og ulemper ved hver af dem.",
        en="Let us look at the options again, with the pros and cons of each.")),
    (SURE_RISK_BENEFIT, "revisit", "preferences", _T(
        da="Lad os tale mere om, hvad der betyder mest for dig.",
        en="Let us talk more about what matters most to you.")),
    (SURE_SUPPORT, "add_support", None, _T(
        da="Hvem kunne støtte dig i beslutningen? I kan invitere en pårørende "
           "eller en fra dit netværk med.",
        en="Who could support you in the decision? You could invite a relative "
           "or someone from your network.")),
    (SURE_SURE, "not_yet", "decision", _T(
        da="Det er i orden ikke at være sikker endnu. Vi kan vente med at beslutte "
           "og aftale en ny tid.",
        en="It is fine not to be sure yet. We can wait with the decision "
           "and agree on a new appointment.")),
)


def sure_routes(
    steps: Sequence[FlowStep], enabled: Collection[str], answers: Mapping[str, AnswerRecord]
) -> tuple[SureRoute, ...]:
    """A route for every SURE item answered "no" (False), in the order to work through them."""
    routes: list[SureRoute] = []
    for item, action, phase, message in _ROUTES:
        record = answers.get(item)
        if record is None or record.value is not False:
            continue
        target: str | None = None
        if action == "revisit":
            target = next((s.id for s in steps if s.phase == phase and s.id in enabled), None)
        elif action == "not_yet":
            target = CHOICE if _offers_not_yet(steps) else None
        routes.append(SureRoute(item, action, phase, target, message))
    return tuple(routes)


def _offers_not_yet(steps: Sequence[FlowStep]) -> bool:
    choice = next((s.step for s in steps if s.id == CHOICE), None)
    return choice is not None and any(c.id == NOT_YET for c in choices_of(choice))


# --- the SURE score ---------------------------------------------------------------------------


@dataclass(frozen=True)
class SureScore:
    """The SURE test's result: one point for every "yes".

    `asked` counts the items answered yes or no for the decision as it stands (an item
    skipped, not reached yet, or answered before a new decision and not asked again is not
    asked); `unmet` are the items answered "no", in the test's order.
    """

    score: int
    asked: int
    unmet: tuple[str, ...] = ()
    #: Every SURE item the guide asks, in the test's order, with the answer that counts
    #: (None: not asked for this decision).
    items: tuple[tuple[str, bool | None], ...] = ()

    @property
    def met(self) -> bool:
        """True when every item asked was answered "yes"."""
        return self.score == self.asked


def sure_score(state: SessionState) -> SureScore | None:
    """The SURE score (0–4) of the decision as it stands, or None while no SURE item is
    answered for it (or the guide asks none). An item answered before the latest decision
    is to be asked again (`state.reopened`, the SURE loop) and does not count. Pure."""
    items = tuple((item, None if item in state.reopened else value)
                  for item, value in state.sure.items())
    answered = [value for _item, value in items if value is not None]
    if not answered:
        return None
    unmet = tuple(item for item, value in items if value is False)
    return SureScore(score=answered.count(True), asked=len(answered), unmet=unmet,
                     items=items)
