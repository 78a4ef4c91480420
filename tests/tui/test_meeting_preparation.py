"""A network meeting built on a preparation with a peer worker, end to end through the UI.

The patient prepares with the peer worker (forberedelse-med-peer) and writes a personal
statement; another day the meeting (netvaerksmoede, or netvaerksmoede-unge for young
people) starts from that preparation in the setup screen. The statement appears in the
meeting's chat verbatim, marked as prepared by the patient with the peer worker; accepted as
it is, it goes into the plan draft in the patient's name, marked prepared, and every export
attributes it so.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from textual.content import Content
from textual.pilot import Pilot
from textual.widgets import Input, OptionList, RadioButton, RadioSet, TextArea

from assistant.engine import Answer, Session
from assistant.export import export_html, export_markdown, export_text
from assistant.export.words import speaker
from assistant.guides.loader import Library
from assistant.guides.models import MeetingGuide
from assistant.plans import build_draft
from assistant.service.sessions import SessionService
from assistant.store import open_store
from assistant.tui.app import SdmApp, make_app
from assistant.tui.screens.conversation import ConversationScreen
from assistant.tui.screens.setup import SetupScreen
from assistant.tui.widgets.chat_message import AnswerBubble
from assistant.tui.widgets.folded_log import FoldedBlock
from assistant.tui.widgets.prepared_message import PreparedMessage
from assistant.wording import youth
from tests.export.inspect import assert_inert_html, md_text
from tests.plans.helpers import TEMPLATES
from tests.tui.conftest import T0, FakeClock
from tests.tui.test_hostile_text import _assert_inert, _visible_text

STATEMENT = "Jeg vil gerne selv bestemme, hvem der ringer til min mor."
MARK_DA = "Forberedt af patienten sammen med peer-medarbejderen"
TODAY = dt.date(2026, 12, 1)


def service_of(library: Library, path: Path) -> SessionService:
    return SessionService(open_store(path), library)


async def open_setup(pilot: Pilot[None], guide_id: str) -> SetupScreen:
    """From the home screen: search the guide and open its setup."""
    app = pilot.app
    assert isinstance(app, SdmApp)
    await pilot.pause()
    title = app.library.guides[guide_id].document.title
    query = title.da if hasattr(title, "da") else str(title)
    await pilot.press(*query[:30])
    await pilot.pause()
    options = app.screen.query_one("#guides", OptionList)
    ids = [str(options.get_option_at_index(i).id) for i in range(options.option_count)]
    assert guide_id in ids, ids
    options.focus()
    options.highlighted = ids.index(guide_id)
    await pilot.pause()
    await pilot.press("enter")
    await pilot.pause()
    assert isinstance(app.screen, SetupScreen)
    return app.screen


async def start_with_label(pilot: Pilot[None], label: str) -> ConversationScreen:
    """Type the session's label in the setup screen and start (Enter in the label field)."""
    pilot.app.screen.query_one("#label", Input).focus()
    await pilot.press(*label, "enter")
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, ConversationScreen), type(screen)
    return screen


async def answer(pilot: Pilot[None], screen: ConversationScreen, text: str) -> None:
    """Answer the current step with the keyboard (an empty field for text)."""
    current = screen.state.current
    assert current is not None
    kind = current.step.type
    await pilot.pause()
    if kind == "info":
        await pilot.press("enter")
    elif kind == "single":
        await pilot.press("1")
    elif kind == "multi":
        await pilot.press("1", "enter")
    elif kind == "scale":
        await pilot.press("5", "enter")
    elif kind == "yesno":
        await pilot.press("n")
    elif kind == "text":
        await pilot.press(*text, "enter")
    elif kind == "longtext":
        await pilot.press(*text, "ctrl+s")
    elif kind == "date":
        await pilot.press(*"2026-12-01", "enter")
    elif kind == "people":
        await pilot.press(*"Mor", "tab", *"mor", "enter", "ctrl+s")
    elif kind == "tasks":
        await pilot.press(*"Ring", "tab", *"Kontaktperson", "enter", "ctrl+s")
    else:  # pragma: no cover
        raise AssertionError(kind)
    await pilot.pause()


async def prepare(library: Library, store: Path) -> str:
    """The preparation with the peer worker, in the UI; returns the session's id."""
    app = make_app(library, clock=FakeClock(), service=service_of(library, store))
    async with app.run_test(size=(120, 45)) as pilot:
        await open_setup(pilot, "forberedelse-med-peer")
        screen = await start_with_label(pilot, "AB")
        while screen.state.current is not None:
            step = screen.state.current.id
            await answer(pilot, screen, STATEMENT if step == "personlig-udtalelse"
                         else f"Forberedt svar til {step}")
        assert screen.state.answers["personlig-udtalelse"].value == STATEMENT
        await pilot.pause()
        assert app.open_sessions
        session_id = app.open_sessions[0].row.id
    return session_id


async def choose_preparation(pilot: Pilot[None], setup: SetupScreen, label: str = "AB") -> None:
    """Pick the (only) preparation, labelled `label`, in the setup screen with the keyboard."""
    radio = setup.query_one("#preparation", RadioSet)
    buttons = list(radio.query(RadioButton))
    assert len(buttons) == 2 and buttons[0].value  # "no preparation" is the default
    assert label in _visible_text(buttons[1])
    radio.focus()
    await pilot.press("down", "enter")
    await pilot.pause()
    assert buttons[1].value and not buttons[0].value


async def meeting(
    library: Library, store: Path, guide_id: str, prep_id: str, *, change: bool = False
) -> tuple[Session, list[str]]:
    """The meeting in the UI, built on the preparation; accepts every prepared answer (or
    changes the statement with `change`). Returns the session and the prepared chat texts."""
    service = service_of(library, store)
    assert [r.id for r in service.preparations(library.guides[guide_id].document)  # type: ignore[arg-type]
            ] == [prep_id]
    app = make_app(library, clock=FakeClock(), service=service)
    shown: list[str] = []
    async with app.run_test(size=(120, 45)) as pilot:
        setup = await open_setup(pilot, guide_id)
        await choose_preparation(pilot, setup)
        screen = await start_with_label(pilot, "AB møde")
        assert set(screen.state.prepared) >= {"om-mig", "kredsen"}
        while screen.state.current is not None:
            current = screen.state.current
            if current.id in screen.state.prepared:
                messages = [m for m in screen.query(PreparedMessage) if m.step_id == current.id]
                assert len(messages) == 1
                shown.append(_visible_text(messages[0]))
                await pilot.pause()
                if current.id == "om-mig":
                    area = screen.query_one(TextArea)
                    assert area.text == STATEMENT  # filled in, to accept or change
                    if change:
                        await pilot.press("end", *" Og min far.")
                await pilot.press("enter" if current.step.type == "text" else "ctrl+s")
                await pilot.pause()
            else:
                await answer(pilot, screen, f"Svar til {current.id}")
        bubbles = _answer_texts(screen, "om-mig")
        assert len(bubbles) == 1
        assert ("forberedt med peer-medarbejder" in bubbles[0]) is not change
        _assert_inert(app)
        session = screen.session
    return session, shown


def _answer_texts(screen: ConversationScreen, step_id: str) -> list[str]:
    """The answer bubbles of `step_id` in the transcript, as text: live ones, and those an
    older part of the transcript holds folded (widgets/folded_log.py)."""
    texts = [_visible_text(b) for b in screen.query(AnswerBubble) if b.step_id == step_id]
    for block in screen.query(FoldedBlock):
        texts += [item.content.plain if isinstance(item.content, Content) else str(item.content)
                  for item in block.items if item.edit_step == step_id]
    return texts


@pytest.mark.parametrize(("guide_id", "template_id", "field_id"), [
    ("netvaerksmoede", "ua", "patient_wishes"),
    ("netvaerksmoede-unge", "tryghedsplan", "personal_statement"),
])
async def test_a_meeting_built_on_a_preparation_carries_the_patients_words(
    library: Library, tmp_path: Path, guide_id: str, template_id: str, field_id: str
) -> None:
    store = tmp_path / "store.sqlite3"
    prep_id = await prepare(library, store)
    session, shown = await meeting(library, store, guide_id, prep_id)

    # In the chat: verbatim, marked.
    statement = next(text for text in shown if STATEMENT in text)
    assert statement.startswith(MARK_DA)
    assert STATEMENT in statement.splitlines()

    # In the state and the store: the patient's answer, prepared.
    state = session.state
    record = state.answers["om-mig"]
    assert (record.value, record.speaker, record.prepared) == (STATEMENT, "patient", True)
    assert state.prepared["om-mig"].source_session == prep_id
    stored = service_of(library, store)
    row = next(r for r in stored.store.list_sessions() if r.guide_id == guide_id)
    assert row.status == "finished"
    events = stored.store.load_events(row.id)
    assert [e.type for e in events[:len(state.prepared)]] == ["prepared"] * len(state.prepared)

    # In the plan: verbatim, the patient's, prepared.
    guide = state.guide
    assert isinstance(guide, MeetingGuide) and guide.plan == template_id
    draft = build_draft(state, TEMPLATES[template_id], today=TODAY)
    field = draft.field(field_id)
    assert field is not None
    line = next(x for x in field.lines if x.step == "om-mig")
    assert (line.text, line.speaker, line.voice, line.prepared) == (
        STATEMENT, "patient", "patient", True)
    text = export_text(draft, width=200)
    # The young person's plan names the patient "Den unge" (issue 17, item 11).
    da, en = (speaker("patient", lang, young=youth(draft.audience)) for lang in ("da", "en"))
    assert f"{da} (forberedt med peer-medarbejder): {STATEMENT}" in text
    english = export_text(draft, width=200, lang="en")
    assert f"{en} (prepared with the peer worker): {STATEMENT}" in english
    # The record's copy says where the words come from; the patient's own copy gives them as
    # the patient's words, without the marker (issue 15: the patient's plan in their words).
    assert "(forberedt med peer-medarbejder)" in export_html(draft, copy="record")
    patient_copy = export_html(draft)
    assert STATEMENT in patient_copy and "(forberedt med peer-medarbejder)" not in patient_copy
    assert f"{da} (forberedt med peer-medarbejder): " + STATEMENT in md_text(
        export_markdown(draft))


async def test_a_changed_statement_is_a_new_answer_not_a_prepared_one(
    library: Library, tmp_path: Path
) -> None:
    store = tmp_path / "store.sqlite3"
    prep_id = await prepare(library, store)
    session, _shown = await meeting(library, store, "netvaerksmoede", prep_id, change=True)
    record = session.state.answers["om-mig"]
    assert record.value == STATEMENT + " Og min far." and not record.prepared
    draft = build_draft(session.state, TEMPLATES["ua"], today=TODAY)
    assert "(forberedt med peer-medarbejder)" not in export_text(draft, width=200).split(
        "Og min far.")[0].splitlines()[-1]


HOSTILE_STATEMENT = ("[@click=app.quit]x[/] <script>alert(1)</script> "
                     "\x1b]0;PWNED\x07[b]fed[/b] slut")
CLEAN_STATEMENT = "[@click=app.quit]x[/] <script>alert(1)</script> [b]fed[/b] slut"


def stored_preparation(library: Library, store: Path, statement: str) -> str:
    """A finished preparation session written straight to the store (as an import would)."""
    loaded = library.guides["forberedelse-med-peer"]
    service = service_of(library, store)
    opened = service.start(loaded.document, "CD", ["patient", "peer_worker"], "da")  # type: ignore[arg-type]
    # `start` records who takes part (patient, peer worker); then the patient's words.
    for event in (Answer(step="personlig-udtalelse", value=statement, speaker="patient",
                         at=T0),):
        opened.record(event)
        opened.session.apply(event)
    opened.finish()
    opened.close()
    service.store.close()
    return opened.row.id


async def test_hostile_prepared_words_are_inert_in_the_chat_and_the_exports(
    library: Library, tmp_path: Path
) -> None:
    store = tmp_path / "store.sqlite3"
    prep_id = stored_preparation(library, store, HOSTILE_STATEMENT)
    service = service_of(library, store)
    app = make_app(library, clock=FakeClock(), service=service)
    async with app.run_test(size=(120, 45)) as pilot:
        setup = await open_setup(pilot, "netvaerksmoede")
        await choose_preparation(pilot, setup, "CD")
        screen = await start_with_label(pilot, "CD møde")
        assert screen.state.prepared["om-mig"].source_session == prep_id
        while screen.state.current is not None and screen.state.current.id != "om-mig":
            await answer(pilot, screen, "Svar")
        shown = [_visible_text(m) for m in screen.query(PreparedMessage)]
        assert any(CLEAN_STATEMENT in text for text in shown), shown
        assert all("\x1b" not in text and "\x07" not in text for text in shown)
        _assert_inert(app)
        await pilot.press("ctrl+s")  # accept it as it is
        await pilot.pause()
        assert app.is_running and isinstance(app.screen, ConversationScreen)
        record = screen.state.answers["om-mig"]
        assert (record.value, record.prepared) == (CLEAN_STATEMENT, True)
        _assert_inert(app)
        state = screen.state
    draft = build_draft(state, TEMPLATES["ua"], today=TODAY)
    text = export_text(draft, width=300)
    assert f"Patienten (forberedt med peer-medarbejder): {CLEAN_STATEMENT}" in text
    assert "\x1b" not in text and "PWNED" not in text
    page = export_html(draft)
    report = assert_inert_html(page)
    assert CLEAN_STATEMENT in report.text
    assert CLEAN_STATEMENT in md_text(export_markdown(draft))


def test_starting_from_a_session_that_is_no_preparation_is_refused(
    library: Library, tmp_path: Path
) -> None:
    from assistant.service.sessions import SessionUnavailable

    store = tmp_path / "store.sqlite3"
    service = service_of(library, store)
    network: Any = library.guides["netvaerksmoede"].document
    other = service.start(network, "EF", ["patient"], "da")
    other.close()
    with pytest.raises(SessionUnavailable, match="not a preparation"):
        service.start(network, "GH", ["patient"], "da", preparation=other.row.id)
    with pytest.raises(SessionUnavailable):
        service.start(network, "GH", ["patient"], "da", preparation="no-such-session")
    assert [r.label for r in service.store.list_sessions()] == ["EF"]  # nothing half-made


def test_preparations_are_listed_finished_first_then_newest_first(
    library: Library, tmp_path: Path
) -> None:
    from assistant.store import Store

    clock = FakeClock()
    service = SessionService(Store.open(tmp_path / "store.sqlite3", clock=clock), library)
    prep: Any = library.guides["forberedelse-med-peer"].document
    network: Any = library.guides["netvaerksmoede"].document
    youth: Any = library.guides["netvaerksmoede-unge"].document
    made = {}
    for label in ("old-finished", "unfinished", "other-guide", "new-finished"):
        guide = network if label == "other-guide" else prep
        opened = service.start(guide, label, ["patient"], "da")
        if label.endswith("finished") and label != "unfinished":
            opened.finish()
        opened.close()
        made[label] = opened.row.id
    listed = [r.label for r in service.preparations(network)]
    assert listed == ["new-finished", "old-finished", "unfinished"]
    assert [r.label for r in service.preparations(youth)] == listed
    assert service.preparations(prep) == []  # a preparation guide names no preparation
    decision_aid: Any = library.guides["samarbejde-ved-kriser"].document
    assert service.preparations(decision_aid) == []


def test_struck_and_corrected_preparation_lines_and_other_speakers(
    library: Library, tmp_path: Path
) -> None:
    """Only the patient's words come along: corrected as corrected, struck ones not at all."""
    from assistant.engine import LineCorrected, LineStruck

    store = tmp_path / "store.sqlite3"
    service = service_of(library, store)
    prep: Any = library.guides["forberedelse-med-peer"].document
    opened = service.start(prep, "IJ", ["patient", "peer_worker"], "da")
    for event in (
        Answer(step="personlig-udtalelse", value="Første udkast", speaker="patient", at=T0),
        LineCorrected(step="personlig-udtalelse", text=STATEMENT, speaker="patient", at=T0),
        Answer(step="hvad-vil-jeg-have-hjaelp-til", value="Søvn", speaker="patient", at=T0),
        LineStruck(step="hvad-vil-jeg-have-hjaelp-til", speaker="patient", at=T0),
        Answer(step="det-vil-jeg-sige", value="Peerens ord", speaker="peer_worker", at=T0),
        Answer(step="stoette-fra-peer", value="Sid ved siden af mig", speaker="patient",
               at=T0),
    ):
        opened.record(event)
        opened.session.apply(event)
    opened.close()
    network: Any = library.guides["netvaerksmoede"].document
    when = T0 + dt.timedelta(days=3)
    meeting_ = service.start(network, "IJ møde", ["patient"], "da", preparation=opened.row.id,
                             at=when)
    prepared = meeting_.session.state.prepared
    assert {k: v.value for k, v in prepared.items()} == {
        "om-mig": STATEMENT, "stoette-i-dag": "Sid ved siden af mig"}
    assert all(v.at == when and v.prepared_at == T0 for v in prepared.values())
    meeting_.close()
    # Recorded durably: a resumed meeting has them too.
    resumed = service.resume(meeting_.row.id, "da")
    assert resumed.session.state.prepared == prepared
    resumed.close()
