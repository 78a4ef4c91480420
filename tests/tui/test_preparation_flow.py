"""Preparation flows into the meeting (#15, item 9).

The network meeting's setup chooses the newest preparation with the same label that no meeting
is built on yet (again as the label is typed, until someone picks one by hand), and checks the
peer worker and the preparation's participants. The people the patient named in the
preparation are offered at the meeting's people steps, one key to take each.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from textual.pilot import Pilot
from textual.widgets import Button, Input, RadioButton, RadioSet, SelectionList, Static

from assistant.engine import Answer
from assistant.engine.records import PreparedRecord
from assistant.engine.values import Person
from assistant.guides.loader import Library
from assistant.guides.models import MeetingGuide
from assistant.service.sessions import SessionService
from assistant.store import open_store
from assistant.tui.answers.items import PeopleAnswer, prepared_people
from assistant.tui.app import make_app
from assistant.tui.screens.conversation import ConversationScreen
from assistant.tui.screens.setup import SetupScreen
from assistant.tui.strings import t
from tests.tui.conftest import T0, FakeClock
from tests.tui.test_meeting_preparation import answer, open_setup
from tests.tui.test_setup import plain_screen

PREPARATION = "forberedelse-med-peer"
MEETING = "netvaerksmoede"
LONE = {"name": "Lone", "relation": "Mor", "contact": "12 34 56 78"}
PER = {"name": "Per", "relation": "Bror"}


def _service(library: Library, path: Path) -> SessionService:
    return SessionService(open_store(path), library)


def _prepare(service: SessionService, label: str, people: list[dict[str, str]] | None = None,
             *, present: tuple[str, ...] = ("patient", "peer_worker")) -> str:
    """A finished preparation labelled `label` in which the patient named `people`."""
    guide = service.library.guides[PREPARATION].document
    assert isinstance(guide, MeetingGuide)
    opened = service.start(guide, label, list(present), "da", at=T0)  # type: ignore[arg-type]
    if people is not None:
        opened.record_applied(Answer(step="hvem-skal-med", value=people,
                                     speaker="patient", at=T0 + dt.timedelta(minutes=1)))
    opened.finish()
    opened.close()
    return opened.row.id


def _pressed(setup: SetupScreen) -> str | None:
    """The id of the preparation chosen in the setup (None: no preparation)."""
    button = setup.query_one("#preparation", RadioSet).pressed_button
    assert button is not None and button.id is not None
    if button.id == "prep-none":
        return None
    return setup.preparations[int(button.id.removeprefix("prep-"))].id


async def test_the_setup_chooses_the_newest_unused_preparation_with_the_same_label(
    library: Library, tmp_path: Path,
) -> None:
    store = tmp_path / "store.sqlite3"
    service = _service(library, store)
    older = _prepare(service, "AB", [LONE])
    newer = _prepare(service, "AB", [LONE], present=("patient", "peer_worker", "relative"))
    other = _prepare(service, "CD", [PER])
    used = _prepare(service, "AB", [PER])
    meeting_guide = library.guides[MEETING].document
    assert isinstance(meeting_guide, MeetingGuide)
    built = service.start(meeting_guide, "AB", ["patient", "clinician"], "da",
                          preparation=used, at=T0)
    built.close()
    assert service.used_preparations(meeting_guide) == {used}

    app = make_app(library, clock=FakeClock(), service=service)
    async with app.run_test(size=(120, 50)) as pilot:
        setup = await open_setup(pilot, MEETING)
        assert {r.id for r in setup.preparations} == {older, newer, other, used}
        assert _pressed(setup) is None  # no label yet
        roles = setup.query_one("#roles", SelectionList)
        assert "peer_worker" not in roles.selected
        await pilot.press(*"ab")  # typed into the label, which has the focus
        await pilot.pause()
        assert _pressed(setup) == newer  # not the one a meeting is built on, nor the older
        assert "peer_worker" in roles.selected and "relative" in roles.selected
        assert t("preparation_matched", "da") in plain_screen(app)

        await pilot.press("x")  # "abx": no preparation has that label
        await pilot.pause()
        assert _pressed(setup) is None
        assert "peer_worker" not in roles.selected and "relative" not in roles.selected
        await pilot.press("backspace")
        await pilot.pause()
        assert _pressed(setup) == newer

        # Chosen by hand: the label no longer changes the choice.
        radio = setup.query_one("#preparation", RadioSet)
        target = next(b for b in radio.query(RadioButton)
                      if b.id and b.id != "prep-none"
                      and setup.preparations[int(b.id.removeprefix("prep-"))].id == other)
        radio.focus()
        buttons = list(radio.query(RadioButton))
        radio._selected = buttons.index(target)  # the keyboard cursor on it, then Enter
        await pilot.press("enter")
        await pilot.pause()
        assert _pressed(setup) == other
        setup.query_one("#label", Input).focus()
        await pilot.press("end", "space")
        await pilot.pause()
        assert _pressed(setup) == other
        await pilot.press("enter")  # start
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ConversationScreen)
        sources = {r.source_session for r in screen.state.prepared.values()}
        assert sources == {other}
        assert "peer_worker" in screen.present


async def test_a_label_typed_before_any_preparation_exists_chooses_none(
    library: Library, tmp_path: Path,
) -> None:
    service = _service(library, tmp_path / "store.sqlite3")
    _prepare(service, "EF", [LONE])
    app = make_app(library, clock=FakeClock(), service=service)
    async with app.run_test(size=(120, 50)) as pilot:
        setup = await open_setup(pilot, MEETING)
        await pilot.press(*"AB")
        await pilot.pause()
        assert _pressed(setup) is None
        assert "peer_worker" not in setup.query_one("#roles", SelectionList).selected


def test_prepared_people_are_everyone_named_once() -> None:
    at = T0

    def record(step: str, value: Any) -> PreparedRecord:
        return PreparedRecord(step=step, value=value, source_session="s", source_step=step,
                              prepared_at=at, speaker="patient", with_role="peer_worker", at=at)

    class State:
        prepared = {
            "kredsen": record("kredsen", (Person(name="Lone", relation="Mor"),
                                          Person(name="Per"))),
            "om-mig": record("om-mig", "Mine ord"),
            "andre": record("andre", (Person(name="lone ", relation="mor"),)),
        }

    people = prepared_people(State())  # type: ignore[arg-type]  # only `prepared` is read
    assert [(p.name, p.relation) for p in people] == [("Lone", "Mor"), ("Per", None)]


async def _to_step(pilot: Pilot[None], screen: ConversationScreen, step_id: str) -> None:
    """Answer (prepared answers accepted as they are) until `step_id` is asked."""
    for _ in range(60):
        current = screen.state.current
        assert current is not None, step_id
        if current.id == step_id:
            await pilot.pause()
            return
        if current.id in screen.state.prepared:
            await pilot.pause()
            await pilot.press("enter" if current.step.type == "text" else "ctrl+s")
            await pilot.pause()
        else:
            await answer(pilot, screen, f"Svar til {current.id}")
    raise AssertionError(f"{step_id} was never asked")


def _offers(screen: ConversationScreen) -> list[str]:
    return [str(b.label) for b in screen.query(".offer").results(Button)]


async def test_the_people_named_in_the_preparation_are_offered_one_key_each(
    library: Library, tmp_path: Path,
) -> None:
    service = _service(library, tmp_path / "store.sqlite3")
    _prepare(service, "AB", [LONE, PER])
    app = make_app(library, clock=FakeClock(), service=service)
    async with app.run_test(size=(120, 50)) as pilot:
        setup = await open_setup(pilot, MEETING)
        await pilot.press(*"AB", "enter")  # the preparation with that label, then start
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ConversationScreen)
        assert "kredsen" in screen.state.prepared and setup.preparations

        # "Hvem er med i kredsen": filled in with them already, so nobody is offered.
        await _to_step(pilot, screen, "kredsen")
        widget = screen.query_one(PeopleAnswer)
        assert [row["name"] for row in widget.rows] == ["Lone", "Per"]
        assert _offers(screen) == []
        await pilot.press("ctrl+s")
        await pilot.pause()

        # "Hvem kan hjælpe dig": both offered; Ctrl+N takes the first, Enter on one takes it.
        await _to_step(pilot, screen, "hvem-kan-hjaelpe")
        widget = screen.query_one(PeopleAnswer)
        assert widget.rows == []
        assert _offers(screen) == ["+ Lone (Mor)", "+ Per (Bror)"]
        text = plain_screen(app)
        assert "+ Lone (Mor)" in text and t("people_from_preparation", "da") in text
        assert isinstance(app.focused, Input) and app.focused.id == "field-name"
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert [row["name"] for row in widget.rows] == ["Lone"]
        assert widget.rows[0]["contact"] == "12 34 56 78"
        assert _offers(screen) == ["+ Per (Bror)"]
        next(iter(screen.query(".offer").results(Button))).focus()
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert [row["name"] for row in widget.rows] == ["Lone", "Per"]
        assert _offers(screen) == [] and not list(screen.query(".offer-title").results(Static))
        assert isinstance(app.focused, Input) and app.focused.id == "field-name"
        await pilot.press(*"Kontaktperson", "enter", "ctrl+s")  # one more, typed
        await pilot.pause()
        value = screen.state.answers["hvem-kan-hjaelpe"].value
        assert [p.name for p in value] == ["Lone", "Per", "Kontaktperson"]  # type: ignore[union-attr]
