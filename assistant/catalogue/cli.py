"""The command line's own words (Danish, English): its error and status messages.

Each is a `str.format` template; `cli.common.say` fills it in the CLI's language (`--lang`,
else the locale). Messages that come from the store or the guides' checks bring their own.
"""

from __future__ import annotations

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
    "required": ("disse argumenter mangler: {names}",
                 "the following arguments are required: {names}"),
    "unrecognized": ("ukendte argumenter: {names}", "unrecognized arguments: {names}"),
    "invalid_choice": ("argument {name}: ugyldigt valg: {value} (vælg mellem {choices})",
                       "argument {name}: invalid choice: {value} (choose from {choices})"),
    "expected_one": ("argument {name}: kræver én værdi", "argument {name}: expected one argument"),
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
    "not_preparation": ("sessionen er ikke en forberedelse (en mødeguide med "
                        "meeting_type: preparation)",
                        "the session is not a preparation session (a meeting guide with "
                        "meeting_type: preparation)"),
    "roles_are": ("rollerne er: {roles}", "roles are: {roles}"),
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
}
