"""The UI over the store: replay gives the TUI's state; sessions resume; one writer at a time."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from textual.widgets import OptionList

from assistant.engine import Answer, Edit, Seen, Skip
from assistant.engine.answersfile import replay_answers
from assistant.engine.snapshot import state_to_json
from assistant.engine.values import plain
from assistant.guides.loader import Library, load_library
from assistant.service.sessions import SessionService
from assistant.store import open_store
from assistant.tui.app import SdmApp, make_app
from assistant.tui.messages import GuideChosen
from assistant.tui.screens.conversation import ConversationScreen
from assistant.tui.screens.setup import Setup
from assistant.tui.widgets.chat_message import Notice
from tests.tui.conftest import FakeClock
from tests.tui.driver import answer_current, start
from tests.tui.test_hostile_text import _visible_text


def _answers_file(screen: ConversationScreen) -> dict[str, object]:
    """The session's effective events as an answers file for `sdm replay`."""
    entries: list[dict[str, object]] = []
    for event in screen.state.effective_events:
        entry: dict[str, object] = {"at": event.at.isoformat()}
        if isinstance(event, (Answer, Edit)):
            entry |= {"step": event.step, "value": event.value, "speaker": event.speaker}
            if event.verbatim:
                entry["verbatim"] = event.verbatim
            if isinstance(event, Edit):
                entry["edit"] = True
        elif isinstance(event, Skip):
            entry |= {"step": event.step, "skip": True, "speaker": event.speaker}
        elif isinstance(event, Seen):
            entry |= {"step": event.step, "seen": True}
        else:
            continue
        entries.append(entry)
    return {"language": screen.lang, "answers": entries}


@pytest.mark.parametrize("guide_id", ["paaroerende-inddragelse", "netvaerksmoede"])
async def test_replay_and_the_tui_give_the_same_final_state(
    app_factory: Callable[..., SdmApp], guide_id: str
) -> None:
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await start(pilot, guide_id)
        turn = 0
        while screen.state.current is not None:
            if turn == 2:
                await pilot.press("f2")
            if turn == 5 and screen.state.current.id in screen.state.skippable:
                await pilot.press("f6")
            else:
                await answer_current(pilot, screen, text=f"Svar nummer {turn}")
            await pilot.pause()
            turn += 1
        tui_state = screen.state
        data = json.loads(json.dumps(_answers_file(screen)))
    replayed, problems = replay_answers(tui_state.guide, data, None, "answers.yaml")
    assert problems == []
    assert replayed is not None
    ours, theirs = state_to_json(tui_state), state_to_json(replayed)
    ours.pop("participants", None)
    theirs.pop("participants", None)
    assert ours == theirs


@pytest.fixture
def service_factory(tmp_path: Path) -> Callable[[Library], SessionService]:
    def build(library: Library) -> SessionService:
        return SessionService(open_store(tmp_path / "store.sqlite3"), library)

    return build


def _library_with(tmp_path: Path, text: str) -> Library:
    folder = tmp_path / "guides"
    folder.mkdir(exist_ok=True)
    (folder / "eksempel-beslutning.yaml").write_text(text, encoding="utf-8")
    plan = Path(__file__).resolve().parents[2] / "docs" / "examples" / "eksempel-plan.yaml"
    (folder / "eksempel-plan.yaml").write_text(plan.read_text(encoding="utf-8"), encoding="utf-8")
    library = load_library([folder])
    assert library.ok, [p.format() for p in library.errors]
    return library


async def test_resume_lists_unfinished_sessions_and_replays_to_the_step(
    tmp_path: Path, example_aid_text: str, service_factory: Callable[[Library], SessionService]
) -> None:
    library = _library_with(tmp_path, example_aid_text)
    guide = library.guides["eksempel-beslutning"].document
    service = service_factory(library)
    app = make_app(library, clock=FakeClock(), service=service)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        screen = app.start_conversation(Setup(guide, ["patient", "clinician"], "da", "AB"))
        assert screen is not None
        await pilot.pause()
        for _ in range(4):  # welcome, information level, decision role, "vigtigst"
            await answer_current(pilot, screen, text="Min søster skal vide det")
        stopped_at = screen.state.current.id
        answers = dict(screen.state.answers)
    service.store.close()

    # A second sitting: a new process, the same store.
    service = service_factory(library)
    assert [r.label for r in service.unfinished()] == ["AB"]
    app = make_app(library, clock=FakeClock(), service=service)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        sessions = app.screen.query_one("#sessions", OptionList)
        assert "AB" in sessions.get_option_at_index(0).prompt.plain
        sessions.focus()
        await pilot.press("enter")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ConversationScreen)
        assert screen.state.current.id == stopped_at
        assert {k: plain(v.value) for k, v in screen.state.answers.items()} == {
            k: plain(v.value) for k, v in answers.items()}
        assert "Min søster skal vide det" in "\n".join(
            _visible_text(w) for w in screen.query("AnswerBubble"))


async def test_a_guide_edited_between_sittings_resumes_with_a_notice(
    tmp_path: Path, example_aid_text: str, service_factory: Callable[[Library], SessionService]
) -> None:
    library = _library_with(tmp_path, example_aid_text)
    guide = library.guides["eksempel-beslutning"].document
    service = service_factory(library)
    opened = service.start(guide, "CD", ["patient"], "da")
    session, clock = opened.session, FakeClock()
    for event in (Seen(step="welcome", at=clock()),
                  Answer(step="information_level", value="some", speaker="patient", at=clock()),
                  Answer(step="decision_role", value="shared", speaker="patient", at=clock()),
                  Answer(step="vigtigst", value="Ro", speaker="patient", at=clock()),
                  Answer(step="kontakt", value="ofte", speaker="patient", at=clock())):
        opened.record(event)
        session.apply(event)
    opened.close()
    service.store.close()

    # The author renames step "kontakt" and bumps the version.
    edited = example_aid_text.replace("version: 1.0.0", "version: 1.1.0")
    edited = edited.replace("id: kontakt", "id: kontakt-ny").replace(
        "question: kontakt,", "question: kontakt-ny,")
    library2 = _library_with(tmp_path, edited)
    service = service_factory(library2)
    app = make_app(library2, clock=FakeClock(), service=service)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        app.screen.query_one("#sessions", OptionList).focus()
        await pilot.press("enter")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ConversationScreen)
        assert set(screen.state.answers) == {"information_level", "decision_role", "vigtigst"}
        assert screen.state.current.id == "kontakt-ny"
        notices = "\n".join(_visible_text(n) for n in screen.query(Notice))
        assert "Guiden er ændret" in notices and "kontakt" in notices
    # Nothing was lost: the old answer is still in the store.
    events = service.store.load_events(opened.row.id)
    assert any(getattr(e, "step", None) == "kontakt" for e in events)


async def test_a_second_instance_gets_a_clear_message(
    tmp_path: Path, example_aid_text: str, service_factory: Callable[[Library], SessionService]
) -> None:
    library = _library_with(tmp_path, example_aid_text)
    guide = library.guides["eksempel-beslutning"].document
    first = service_factory(library)
    opened = first.start(guide, "EF", ["patient"], "da")
    second = service_factory(library)
    app = make_app(library, clock=FakeClock(), service=second)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        app.screen.query_one("#sessions", OptionList).focus()
        await pilot.press("enter")
        await pilot.pause()
        assert not isinstance(app.screen, ConversationScreen)
        messages = [str(n.message) for n in app._notifications]
        assert messages and all("CANARY" not in m for m in messages)
    opened.close()


async def test_a_stored_session_asks_for_a_label_in_words(
        service_factory: Callable[[Library], SessionService]) -> None:
    from textual.widgets import Input, Static

    from assistant.tui.screens.setup import SetupScreen

    library = load_library()
    service = service_factory(library)
    app = make_app(library, clock=FakeClock(), service=service)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        app.post_message(GuideChosen(library.guides["paaroerende-inddragelse"].document))
        await pilot.pause()
        setup = app.screen
        assert isinstance(setup, SetupScreen)
        await pilot.click("#start")
        await pilot.pause()
        assert app.screen is setup and service.store.list_sessions() == []
        assert "Giv samtalen et navn" in str(setup.query_one("#setup-error", Static).render())
        assert setup.query_one("#label", Input).has_focus
        await pilot.press(*"AB", "enter")
        await pilot.pause()
        assert isinstance(app.screen, ConversationScreen)
        assert [r.label for r in service.store.list_sessions()] == ["AB"]
    service.store.close()


def test_a_session_records_who_takes_part_and_an_older_one_gets_it_on_resume(
    tmp_path: Path, example_aid_text: str, service_factory: Callable[[Library], SessionService]
) -> None:
    from assistant.engine import AddParticipant

    library = _library_with(tmp_path, example_aid_text)
    loaded = library.guides["eksempel-beslutning"]
    service = service_factory(library)
    # New sessions record one AddParticipant per role present, so the engine knows who
    # takes part (a clinician, the patient: the approval rule asks).
    opened = service.start(loaded.document, "AB", ["patient", "clinician"], "da")  # type: ignore[arg-type]
    assert [(type(e), getattr(e, "role", None)) for e in service.store.load_events(
        opened.row.id)] == [(AddParticipant, "patient"), (AddParticipant, "clinician")]
    assert opened.session.state.takes_part("clinician")
    opened.close()
    # A session stored before that: its roles are recorded once, at its start, on resume.
    row = service.store.create_session(loaded, "OLD", ["patient", "clinician"])
    service.store.append(row.id, Seen(step="welcome", at=row.created))
    resumed = service.resume(row.id, "da")
    state = resumed.session.state
    assert [(p.role, p.at) for p in state.participants] == [
        ("patient", row.created), ("clinician", row.created)]
    resumed.close()
    again = service.resume(row.id, "da")
    assert len(again.session.state.participants) == 2  # not twice
    assert len(service.store.load_events(row.id)) == 3
    again.close()
    service.store.close()
