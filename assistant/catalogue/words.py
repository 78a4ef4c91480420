"""Words shared by every face and paper (Danish, English): roles, yes and no, the FHIR
groups' item texts, why a file was not saved, and the crash message."""

from __future__ import annotations

#: A role's name ("Patient", "Pårørende", ...); the papers' who-said-it forms are in
#: `exports.SPEAKERS`.
ROLES: dict[str, tuple[str, str]] = {
    "patient": ("Patient", "Patient"),
    "relative": ("Pårørende", "Relative"),
    "clinician": ("Behandler", "Clinician"),
    "municipality": ("Kommune", "Municipality"),
    "housing": ("Botilbud", "Supported housing"),
    "gp": ("Egen læge", "GP"),
    "peer_worker": ("Peer-medarbejder", "Peer worker"),
    "other": ("Anden", "Other"),
}

#: The names a guide or plan for children and young people uses instead (`wording.youth`):
#: the young person, and the parents (issue 17, item 11; seed 001 names the young person and
#: the parents in the Trygheds- og forebyggelsesplan).
YOUTH_ROLES: dict[str, tuple[str, str]] = {
    "patient": ("Den unge", "Young person"),
    "relative": ("Forældre", "Parents"),
}

#: A yes/no answer as a word.
ANSWERS: dict[str, tuple[str, str]] = {
    "yes": ("Ja", "Yes"),
    "no": ("Nej", "No"),
    "by": ("senest", "by"),
}

#: The texts of the people and tasks groups' items in a FHIR Questionnaire.
FHIR: dict[str, tuple[str, str]] = {
    "person.name": ("Navn", "Name"),
    "person.relation": ("Relation", "Relation"),
    "person.helps": ("Hvordan hjælper personen", "How they help"),
    "person.when": ("Hvornår", "When"),
    "person.contact": ("Kontakt", "Contact"),
    "task.what": ("Hvad", "What"),
    "task.who": ("Hvem", "Who"),
    "task.by": ("Senest", "By"),
}

#: Why a file is not saved (`WriteRefused.reason`), where the UI's words have none.
REFUSED: dict[str, tuple[str, str]] = {
    "symlink": ("Det er et symbolsk link – skriv navnet på en almindelig fil.",
                "That is a symbolic link – write the name of an ordinary file."),
    "not_regular": ("Det er ikke en almindelig fil (en enhed, en FIFO eller en sokkel) – skriv "
                    "et andet filnavn.",
                    "That is not an ordinary file (a device, a FIFO or a socket) – write "
                    "another file name."),
    "folder_not_writable": ("Du kan ikke oprette filer i den mappe.",
                            "You cannot create files in that folder."),
    "no_access": ("Du har ikke adgang til den mappe.", "You have no access to that folder."),
    "exists": ("Filen findes allerede, så intet blev gemt. Gem igen (s) for at overskrive den.",
               "The file exists already, so nothing was saved. Save again (s) to overwrite it."),
}

#: What a crash tells the user (nothing else: the report holds the rest).
CRASH: dict[str, tuple[str, str]] = {
    "stopped": ("sdm-assistant stoppede på grund af en fejl. Dine svar til og med det sidst "
                "gemte er bevaret.",
                "sdm-assistant stopped because of an error. Your answers up to the last saved "
                "one are kept."),
    "report_at": ("En fejlrapport uden svar eller andre helbredsoplysninger er gemt i:",
                  "A report without answers or other health data was written to:"),
    "no_report": ("Der kunne ikke gemmes en fejlrapport.", "No error report could be written."),
}
