"""A guide or plan for children and young people names its people as they are: "Den unge" and
"Forældre", not "Patient" and "Pårørende" (issue 17, item 11) — in the speaker bar, the
chat, the summary, the plan review and the papers. A guide for adults, or for both (the move
to adult psychiatry), keeps the general names."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from textual.widgets import Button

from assistant.engine import AddParticipant, Answer, Event, Seen, Session
from assistant.export.layout import plan_view
from assistant.guides.loader import Library
from assistant.guides.models import takes_answer
from assistant.plans import build_draft
from assistant.tui.app import SdmApp
from assistant.tui.screens.conversation import ConversationScreen
from assistant.tui.widgets.speaker_bar import SpeakerBar
from assistant.wording import role_label, youth
from tests.engine.helpers import sample_value

T0 = dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC)


def test_only_a_guide_for_young_people_alone_uses_their_names() -> None:
    assert youth(["youth"])
    assert not youth(["adult"])
    assert not youth(["youth", "adult"])  # overgang-til-voksen: the move at 18
    assert role_label("patient", "da", young=True) == "Den unge"
    assert role_label("relative", "da", young=True) == "Forældre"
    assert role_label("relative", "en", young=True) == "Parents"
    assert role_label("clinician", "da", young=True) == role_label("clinician", "da")
    assert role_label("patient", "da") == "Patient"


def _bar_names(screen: ConversationScreen) -> list[str]:
    bar = screen.query_one(SpeakerBar)
    # Each button's label is a radio mark and the name.
    return [str(button.label).lstrip("●○ ").strip() for button in bar.query(Button)]


async def test_the_speaker_bar_of_a_youth_meeting_says_den_unge_and_foraeldre(
        app_factory: Callable[..., SdmApp]) -> None:
    app = app_factory()
    async with app.run_test(size=(100, 40)) as pilot:
        for guide_id, names in (("netvaerksmoede-unge", ["Den unge", "Forældre", "Behandler"]),
                                ("netvaerksmoede", ["Patient", "Pårørende", "Behandler"])):
            guide = app.library.guides[guide_id].document
            session = Session(guide, [AddParticipant(role=role, at=T0)
                                      for role in ("patient", "relative", "clinician")])
            screen = ConversationScreen(session, ["patient", "relative", "clinician"],
                                        lang="da")
            await app.push_screen(screen)
            await pilot.pause()
            assert _bar_names(screen) == names, guide_id
            app.pop_screen()
            await pilot.pause()


def test_the_young_persons_plan_on_paper_says_den_unge(library: Library) -> None:
    guide = library.guides["tryghedsplan-grundoplysninger"].document
    template = library.templates["tryghedsplan"].document
    session = Session(guide, [AddParticipant(role="patient", at=T0),
                              AddParticipant(role="relative", at=T0)])
    # Every step answered, the young person and a parent taking turns.
    turn = 0
    while (current := session.state.current) is not None:
        if takes_answer(current.step):
            speaker = ("patient", "relative")[turn % 2]
            event: Event = Answer(step=current.id, value=sample_value(current.step),
                                  speaker=speaker, at=T0)
            turn += 1
        else:
            event = Seen(step=current.id, speaker="clinician", at=T0)
        session.apply(event)
    draft = build_draft(session.state, template, today=T0.date())
    assert draft.audience == ("youth",)
    for copy in (None, "record", "patient"):
        view = plan_view(draft, "da", copy=copy)  # type: ignore[arg-type]
        whos = {said.who for section in view.sections for field in section.fields
                for said in field.said}
        assert "Forældrene" in whos, (copy, whos)
        assert not whos & {"Patienten", "Pårørende"}, (copy, whos)
    participants = next(f.value for f in plan_view(draft, "da").facts
                        if f.key == "participants")
    assert "Den unge" in participants and "Forældrene" in participants
