"""The record made in the room (issue #12), in the chat: the speaker rule on screen, edits
that add at the end, Ctrl+Q that asks before unsaved words are lost, the ways on at the
end, the meeting timer, and the SURE loop."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from textual.widgets import Button, OptionList, TextArea

from assistant.engine import AddParticipant, Answer, Event, Seen, Session
from assistant.engine.speaker import last_speaker
from assistant.guides.step_ids import SURE_IDS
from assistant.tui.answers.base import AnswerWidget
from assistant.tui.app import SdmApp
from assistant.tui.dialogs.unsaved import UnsavedDialog
from assistant.tui.screens.conversation import ConversationScreen
from assistant.tui.screens.home import HomeScreen
from assistant.tui.widgets.chat_message import Notice
from assistant.tui.widgets.meeting_timer import MeetingTimer
from assistant.tui.widgets.speaker_bar import SpeakerBar

from .driver import answer_current, answer_step, start, until


def _recorded(app: SdmApp) -> list[Event]:
    """The events stored for the app's latest conversation."""
    opened = app.open_sessions[-1]
    return opened.store.load_events(opened.row.id)


def _notices(screen: ConversationScreen) -> list[str]:
    return [str(n.render()) for n in screen.query(Notice)]


async def _type_long(pilot, text: str) -> None:  # type: ignore[no-untyped-def]
    await pilot.press(*text)


async def test_the_speaker_stays_and_a_change_by_the_guide_is_said(
        app_factory: Callable[..., SdmApp]) -> None:
    app = app_factory()
    async with app.run_test(size=(100, 40)) as pilot:
        screen = await start(pilot, "blitzmoede", roles=("relative",))
        bar = screen.query_one(SpeakerBar)
        await answer_current(pilot, screen)              # om-blitz (info)
        assert bar.role == "patient"
        await answer_current(pilot, screen)              # op-til, asks the patient
        await pilot.press("f2")                          # the relative answers the next one
        await pilot.pause()
        assert bar.role != "patient"
        chosen = bar.role
        await answer_current(pilot, screen)              # brug-for-nu, by the one chosen
        assert screen.state.answers["brug-for-nu"].speaker == chosen
        # hvad-hjaelper asks the patient: the switch is made and said in words.
        await pilot.pause()
        assert bar.role == "patient"
        note = screen.query_one(".speaker-note")
        assert "Nu taler: Patient" in str(note.render())
        await answer_current(pilot, screen)              # hvad-hjaelper
        while screen.state.current.id != "opgaver":      # what we learn (the patient first)
            await answer_current(pilot, screen)
        while bar.role != "clinician":
            await pilot.press("f2")
            await pilot.pause()
        await answer_current(pilot, screen)              # opgaver (no ask): the clinician
        assert screen.state.answers["opgaver"].speaker == "clinician"
        await pilot.pause()
        assert bar.role == "clinician"                   # tovholder (no ask): it stays
        await answer_current(pilot, screen)
        assert screen.state.answers["tovholder"].speaker == "clinician"


async def test_a_resumed_session_goes_on_with_the_last_speaker(
        app_factory: Callable[..., SdmApp]) -> None:
    app = app_factory()
    async with app.run_test(size=(100, 40)) as pilot:
        guide = app.library.guides["blitzmoede"].document
        t0 = dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC)
        session = Session(guide, [
            AddParticipant(role="patient", at=t0), AddParticipant(role="clinician", at=t0),
            Answer(step="op-til", value="a", speaker="patient", at=t0),
            Answer(step="brug-for-nu", value="b", speaker="patient", at=t0),
            Answer(step="hvad-hjaelper", value="c", speaker="patient", at=t0),
            Answer(step="forebygge", value="d", speaker="patient", at=t0),
            Answer(step="plan-brugt", value="ingen", speaker="clinician", at=t0),
            Answer(step="opgaver", value=[{"what": "x", "who": "y"}], speaker="clinician",
                   at=t0 + dt.timedelta(minutes=6)),
        ])
        assert last_speaker(session.state) == "clinician"
        screen = ConversationScreen(session, ["patient", "clinician"], lang="da")
        await app.push_screen(screen)
        await pilot.pause()
        assert screen.query_one(SpeakerBar).role == "clinician"
        # The meeting timer goes on from the time the meeting had used: 6 minutes.
        timer = screen.query_one(MeetingTimer)
        assert timer.elapsed >= dt.timedelta(minutes=6)


async def test_editing_long_text_adds_at_the_end(app_factory: Callable[..., SdmApp]) -> None:
    app = app_factory()
    async with app.run_test(size=(100, 40)) as pilot:
        screen = await start(pilot, "blitzmoede")
        await answer_current(pilot, screen)                       # info
        await pilot.press(*"Jeg vil ikke have sprøjte.", "ctrl+s")  # op-til
        await until(pilot, lambda: "op-til" in screen.state.answers, "the answer to be saved")
        assert screen.state.answers["op-til"].value == "Jeg vil ikke have sprøjte."
        await pilot.press("f5")
        await pilot.pause()
        picker = app.screen.query_one(OptionList)
        ids = [str(picker.get_option_at_index(i).id) for i in range(picker.option_count)]
        picker.highlighted = ids.index("op-til")
        await pilot.press("enter")
        await pilot.pause()
        assert screen.editing == "op-til"
        area = screen.query_one(TextArea)
        assert area.cursor_location == area.document.end
        await pilot.press(*" Heller ikke bælte.", "ctrl+s")
        await until(pilot, lambda: screen.editing is None, "the edit to be saved")
        assert screen.state.answers["op-til"].value == \
            "Jeg vil ikke have sprøjte. Heller ikke bælte."
        # Ctrl+Home and Ctrl+End move through the whole text, as in any text field.
        await answer_current(pilot, screen)  # brug-for-nu is asked now; use it
        await pilot.pause()


async def test_ctrl_home_and_end_in_a_long_answer(app_factory: Callable[..., SdmApp]) -> None:
    app = app_factory()
    async with app.run_test(size=(100, 40)) as pilot:
        screen = await start(pilot, "blitzmoede")
        await answer_current(pilot, screen)
        await pilot.press(*"første", "enter", *"anden")
        area = screen.query_one(TextArea)
        await pilot.press("ctrl+home")
        assert area.cursor_location == (0, 0)
        await pilot.press("ctrl+end")
        assert area.cursor_location == area.document.end


async def test_edit_corrects_who_said_it(app_factory: Callable[..., SdmApp]) -> None:
    app = app_factory()
    async with app.run_test(size=(100, 40)) as pilot:
        screen = await start(pilot, "blitzmoede", roles=("relative",))
        bar = screen.query_one(SpeakerBar)
        await answer_current(pilot, screen)
        await answer_current(pilot, screen)                       # op-til, the patient
        await pilot.press("f2")                                   # the relative speaks now
        await pilot.pause()
        before = bar.role
        await pilot.press("f5")
        await pilot.pause()
        picker = app.screen.query_one(OptionList)
        picker.highlighted = [str(picker.get_option_at_index(i).id)
                              for i in range(picker.option_count)].index("op-til")
        await pilot.press("enter")
        await pilot.pause()
        assert bar.role == "patient"         # the edit starts with the answer's speaker
        assert "Svaret blev givet af: Patient" in str(
            screen.query_one("#edit-banner").render())
        while bar.role != "relative":
            await pilot.press("f2")
            await pilot.pause()
        await pilot.press("ctrl+s")                               # same words, new speaker
        await pilot.pause()
        record = screen.state.answers["op-til"]
        assert record.speaker == "relative" and record.edited
        assert _recorded(app)[-1].type == "edit"  # type: ignore[union-attr]
        assert bar.role == before            # back to who spoke before the edit


async def test_ctrl_q_with_unsaved_words_asks(app_factory: Callable[..., SdmApp]) -> None:
    app = app_factory()
    async with app.run_test(size=(100, 40)) as pilot:
        screen = await start(pilot, "blitzmoede")
        await answer_current(pilot, screen)
        await pilot.press(*"Ikke gemt endnu")
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert isinstance(app.screen, UnsavedDialog)
        await pilot.click("#stay")
        await pilot.pause()
        assert app.screen is screen and app.is_running
        assert screen.query_one(TextArea).text == "Ikke gemt endnu"
        await pilot.press("ctrl+q")
        await pilot.pause()
        await pilot.click("#save")
        await until(pilot, lambda: "op-til" in screen.state.answers, "the answer to be saved")
        assert screen.state.answers["op-til"].value == "Ikke gemt endnu"
        assert any(getattr(e, "step", None) == "op-til" for e in _recorded(app))
    assert app.return_code == 0


async def test_words_just_saved_are_not_unsaved(app_factory: Callable[..., SdmApp]) -> None:
    """Ctrl+Q right after Ctrl+S quits without asking: the field just saved is still
    mounted for a moment (the new one removes it once it has the focus), and its words are
    stored, not unsaved (a real terminal once showed the dialog after a fast save)."""
    app = app_factory()
    async with app.run_test(size=(100, 40)) as pilot:
        screen = await start(pilot, "blitzmoede")
        # forebygge (free text) is followed by plan-brugt (a choice): a new field comes.
        while screen.state.current is not None and screen.state.current.id != "forebygge":
            await answer_current(pilot, screen)
        await pilot.press(*"Gemt lige nu")
        answer = screen.answer_widget()
        assert answer is not None and answer.has_unsaved()
        submitted = answer.collect()
        assert submitted is not None and screen.save_answer(submitted)
        # In the same turn as the save: both fields are mounted, the old one with its words.
        widgets = list(screen.query(AnswerWidget))
        assert len(widgets) == 2 and widgets[0] is answer and answer.has_unsaved()
        assert screen.unsaved_answer() is None
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert not isinstance(app.screen, UnsavedDialog)
    assert app.return_code == 0


async def test_free_text_after_free_text_keeps_its_field_emptied(
        app_factory: Callable[..., SdmApp]) -> None:
    """op-til and brug-for-nu both take free text: the same field asks the next question,
    empty, with the keyboard in it (issue 16: no new field built for it); Ctrl+Q then has
    nothing unsaved to ask about, and words typed go to the new question."""
    app = app_factory()
    async with app.run_test(size=(100, 40)) as pilot:
        screen = await start(pilot, "blitzmoede")
        await answer_current(pilot, screen)  # om-blitz (info)
        assert screen.state.current is not None and screen.state.current.id == "op-til"
        field = screen.answer_widget()
        assert field is not None
        await pilot.press(*"Om mig", "ctrl+s")
        await until(pilot, lambda: "op-til" in screen.state.answers, "the answer to be saved")
        assert screen.state.answers["op-til"].value == "Om mig"
        assert screen.state.current is not None and screen.state.current.id == "brug-for-nu"
        assert screen.answer_widget() is field and field.step.id == "brug-for-nu"
        area = field.query_one(TextArea)
        assert area.text == "" and area.has_focus
        assert screen.unsaved_answer() is None
        await pilot.press(*"Ro", "ctrl+s")
        await until(pilot, lambda: "brug-for-nu" in screen.state.answers, "the answer")
        assert screen.state.answers["brug-for-nu"].value == "Ro"


async def test_ctrl_q_discard_and_nothing_unsaved(app_factory: Callable[..., SdmApp]) -> None:
    app = app_factory()
    async with app.run_test(size=(100, 40)) as pilot:
        screen = await start(pilot, "blitzmoede")
        await answer_current(pilot, screen)
        await pilot.press(*"Kasseres")
        await pilot.press("ctrl+q")
        await pilot.pause()
        await pilot.click("#discard")
        await pilot.pause()
        assert "op-til" not in screen.state.answers
    app = app_factory()
    async with app.run_test(size=(100, 40)) as pilot:
        await start(pilot, "blitzmoede")
        await pilot.press("ctrl+q")                               # nothing typed: quits
        await pilot.pause()
        assert not isinstance(app.screen, UnsavedDialog)


async def test_the_end_offers_plan_new_and_home(app_factory: Callable[..., SdmApp]) -> None:
    from assistant.tui.screens.review import ReviewScreen

    app = app_factory()
    async with app.run_test(size=(100, 40)) as pilot:
        screen = await start(pilot, "blitzmoede")
        for _ in range(40):
            if screen.state.finished:
                break
            await answer_current(pilot, screen)
        assert screen.state.finished
        await pilot.pause()
        if isinstance(app.screen, ReviewScreen):               # the plan opens by itself
            await pilot.press("escape")
            await pilot.pause()
        assert app.screen is screen
        ids = {b.id for b in screen.query(Button)}
        assert {"end-plan", "end-new", "end-home"} <= ids
        timer = screen.query_one(MeetingTimer)
        assert timer.stopped is not None                       # the timer stops at the end
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)


async def test_sure_no_asks_the_decision_again(app_factory: Callable[..., SdmApp]) -> None:
    app = app_factory()
    async with app.run_test(size=(100, 40)) as pilot:
        screen = await start(pilot, "paaroerende-inddragelse")
        for _ in range(60):
            current = screen.state.current
            assert current is not None
            if current.id == SURE_IDS[0]:
                break
            await answer_current(pilot, screen)
        chosen = screen.state.answers["choice"].value
        await pilot.press("n")                                    # "no"
        await pilot.pause()
        state = screen.state
        assert state.current is not None and state.current.id == "choice"
        assert any("Beslutningen igen" in n for n in _notices(screen))
        await answer_step(pilot, state.current.step)              # decide again
        await pilot.pause()
        assert screen.state.answers["choice"].edited
        for _ in range(10):
            current = screen.state.current
            assert current is not None
            if current.id in SURE_IDS:
                break
            await answer_current(pilot, screen)
        assert any("SURE-testen igen" in n for n in _notices(screen))
        for item in SURE_IDS:
            assert screen.state.current is not None and screen.state.current.id == item
            await pilot.press("j")
            await pilot.pause()
        assert not screen.state.reopened
        assert any("SURE: 4/4" in n for n in _notices(screen))
        assert chosen is not None


async def test_replay_and_the_chat_give_the_same_speakers(
        app_factory: Callable[..., SdmApp]) -> None:
    """The same answers, with a speaker named only where someone pressed F2: `sdm replay`'s
    answers file and the chat store the same speaker for every answer (one rule)."""
    from assistant.engine.answersfile import replay_answers
    from assistant.engine.values import plain

    chosen = {"brug-for-nu": "relative", "opgaver": "clinician"}  # F2 here; elsewhere none
    app = app_factory()
    async with app.run_test(size=(100, 40)) as pilot:
        screen = await start(pilot, "blitzmoede", roles=("relative",))
        bar = screen.query_one(SpeakerBar)
        entries: list[dict[str, object]] = []
        for _ in range(40):
            current = screen.state.current
            if current is None:
                break
            if current.id in chosen:
                while bar.role != chosen[current.id]:
                    await pilot.press("f2")
                    await pilot.pause()
            await answer_current(pilot, screen)
            if current.step.type == "info":
                entries.append({"step": current.id, "seen": True})
            else:
                entry: dict[str, object] = {
                    "step": current.id, "value": plain(screen.state.answers[current.id].value)}
                if current.id in chosen:
                    entry["speaker"] = chosen[current.id]
                entries.append(entry)
        chat = [(r.step, r.speaker) for r in screen.state.history]
        present = list(screen.present)
        guide = screen.session.guide
    data = {"participants": present, "answers": entries}
    replayed, problems = replay_answers(guide, data, None, "answers.yaml")
    assert not problems, [p.format() for p in problems]
    assert replayed is not None
    assert [(r.step, r.speaker) for r in replayed.history] == chat
    # The rule did something on both sides: a kept speaker and a change by `ask`.
    speakers = dict(chat)
    assert speakers["tovholder"] == "clinician" and speakers["hvad-hjaelper"] == "patient"


async def test_a_section_heading_has_its_dashes_round_the_title_not_the_introduction(
        app_factory: Callable[..., SdmApp]) -> None:
    app = app_factory()
    async with app.run_test(size=(100, 40)) as pilot:
        guide = app.library.guides["de-foerste-48-timer"].document
        t0 = dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC)
        session = Session(guide, [  # the welcome's two information steps seen
            AddParticipant(role="patient", at=t0), AddParticipant(role="clinician", at=t0),
            Seen(step="om-samtalen", speaker="clinician", at=t0),
            Seen(step="hvorfor-nu", speaker="clinician", at=t0),
        ])
        screen = ConversationScreen(session, ["patient", "clinician"], lang="da")
        await app.push_screen(screen)
        await pilot.pause()
        notices = [str(n.render()) for n in screen.query(Notice)]
        heading = next(n for n in notices if n.startswith("— Det, der kan gøre det svært"))
        title, intro = heading.split("\n", 1)
        assert title.endswith(" —") and "min)" in title
        assert intro and not intro.rstrip().endswith("—")
