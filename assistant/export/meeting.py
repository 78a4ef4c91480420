"""Papers for the network meeting: the patient's "my points" and the meeting's agenda.

Both come as a pair (HTML page, plain text) with the same content, on the same page shell
and with the same escaping as the plan exports. Pure functions.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from assistant.engine.records import ParticipantRecord
from assistant.engine.state import SessionState
from assistant.export.page import esc, page
from assistant.export.text import DEFAULT_WIDTH, wrap
from assistant.export.words import day, speaker, word
from assistant.guides.models import (
    Language,
    MeetingGuide,
    Participant,
    Role,
    takes_answer,
    text_in,
)
from assistant.plans.models import Participant as DraftParticipant
from assistant.text import clean_text
from assistant.wording import value_text, youth

__all__ = ["AgendaParticipant", "agenda", "preparation_summary"]

#: Who can be put on an agenda: a role, a session's participant, a draft's participant, or a
#: guide's suggested participant.
AgendaParticipant = Role | ParticipantRecord | DraftParticipant | Participant

_ONE_PAGE = """
body { font-size: 1rem; line-height: 1.4; margin: 1rem auto; }
h1 { font-size: 1.45rem; }
h2 { font-size: 1.1rem; margin: 1rem 0 0.3rem; }
.question { color: #444; font-size: 0.92rem; margin: 0.5rem 0 0.1rem; }
@media print { body { font-size: 10.5pt; } h2 { margin-top: 0.6rem; } }
"""


@dataclass(frozen=True)
class _Point:
    question: str
    who: str | None
    text: str


def _points(state: SessionState, lang: Language) -> list[tuple[str, list[_Point]]]:
    guide = state.guide
    assert isinstance(guide, MeetingGuide)
    sections: list[tuple[str, list[_Point]]] = []
    for section in guide.sections:
        points: list[_Point] = []
        for step in section.steps:
            record = state.answers.get(step.id)
            if record is None:
                continue
            review = state.line_review(step.id)
            if review is not None and review.kind == "struck":
                continue
            if review is not None and review.text is not None:
                text = review.text
            else:
                text = value_text(step, record.value, lang)
                # The patient's own words say more than the choice they were matched to.
                if record.verbatim and record.verbatim != text:
                    text = f"{text}\n“{record.verbatim}”"
            who = None if record.speaker == "patient" else \
                speaker(record.speaker, lang, young=youth(guide.audience))
            points.append(_Point(text_in(step.prompt, lang, guide.language), who,
                                 clean_text(text)))
        if points:
            sections.append((text_in(section.title, lang, guide.language), points))
    return sections


def preparation_summary(
    state: SessionState, *, lang: Language | None = None, width: int = DEFAULT_WIDTH
) -> tuple[str, str]:
    """The patient's points for the meeting, from a preparation session, on one page.

    Titled "Mine punkter til mødet" ("My points for the meeting"): every answer that counts,
    section by section, in the patient's own words (the patient's corrections applied, struck
    lines left out); an answer someone else gave is marked with who gave it.

    Returns:
        (HTML page, plain text).

    Raises:
        ValueError: the session's guide is not a preparation meeting guide.
    """
    guide = state.guide
    if not isinstance(guide, MeetingGuide) or guide.meeting_type != "preparation":
        raise ValueError("'my points' are made from a preparation meeting guide")
    lang = lang or state.language
    title = word("my_points", lang)
    subtitle = text_in(guide.title, lang, guide.language)
    helpers = [speaker(p.role, lang, young=youth(guide.audience))
               + (f" ({p.name})" if p.name else "")
               for p in state.participants if p.role != "patient"]
    dates = [r.at for r in state.answers.values()]
    facts: list[tuple[str, str]] = []
    if dates:
        facts.append((word("date", lang), day(max(dates))))
    if helpers:
        facts.append((word("prepared_with", lang), ", ".join(helpers)))
    sections = _points(state, lang)

    body = [f"<h1>{esc(title)}</h1>", f"<p>{esc(subtitle)}</p>"]
    body += [f"<p><strong>{esc(k)}:</strong> {esc(v)}</p>" for k, v in facts]
    text = [*wrap(title, width, "", ""), "=" * min(width, len(title)),
            *wrap(subtitle, width, "", "")]
    text += [line for k, v in facts for line in wrap(v, width, f"{k}: ", "    ")]
    if not sections:
        body.append(f"<p>{esc(word('nothing_yet', lang))}</p>")
        text += ["", word("nothing_yet", lang)]
    for section_title, points in sections:
        body.append(f"<h2>{esc(section_title)}</h2>")
        text += ["", *wrap(section_title.upper(), width, "", "")]
        for point in points:
            who = f'<span class="who">{esc(point.who)}:</span> ' if point.who else ""
            body += [f'<p class="question">{esc(point.question)}</p>',
                     f'<p class="line">{who}<span class="words">{esc(point.text)}</span></p>']
            text += ["", *wrap(point.question, width, "", "")]
            lead = f"  {point.who}: " if point.who else "  "
            text += wrap(point.text, width, lead, "    ")
    return page(title, body, lang=lang, extra_style=_ONE_PAGE), _finish(text)


def _finish(lines: list[str]) -> str:
    return "\n".join(line.rstrip() for line in lines) + "\n"


# --- agenda -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Person:
    role: Role
    name: str | None
    why: str | None
    required: bool


def _people(guide: MeetingGuide, given: Sequence[AgendaParticipant],
            lang: Language) -> list[_Person]:
    suggested = {p.role: p for p in guide.participants}
    out: list[_Person] = []
    for item in given or guide.participants:
        if isinstance(item, str):
            role, name = item, None
        elif isinstance(item, Participant):
            role, name = item.role, text_in(item.label, lang, guide.language) or None
        else:
            role, name = item.role, item.name
        hint = suggested.get(role)
        why = text_in(hint.why, lang, guide.language) if hint and hint.why else None
        out.append(_Person(role, clean_text(name) if name else None, why,
                           bool(hint and hint.required)))
    return out


def agenda(
    guide: MeetingGuide, participants: Sequence[AgendaParticipant] = (), *,
    date: dt.date | None = None, lang: Language | None = None, width: int = DEFAULT_WIDTH,
) -> tuple[str, str]:
    """The meeting's agenda: who takes part (their roles), the sections in order with their
    questions and time boxes, and the total time.

    Args:
        guide: the meeting guide.
        participants: who takes part; empty: the guide's suggested participants.
        date: the meeting's date, if known.
        lang: the language (default: the guide's).

    Returns:
        (HTML page, plain text).
    """
    lang = lang or guide.language
    minutes = word("minutes", lang)
    title = f"{word('agenda', lang)}: {text_in(guide.title, lang, guide.language)}"
    people = _people(guide, participants, lang)
    total = sum(s.timebox_minutes or 0 for s in guide.sections)
    total_text = f"{total} {minutes}"
    if guide.time_limit_minutes:
        total_text += f" ({word('time_limit', lang)} {guide.time_limit_minutes} {minutes})"

    body = [f"<h1>{esc(title)}</h1>"]
    text = [*wrap(title, width, "", ""), "=" * min(width, len(title))]
    if date is not None:
        body.append(f"<p><strong>{esc(word('date', lang))}:</strong> {esc(day(date))}</p>")
        text += wrap(day(date), width, f"{word('date', lang)}: ", "    ")
    purpose = text_in(guide.purpose, lang, guide.language)
    body += [f"<h2>{esc(word('purpose', lang))}</h2>", f'<p class="words">{esc(purpose)}</p>']
    text += ["", word("purpose", lang).upper(), *wrap(purpose, width, "", "")]

    body += [f"<h2>{esc(word('attending', lang))}</h2>", "<ul>"]
    text += ["", word("attending", lang).upper()]
    for person in people:
        line = speaker(person.role, lang, young=youth(guide.audience)) \
            + (f" ({person.name})" if person.name else "")
        if person.required:
            line += f" – {word('required_participant', lang)}"
        body.append(f"<li>{esc(line)}" + (f'<br><span class="note">{esc(person.why)}</span>'
                                          if person.why else "") + "</li>")
        text += wrap(line, width, "- ", "  ")
        if person.why:
            text += wrap(person.why, width, "  ", "  ")
    body.append("</ul>")

    for number, section in enumerate(guide.sections, start=1):
        heading = f"{number}. {text_in(section.title, lang, guide.language)}"
        if section.timebox_minutes:
            heading += f" ({section.timebox_minutes} {minutes})"
        body.append(f"<h2>{esc(heading)}</h2>")
        text += ["", *wrap(heading, width, "", "")]
        if section.intro:
            intro = text_in(section.intro, lang, guide.language)
            body.append(f'<p class="note">{esc(intro)}</p>')
            text += wrap(intro, width, "  ", "  ")
        questions = [text_in(s.prompt, lang, guide.language)
                     for s in section.steps if takes_answer(s)]
        if questions:
            body += ["<ul>", *(f"<li>{esc(q)}</li>" for q in questions), "</ul>"]
            for q in questions:
                text += wrap(q, width, "- ", "  ")
    body.append(f"<p><strong>{esc(word('total_time', lang))}:</strong> {esc(total_text)}</p>")
    text += ["", f"{word('total_time', lang)}: {total_text}"]
    return page(title, body, lang=lang, extra_style=_ONE_PAGE), _finish(text)
