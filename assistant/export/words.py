"""The exports' own words, in Danish and English: headings, labels and who-said-it prefixes."""

from __future__ import annotations

import datetime as dt

from assistant.guides.models import Language, Role

#: Who said it, as the line's prefix: "Patienten: ...". Definite forms read best in Danish.
SPEAKERS: dict[Role, tuple[str, str]] = {
    "patient": ("Patienten", "Patient"),
    "relative": ("Pårørende", "Relative"),
    "clinician": ("Behandleren", "Clinician"),
    "municipality": ("Kommunen", "Municipality"),
    "housing": ("Botilbuddet", "Supported housing"),
    "gp": ("Egen læge", "GP"),
    "peer_worker": ("Peer-medarbejderen", "Peer worker"),
    "other": ("Anden", "Other"),
}

WORDS: dict[str, tuple[str, str]] = {
    "draft": ("udkast", "draft"),
    "conversation": ("Samtale", "Conversation"),
    "created": ("Oprettet", "Created"),
    "last_revised": ("Sidst revideret", "Last revised"),
    "next_revision": ("Næste revision senest", "Next revision due"),
    "responsible": ("Ansvarlig for revision", "Responsible for revision"),
    "approved": ("Godkendt", "Approved"),
    "approved_by": ("af", "by"),
    "patient_confirmed": ("bekræftet af patienten", "confirmed by the patient"),
    "patient_absent": ("patienten deltog ikke", "the patient did not take part"),
    "not_approved": ("ikke endnu", "not yet"),
    "changed_since": ("ændret efter godkendelsen", "changed after the approval"),
    "overdue": ("overskredet", "overdue"),
    "not_given": ("ikke angivet", "not given"),
    "participants": ("Deltagere i samtalen", "Taking part in the conversation"),
    "gaps": ("Mangler", "Missing"),
    "gaps_intro": ("Påkrævede felter uden indhold:", "Required fields with nothing in them:"),
    "no_gaps": ("Alle påkrævede felter er udfyldt.", "Every required field is filled in."),
    "gap": ("mangler", "missing"),
    "empty": ("ikke udfyldt", "not filled in"),
    "discussed": ("drøftet, intet at tilføje", "discussed, nothing to add"),
    "awaiting": ("venter på patientens accept af ændringen",
                 "awaiting the patient's acceptance of the change"),
    "corrected": ("rettet af patienten", "corrected by the patient"),
    "own_words": ("med egne ord", "in their own words"),
    "prepared": ("forberedt med peer-medarbejder", "prepared with the peer worker"),
    "converted": ("Overført fra", "Carried over from"),
    "sure": ("SURE", "SURE"),
    "sure_unmet": ("ikke opfyldt", "not met"),
    "about": ("Om planen", "About the plan"),
    "other": ("Andet", "Other"),
    "generated": ("Lavet med sdm-assistant", "Made with sdm-assistant"),
    # meeting papers
    "my_points": ("Mine punkter til mødet", "My points for the meeting"),
    "prepared_with": ("Forberedt med", "Prepared with"),
    "agenda": ("Dagsorden", "Agenda"),
    "date": ("Dato", "Date"),
    "purpose": ("Formål", "Purpose"),
    "total_time": ("Tid i alt", "Total time"),
    "time_limit": ("tidsramme", "time limit"),
    "minutes": ("min.", "min"),
    "nothing_yet": ("Ingen svar endnu.", "No answers yet."),
    "required_participant": ("skal deltage", "must take part"),
    "attending": ("Deltagere", "Participants"),
}


def word(key: str, lang: Language) -> str:
    """One of the exports' own words (see `WORDS`) in `lang`."""
    da, en = WORDS[key]
    return en if lang == "en" else da


def speaker(role: Role, lang: Language) -> str:
    """Who said it, for a line's prefix: "Patienten", "Behandleren" ... (English: "Patient")."""
    da, en = SPEAKERS[role]
    return en if lang == "en" else da


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
