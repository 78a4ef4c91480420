"""The network meeting's papers: the patient's "my points" and the agenda."""

from __future__ import annotations

import datetime as dt

import pytest

from assistant.engine import AddParticipant, Answer, Edit, LineCorrected, LineStruck, Session
from assistant.export import agenda, preparation_summary
from assistant.guides.models import MeetingGuide, text_in
from tests.engine.helpers import MEETING, at
from tests.plans.helpers import HOSTILE, LIBRARY

from .inspect import assert_inert_html, squash

PREPARATION = LIBRARY.guides["forberedelse-med-peer"].document
NETWORK = LIBRARY.guides["netvaerksmoede"].document
assert isinstance(PREPARATION, MeetingGuide) and isinstance(NETWORK, MeetingGuide)


def prepared(*texts: str) -> Session:
    """The preparation guide with its free-text steps answered by the patient, in order."""
    session = Session(PREPARATION)
    session.apply(AddParticipant(role="peer_worker", name="Sara", at=at(0)))
    steps = [s for sec in PREPARATION.sections for s in sec.steps
             if s.type in ("text", "longtext")]
    for second, (step, text) in enumerate(zip(steps, texts, strict=False), start=1):
        session.apply(Answer(step=step.id, value=text, speaker="patient", at=at(second)))
    return session


def test_my_points_are_the_patients_own_words() -> None:
    session = prepared("Jeg er god til at tegne", "At blive hørt", "Min søster")
    html, text = preparation_summary(session.state)
    assert text.startswith("Mine punkter til mødet\n")
    assert "Forberedt med: Peer-medarbejderen (Sara)" in text
    for words in ("Jeg er god til at tegne", "At blive hørt", "Min søster"):
        assert words in text and words in html
    assert "Patienten:" not in text  # the patient's words need no label
    report = assert_inert_html(html)
    assert "Mine punkter til mødet" in report.text


def test_my_points_follow_the_review_and_mark_other_speakers() -> None:
    session = prepared("Første", "Anden", "Tredje")
    first, second, third = (r.step for r in session.state.answers.values())
    session.apply(LineCorrected(step=first, text="Rettet", speaker="patient", at=at(10)))
    session.apply(LineStruck(step=second, speaker="patient", at=at(11)))
    session.apply(Edit(step=third, value="Sagt af Sara", speaker="peer_worker", at=at(12)))
    _, text = preparation_summary(session.state)
    assert "Rettet" in text and "Første" not in text and "Anden" not in text
    assert "Peer-medarbejderen: Sagt af Sara" in text


def test_my_points_need_a_preparation_guide() -> None:
    with pytest.raises(ValueError, match="preparation"):
        preparation_summary(Session(NETWORK).state)


def test_my_points_are_inert_with_hostile_words() -> None:
    session = prepared(*HOSTILE[:3], HOSTILE[8])
    html, text = preparation_summary(session.state, lang="en")
    report = assert_inert_html(html)
    assert "<script>alert(1)</script>" in report.text
    assert text.startswith("My points for the meeting\n")
    assert all(len(line) <= 72 for line in text.splitlines())


def test_agenda_lists_participants_sections_questions_and_time() -> None:
    html, text = agenda(NETWORK, ["patient", "clinician", "municipality"],
                        date=dt.date(2026, 4, 2))
    report = assert_inert_html(html)
    shown = squash(report.text)
    title = text_in(NETWORK.title, "da")
    assert text.startswith(f"Dagsorden: {title}\n")
    assert "Dato: 2026-04-02" in text
    assert "- Patienten – skal deltage" in text and "- Kommunen – skal deltage" in text
    assert "Pårørende" not in text.split("DELTAGERE\n")[1].split("\n1.")[0]
    total = sum(s.timebox_minutes or 0 for s in NETWORK.sections)
    assert f"Tid i alt: {total} min. (tidsramme 60 min.)" in text
    for number, section in enumerate(NETWORK.sections, start=1):
        heading = f"{number}. {text_in(section.title, 'da')} ({section.timebox_minutes} min.)"
        assert heading in text and squash(heading) in shown
        for step in section.steps:
            if step.type != "info":
                assert squash(text_in(step.prompt, "da")) in squash(text)
            else:
                assert squash(text_in(step.prompt, "da")) not in squash(text)


def test_agenda_defaults_to_the_guides_participants_and_takes_names() -> None:
    _, text = agenda(MEETING)
    assert "Tid i alt: 0 min." in text
    _, text = agenda(NETWORK, lang="en")
    assert "- Patient (You) – must take part" in text
    session = Session(NETWORK)
    session.apply(AddParticipant(role="relative", name="<b>Mette</b>", at=at(0)))
    html, text = agenda(NETWORK, session.state.participants)
    assert "- Pårørende (<b>Mette</b>)" in text
    assert "&lt;b&gt;Mette&lt;/b&gt;" in html
