"""The plan review screen: the draft as a form, two voices, edits as events, approve, export.

Sessions are stored in a real store in tmp_path and answered through the conversation
screen's own `commit` (the way every answer is recorded), so what the review shows and
records is checked against the store too.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import stat
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, OptionList, Static, TextArea

from assistant.engine import (
    Answer,
    ApproveDraft,
    FieldDiscussed,
    FieldEdit,
    LineCorrected,
    LineStruck,
    Seen,
    Session,
    Skip,
)
from assistant.engine.events import ConfirmDraft
from assistant.engine.rules import required_fields
from assistant.export.jsonfile import load_json
from assistant.guides.loader import Library, load_library
from assistant.guides.models import PlanTemplate, Role
from assistant.service.sessions import SessionService
from assistant.store import Store, open_store
from assistant.tui.app import SdmApp, make_app
from assistant.tui.dialogs.approve import ApproveDialog
from assistant.tui.dialogs.blockers import BlockersDialog
from assistant.tui.dialogs.confirm import ConfirmDialog
from assistant.tui.dialogs.export import ExportDialog
from assistant.tui.dialogs.text_editor import TextEditor
from assistant.tui.screens.conversation import ConversationScreen
from assistant.tui.screens.review import FieldCard, ReviewScreen, opening_template
from assistant.tui.screens.revisions import RevisionsScreen
from assistant.tui.screens.setup import Setup
from assistant.tui.screens.summary import SummaryScreen
from tests.tui.conftest import FakeClock
from tests.tui.test_hostile_text import _assert_inert
from tests.tui.test_hostile_text import _visible_text as _rendered

GUIDE = "ua-kp-grundoplysninger"
PATIENT_WORDS = "Jeg vil have ro og min egen seng"


@pytest.fixture(scope="module")
def library() -> Library:
    return load_library()


def _value(step: Any) -> Any:
    kind = step.type
    if kind == "single":
        return step.choices[0].id
    if kind == "multi":
        return [step.choices[0].id]
    if kind == "scale":
        return step.min
    if kind == "yesno":
        return True
    if kind in ("text", "longtext"):
        return f"{PATIENT_WORDS} ({step.id})" if step.ask == "patient" else f"Svar {step.id}"
    if kind == "date":
        return "2027-01-15"
    if kind == "people":
        return [{"name": "Mor", "relation": "mor", "contact": "12 34 56 78"}]
    if kind == "tasks":
        return [{"what": "Ringe til bostøtten", "who": "Kommunen"}]
    raise AssertionError(kind)


async def _answer_all(pilot: Pilot[None], screen: ConversationScreen, *,
                      skip: frozenset[str] = frozenset(), stop_at: str | None = None) -> None:
    """Answer every step through the screen's `commit`, by the role the step asks; skip
    those in `skip`; stop at `stop_at` if given; then let the screen move on (at the
    finish, the review opens)."""
    clock = screen._clock
    while (current := screen.state.current) is not None and current.id != stop_at:
        step = current.step
        if step.type == "info":
            event: Any = Seen(step=current.id, speaker="patient", at=clock())
        elif current.id in skip:
            event = Skip(step=current.id, speaker="clinician", at=clock())
        else:
            speaker: Role = step.ask or "patient"
            event = Answer(step=current.id, value=_value(step), speaker=speaker, at=clock())
        screen.commit(event)
    screen._redraw()
    for _ in range(4):
        await pilot.pause()


def _app(library: Library, store: Store) -> SdmApp:
    return make_app(library, clock=FakeClock(), service=SessionService(store, library))


async def _review(pilot: Pilot[None], app: SdmApp, library: Library, *,
                  skip: frozenset[str] = frozenset(), stop_at: str | None = None,
                  guide_id: str = GUIDE, present: tuple[Role, ...] = ("patient", "clinician"),
                  ) -> tuple[ConversationScreen, ReviewScreen]:
    """A conversation of `guide_id` with `present` taking part, answered to its end (or to
    `stop_at`, then F8): the review."""
    await pilot.pause()
    guide = library.guides[guide_id].document
    screen = app.start_conversation(Setup(guide, list(present), "da", "AB"))  # type: ignore[arg-type]
    assert screen is not None
    await pilot.pause()
    await _answer_all(pilot, screen, skip=skip, stop_at=stop_at)
    if stop_at is not None:
        await pilot.press("f8")
        await pilot.pause()
    review = app.screen
    assert isinstance(review, ReviewScreen), type(review)
    return screen, review


def _visible_text(widget: Any) -> str:
    """The text of every Static in `widget` (itself included), as shown."""
    statics = [widget] if isinstance(widget, Static) else []
    statics += list(widget.query(Static))
    return "\n".join(_rendered(s) for s in statics)


def _stored(store: Store) -> list[Any]:
    session = store.list_sessions()[0]
    return store.load_events(session.id)


async def _focus(pilot: Pilot[None], review: ReviewScreen, field_id: str) -> FieldCard:
    card = review.query_one(f"#field-{field_id}", FieldCard)
    card.focus()
    await pilot.pause()
    assert review._focused == field_id
    return card


async def _speak(pilot: Pilot[None], review: ReviewScreen, role: Role) -> None:
    """Make `role` the speaker with F2."""
    for _ in range(len(review.present)):
        if review.speaker == role:
            return
        await pilot.press("f2")
    assert review.speaker == role


async def _type_and_save(pilot: Pilot[None], text: str) -> None:
    assert isinstance(pilot.app.screen, TextEditor)
    area = pilot.app.screen.query_one(TextArea)
    area.select_all()
    await pilot.press(*text) if text else await pilot.press("backspace")
    await pilot.press("ctrl+s")
    await pilot.pause()


# --- the draft as a form ----------------------------------------------------------------------


async def test_the_review_opens_at_the_end_and_shows_every_field_with_who_said_it(
        tmp_path: Path, library: Library) -> None:
    with open_store(tmp_path / "s.sqlite3") as store:
        app = _app(library, store)
        async with app.run_test(size=(120, 40)) as pilot:
            _conv, review = await _review(pilot, app, library)
            cards = list(review.query(FieldCard))
            assert [c.field.id for c in cards] == [f.id for f in review.template.fields]
            text = _visible_text(review)
            assert "Patienten: " + PATIENT_WORDS in text
            assert "Behandleren: Svar chief_physician" in text
            # The two voices look different, not only by their words.
            needs = review.query_one("#field-needs_treatment", FieldCard)
            assert needs.query(".line.-patient")
            chief = review.query_one("#field-chief_physician", FieldCard)
            assert chief.query(".line.-professional")
            # Where a field's words came from.
            await _focus(pilot, review, "needs_treatment")
            detail = str(review.query_one("#detail", Static).render())
            assert "Kommer fra:" in detail and "Patienten" in detail
            # Both plans the guide fills are there (UA first, the guide's own plan).
            assert [tpl.id for tpl in review.templates][:2] == ["ua", "kp"]
            await pilot.press("p")
            await pilot.pause()
            assert review.template.id == "kp"


async def test_gaps_are_listed_and_g_goes_to_the_question_then_back_to_the_plan(
        tmp_path: Path, library: Library) -> None:
    with open_store(tmp_path / "s.sqlite3") as store:
        app = _app(library, store)
        async with app.run_test(size=(120, 40)) as pilot:
            conv, review = await _review(pilot, app, library, stop_at="needs_treatment")
            gaps = [g.field for g in review.draft.gaps]
            assert "needs_treatment" in gaps and "needs_social" in gaps
            assert "department" not in gaps
            card = await _focus(pilot, review, "needs_social")
            assert card.has_class("-gap")
            assert "mangler" in _visible_text(card)
            await pilot.press("g")
            await pilot.pause()
            # A later question can be answered now; the current one waits.
            assert app.screen is conv and conv.editing == "needs_social"
            await pilot.press(*"Hjælp til at handle ind", "ctrl+s")
            for _ in range(3):
                await pilot.pause()
            assert conv.editing is None
            assert conv.state.current is not None
            assert conv.state.current.id == "needs_treatment"
            event = _stored(store)[-1]
            assert isinstance(event, Answer) and event.step == "needs_social"
            await pilot.press("f8")
            await pilot.pause()
            review = app.screen
            assert isinstance(review, ReviewScreen)
            assert "needs_social" not in [g.field for g in review.draft.gaps]
            # g on the question being asked now just goes back to it.
            await _focus(pilot, review, "needs_treatment")
            await pilot.press("g")
            await pilot.pause()
            assert app.screen is conv and conv.editing is None


async def test_discussed_takes_a_field_off_the_gaps(tmp_path: Path, library: Library) -> None:
    with open_store(tmp_path / "s.sqlite3") as store:
        app = _app(library, store)
        async with app.run_test(size=(120, 40)) as pilot:
            _conv, review = await _review(pilot, app, library, stop_at="needs_treatment")
            before = len(review.draft.gaps)
            await _focus(pilot, review, "needs_social")
            await pilot.press("d")
            await pilot.pause()
            assert len(review.draft.gaps) == before - 1
            assert review.draft.field("needs_social").status == "discussed"  # type: ignore[union-attr]
            assert "drøftet, intet at tilføje" in _visible_text(review)
            count = len(_stored(store))
            assert isinstance(_stored(store)[-1], FieldDiscussed)
            # A filled field cannot be "discussed, nothing to add".
            await _focus(pilot, review, "chief_physician")
            await pilot.press("d")
            await pilot.pause()
            assert len(_stored(store)) == count


async def test_editing_a_field_is_an_event_and_keeps_the_answers(
        tmp_path: Path, library: Library) -> None:
    with open_store(tmp_path / "s.sqlite3") as store:
        app = _app(library, store)
        async with app.run_test(size=(120, 40)) as pilot:
            _conv, review = await _review(pilot, app, library)
            await _speak(pilot, review, "clinician")
            await _focus(pilot, review, "chief_physician")
            await pilot.press("e")
            await pilot.pause()
            await _type_and_save(pilot, "Overlæge Hansen")
            field = review.draft.field("chief_physician")
            assert field is not None and field.edit is not None
            assert field.edit.text == "Overlæge Hansen" and field.edit.speaker == "clinician"
            assert field.lines[0].replaced  # the answer stays, marked
            event = _stored(store)[-1]
            assert isinstance(event, FieldEdit) and event.text == "Overlæge Hansen"
            assert "erstattet af feltets tekst" in _visible_text(review)


async def test_only_the_patient_corrects_or_strikes_the_patients_words(
        tmp_path: Path, library: Library) -> None:
    with open_store(tmp_path / "s.sqlite3") as store:
        app = _app(library, store)
        async with app.run_test(size=(120, 40)) as pilot:
            _conv, review = await _review(pilot, app, library)
            await _speak(pilot, review, "clinician")
            await _focus(pilot, review, "needs_treatment")
            count = len(_stored(store))
            await pilot.press("k")
            await pilot.pause()
            await pilot.press("x")
            await pilot.pause()
            assert len(_stored(store)) == count  # refused in words, nothing recorded
            assert not isinstance(app.screen, TextEditor)
            await _speak(pilot, review, "patient")
            await pilot.press("k")
            await pilot.pause()
            await _type_and_save(pilot, "Jeg vil have ro")
            line = review.draft.field("needs_treatment").lines[0]  # type: ignore[union-attr]
            assert line.text == "Jeg vil have ro" and line.original is not None
            assert isinstance(_stored(store)[-1], LineCorrected)
            await _focus(pilot, review, "needs_social")
            await pilot.press("x")
            await pilot.pause()
            social = review.draft.field("needs_social")
            assert social is not None and social.lines[0].struck
            assert isinstance(_stored(store)[-1], LineStruck)
            assert "ikke mine ord" in _visible_text(review)
            assert f"{PATIENT_WORDS} (needs_social)" not in review.export_text("text")


async def test_approval_waits_for_the_patient_then_is_recorded_with_a_revision(
        tmp_path: Path, library: Library) -> None:
    with open_store(tmp_path / "s.sqlite3") as store:
        app = _app(library, store)
        async with app.run_test(size=(120, 40)) as pilot:
            _conv, review = await _review(pilot, app, library)
            await _speak(pilot, review, "clinician")
            # The clinician rewrites the patient's words: approval must wait for the patient.
            await _focus(pilot, review, "needs_treatment")
            await pilot.press("e")
            await pilot.pause()
            await _type_and_save(pilot, "Behov for ro")
            assert review.draft.awaiting_patient == ("needs_treatment",)
            await pilot.press("a")
            await pilot.pause()
            # `a` lists what blocks approval, in words, with the field's name.
            blocked = app.screen
            assert isinstance(blocked, BlockersDialog)
            text = _visible_text(blocked)
            assert "Afventer patienten" in text and "Behov for behandling" in text
            await pilot.press("escape")
            await pilot.pause()
            assert app.screen is review
            # The patient accepts it by making it their own.
            await _speak(pilot, review, "patient")
            await pilot.press("e")
            await pilot.pause()
            await _type_and_save(pilot, "Behov for ro, og min egen seng")
            assert review.draft.can_approve
            await pilot.press("a")
            await pilot.pause()
            # The patient confirms as a step of their own ...
            confirm = app.screen
            assert isinstance(confirm, ConfirmDialog)
            assert "jeg kan genkende mine ord" in _visible_text(confirm)
            await pilot.click("#confirm")
            await pilot.pause()
            assert isinstance(_stored(store)[-1], ConfirmDraft)
            # ... then the clinician approves.
            dialog = app.screen
            assert isinstance(dialog, ApproveDialog)
            assert "Patienten bekræftede planen" in _visible_text(dialog)
            # Dates as people write them in Danish, never ISO on the screen.
            assert "ÅÅÅÅ-MM-DD" not in _visible_text(dialog)
            assert re.search(r"\d\d\.\d\d\.\d{4}", _visible_text(dialog))
            dialog.query_one("#due", Input).value = "01.01.2020"
            await pilot.press("enter")
            await pilot.pause()
            assert app.screen is dialog  # a date in the past is refused
            dialog.query_one("#due", Input).value = "31.02.2027"
            await pilot.press("enter")
            await pilot.pause()
            assert app.screen is dialog  # no such day: refused, with how to write it
            assert "DD.MM.ÅÅÅÅ" in _visible_text(dialog)
            dialog.query_one("#due", Input).value = "01.06.2027"
            dialog.query_one("#responsible", Input).value = "Team Nord"
            await pilot.click("#approve")
            await pilot.pause()
            assert app.screen is review
            approval = _stored(store)[-1]
            assert isinstance(approval, ApproveDraft)
            assert approval.next_revision_due == dt.date(2027, 6, 1)
            # The clinician approves, whoever was speaking in the review.
            assert approval.responsible == "Team Nord" and approval.speaker == "clinician"
            assert approval.required_fields == required_fields(review.template)
            assert review.draft.revision.approved is not None
            session = store.list_sessions()[0]
            revisions = store.list_revisions(session.id)
            assert [r.kind for r in revisions] == ["approved"]
            assert revisions[0].next_revision_due == dt.date(2027, 6, 1)
            status = str(review.query_one("#review-status", Static).render())
            assert "Godkendt" in status
            assert "01.06.2027" in status and "2027-06-01" not in status


async def test_save_copy_and_compare_revisions(tmp_path: Path, library: Library,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    from assistant import settings
    from assistant.tui.dialogs.replace import ReplaceDialog

    # The dialog starts in the folder last saved in (remembered in the settings file).
    settings.save(settings.Settings(export_folder=str(tmp_path)))
    with open_store(tmp_path / "s.sqlite3") as store:
        app = _app(library, store)
        async with app.run_test(size=(120, 40)) as pilot:
            _conv, review = await _review(pilot, app, library)
            await pilot.press("s")
            await pilot.pause()
            dialog = app.screen
            assert isinstance(dialog, ExportDialog)
            path_input = dialog.query_one("#path", Input)
            assert "-til-patienten-" in path_input.value and path_input.value.endswith(".html")
            await pilot.click("#format-text-record")
            await pilot.pause()
            assert path_input.value.endswith(".txt") and "til-journalen" in path_input.value
            await pilot.click("#format-html-patient")
            await pilot.pause()
            assert path_input.value.endswith(".html")
            await pilot.click("#save")
            await pilot.pause()
            written = Path(path_input.value)
            assert written.exists() and written.parent == tmp_path
            assert stat.S_IMODE(os.stat(written).st_mode) == 0o600
            assert "<html" in written.read_text(encoding="utf-8")
            # Saving over an existing file asks first.
            await pilot.press("s")
            await pilot.pause()
            dialog = app.screen
            assert isinstance(dialog, ExportDialog)
            await pilot.click("#save")
            await pilot.pause()
            assert isinstance(app.screen, ReplaceDialog)
            await pilot.press("escape")  # keeps the old file: back in the save dialog
            await pilot.pause()
            assert app.screen is dialog
            await pilot.press("escape")
            await pilot.pause()
            # Copy as text.
            await pilot.press("c")
            await pilot.pause()
            assert app.clipboard == review.export_text("text")
            assert "Udskrivningsaftale" in app.clipboard
            # A change after the saved revision shows in the comparison.
            await _focus(pilot, review, "department")
            await pilot.press("e")
            await pilot.pause()
            await _type_and_save(pilot, "Afsnit Q7")
            await pilot.press("r")
            await pilot.pause()
            revisions = app.screen
            assert isinstance(revisions, RevisionsScreen)
            options = revisions.query_one("#revisions", OptionList)
            assert options.option_count == 1
            options.focus()
            options.highlighted = 0
            await pilot.pause()
            compare = _visible_text(revisions.query_one("#compare"))
            assert "+" in compare and "Afsnit Q7" in compare


async def test_hostile_answers_are_inert_in_the_review(tmp_path: Path, library: Library) -> None:
    hostile = "[@click=app.quit]klik[/] [b]fed[/b] \x1b]0;PWNED\x07 <script>x</script>"
    with open_store(tmp_path / "s.sqlite3") as store:
        app = _app(library, store)
        async with app.run_test(size=(120, 40)) as pilot:
            guide = library.guides[GUIDE].document
            await pilot.pause()
            screen = app.start_conversation(Setup(guide, ["patient", "clinician"], "da", "AB"))  # type: ignore[arg-type]
            assert screen is not None
            await pilot.pause()
            clock = screen._clock
            while (current := screen.state.current) is not None:
                step = current.step
                if step.type == "info":
                    screen.commit(Seen(step=current.id, at=clock()))
                    continue
                value = hostile if step.type in ("text", "longtext") else _value(step)
                screen.commit(Answer(step=current.id, value=value,
                                     speaker=step.ask or "patient", at=clock()))
            screen._redraw()
            for _ in range(4):
                await pilot.pause()
            review = app.screen
            assert isinstance(review, ReviewScreen)
            for card in review.query(FieldCard):
                await _focus(pilot, review, card.field.id)
            text = _visible_text(review)
            assert "[@click=app.quit]klik[/]" in text and "[b]fed[/b]" in text
            assert "\x1b" not in text and "PWNED" not in text  # the whole sequence goes
            _assert_inert(app)
            card = await _focus(pilot, review, "needs_treatment")
            review.query_one("#fields").scroll_to_widget(card, animate=False, top=True)
            await pilot.pause()
            await pilot.click(card, offset=(2, 1))
            await pilot.pause()
            assert app.is_running and isinstance(app.screen, ReviewScreen)


async def test_without_a_store_the_review_still_works(tmp_path: Path, library: Library) -> None:
    from assistant.service.sessions import participant_events

    # The screens need no store: a conversation mounted from events in memory, with no
    # recorder and no plan store, still drafts and reviews its plan.
    app = _app(library, open_store(tmp_path / "s.sqlite3"))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        guide = library.guides[GUIDE].document
        present: list[Role] = ["patient", "clinician"]
        session = Session(guide, participant_events(present, FakeClock()()), language="en")  # type: ignore[arg-type]
        screen = ConversationScreen(session, present, lang="en", clock=FakeClock(),
                                    plans=app.plans_for(guide))  # type: ignore[arg-type]
        await app.push_screen(screen)
        await pilot.pause()
        await pilot.press("f8")
        await pilot.pause()
        review = app.screen
        assert isinstance(review, ReviewScreen)
        assert len(review.draft.gaps) == len([f for f in review.template.fields if f.required])
        assert "required fields missing" in str(review.query_one("#review-status",
                                                                  Static).render())
        await pilot.press("r")
        await pilot.pause()
        assert app.screen is review
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen


def test_a_line_says_in_words_who_said_it_and_what_happened_to_it() -> None:
    from assistant.plans.models import DraftLine
    from assistant.tui.screens.review import line_content

    at = dt.datetime(2026, 11, 23, 9, tzinfo=dt.UTC)
    line = DraftLine(step="s", text="[b]Mine ord[/b]", speaker="patient", voice="patient",
                     at=at, prepared=True, original="Før", struck=True, struck_at=at)
    shown = line_content(line, "da").plain
    assert shown.startswith("Patienten: [b]Mine ord[/b]")
    assert "forberedt sammen med peer-medarbejderen" in shown
    assert "rettet af patienten" in shown and "ikke mine ord" in shown
    other = DraftLine(step="s", text="Svar", speaker="municipality", voice="professional",
                      at=at)
    assert line_content(other, "en").plain == "Municipality: Svar"


async def test_a_finished_plan_opens_again_from_home_and_says_when_revision_is_overdue(
        tmp_path: Path, library: Library) -> None:
    path = tmp_path / "s.sqlite3"
    with open_store(path) as store:
        app = _app(library, store)
        async with app.run_test(size=(120, 40)) as pilot:
            _conv, review = await _review(pilot, app, library)
            await pilot.press("a")
            await pilot.pause()
            assert isinstance(app.screen, ConfirmDialog)
            await pilot.click("#confirm")
            await pilot.pause()
            assert isinstance(app.screen, ApproveDialog)
            app.screen.query_one("#due", Input).value = "2027-01-10"
            await pilot.click("#approve")
            await pilot.pause()
    # A year later, another sitting: the plan is listed, overdue, and opens for review.
    later = dt.datetime(2027, 2, 1, 9, tzinfo=dt.UTC)
    with Store.open(path, clock=lambda: later) as store:
        app = _app(library, store)
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            sessions = app.screen.query_one("#sessions", OptionList)
            prompt = sessions.get_option_at_index(0).prompt.plain
            assert "AB" in prompt and "Udskrivningsaftale godkendt" in prompt
            assert "revision forfalden 10.01.2027" in prompt
            sessions.focus()
            sessions.highlighted = 0
            await pilot.press("enter")
            for _ in range(4):
                await pilot.pause()
            review = app.screen
            assert isinstance(review, ReviewScreen)
            assert review.draft.revision.approved is not None


# --- the plan the guide is about, and approval that means something -------------------------


def test_every_guide_opens_its_review_on_its_own_plan(tmp_path: Path, library: Library) -> None:
    app = _app(library, open_store(tmp_path / "s.sqlite3"))
    for loaded in library.guides.values():
        guide = loaded.document
        if isinstance(guide, PlanTemplate):
            continue
        templates = app.plans_for(guide)
        state = Session(guide).state
        if not templates:
            assert state.plan_templates == ()
            continue
        assert [t.id for t in templates] == list(state.plan_templates), guide.id
        assert opening_template(state, templates) is templates[0]
        assert templates[0].id == (guide.plan or templates[0].id)
    assert app.plans_for(library.guides["forhaandstilkendegivelse"].document)[0].id == (
        "kriseplan")


async def _approve_in_the_review(pilot: Pilot[None], app: SdmApp, review: ReviewScreen,
                                 due: str = "2027-06-01") -> None:
    """`a`, the patient confirms, the clinician approves with `due`."""
    await pilot.press("a")
    await pilot.pause()
    assert isinstance(app.screen, ConfirmDialog), type(app.screen)
    await pilot.click("#confirm")
    await pilot.pause()
    dialog = app.screen
    assert isinstance(dialog, ApproveDialog), type(dialog)
    dialog.query_one("#due", Input).value = due
    dialog.query_one("#responsible", Input).value = "Kontaktperson"
    await pilot.click("#approve")
    await pilot.pause()
    assert app.screen is review


async def test_the_advance_statement_is_reviewed_and_approved_as_the_crisis_plan(
        tmp_path: Path, library: Library) -> None:
    path = tmp_path / "s.sqlite3"
    kriseplan = library.template("kriseplan")
    assert isinstance(kriseplan, PlanTemplate)
    with open_store(path) as store:
        app = _app(library, store)
        async with app.run_test(size=(120, 40)) as pilot:
            _conv, review = await _review(pilot, app, library,
                                          guide_id="forhaandstilkendegivelse")
            # The review opens on the crisis plan the aid is about, its tab active.
            assert review.template.id == "kriseplan"
            assert review.query_one("#plans").active == "plan-kriseplan"  # type: ignore[attr-defined]
            assert "Kriseplan" in str(review.query_one("#review-title", Static).render())
            gaps = [g.field for g in review.draft.gaps]
            assert gaps == ["warning_signs", "professional_contacts"]
            # A required gap blocks approval: `a` names it.
            await pilot.press("a")
            await pilot.pause()
            blocked = app.screen
            assert isinstance(blocked, BlockersDialog)
            text = _visible_text(blocked)
            assert "Påkrævede felter er tomme" in text
            assert "Mine første tegn" in text
            assert "Fagfolk og akut hjælp" in text
            await pilot.press("escape")
            await pilot.pause()
            count = len(_stored(store))
            # One is discussed with nothing to add, the other written in the review.
            await _speak(pilot, review, "clinician")
            await _focus(pilot, review, "warning_signs")
            await pilot.press("d")
            await pilot.pause()
            await _focus(pilot, review, "professional_contacts")
            await pilot.press("e")
            await pilot.pause()
            await _type_and_save(pilot, "Psykiatrisk akutmodtagelse")
            assert len(_stored(store)) == count + 2
            assert review.draft.gaps == ()
            await _approve_in_the_review(pilot, app, review)
            confirm, approval = _stored(store)[-2:]
            assert isinstance(confirm, ConfirmDraft) and confirm.speaker == "patient"
            assert isinstance(approval, ApproveDraft) and approval.speaker == "clinician"
            assert (approval.template, approval.required_fields) == (
                "kriseplan", required_fields(kriseplan))
            record = review.state.approval("kriseplan")
            assert record is not None and record.patient_confirmed == confirm.at
            status = str(review.query_one("#review-status", Static).render())
            assert "Godkendt: " in status and "af behandleren" in status
            assert "patienten bekræftede" in status
            session = store.list_sessions()[0]
            (revision,) = store.list_revisions(session.id)
            assert revision.kind == "approved"
            assert load_json(revision.draft).template.id == "kriseplan"
    # Another sitting: the home list names the approved plan, and it opens again on it.
    with Store.open(path) as store:
        app = _app(library, store)
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            sessions = app.screen.query_one("#sessions", OptionList)
            prompt = sessions.get_option_at_index(0).prompt.plain
            assert "Kriseplan godkendt" in prompt and prompt.count("godkendt") == 1
            sessions.focus()
            sessions.highlighted = 0
            await pilot.press("enter")
            for _ in range(4):
                await pilot.pause()
            review = app.screen
            assert isinstance(review, ReviewScreen)
            assert review.template.id == "kriseplan"
            status = str(review.query_one("#review-status", Static).render())
            assert "Godkendt: " in status and "ikke endnu" not in status


async def test_a_change_after_the_patients_confirmation_asks_for_it_again(
        tmp_path: Path, library: Library) -> None:
    with open_store(tmp_path / "s.sqlite3") as store:
        app = _app(library, store)
        async with app.run_test(size=(120, 40)) as pilot:
            _conv, review = await _review(pilot, app, library)
            await pilot.press("a")
            await pilot.pause()
            await pilot.click("#confirm")
            await pilot.pause()
            assert isinstance(app.screen, ApproveDialog)
            await pilot.press("escape")  # the clinician waits
            await pilot.pause()
            assert review.state.confirmation("ua") is not None
            # Pressed again, nothing changed: straight to the clinician.
            await pilot.press("a")
            await pilot.pause()
            assert isinstance(app.screen, ApproveDialog)
            await pilot.press("escape")
            await pilot.pause()
            # A change voids the confirmation: the patient is asked again, and told why.
            await _speak(pilot, review, "clinician")
            await _focus(pilot, review, "department")
            await pilot.press("e")
            await pilot.pause()
            await _type_and_save(pilot, "Afsnit Q7")
            assert review.state.confirmation("ua") is None
            await pilot.press("a")
            await pilot.pause()
            confirm = app.screen
            assert isinstance(confirm, ConfirmDialog)
            assert "Planen er ændret, siden patienten bekræftede den" in _visible_text(confirm)
            await pilot.click("#not-yet")
            await pilot.pause()
            assert app.screen is review
            assert not any(isinstance(e, ApproveDraft) for e in _stored(store))


async def test_a_preparation_with_a_peer_worker_cannot_approve(
        tmp_path: Path, library: Library) -> None:
    with open_store(tmp_path / "s.sqlite3") as store:
        app = _app(library, store)
        async with app.run_test(size=(120, 40)) as pilot:
            _conv, review = await _review(pilot, app, library, guide_id="forberedelse-med-peer",
                                          present=("patient", "peer_worker"),
                                          stop_at="hvem-skal-med")
            assert not review.state.takes_part("clinician")
            # Not offered; the screen says where the plan is approved, Danish first.
            assert [b.show for b in review._bindings.key_to_bindings["a"]] == [False]
            status = str(review.query_one("#review-status", Static).render())
            assert "Planen godkendes på mødet med en behandler" in status
            assert "F3" in status
            before = len(_stored(store))
            await pilot.press("a")
            await pilot.pause()
            assert app.screen is review  # no dialog
            messages = [str(n.message) for n in app._notifications]
            assert any("godkendes på mødet med en behandler" in m for m in messages)
            # Nor does an approval sent anyway get through: refused in words, not recorded.
            for event in (ConfirmDraft(template="ua", speaker="patient", at=review._clock()),
                          ApproveDraft(template="ua", speaker="clinician", at=review._clock(),
                                       required_fields=required_fields(review.template))):
                assert not review._apply(event)
            await pilot.pause()
            messages = [str(n.message) for n in app._notifications]
            assert any(m.startswith("Ingen behandler er med i samtalen") for m in messages)
            assert len(_stored(store)) == before  # nothing recorded
            assert review.state.approval("ua") is None
            # F3 leads to the summary, where s saves the patient's points for the meeting.
            await pilot.press("f3")
            await pilot.pause()
            summary = app.screen
            assert isinstance(summary, SummaryScreen) and summary.is_preparation


async def test_an_approved_plan_other_than_the_guides_own_opens_first_and_is_named(
        tmp_path: Path, library: Library) -> None:
    path = tmp_path / "s.sqlite3"
    with open_store(path) as store:
        app = _app(library, store)
        async with app.run_test(size=(120, 40)) as pilot:
            _conv, review = await _review(pilot, app, library)
            await pilot.press("p")
            await pilot.pause()
            assert review.template.id == "kp"
            for gap in review.draft.gaps:  # talked through, nothing to add
                assert review._apply(FieldDiscussed(template="kp", field=gap.field,
                                                    speaker="clinician", at=review._clock()))
            await _approve_in_the_review(pilot, app, review)
            assert review.state.approval("kp") is not None
            assert review.state.approval("ua") is None
    with Store.open(path) as store:
        app = _app(library, store)
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            sessions = app.screen.query_one("#sessions", OptionList)
            prompt = sessions.get_option_at_index(0).prompt.plain
            assert "Koordinationsplan godkendt" in prompt
            assert "Udskrivningsaftale" not in prompt
            sessions.focus()
            sessions.highlighted = 0
            await pilot.press("enter")
            for _ in range(4):
                await pilot.pause()
            review = app.screen
            assert isinstance(review, ReviewScreen)
            assert review.template.id == "kp"
            assert review.query_one("#plans").active == "plan-kp"  # type: ignore[attr-defined]
            assert "Godkendt: " in str(review.query_one("#review-status", Static).render())


def test_every_blocker_is_put_in_words_in_danish_and_english(library: Library) -> None:
    from assistant.engine.records import ApprovalBlocker
    from assistant.plans import build_draft
    from assistant.tui.approval import blocker_text

    kriseplan = library.template("kriseplan")
    assert isinstance(kriseplan, PlanTemplate)
    guide = library.guides["forhaandstilkendegivelse"].document
    draft = build_draft(Session(guide).state, kriseplan, today=dt.date(2026, 11, 23))  # type: ignore[arg-type]
    fields = ("warning_signs", "professional_contacts")
    expected = {
        ("no_clinician", "da"): "Planen godkendes på mødet med en behandler",
        ("no_clinician", "en"): "approved at the meeting with a clinician",
        ("gaps", "da"): "Mine første tegn, Fagfolk og akut hjælp",
        ("gaps", "en"): "My first signs, Professionals and urgent help",
        ("awaiting_patient", "da"): "Afventer patienten",
        ("awaiting_patient", "en"): "Awaiting the patient",
        ("patient_confirmation", "da"): "jeg kan genkende mine ord",
        ("patient_confirmation", "en"): "I recognise my words",
    }
    for (kind, lang), words in expected.items():
        blocker = ApprovalBlocker(kind, "English for the CLI", fields)  # type: ignore[arg-type]
        text = blocker_text(blocker, draft, lang)  # type: ignore[arg-type]
        assert words in text and "English for the CLI" not in text, (kind, lang, text)
    voided = ApprovalBlocker("patient_confirmation", "x", voided=True)
    assert "ændret, siden patienten bekræftede" in blocker_text(voided, draft, "da")
