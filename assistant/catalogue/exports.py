"""The papers' own words (Danish, English): headings, labels, who-said-it prefixes, and
the approval's words, which the review shows and the exports repeat."""

from __future__ import annotations

#: Who said it, as a line's prefix: "Patienten: ...". Definite forms read best in Danish.
SPEAKERS: dict[str, tuple[str, str]] = {
    "patient": ("Patienten", "Patient"),
    "relative": ("Pårørende", "Relative"),
    "clinician": ("Behandleren", "Clinician"),
    "municipality": ("Kommunen", "Municipality"),
    "housing": ("Botilbuddet", "Supported housing"),
    "gp": ("Egen læge", "GP"),
    "peer_worker": ("Peer-medarbejderen", "Peer worker"),
    "other": ("Anden", "Other"),
}

#: The same for a plan or meeting for children and young people (`words.YOUTH_ROLES`).
YOUTH_SPEAKERS: dict[str, tuple[str, str]] = {
    "patient": ("Den unge", "The young person"),
    "relative": ("Forældrene", "The parents"),
}

EXPORT: dict[str, tuple[str, str]] = {
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
    # the record's end: what the conversation rests on (the guide's sources, the built-in
    # steps' instruments)
    "sources": ("Kilder", "Sources"),
    # the two copies (patient, record): a line's context, the patient's facts
    "decision": ("Beslutning", "Decision"),
    "decided_shared": ("truffet sammen", "made together"),
    "decided_patient": ("truffet af patienten", "made by the patient"),
    "decided_clinician": ("truffet af behandleren", "made by the clinician"),
    "who_decided": ("Hvem traf beslutningen", "Who made the decision"),
    "next_steps": ("Næste skridt", "Next steps"),
    # the question a record's line answers, where its field holds several, and who answered
    "asked": ("„{question}“ – {who}", "“{question}” – {who}"),
    "version": ("version", "version"),
    "plan_made": ("Lavet", "Made"),
    "review_by": ("Vi ser på planen igen senest", "We look at the plan again by"),
    "contact": ("Kontakt om planen", "Contact about the plan"),
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

#: The approval's own words: why a plan cannot be approved yet.
APPROVAL: dict[str, tuple[str, str]] = {
    "blocked_title": ("Planen kan ikke godkendes endnu", "The plan cannot be approved yet"),
    "no_clinician": (
        "Ingen behandler er med i samtalen. Planen godkendes på mødet med en behandler.",
        "No clinician is taking part. The plan is approved at the meeting with a clinician."),
    "no_clinician_other": (
        "Planen godkendes sammen med en behandler: ingen behandler er med i samtalen.",
        "The plan is approved together with a clinician: no clinician is taking part."),
    "no_clinician_note": (
        "Planen godkendes på mødet med en behandler. Gem dine punkter til mødet: F3 (oversigt), "
        "derefter s.",
        "The plan is approved at the meeting with a clinician. Save your points for the "
        "meeting: F3 (summary), then s."),
    "gaps": (
        "Påkrævede felter er tomme og ikke markeret „drøftet, intet at tilføje“:",
        "Required fields are empty and not marked “discussed, nothing to add”:"),
    "gaps_hint": (
        "Udfyld dem (e skriver i feltet, g går til spørgsmålet), eller tryk d på feltet, hvis "
        "det er drøftet, og der ikke er noget at tilføje.",
        "Fill them in (e writes in the field, g goes to the question), or press d on the field "
        "if it was discussed and there is nothing to add."),
    "awaiting": (
        "Afventer patienten – en andens tekst står i stedet for patientens ord i:",
        "Awaiting the patient – someone else's text stands in for the patient's words in:"),
    "awaiting_hint": (
        "Patienten gør teksten til sin egen (e, med patienten som taler) eller stryger sine "
        "linjer (x); ellers ryddes feltets tekst.",
        "The patient makes the text their own (e, with the patient speaking) or strikes their "
        "lines (x); otherwise the field's text is cleared."),
    "ok": ("OK", "OK"),
    "confirm_title": ("Patienten bekræfter", "The patient confirms"),
    "confirm_text": (
        "Patienten bekræfter: Planen er gennemgået med mig, og jeg kan genkende mine ord.",
        "The patient confirms: The plan has been gone through with me, and I recognise my "
        "words."),
    "confirm_voided": (
        "Planen er ændret, siden patienten bekræftede den. Patienten bekræfter den igen.",
        "The plan changed after the patient confirmed it. The patient confirms it again."),
    "confirm_next": ("Bagefter godkender behandleren planen.",
                     "Then the clinician approves the plan."),
    "confirm": ("Patienten bekræfter", "The patient confirms"),
    "not_yet": ("Ikke endnu", "Not yet"),
    "clinician_step": ("Behandleren godkender planen.", "The clinician approves the plan."),
    "confirmed_at": ("Patienten bekræftede planen {when}.",
                     "The patient confirmed the plan {when}."),
    "patient_absent": ("Patienten deltager ikke i samtalen.",
                       "The patient is not taking part in the conversation."),
    "discussed": ("Drøftet, intet at tilføje:", "Discussed, nothing to add:"),
    "approve": ("Godkend som behandler", "Approve as the clinician"),
    "patient_confirmed": ("patienten bekræftede {when}", "the patient confirmed {when}"),
    "patient_not_present": ("patienten deltog ikke", "the patient did not take part"),
}
