"""The command line's own words (Danish, English): its error, status and summary messages,
and the messages the layers below it raise in English.

Each is a `str.format` template; `cli.common.say` fills it in the CLI's language (`--lang`,
else the locale).

The session store, the session service, file writing and plan choice know no language: they
raise their messages in English (`StoreError.message`, `WriteRefused.message`, ...). `RAISED`
holds each of those messages as it is raised (the English template) with its Danish, and
`translate` puts a message in the language asked for: the English template is matched, the
Danish one filled with the same values. A value that is itself words (a reason, a part of a
sentence: the fields named in `_NESTED`) is looked up in `RAISED_PARTS` the same way. Only the
located problems of the guides' checks (`file:line:col: message`, the authors' format, see
docs/authoring.md) stay in English; their summary lines are here.
"""

from __future__ import annotations

import re
from functools import cache

CLI: dict[str, tuple[str, str]] = {
    # the top level and argparse
    "usage": ("brug: ", "usage: "),
    "error": ("fejl", "error"),
    "not_minutes": ("'{text}' er ikke et antal minutter", "'{text}' is not a number of minutes"),
    "minutes_range": ("minutterne skal være 0 (aldrig) til 1440",
                      "the minutes must be 0 (never) to 1440"),
    "encrypt_ui_only": ("--encrypt gælder kun chat-brugerfladen: kør 'sdm --encrypt' uden en "
                        "kommando",
                        "--encrypt applies to the chat UI only: run 'sdm --encrypt' without a "
                        "command"),
    "encrypt_file_only": ("--encrypt gælder en lagerfil på denne computer: en afdelingsservers "
                          "diske krypteres af dens driftsansvarlige",
                          "--encrypt is for a store file on this computer: a department "
                          "server's disks are encrypted by its operator"),
    "required": ("disse argumenter mangler: {names}",
                 "the following arguments are required: {names}"),
    "unrecognized": ("ukendte argumenter: {names}", "unrecognized arguments: {names}"),
    "invalid_choice": ("argument {name}: ugyldigt valg: {value} (vælg mellem {choices})",
                       "argument {name}: invalid choice: {value} (choose from {choices})"),
    "expected_one": ("argument {name}: kræver én værdi", "argument {name}: expected one argument"),
    "expected_some": ("argument {name}: kræver mindst én værdi",
                      "argument {name}: expected at least one argument"),
    "invalid_type": ("argument {name}: ugyldig værdi: {value}",
                     "argument {name}: invalid {type} value: {value}"),
    "not_allowed_with": ("argument {name}: kan ikke bruges sammen med {other}",
                         "argument {name}: not allowed with argument {other}"),
    "invalid_value": ("argument {name}: {reason}", "argument {name}: {reason}"),
    "stdout_failed": ("kan ikke skrive til standard-output: {reason}",
                      "cannot write to standard output: {reason}"),
    # files
    "cannot_write": ("kan ikke skrive {path}: {reason}; intet blev skrevet",
                     "cannot write {path}: {reason}; nothing was written"),
    "cannot_write_short": ("kan ikke skrive {path}: {reason}", "cannot write {path}: {reason}"),
    "cannot_read": ("kan ikke læse {path}: {reason}", "cannot read {path}: {reason}"),
    "wrote": ("skrev {path}", "wrote {path}"),
    "wrote_check": ("skrev {path} — tjek den med: sdm validate {path}",
                    "wrote {path} — check it with: sdm validate {path}"),
    "exists": ("{path} findes allerede; intet blev skrevet",
               "{path} exists already; nothing was written"),
    "not_text": ("formatet er ikke tekst: skriv det til en fil med -o FIL eller til et rør",
                 "this format is not text: write it to a file with -o FILE, or to a pipe"),
    "not_encrypted": ("Bemærk: eksporten er ikke krypteret, selv om sessionslageret er. "
                      "Opbevar filen sikkert, og slet den, når den ikke længere skal bruges.",
                      "Note: the export is NOT encrypted, although the session store is. Keep "
                      "the file safe and delete it when it is no longer needed."),
    # guides
    "bad_id": ("'{id}' er ikke et gyldigt id: brug små bogstaver, cifre, '-' og '_'",
               "'{id}' is not a valid id: use lower-case letters, digits, '-' and '_'"),
    # export
    "read_only_not_recorded": ("lageret er skrivebeskyttet: denne eksport gemmes ikke som en "
                               "revision af planen",
                               "the store is read-only: this export is not recorded as a "
                               "plan revision"),
    "exporting_own_plan": ("eksporterer '{plan}', guidens egen plan; den udfylder også: "
                           "{others} — brug --template {use}",
                           "exporting '{plan}', the guide's own plan; it also fills: "
                           "{others} — use --template {use}"),
    "not_filled": ("guiden '{guide}' udfylder ikke planen '{plan}' (den udfylder: "
                   "{fills}){hint}",
                   "the guide '{guide}' does not fill the plan '{plan}' (it fills: "
                   "{fills}){hint}"),
    "template_needs_export": ("--template vælger planen til --export; angiv også --export",
                              "--template chooses the plan for --export; give --export too"),
    "with_not_a_file": ("--with tager en fil (en guide eller planskabelon), ikke: {path}",
                        "--with takes a file (a guide or plan template), not: {path}"),
    "did_you_mean": (" — mente du '{name}'?", " — did you mean '{name}'?"),
    "not_meeting_guide": ("'{guide}' er ikke en mødeguide i biblioteket (se 'sdm list')",
                          "'{guide}' is not a meeting guide in the library (see 'sdm list')"),
    "not_a_date": ("--date: '{text}' er ikke en dato; skriv den som {formats}",
                   "--date: '{text}' is not a date; write it as {formats}"),
    "date_formats": ("DD-MM-ÅÅÅÅ, DD.MM.ÅÅÅÅ eller ÅÅÅÅ-MM-DD",
                     "DD-MM-YYYY, DD.MM.YYYY or YYYY-MM-DD"),
    "not_preparation": ("sessionen er ikke en forberedelse (en mødeguide med "
                        "meeting_type: preparation)",
                        "the session is not a preparation session (a meeting guide with "
                        "meeting_type: preparation)"),
    "roles_are": ("rollerne er: {roles}", "roles are: {roles}"),
    # A bundled guide or plan template replaced by a library folder's (`replaces_bundled`).
    "replaced": ("{file}: erstatter {what} '{id}' fra det indbyggede bibliotek",
                 "{file}: replaces the bundled {what} '{id}'"),
    "replaced_what.guide": ("guiden", "guide"),
    "replaced_what.plan_template": ("planskabelonen", "plan template"),
    # `sdm list`: a document whose id an earlier one already has (not used).
    "list_not_used": ("bruges ikke: samme id", "not used: same id"),
    "list_duplicate": ("{file}: bruges ikke: {used} har samme id '{id}' og læses først "
                       "(se 'sdm validate'; 'replaces_bundled: true' erstatter en indbygget)",
                       "{file}: not used: {used} has the same id '{id}' and is read first "
                       "(see 'sdm validate'; 'replaces_bundled: true' replaces a bundled one)"),
    # `sdm list`: where the library is read from, besides the bundled guides.
    "library_folder.user": ("biblioteksmappe (din egen): {path}",
                            "library folder (your own): {path}"),
    "library_folder.env": ("biblioteksmappe {name} (SDM_LIBRARY): {path}",
                           "library folder {name} (SDM_LIBRARY): {path}"),
    "library_folder.option": ("biblioteksmappe {name} (--library): {path}",
                              "library folder {name} (--library): {path}"),
    "not_whole_number": ("'{text}' er ikke et helt tal", "'{text}' is not a whole number"),
    "width_range": ("bredden skal være {low} til {high}", "the width must be {low} to {high}"),
    # replay
    "session_needs_store": ("--session og --label vælger, hvor svarene gemmes: angiv lageret "
                            "med --store STI",
                            "--session and --label choose where answers are stored: give the "
                            "store with --store PATH"),
    "export_with_store": ("--export skriver et planudkast; med --store skrives hver gemt "
                          "hændelse i stedet (eksportér den gemte session med 'sdm export "
                          "SESSION')",
                          "--export prints a plan draft; with --store each stored event is "
                          "printed instead (export the stored session with 'sdm export "
                          "SESSION')"),
    "label_or_session": ("--label navngiver en ny session; --session føjer til en gemt: "
                         "angiv én af dem",
                         "--label names a new session; --session appends to a stored one: "
                         "give one of them"),
    "unknown_format": ("ukendt eksportformat {name}{hint} (formater: {formats})",
                       "unknown export format {name}{hint} (formats: {formats})"),
    "no_guide_file": ("guidefilen findes ikke: {path}", "no such guide file: {path}"),
    "no_answers_file": ("svarfilen findes ikke: {path}", "no such answers file: {path}"),
    "label_cpr": ("navnet ligner et CPR-nummer: giv sessionen et pseudonym eller initialer "
                  "med --label (navnet vises i alle lister og eksporter)",
                  "the label looks like a CPR number: give the session a pseudonym or "
                  "initials with --label (the label is shown in every list and export)"),
    "replay_stopped": ("stoppet: hændelse 1 til {seq} i session {session} er gemt, men "
                       "standard-output fejlede",
                       "stopped: events 1 to {seq} of session {session} are stored, but "
                       "standard output failed"),
    "events_stored": ("{n} hændelser gemt i session {session}",
                      "{n} events stored in session {session}"),
    # sessions
    "not_days": ("'{text}' er ikke et helt antal dage", "'{text}' is not a whole number of days"),
    "days_range": ("antallet af dage skal være 0 eller flere",
                   "the number of days must be 0 or more"),
    "choose_subcommand": ("vælg en underkommando: list, show, revisions, delete eller purge",
                          "choose a subcommand: list, show, revisions, delete or purge"),
    "refuse_delete": ("sletter ikke uden --yes, når ingen kan spørges",
                      "refusing to delete without --yes when no one can be asked"),
    "yes_no_prompt": ("[j/N]", "[y/N]"),
    "nothing_deleted": ("intet blev slettet", "nothing was deleted"),
    "no_sessions": ("ingen gemte sessioner", "no sessions stored"),
    "plans_due": ("planer, der skal revideres:", "plans due for revision:"),
    "diff_numbers": ("--diff tager ét eller to revisionsnumre",
                     "--diff takes one or two revision numbers"),
    "no_such_revision": ("session {session} har ingen revision {n} (den har: {known})",
                         "session {session} has no revision {n} (it has: {known})"),
    "no_revisions": ("session {session} har ingen revisioner af planen endnu (en godkendelse "
                     "eller en eksport laver en)",
                     "session {session} has no plan revisions yet (approving or exporting the "
                     "plan makes one)"),
    "revision_unreadable": ("revision {n} er gemt i et planformat, denne version ikke kan "
                            "læse",
                            "revision {n} was stored in a plan format this version cannot "
                            "read"),
    "revisions_same": ("revision {a} og {b} er ens", "revisions {a} and {b} are the same"),
    "guide_gone": ("{reason}: hændelserne vises, svarene kan ikke",
                   "{reason}: the events are shown, the answers cannot be"),
    "deleted_session": ("slettede session {session}", "deleted session {session}"),
    "still_open_note": ("bemærk: et andet program læser lageret; de slettede data forlader "
                        "lagerets filer helt, når det lukker",
                        "note: another program is reading the store; the deleted data leaves "
                        "the store's files completely when it closes"),
    "none_older": ("ingen sessioner ældre end {days} dage", "no sessions older than {days} days"),
    "would_delete": ("{n} sessioner ville blive slettet", "{n} sessions would be deleted"),
    "delete_question": ("Slet disse {n} sessioner for altid?",
                        "Delete these {n} sessions for good?"),
    "deleted_n": ("slettede {n} sessioner", "deleted {n} sessions"),
    "skipped_open": ("sprang session {session} over: den er åben i et andet program",
                     "skipped session {session}: it is open in another program"),
    "plan_approved": ("{name} godkendt {date}{due}", "{name} approved {date}{due}"),
    "plan_revision_due": (", revideres senest {date}", ", revision due {date}"),
    "a_plan": ("en plan", "a plan"),
    "due_line": ("{session}  senest {date}  revision {n}", "{session}  due {date}  revision {n}"),
    "due": ("senest {date}", "due {date}"),
    "no_due_date": ("ingen dato", "no due date"),
    "none": ("ingen", "none"),
    "revision_n": ("revision {n}", "revision {n}"),
    "show_session": ("session {session}", "session {session}"),
    "show_guide": ("guide {guide} {version}  {status}  {events}, {date}",
                   "guide {guide} {version}  {status}  {events}, {date}"),
    "events_one": ("1 hændelse", "1 event"),
    "events_many": ("{n} hændelser", "{n} events"),
    "prepared": ("(forberedt)", "(prepared)"),
    "does_not_count": ("(tæller ikke: fortrudt, eller passer ikke længere til guiden)",
                       "(does not count: undone, or no longer fits the guide)"),
    "answers_heading": ("svar:", "answers:"),
    "no_answers": ("ingen svar", "no answers"),
    "delete_session_question": ("Slet session {session} ({label}, {guide}, {events}) for "
                                "altid?",
                                "Delete session {session} ({label}, {guide}, {events}) for "
                                "good?"),
    # a session's status, as `sessions list` and `sessions show` print it
    "status.in_progress": ("i gang", "in_progress"),
    "status.finished": ("afsluttet", "finished"),
    "status.plan_approved": ("plan godkendt", "plan_approved"),
    # export: whom a paper is for
    "copy_refused": ("--copy: formatet '{format}' laver ingen kopi til {whom} (det gør "
                     "formaterne: {made})",
                     "--copy: the format '{format}' makes no {whom} copy (formats that do: "
                     "{made})"),
    "copy_for.patient": ("patienten", "patient"),
    "copy_for.record": ("journalen", "record"),
    # replay
    "not_loaded_as_guide": ("{guide} kunne ikke indlæses som en guide",
                            "{guide} did not load as a guide"),
    "no_guide": ("ingen guide '{guide}' i biblioteket{hint}",
                 "no guide '{guide}' in the library{hint}"),
    "nearest_known": (" (de nærmeste, der findes: {known})", " (nearest known: {known})"),
    "template_not_guide": ("'{id}' er en planskabelon, ikke en guide",
                           "'{id}' is a plan template, not a guide"),
    "partly_stored": ("{reason}; de hændelser, der er kvitteret for på standard-output, er "
                      "gemt, de andre er ikke",
                      "{reason}; the events acknowledged on standard output are stored, the "
                      "others are not"),
    "event_not_stored": ("hændelse {n} blev ikke gemt: {reason}; de hændelser, der er "
                         "kvitteret for på standard-output, er gemt, de andre er ikke",
                         "event {n} was not stored: {reason}; the events acknowledged on "
                         "standard output are stored, the others are not"),
    "events_miscounted": ("session {session} har {held} hændelser, ikke {seq}: numrene, der "
                          "er kvitteret med, kan være forkerte",
                          "session {session} holds {held} events, not {seq}: the numbers "
                          "acknowledged may be wrong"),
    # validate, lint
    "no_such_path": ("filen eller mappen findes ikke", "no such file or folder"),
    "checked_clean": ("{files} tjekket: ingen problemer", "{files} checked: no problems"),
    "checked_problems": ("{files} tjekket: {problems}", "{files} checked: {problems}"),
    "files_one": ("1 fil", "1 file"),
    "files_many": ("{n} filer", "{n} files"),
    "problems_one": ("1 problem", "1 problem"),
    "problems_many": ("{n} problemer", "{n} problems"),
    "linted": ("{guides} tjekket: {errors}, {warnings}", "{guides} linted: {errors}, {warnings}"),
    "guides_one": ("1 guide", "1 guide"),
    "guides_many": ("{n} guider", "{n} guides"),
    "errors_one": ("1 fejl", "1 error"),
    "errors_many": ("{n} fejl", "{n} errors"),
    "warnings_one": ("1 advarsel", "1 warning"),
    "warnings_many": ("{n} advarsler", "{n} warnings"),
    # the passphrase of an encrypted store, asked for on the terminal
    "passphrase_again": ("det adgangsudtryk åbner ikke lageret; prøv igen",
                         "that passphrase does not open the store; try again"),
    "try_again": ("{reason}; prøv igen", "{reason}; try again"),
    # `sdm store`: the store as a whole; `sdm store copy` (issue 19, item 5: moving in)
    "store.choose": ("vælg en underkommando: {commands}", "choose a subcommand: {commands}"),
    "store.copy_source_server": ("der kopieres fra en lagerfil, ikke fra en server: giv filen "
                                 "med --store (eller ingen for din egen) og serveren med --to",
                                 "copying is from a store file, not from a server: give the "
                                 "file with --store (or none for your own) and the server "
                                 "with --to"),
    "store.copy_to_not_server": ("--to skal være en afdelingsserver (postgresql://… eller "
                                 "service=NAVN)",
                                 "--to must name a department server (postgresql://… or "
                                 "service=NAME)"),
    "store.copy_no_source": ("der er intet sessionslager i {path}: intet at kopiere",
                             "there is no session store at {path}: nothing to copy"),
    "store.copy_nothing": ("sessionslageret {path} har ingen sessioner: intet at kopiere",
                           "the session store {path} holds no sessions: nothing to copy"),
    "store.copy_copied": ("{session}  kopieret: {counts}", "{session}  copied: {counts}"),
    "store.copy_present": ("{session}  fandtes allerede: {counts}",
                           "{session}  already there: {counts}"),
    "store.copy_failed": ("{session}  FEJL: {reason}", "{session}  FAILED: {reason}"),
    "store.copy_counts": ("{events}, {revisions}, {documents}",
                          "{events}, {revisions}, {documents}"),
    "store.sessions_one": ("1 session", "1 session"),
    "store.sessions_many": ("{n} sessioner", "{n} sessions"),
    "store.revisions_one": ("1 planrevision", "1 plan revision"),
    "store.revisions_many": ("{n} planrevisioner", "{n} plan revisions"),
    "store.documents_one": ("1 dokument", "1 document"),
    "store.documents_many": ("{n} dokumenter", "{n} documents"),
    "store.copy_summary": ("{sessions}: {copied} kopieret, {present} fandtes allerede, "
                           "{failed} fejlede",
                           "{sessions}: {copied} copied, {present} already there, "
                           "{failed} failed"),
    "store.copy_not_all": ("ikke alle sessioner blev kopieret og kontrolleret: {sessions} "
                           "fejlede (se FEJL ovenfor); den lokale fil er ikke ændret: slet "
                           "den ikke",
                           "not every session was copied and checked: {sessions} failed "
                           "(see FAILED above); the local file was left as it was: do not "
                           "delete it"),
    "store.copy_left_as_it_was": ("Den lokale fil {path} er ikke ændret. Når du har set, at "
                                  "sessionerne er på serveren, kan du slette dem fra filen "
                                  "med 'sdm sessions delete' eller fjerne filen.",
                                  "The local file {path} was left as it was. Once you have "
                                  "seen that the sessions are on the server, you can delete "
                                  "them from it with 'sdm sessions delete', or remove the "
                                  "file."),
    # sdm store migrate / check (issue 19, item 6)
    "store.migrated": ("sessionslageret ({where}) er opdateret fra skemaversion {before} til "
                       "{after}",
                       "the session store ({where}) was brought from schema version {before} "
                       "to {after}"),
    "store.up_to_date": ("sessionslageret ({where}) har allerede den nyeste skemaversion "
                         "({after})",
                         "the session store ({where}) has the newest schema version already "
                         "({after})"),
    "store.newer": ("sessionslageret ({where}) er skrevet af en nyere version af sdm-assistant; "
                    "intet blev ændret",
                    "the session store ({where}) was written by a newer version of "
                    "sdm-assistant; nothing was changed"),
    "store.check_ok": ("i orden", "ok"),
    "store.check_bad": ("FEJL", "FAILED"),
    "store.check.schema": ("skemaversion", "schema version"),
    "store.check.integrity": ("filens integritet", "the file's integrity"),
    "store.check.operator": ("kontrolleret af lagerets driftsansvarlige",
                             "checked by the store's operator"),
    "store.check.row_level_security": ("adgang pr. enhed (row-level security)",
                                       "access by unit (row-level security)"),
    "store.check.append_only": ("kun tilføjelse (intet ændres eller slettes)",
                                "append-only (nothing changed or deleted)"),
    "store.check.grants": ("rollernes rettigheder og adgangsloggen",
                           "the roles' rights and the access log"),
    "store.check.events_numbered": ("hændelser nummereret 1..n", "events numbered 1..n"),
    "store.check.events_readable": ("hændelser kan læses", "events readable"),
    "store.check.file_private": ("filen kan kun læses af dig", "the file readable by you only"),
    "store.check_summary_ok": ("alt i orden ({n} kontroller)", "all in order ({n} checks)"),
    "store.check_summary_bad": ("{bad} af {n} kontroller fejlede",
                                "{bad} of {n} checks failed"),
    # sdm audit (issue 19, item 3)
    "audit.header": ("tidspunkt (UTC)      rolle            handling  session",
                     "time (UTC)           role             action    session"),
    "audit.none": ("adgangsloggen har ingen rækker for det valgte",
                   "the access log has no rows for what was chosen"),
    "audit.action.open": ("åbnede", "opened"),
    "audit.action.show": ("viste", "showed"),
    "audit.action.export": ("eksporterede", "exported"),
    "audit.action.read": ("læste", "read"),
    "audit.action.copy": ("kopierede", "copied"),
    "audit.action.check": ("kontrollerede", "checked"),
    "audit.action.delete": ("slettede", "deleted"),
    "audit.action.purge": ("ryddede op", "purged"),
}

#: The messages the store, the session service, file writing and plan choice raise, as they
#: raise them (English, the second of each pair: matched, never changed) and in Danish.
#: `{name}`s are values (a path, an id, a number) or, when named in `_NESTED`, words of their
#: own, looked up in `RAISED_PARTS`.
RAISED: dict[str, tuple[str, str]] = {
    # sessions and their ids
    "not_found": ("der er ingen session med id {id} i lageret",
                  "no session with id {id} in the store"),
    "in_use": ("session {session} er i brug af {who}", "session {session} is in use by {who}"),
    "ambiguous_id": ("sessions-id'et {prefix} er tvetydigt: {shown}",
                     "session id prefix {prefix} is ambiguous: {shown}"),
    "id_too_short": ("sessions-id'et {prefix} er for kort: giv hele id'et eller mindst de "
                     "første {n} tegn (se 'sdm sessions list')",
                     "session id {prefix} is too short: give the whole id or at least its "
                     "first {n} characters (see 'sdm sessions list')"),
    "bad_session_id": ("et sessions-id er 32 tegn: cifre og små bogstaver fra a til f",
                       "a session id is 32 lower-case hexadecimal characters"),
    "timestamps": ("tidspunkter skal have en tidszone", "timestamps must be timezone-aware"),
    "label_needed": ("en session skal have et navn (et pseudonym eller initialer)",
                     "a session needs a label (a pseudonym or initials)"),
    "label_too_long": ("en sessions navn kan højst have {n} tegn",
                       "a session label can be at most {n} characters"),
    "unknown_role": ("ukendt rolle; rollerne er: {roles}", "unknown role; known roles: {roles}"),
    "unknown_status": ("ukendt status; kendte: {known}", "unknown status; known: {known}"),
    "unknown_revision_kind": ("ukendt slags revision; kendte: {known}",
                              "unknown revision kind; known: {known}"),
    "responsible_too_long": ("den ansvarlige kan højst fylde {n} tegn",
                             "'responsible' can be at most {n} characters"),
    "due_not_a_date": ("datoen for næste revision skal være en dato uden klokkeslæt",
                       "next_revision_due is a date, not a date and time"),
    "lock_not_held": ("låsen, der blev givet, er ikke en låst lås på denne session",
                      "the lock passed is not a held lock on this session"),
    "older_than_days": ("antallet af dage skal være 0 eller flere",
                        "older_than_days must be 0 or more"),
    "event_unreadable": ("hændelse {seq} i session {session} kan ikke læses: den er "
                         "beskadiget eller skrevet af en nyere version",
                         "event {seq} of session {session} cannot be read: it is damaged or "
                         "was written by a newer version"),
    "event_not_next": ("hændelse {seq} i session {session} er ikke den næste, eller der er "
                       "allerede gemt noget andet under det nummer; intet blev gemt",
                       "event {seq} of session {session} is not the next one, or is stored "
                       "already with other content; nothing was saved"),
    # a store on a PostgreSQL server (assistant/pgstore/)
    "pg_not_installed": ("PostgreSQL-understøttelsen er ikke installeret: pip install "
                         "'sdm-assistant[postgres]'",
                         "PostgreSQL support is not installed: pip install "
                         "'sdm-assistant[postgres]'"),
    "pg_password_refused": ("en adgangskode tages ikke imod på kommandolinjen eller i "
                            "SDM_STORE: læg den i libpq's adgangskodefil (~/.pgpass) eller en "
                            "servicefil (service=NAVN), eller brug et klientcertifikat",
                            "a password is not accepted on the command line or in SDM_STORE: "
                            "put it in libpq's password file (~/.pgpass) or a service file "
                            "(service=NAME), or use a client certificate"),
    "pg_remote_refused": ("sessionslageret på {host} afvises: en server på en anden maskine "
                          "bruges kun med sslmode=verify-full (krypteret, og dens certifikat "
                          "tjekket)",
                          "the session store on {host} is refused: a server on another machine "
                          "is only used with sslmode=verify-full (encrypted, and its certificate "
                          "checked)"),
    "pg_unreachable": ("sessionslageret ({where}) kan ikke nås: {why}",
                       "the session store ({where}) cannot be reached: {why}"),
    "pg_schema": ("sessionslagerets skema kunne ikke opdateres ({name})",
                  "the session store's schema could not be brought up to date ({name})"),
    "no_access_log": ("sessionslageret {path} fører ingen adgangslog: en lagerfil er én "
                      "persons egen; en afdelingsservers lager fører en",
                      "the session store {path} keeps no access log: a store file is one "
                      "person's own; a department server's store keeps one"),
    "pg_password_required": ("sessionslageret ({where}) beder om en adgangskode: gem den i "
                             "libpq's adgangskodefil (~/.pgpass) eller en servicefil, eller "
                             "skriv den, når du bliver spurgt (i en terminal)",
                             "the session store ({where}) asks for a password: keep it in "
                             "libpq's password file (~/.pgpass) or a service file, or type it "
                             "when asked (in a terminal)"),
    # what `sdm store check` found (assistant/store/check.py, assistant/pgstore/check.py)
    "check_version": ("version {v}, dette programs {m}", "version {v}, this program's {m}"),
    "check_integrity_ok": ("PRAGMA integrity_check: i orden", "PRAGMA integrity_check: ok"),
    "check_read_only": ("kun til læsning: {reason}", "read-only: {reason}"),
    "check_gaps": ("{n} session(er) med huller: {ids}", "{n} session(s) with gaps: {ids}"),
    "check_numbered": ("hver sessions hændelser er 1..n", "every session's events are 1..n"),
    "check_locked": ("lageret er låst: dets adgangsudtryk skal bruges",
                     "the store is locked: its passphrase is needed"),
    "check_unreadable": ("{n} af {m} session(er) kan ikke læses: {ids}",
                         "{n} of {m} session(s) cannot be read: {ids}"),
    "check_read": ("{n} session(er) læst", "{n} session(s) read"),
    "check_missing": ("mangler: {names}", "missing: {names}"),
    "check_file_triggers": ("hændelser, planrevisioner og gemte guider",
                            "events, plan revisions and kept guides"),
    "check_mode": ("{name}: rettigheder {mode}", "{name}: mode {mode}"),
    "check_owner": ("tabellernes ejer: alle enheder ses", "the tables' owner: every unit is seen"),
    "check_not_owner": ("ikke tabellernes ejer: kun denne rolles enheder ses; kør som lagerets "
                        "driftsansvarlige",
                        "not the tables' owner: only this role's units are seen; run as the "
                        "operator"),
    "check_rls_on": ("slået til for {n} tabeller, {m} politikker",
                     "on for {n} tables, {m} policies"),
    "check_disabled": ("mangler eller er slået fra: {names}", "missing or disabled: {names}"),
    "check_triggers": ("{n} triggere på plads", "{n} triggers in place"),
    "check_log_append_only": ("adgangsloggen kan kun tilføjes til af programmets roller",
                              "the access log is append-only for the app's roles"),
    "pg_version_unread": ("sessionslagerets skemaversion kunne ikke læses ({name})",
                          "the session store's schema version could not be read ({name})"),
    "pg_migrate_needed": ("sessionslagerets skema er i version {n}, og dette program kræver "
                          "version {m}; denne rolle må ikke ændre det (det kræver tabellernes "
                          "ejer, som må oprette roller): lagerets driftsansvarlige kører "
                          "'sdm store migrate'",
                          "the session store's schema is at version {n} and this program "
                          "needs version {m}; this role may not change it (that takes the "
                          "tables' owner, allowed to create roles): the store's operator runs "
                          "'sdm store migrate'"),
    "pg_read_refused": ("sessionslageret ({where}) kunne ikke læses: serveren afviste det "
                        "({name})",
                        "the session store ({where}) could not be read: the server refused it "
                        "({name})"),
    "pg_not_allowed": ("kunne ikke gemme: serveren tillader det ikke: {why} ({name}); intet "
                       "af denne ændring blev gemt",
                       "could not save: the server does not allow it: {why} ({name}); nothing "
                       "of this change was saved"),
    "pg_taken_meanwhile": ("kunne ikke gemme: forbindelsen til serveren blev afbrudt, og "
                           "session {session} blev imens åbnet af en anden; intet mere gemmes "
                           "her",
                           "could not save: the connection to the server was lost, and session "
                           "{session} was opened by someone else meanwhile; nothing more is "
                           "saved here"),
    "pg_unusable": ("sessionslageret ({where}) kan ikke bruges: {name}",
                    "the session store ({where}) cannot be used: {name}"),
    "pg_audit_refused": ("adgangsloggen i sessionslageret ({where}) læses kun af den "
                         "dataansvarliges medarbejdere: en rolle i sdm_auditor, eller lagerets "
                         "driftsansvarlige",
                         "the access log of the session store ({where}) is read by the data "
                         "controller's staff only: a role in sdm_auditor, or the store's "
                         "operator"),
    "pg_read_failed": ("sessionslageret ({where}) kunne ikke læses: forbindelsen svigtede "
                       "({name})",
                       "the session store ({where}) could not be read: the connection failed "
                       "({name})"),
    "pg_lock_no_answer": ("session {session} kan ikke låses til skrivning: serveren svarede "
                          "ikke ({name})",
                          "session {session} cannot be locked for writing: the server did not "
                          "answer ({name})"),
    "pg_newer": ("Sessionslageret ({where}) er skrevet af en nyere version af sdm-assistant. "
                 "Det er åbnet kun til læsning: sessioner kan læses, men intet nyt kan gemmes.",
                 "The session store ({where}) was written by a newer version of "
                 "sdm-assistant. It has been opened read-only: sessions can be read, but "
                 "nothing new can be saved."),
    # locks
    "lock_not_created": ("session {session} kan ikke låses til skrivning: dens låsefil {path} "
                         "kan ikke oprettes ({why})",
                         "session {session} cannot be locked for writing: its lock file "
                         "{path} cannot be created ({why})"),
    "lock_not_regular": ("låsefilen {path} er ikke en almindelig fil; fjern den (sdm-assistant "
                         "opretter den selv)",
                         "the lock file {path} is not a regular file; remove it "
                         "(sdm-assistant creates it itself)"),
    # symbolic links where health data is kept (`paths.SymlinkRefused`)
    "link.data_folder": ("datamappen {path} er et symbolsk link, og sdm-assistant følger ikke "
                         "links dér, hvor helbredsdata gemmes; {advice}",
                         "the data folder {path} is a symbolic link, and sdm-assistant does "
                         "not follow links where it keeps health data; {advice}"),
    "link.store": ("sessionslageret {path} er et symbolsk link, og sdm-assistant følger ikke "
                   "links dér, hvor helbredsdata gemmes; {advice}",
                   "the session store {path} is a symbolic link, and sdm-assistant does not "
                   "follow links where it keeps health data; {advice}"),
    "link.file": ("filen {path} er et symbolsk link, og sdm-assistant følger ikke links dér, "
                  "hvor helbredsdata gemmes; {advice}",
                  "the file {path} is a symbolic link, and sdm-assistant does not follow links "
                  "where it keeps health data; {advice}"),
    "link.lock_folder": ("låsemappen {path} er et symbolsk link, og sdm-assistant følger ikke "
                         "links dér, hvor helbredsdata gemmes; {advice}",
                         "the lock folder {path} is a symbolic link, and sdm-assistant does "
                         "not follow links where it keeps health data; {advice}"),
    "link.folder": ("mappen {path} er et symbolsk link, og sdm-assistant følger ikke links "
                    "dér, hvor helbredsdata gemmes; {advice}",
                    "the folder {path} is a symbolic link, and sdm-assistant does not follow "
                    "links where it keeps health data; {advice}"),
    # opening the store
    "store_locked_at": ("sessionslageret {path} er låst af et andet program",
                        "the session store {path} is locked by another program"),
    "store_locked": ("sessionslageret er låst af et andet program",
                     "the session store is locked by another program"),
    "store_stayed_locked": ("sessionslageret var låst af et andet program i {n} sekunder; "
                            "intet blev gemt",
                            "the session store stayed locked by another program for {n} "
                            "seconds; nothing was saved"),
    "store_folder_not_created": ("mappen til sessionslageret kan ikke oprettes: {why}",
                                 "the folder of the session store cannot be created: {why}"),
    "store_is_folder": ("{path} er en mappe, ikke et sessionslager",
                        "{path} is a folder, not a session store"),
    "store_is_link": ("sessionslageret {path} er et symbolsk link; peg --store på den "
                      "rigtige fil i stedet",
                      "the session store {path} is a symbolic link; point --store at the real "
                      "file instead"),
    "store_not_created": ("sessionslageret {path} kan ikke oprettes: {why}",
                          "the session store {path} cannot be created: {why}"),
    "mark_unreadable": ("tællefilen {path} (hvor mange ændringer der er gemt) kan ikke læses: "
                        "{why}",
                        "the commit mark {path} cannot be read: {why}"),
    "store_kept_changing": ("sessionslageret {path} blev ved med at ændre sig, mens det blev "
                            "læst (et andet program skriver i det); prøv igen",
                            "the session store {path} kept changing while it was read "
                            "(another program is writing to it); try again"),
    "store_too_large": ("sessionslageret {path} er større, end sdm-assistant kan tjekke "
                        "(1 GiB); intet blev ændret",
                        "the session store {path} is larger than sdm-assistant can check "
                        "(1 GiB); nothing was changed"),
    "store_unreadable": ("sessionslageret {path} kan ikke læses ({why})",
                         "the session store {path} cannot be read ({why})"),
    "store_read_failed": ("sessionslageret {path} kunne ikke læses ({name})",
                          "the session store {path} could not be read ({name})"),
    "store_read_only": ("sessionslageret {path} er kun åbnet til læsning, {why}, så intet blev "
                        "ændret",
                        "the session store {path} is open read-only {why}, so nothing was "
                        "changed"),
    "not_saved": ("kunne ikke gemme: {reason} ({name}); intet af denne ændring blev gemt, og "
                  "det, der var gemt før, er uændret",
                  "could not save: {reason} ({name}); nothing of this change was saved, and "
                  "what was saved before is intact"),
    # why a store is open read-only (`Store.damage`)
    "damaged": ("Sessionslageret {path} er beskadiget ({what}). Det er kun åbnet til læsning: "
                "intet i det bliver ændret, og det, der kan læses, vises. Gem en kopi af filen "
                "og af filerne ved siden af den, hvis navne ender på -wal og -shm, og spørg om "
                "hjælp, før du sletter noget.",
                "The session store {path} is damaged ({what}). It has been opened read-only: "
                "nothing in it will be changed, and what can be read is shown. Keep a copy of "
                "the file and the files next to it that end in -wal and -shm, and ask for help "
                "before deleting anything."),
    "damaged_later": ("Sessionslageret {path} er beskadiget (en læsning slog fejl: {what}). "
                      "Intet mere bliver gemt i det fra nu af. Gem en kopi af filen og af "
                      "filerne ved siden af den, hvis navne ender på -wal og -shm, og spørg om "
                      "hjælp, før du sletter noget.",
                      "The session store {path} is damaged (a read failed: {what}). Nothing "
                      "more will be saved to it from now on. Keep a copy of the file and the "
                      "files next to it that end in -wal and -shm, and ask for help before "
                      "deleting anything."),
    "changes_missing": ("Sessionslageret {path} er beskadiget: {changes} i det, fordi dets "
                        "log {wal} blev afkortet eller slettet. Det er kun åbnet til læsning: "
                        "intet i det bliver ændret, og det, der er tilbage, vises. Gem en kopi "
                        "af alle filer, hvis navn begynder med {name}, og spørg om hjælp, før "
                        "du sletter noget: de manglende svar kan være i en sikkerhedskopi af "
                        "loggen. For at gå videre med lageret, som det er, uden dem, så slet "
                        "{mark}; så åbner det normalt igen.",
                        "The session store {path} is damaged: {changes} missing from it, "
                        "because its write-ahead log {wal} was cut short or deleted. It has "
                        "been opened read-only: nothing in it will be changed, and what is "
                        "left is shown. Keep a copy of every file whose name begins with "
                        "{name}, and ask for help before deleting anything: the missing "
                        "answers may be in a backup of that log. To go on with the store as "
                        "it is, without them, delete {mark}; it then opens normally again."),
    "cannot_be_written": ("Sessionslageret {path} kan ikke skrives i ({why}). Det er kun "
                          "åbnet til læsning: sessionerne kan læses, men intet nyt kan gemmes.",
                          "The session store {path} cannot be written ({why}). It has been "
                          "opened read-only: sessions can be read, but nothing new can be "
                          "saved."),
    "folder_not_writable": ("Der kan ikke skrives i mappen {folder}, så sessionslageret {path} "
                            "er kun åbnet til læsning: sessionerne kan læses, men intet nyt kan "
                            "gemmes. For at gemme skal du give dig selv lov til at skrive i "
                            "mappen, eller kopiere lageret til en mappe, du kan skrive i, og "
                            "pege --store på kopien.",
                            "The folder {folder} cannot be written, so the session store "
                            "{path} has been opened read-only: sessions can be read, but "
                            "nothing new can be saved. To save, make the folder writable for "
                            "you, or copy the store to a folder you can write and point "
                            "--store at the copy."),
    "newer_version": ("Sessionslageret {path} er skrevet af en nyere version af sdm-assistant "
                      "(skema {version}, denne version kender {known}). Det er kun åbnet til "
                      "læsning.",
                      "The session store {path} was written by a newer version of "
                      "sdm-assistant (schema {version}, this version knows {known}). It has "
                      "been opened read-only."),
    # encryption
    "not_encrypted_no_passphrase": ("sessionslageret {path} er ikke krypteret, så det har intet "
                                    "adgangsudtryk; intet blev åbnet",
                                    "the session store {path} is not encrypted, so it has no "
                                    "passphrase; nothing was opened"),
    "passphrase_needed_to_open": ("sessionslageret {path} er krypteret: dets adgangsudtryk "
                                  "skal bruges for at åbne det",
                                  "the session store {path} is encrypted: its passphrase is "
                                  "needed to open it"),
    "passphrase_in_terminal": ("sessionslageret er krypteret: kør kommandoen i en terminal "
                               "for at skrive dets adgangsudtryk",
                               "the session store is encrypted: run this command in a "
                               "terminal to type its passphrase"),
    "read_only_no_encryption": ("sessionslageret {path} er kun åbnet til læsning, så "
                                "kryptering kan ikke slås til",
                                "the session store {path} is open read-only, so encryption "
                                "cannot be switched on"),
    "encrypted_just_now": ("sessionslageret {path} blev krypteret af et andet program lige "
                           "nu; åbn det med dets adgangsudtryk",
                           "the session store {path} was encrypted by another program just "
                           "now; open it with its passphrase"),
    "holds_unencrypted": ("sessionslageret {path} har allerede {n} ukrypterede sessioner. "
                          "Kryptering kan kun slås til for et nyt lager: vælg en anden fil med "
                          "--store, eller slet de sessioner først ('sdm sessions delete').",
                          "the session store {path} already holds {n} unencrypted sessions. "
                          "Encryption can only be switched on for a new store: choose another "
                          "file with --store, or delete those sessions first ('sdm sessions "
                          "delete')."),
    "key_record_damaged": ("nøgleposten i sessionslageret {path} er beskadiget; intet blev "
                           "ændret",
                           "the key record of the session store {path} is damaged; nothing "
                           "was changed"),
    "unknown_encryption_unchanged": ("sessionslageret {path} er krypteret på en måde, denne "
                                     "version af sdm-assistant ikke kender; intet blev ændret",
                                     "the session store {path} is encrypted in a way this "
                                     "version of sdm-assistant does not know; nothing was "
                                     "changed"),
    "unknown_encryption": ("sessionslageret {path} er krypteret på en måde, denne version af "
                           "sdm-assistant ikke kender",
                           "the session store {path} is encrypted in a way this version of "
                           "sdm-assistant does not know"),
    "key_record_missing": ("sessionslageret {path} har krypterede sessioner, men dets nøglepost "
                           "mangler; intet blev ændret",
                           "the session store {path} holds encrypted sessions but its key "
                           "record is missing; nothing was changed"),
    "not_encrypted": ("sessionslageret {path} er ikke krypteret",
                      "the session store {path} is not encrypted"),
    "wrong_passphrase": ("adgangsudtrykket åbner ikke sessionslageret {path}",
                         "the passphrase does not open the session store {path}"),
    "locked_needs_passphrase": ("sessionslageret {path} er låst: dets adgangsudtryk skal bruges",
                                "the session store {path} is locked: its passphrase is needed"),
    "encrypted_elsewhere": ("sessionslageret {path} blev krypteret af et andet program; åbn det "
                            "igen med dets adgangsudtryk",
                            "the session store {path} was encrypted by another program; open "
                            "it again with its passphrase"),
    "encrypted_already": ("sessionslageret {path} er allerede krypteret; åbn det med dets "
                          "adgangsudtryk",
                          "the session store {path} is encrypted already; open it with its "
                          "passphrase"),
    "passphrase_too_short": ("et adgangsudtryk skal have mindst {n} tegn",
                             "a passphrase needs at least {n} characters"),
    "passphrase_not_utf8": ("det skrevne adgangsudtryk er ikke UTF-8-tekst: sæt terminalen til "
                            "UTF-8 (f.eks. LANG=da_DK.UTF-8)",
                            "the passphrase typed is not UTF-8 text: set the terminal to UTF-8 "
                            "(e.g. LANG=da_DK.UTF-8)"),
    "sealed_no_key": ("{what} er krypteret, men sessionslageret har ingen nøgle",
                      "{what} is encrypted, but the session store has no key"),
    "sealed_missing": ("{what} er ikke krypteret i et krypteret sessionslager: det er ændret "
                       "uden for sdm-assistant",
                       "{what} is not encrypted in an encrypted session store: it was changed "
                       "outside sdm-assistant"),
    "sealed_broken": ("{what} kan ikke dekrypteres: det er ændret eller beskadiget, efter det "
                      "blev gemt",
                      "{what} cannot be decrypted: it was changed or damaged after it was "
                      "saved"),
    # the session service
    "guide_gone": ("guiden {guide} er ikke længere i biblioteket",
                   "the guide {guide} is no longer in the library"),
    "no_preparation_guide": ("guiden {guide} nævner ingen forberedelsesguide",
                             "the guide {guide} names no preparation guide"),
    "not_this_preparation": ("sessionen er ikke en forberedelse ({guide}) til dette møde",
                             "the session is not a preparation ({guide}) for this meeting"),
    "screen_locked": ("skærmen er låst: intet bliver gemt, før den er låst op",
                      "the screen is locked: nothing is recorded until it is unlocked"),
    # plan choice
    "fills_no_plan": ("guiden {guide} udfylder ingen plan", "the guide {guide} fills no plan"),
    "does_not_fill": ("guiden {guide} udfylder ikke planen {plan} (den udfylder: {fills})",
                      "the guide {guide} does not fill the plan {plan} (it fills: {fills})"),
    "template_missing": ("planskabelonen {plan} er ikke i biblioteket",
                         "the plan template {plan} is not in the library"),
    # files not written (`export.files.WriteRefused`)
    "file_no_folder": ("{path}: mappen {folder} findes ikke",
                       "{path}: the folder {folder} does not exist"),
    "file_link": ("{path} er et symbolsk link: der skrives ikke gennem det; giv den rigtige "
                  "fils navn eller et nyt",
                  "{path} is a symbolic link: it is not written through; give the real file's "
                  "name, or a new one"),
    "file_folder": ("{path} er en mappe: giv et filnavn", "{path} is a folder: give a file name"),
    "file_not_regular": ("{path} er ikke en almindelig fil (en enhed, en FIFO eller en sokkel): "
                         "den blev ikke rørt; giv et filnavn",
                         "{path} is not a regular file (a device, FIFO or socket): it was left "
                         "untouched; give a file name"),
    "file_exists": ("{path} findes allerede; brug --force for at erstatte den",
                    "{path} exists; use --force to replace it"),
    "file_folder_not_writable": ("der kan ikke oprettes en fil i mappen {folder}: {why}",
                                 "cannot create a file in the folder {folder}: {why}"),
    "file_no_access": ("{path}: {why}", "{path}: {why}"),
    # copying a store file to a server (`pgstore.imports`, `service.copying`)
    "copy_conflict": ("session {session} findes allerede på serveren med andet indhold; intet "
                      "af den blev kopieret",
                      "session {session} is on the server already with other content; "
                      "nothing of it was copied"),
    "copy_conflict_hidden": ("session {session} findes allerede på serveren, i en enhed, du "
                             "ikke kan læse; intet af den blev kopieret",
                             "session {session} is on the server already, in a unit you "
                             "cannot read; nothing of it was copied"),
    "copy_counts_differ": ("session {session} læses tilbage fra serveren med {events} "
                           "hændelser, {revisions} revisioner og {documents} dokumenter, ikke "
                           "{had_events}, {had_revisions} og {had_documents}",
                           "session {session} reads back from the server with {events} "
                           "events, {revisions} revisions and {documents} documents, not "
                           "{had_events}, {had_revisions} and {had_documents}"),
    "copy_digest_differs": ("session {session} læses tilbage fra serveren med et andet indhold "
                            "end originalen (dens kontrolsum er en anden)",
                            "session {session} reads back from the server with other content "
                            "than the original (its digest differs)"),
    "copy_target_not_server": ("lageret, der skal kopieres til, er ikke en PostgreSQL-server "
                               "(postgresql://… eller service=NAVN)",
                               "the store to copy to is not a PostgreSQL server "
                               "(postgresql://… or service=NAME)"),
}

#: Parts of the messages above that are words of their own: reasons, who holds a lock, what
#: was damaged, and the system's reasons (`strerror`) a message quotes.
RAISED_PARTS: dict[str, tuple[str, str]] = {
    # a department server's refusals of a role (assistant/pgstore/schema.py, sdm_my_unit)
    "pg_no_unit": ("rollen {role} hører ikke til nogen enhed", "role {role} belongs to no unit"),
    "pg_units": ("rollen {role} hører til {n} enheder: vælg én (SDM_UNIT)",
                 "role {role} belongs to {n} units: choose one (SDM_UNIT)"),
    "pg_not_member": ("rollen {role} hører ikke til enheden {unit}",
                      "role {role} is not a member of unit {unit}"),
    # who holds a session's lock (`LockHolder.describe`)
    "another_process": ("et andet program", "another process"),
    "process": ("proces {pid}", "process {pid}"),
    "on_since": ("{who} på {host} siden {started}", "{who} on {host} since {started}"),
    "on": ("{who} på {host}", "{who} on {host}"),
    "since": ("{who} siden {started}", "{who} since {started}"),
    "more_ids": ("{ids} og {n} flere", "{ids} and {n} more"),
    # what cannot be created or read
    "folder_not_writable": ("der kan ikke skrives i mappen {folder}",
                            "the folder {folder} cannot be written"),
    "wal_link": ("det eller dets -wal-fil er et symbolsk link",
                 "it or its -wal file is a symbolic link"),
    "file_read_only": ("{name} er skrivebeskyttet", "{name} is read-only"),
    # why a store is open read-only
    "because_damaged": ("fordi det er beskadiget", "because it is damaged"),
    "because_missing": ("fordi gemte ændringer mangler i det",
                        "because saved changes are missing from it"),
    "because_not_writable": ("fordi der ikke kan skrives i det", "because it cannot be written"),
    "because_newer": ("fordi det er skrevet af en nyere version af sdm-assistant",
                      "because it was written by a newer version of sdm-assistant"),
    "one_change_missing": ("1 gemt ændring mangler", "1 saved change is"),
    "changes_missing": ("{n} gemte ændringer mangler", "{n} saved changes are"),
    # what is damaged
    "not_a_database": ("det er ikke en database, der kan læses: {name}",
                       "it is not a readable database: {name}"),
    "integrity": ("tjekket af databasen slog fejl", "the integrity check failed"),
    "wal_damaged": ("dets log er beskadiget, så nye svar kan mangle i det, der vises",
                    "its write-ahead log is damaged, so recent answers may be missing from "
                    "what is shown"),
    "record_unreadable": ("en post kan ikke læses: {what}", "a record cannot be read: {what}"),
    "event_unreadable": ("hændelse {seq} i session {session} kan ikke læses",
                         "event {seq} of session {session} cannot be read"),
    "not_utf8": ("tekst, der ikke er UTF-8", "text that is not UTF-8"),
    "label_of": ("navnet på session {session}", "the label of session {session}"),
    "event_of": ("hændelse {seq} i session {session}", "event {seq} of session {session}"),
    "draft_of": ("planudkastet i revision {n} af session {session}",
                 "the plan draft of revision {n} of session {session}"),
    "responsible_of": ("den ansvarlige i revision {n} af session {session}",
                       "'responsible' of revision {n} of session {session}"),
    # why a write failed
    "disk_full": ("disken er fuld", "the disk is full"),
    "disk_error": ("disken meldte en fejl", "the disk reported an error"),
    "file_not_writable": ("der kan ikke skrives i filen", "the file cannot be written"),
    "file_damaged": ("filen er beskadiget", "the file is damaged"),
    "rules": ("dataene passede ikke til lagerets regler", "the data did not fit the store's rules"),
    "refused": ("databasen afviste det", "the database refused it"),
    "connection_failed": ("forbindelsen til serveren svigtede",
                          "the connection to the server failed"),
    "server_refused": ("serveren afviste det", "the server refused it"),
    # what to do about a symbolic link
    "advice_store": ("peg --store på den rigtige fil i stedet",
                     "point --store at the real file instead"),
    "advice_link": ("erstat linket med den fil, det peger på, eller fjern linket",
                    "replace the link with the file it points to, or remove the link"),
    "advice_lock_folder": ("fjern linket; sdm-assistant opretter selv mappen",
                           "remove the link; sdm-assistant creates the folder itself"),
    "advice_folder": ("læg den rigtige mappe dér i stedet for linket",
                      "put the real folder there instead of the link"),
    # the system's reasons (`OSError.strerror`)
    "EACCES": ("adgang nægtet", "Permission denied"),
    "EPERM": ("handlingen er ikke tilladt", "Operation not permitted"),
    "ENOENT": ("filen eller mappen findes ikke", "No such file or directory"),
    "ENOSPC": ("der er ikke mere plads på disken", "No space left on device"),
    "EDQUOT": ("diskkvoten er brugt op", "Disk quota exceeded"),
    "EROFS": ("filsystemet er skrivebeskyttet", "Read-only file system"),
    "EISDIR": ("det er en mappe", "Is a directory"),
    "ENOTDIR": ("det er ikke en mappe", "Not a directory"),
    "EEXIST": ("filen findes allerede", "File exists"),
    "ELOOP": ("for mange symbolske links i træk", "Too many levels of symbolic links"),
    "EIO": ("ind- eller uddatafejl", "Input/output error"),
    "ENAMETOOLONG": ("filnavnet er for langt", "File name too long"),
    "EPIPE": ("røret er lukket", "Broken pipe"),
    "EBUSY": ("enheden eller ressourcen er optaget", "Device or resource busy"),
}

#: The values that are words of their own, looked up in `RAISED_PARTS` in turn.
_NESTED = frozenset({"who", "why", "what", "reason", "advice", "changes", "shown"})
_FIELD = re.compile(r"\{(\w+)\}")


def translate(message: str, lang: str) -> str:
    """`message`, raised in English by a layer below the faces, in `lang`: as it is for "en"
    (and for a message `RAISED` does not know), else in Danish."""
    if lang == "en":
        return message
    return _translated(message, _compiled("raised")) or message


def _translated(message: str, table: tuple[tuple[re.Pattern[str], str], ...]) -> str | None:
    for pattern, danish in table:
        found = pattern.fullmatch(message)
        if found is not None:
            values = {name: (_translated(value, _compiled("parts")) or value)
                      if name in _NESTED else value
                      for name, value in found.groupdict().items()}
            return danish.format(**values)
    return None


@cache
def _compiled(which: str) -> tuple[tuple[re.Pattern[str], str], ...]:
    """`RAISED` ("raised") or `RAISED_PARTS` ("parts"): each English template as a pattern
    (its `{name}`s as groups) with its Danish; the most specific (the most fixed text) first,
    so that a general one never hides it."""
    def pattern(english: str) -> re.Pattern[str]:
        pieces = _FIELD.split(english)  # text, name, text, name, ..., text
        regex = "".join(re.escape(piece) if i % 2 == 0 else f"(?P<{piece}>.*?)"
                        for i, piece in enumerate(pieces))
        return re.compile(regex, re.DOTALL)

    def fixed(english: str) -> int:
        return len(_FIELD.sub("", english))

    pairs = (RAISED if which == "raised" else RAISED_PARTS).values()
    ordered = sorted(pairs, key=lambda pair: -fixed(pair[1]))
    return tuple((pattern(english), danish) for danish, english in ordered)


# The messages of the layers below, under their own keys (`cli.raised.*`, `cli.raised_part.*`)
# so that the catalogue's completeness and language checks see them too.
CLI.update({f"raised.{key}": pair for key, pair in RAISED.items()})
CLI.update({f"raised_part.{key}": pair for key, pair in RAISED_PARTS.items()})
