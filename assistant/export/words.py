"""The exports' own words — headings, labels and who-said-it prefixes — read from the one
message catalogue (`assistant.catalogue`, sections `export.` and `speaker.`), and dates.

The words themselves are in `assistant/catalogue/exports.py` (`EXPORT`, `SPEAKERS`): add a
new word there, then `word("key", lang)` finds it.
"""

from __future__ import annotations

import datetime as dt

from assistant.catalogue import has, t
from assistant.guides.models import Language, Role
from assistant.wording import date_text


def word(key: str, lang: Language) -> str:
    """One of the exports' own words (the catalogue's `export.KEY`) in `lang`."""
    return t(f"export.{key}", lang)


def speaker(role: Role, lang: Language, *, young: bool = False) -> str:
    """Who said it, for a line's prefix: "Patienten", "Behandleren" ... (English: "Patient");
    with `young` (a plan for children and young people): "Den unge", "Forældrene"."""
    if young and has(f"youth_speaker.{role}"):
        return t(f"youth_speaker.{role}", lang)
    return t(f"speaker.{role}", lang)


def day(moment: dt.date | dt.datetime) -> str:
    """A date as YYYY-MM-DD: unambiguous in a health record, in both languages.

    A time is shown as the date in UTC (a session's events are stored in UTC), so the same
    draft always prints the same date. A time whose UTC date is outside the calendar (the
    year 0 or 10000: answers files refuse such times, `answersfile.fhir_time`) keeps the
    date it was written with rather than fail.
    """
    if isinstance(moment, dt.datetime):
        try:
            return moment.astimezone(dt.UTC).date().isoformat()
        except OverflowError:
            return moment.date().isoformat()
    return moment.isoformat()


def local_day(moment: dt.date | dt.datetime, lang: Language) -> str:
    """A date as people write it: 15.12.2026 in Danish, 15 December 2026 in English.

    The same date as `day` (a time is shown as its UTC date); for the papers people read.
    """
    iso = day(moment)
    try:
        date = dt.date.fromisoformat(iso)
    except ValueError:  # pragma: no cover - `day` always gives an ISO date
        return iso
    return date_text(date, lang)


def iso_text_day(text: str, lang: Language) -> str:
    """`text` as a local date (`local_day`) when it is an ISO date (2026-12-15), else as it
    is: a date field's answer is stored as ISO, but people may write a date any way."""
    try:
        return local_day(dt.date.fromisoformat(text.strip()), lang)
    except ValueError:
        return text
