"""Danish for the command line's help texts (`sdm --help`, `sdm COMMAND --help`).

Keyed by the English text as written in the parser (gettext style): `cli.common.translate_help`
swaps each one when the messages are Danish. A test checks that every help text has an entry.
"""

from __future__ import annotations

HELP_DA: dict[str, str] = {
    ("Bring the session store's schema to the version this program knows, in one transaction "
     "(every version in assistant/store/migrations.py, for both backends). On a department "
     "server the tables' owner runs it: the app's roles may not change the schema. Running it "
     "again changes nothing."):
        ("Opdatér sessionslagerets skema til den version, dette program kender, i én transaktion "
         "(alle versioner i assistant/store/migrations.py, for både lagerfiler og "
         "afdelingsservere). På en afdelingsserver kører tabellernes ejer den: programmets "
         "roller må ikke ændre skemaet. At køre den igen ændrer intet."),
    ("Copy every session of the store file (--store, default: your own) to the department's "
     "PostgreSQL store, with its events, plan revisions and kept guides, then read each back "
     "from the server and check it. The file is only read, never changed or deleted; copying "
     "again is safe."):
        ("Kopiér hver session i lagerfilen (--store, standard: din egen) til afdelingens "
         "PostgreSQL-lager med dens hændelser, planrevisioner og gemte guider, og læs derefter "
         "hver enkelt tilbage fra serveren, og kontrollér den. Filen bliver kun læst, aldrig "
         "ændret eller slettet; det er sikkert at kopiere igen."),
    "Each approval and each export of a plan is kept as a revision. Without options: list them.":
        ("Hver godkendelse og hver eksport af en plan gemmes som en revision. Uden tilvalg: vis "
         "en liste over dem."),
    ("Every event stored for the session, in order, with its number, time and who spoke; then "
     "the answers as they stand. Events that were undone or no longer fit the guide are marked "
     "as not counting."):
        ("Alle hændelser, der er gemt for sessionen, i rækkefølge med nummer, tidspunkt og hvem "
         "der talte; derefter svarene, som de står nu. Hændelser, der er fortrudt eller ikke "
         "længere passer til guiden, er markeret med, at de ikke tæller."),
    ("List the access log of the department server's session store: when, which database role, "
     "from which program, which session and what was done (opened, showed, exported, read, "
     "copied, checked, deleted, purged). Readable by the operator and roles in sdm_auditor only."):
        ("Vis adgangsloggen for afdelingsserverens sessionslager: hvornår, hvilken "
         "databaserolle, fra hvilket program, hvilken session og hvad der blev gjort (åbnede, "
         "viste, eksporterede, læste, kopierede, kontrollerede, slettede, ryddede op). Kan kun "
         "læses af lagerets driftsansvarlige og af roller i sdm_auditor."),
    ("Look the whole session store over: its schema version; every session's events numbered "
     "1..n and readable; the append-only rules; for a file, that only you can read it; for a "
     "department server, row-level security by unit, the roles' rights, and an access log the "
     "app's roles can only add to (run it as the server's operator). Exit code 1 when anything "
     "fails."):
        ("Gennemgå hele sessionslageret: dets skemaversion; at hver sessions hændelser er "
         "nummereret 1..n og kan læses; reglerne om kun tilføjelse; for en fil, at kun du kan "
         "læse den; for en afdelingsserver adgang pr. enhed (row-level security), rollernes "
         "rettigheder og en adgangslog, som programmets roller kun kan tilføje til (kør den som "
         "serverens driftsansvarlige). Afslutningskode 1, når noget fejler."),
    ("Stored sessions and their plans. The store is the file given with --store, or "
     "sessions.sqlite3 in the user's data directory."):
        ("Gemte sessioner og deres planer. Lageret er filen angivet med --store, ellers "
         "sessions.sqlite3 i brugerens datamappe."),
    ("The session store as a whole. 'copy' copies the sessions of a store file to a department "
     "server and checks each one there; 'migrate' brings a store's schema up to date; 'check' "
     "looks the whole store over."):
        ("Sessionslageret som helhed. 'copy' kopierer sessionerne i en lagerfil til en "
         "afdelingsserver og kontrollerer hver enkelt dér; 'migrate' opdaterer et lagers skema; "
         "'check' gennemgår hele lageret."),
    ("Write 'Mine punkter til mødet' (my points for the meeting): the answers of a stored "
     "preparation session (a patient with a peer worker), as text or as one HTML page to print."):
        ("Skriv 'Mine punkter til mødet': svarene fra en gemt forberedelse (en patient sammen "
         "med en peer-medarbejder) som tekst eller som én HTML-side til udskrift."),
    ("Write the agenda of a meeting guide: who takes part, the sections with their questions and "
     "time boxes, and the total time; as text or as one HTML page to print."):
        ("Skriv dagsordenen for en mødeguide: hvem der deltager, afsnittene med deres spørgsmål "
         "og tidsrammer og den samlede tid; som tekst eller som én HTML-side til udskrift."),
    ("Write the plan draft of a stored session as text (for the health record), Markdown, HTML "
     "(to print), JSON, or FHIR R4 (a Bundle of the guide's Questionnaire and the session's "
     "QuestionnaireResponse). Text and HTML make one of two papers (--copy): the patient's copy "
     "(filled fields in the patient's words, no gaps, no risk scores) or the health-record copy "
     "(every required field, the gaps listed); Markdown makes the health-record copy."):
        ("Skriv planudkastet fra en gemt session som tekst (til journalen), Markdown, HTML (til "
         "udskrift), JSON eller FHIR R4 (et Bundle med guidens Questionnaire og sessionens "
         "QuestionnaireResponse). Tekst og HTML laver ét af to papirer (--copy): patientens kopi "
         "(udfyldte felter med patientens egne ord, ingen tomme felter, ingen risikoscorer) "
         "eller journalens kopi (alle påkrævede felter, de tomme opregnet); Markdown laver "
         "journalens kopi."),
    "a bundled guide's id, or a path to a guide file":
        "id'et på en indbygget guide eller en sti til en guidefil",
    ("a decision aid or meeting guide (the plan templates and guides beside it join the library, "
     "as with 'sdm validate FILE')"):
        ("en beslutningshjælper eller mødeguide (planskabeloner og guider ved siden af den "
         "kommer med i biblioteket, som med 'sdm validate FILE')"),
    ("a guide or plan template file that joins the library for this run (e.g. the aid's own "
     "plan); may be given more than once"):
        ("en guide- eller planskabelonfil, der kommer med i biblioteket i denne kørsel (f.eks. "
         "beslutningshjælperens egen plan); kan angives flere gange"),
    ("a library folder of guides and plan templates besides the bundled ones; may be given more "
     "than once (also: SDM_LIBRARY, a path list, and your own folder, which 'sdm list' names)"):
        ("en biblioteksmappe med guider og planskabeloner ud over de indbyggede; kan angives "
         "flere gange (også: SDM_LIBRARY, en liste af stier, og din egen mappe, som 'sdm list' "
         "nævner)"),
    "a meeting guide's id (see 'sdm list')": "id'et på en mødeguide (se 'sdm list')",
    "a session's plan revisions: list, show or compare":
        "en sessions planrevisioner: liste, visning eller sammenligning",
    "bring the store's schema up to date (on a server: run by its operator)":
        "opdatér lagerets skema (på en server: køres af dens driftsansvarlige)",
    ("calm mode: no animation, one question at a time; remembered (the command palette switches "
     "it off); only with the chat UI"):
        ("rolig visning: ingen animation, ét spørgsmål ad gangen; huskes (kommandopaletten slår "
         "den fra); kun med chat-brugerfladen"),
    "check decision aids against the IPDAS minimum standards":
        "tjek beslutningshjælpere mod IPDAS' minimumsstandarder",
    "check guide files: format and references": "tjek guidefiler: format og henvisninger",
    "check only the given paths, without the bundled library":
        "tjek kun de angivne stier, uden det indbyggede bibliotek",
    "compare revision N with revision M (default: the latest)":
        "sammenlign revision N med revision M (standard: den seneste)",
    ("copy only this session (the session's id, or its first 6 or more characters (see 'sdm "
     "sessions list')); may be given more than once"):
        ("kopiér kun denne session (sessionens id eller mindst dets første 6 tegn (se 'sdm "
         "sessions list')); kan angives flere gange"),
    "copy the sessions of a store file to a department server, and check them there":
        "kopiér sessionerne i en lagerfil til en afdelingsserver, og kontrollér dem dér",
    "delete a session and everything stored with it": "slet en session og alt, der er gemt med den",
    "delete every session not updated for DAYS days":
        "slet alle sessioner, der ikke er ændret i DAYS dage",
    "do not ask for confirmation": "spørg ikke om bekræftelse",
    "every stored event of a session, and its answers":
        "alle en sessions gemte hændelser og dens svar",
    "exit 1 on warnings too": "afslut med kode 1 også ved advarsler",
    "export a stored session's plan draft": "eksportér planudkastet fra en gemt session",
    ("file to write (default: ID.yaml); the schema its first line names, sdm-guide.schema.json, "
     "is written beside it if it is not there"):
        ("filen, der skal skrives (standard: ID.yaml); skemaet, som dens første linje nævner, "
         "sdm-guide.schema.json, skrives ved siden af den, hvis det ikke findes dér"),
    ("files or folders to check together with the bundled library (a file's guide siblings in "
     "its folder join it, unchecked)"):
        ("filer eller mapper, der skal tjekkes sammen med det indbyggede bibliotek (de andre "
         "guider i en fils mappe kommer med, uden at blive tjekket)"),
    "files or folders to lint (a file's guide siblings in its folder join it, unlinted)":
        ("filer eller mapper, der skal tjekkes (de andre guider i en fils mappe kommer med, uden "
         "at blive tjekket)"),
    "language (default: the language given to sdm)":
        "sprog (standard: det sprog, der er angivet for sdm)",
    "language of the export (default: the language given to sdm)":
        "eksportens sprog (standard: det sprog, der er angivet for sdm)",
    ("language of the user interface and the messages (default: da for the chat UI; the locale's "
     "for a command's messages)"):
        ("sproget i brugerfladen og meddelelserne (standard: da for chat-brugerfladen; systemets "
         "sprogindstilling (locale) for en kommandos meddelelser)"),
    "line width of the text format (default 72)": "linjebredde i tekstformatet (standard 72)",
    "list the guides and plan templates in the library":
        "vis guiderne og planskabelonerne i biblioteket",
    ("list the plan fields (template.field) of the bundled library and of these folders or files "
     "as the values allowed in 'fills', for an editor to offer"):
        ("vis planfelterne (template.field) i det indbyggede bibliotek og i disse mapper eller "
         "filer som de tilladte værdier i 'fills', så en editor kan foreslå dem"),
    "list, show, delete or purge stored sessions":
        "gemte sessioner: liste, visning, sletning og oprydning",
    "lock the screen after MINUTES without input (default: 5; 0: never)":
        "lås skærmen efter MINUTES minutter uden aktivitet (standard: 5; 0: aldrig)",
    "look the whole store over: schema, integrity, access rules, access log":
        "gennemgå hele lageret: skema, integritet, adgangsregler, adgangslog",
    "only list what would be deleted": "vis kun, hvad der ville blive slettet",
    "only sessions still in progress": "kun sessioner, der stadig er i gang",
    "only this session (its full id)": "kun denne session (hele dens id)",
    "only what this database role did": "kun det, denne databaserolle har gjort",
    "open a guide file in the chat UI and read it again each time it is saved; nothing is stored":
        ("åbn en guidefil i chat-brugerfladen, og læs den igen, hver gang den gemmes; intet "
         "gemmes i sessionslageret"),
    "print revision N as text": "skriv revision N ud som tekst",
    "print the JSON Schema of the guide format": "skriv guideformatets JSON Schema ud",
    "print the plan draft in this format instead": "skriv i stedet planudkastet ud i dette format",
    "replace FILE if it exists (a regular file only)":
        "erstat FILE, hvis den findes (kun en almindelig fil)",
    "replace the file if it exists": "erstat filen, hvis den findes",
    "run a guide from an answers file, without a terminal UI":
        "kør en guide fra en svarfil, uden terminalbrugerflade",
    ("sdm-assistant: fælles beslutningstagning i psykiatrien / shared decision making in "
     "psychiatry. Without a command, the chat UI starts."):
        ("sdm-assistant: fælles beslutningstagning i psykiatrien / shared decision making in "
         "psychiatry. Uden en kommando starter chat-brugerfladen."),
    "sessions, newest first, and plans due for revision":
        "sessioner, nyeste først, og planer, der skal revideres",
    "show program's version number and exit": "vis programmets versionsnummer og afslut",
    "show this help message and exit": "vis denne hjælp og afslut",
    ("start a new session store encrypted (asks for a new passphrase on the terminal); only with "
     "the chat UI"):
        ("opret et nyt, krypteret sessionslager (beder om et nyt adgangsudtryk i terminalen); "
         "kun med chat-brugerfladen"),
    "text (default) or json": "text (standard) eller json",
    "the access log of a department server: who read or deleted which session":
        "adgangsloggen på en afdelingsserver: hvem der læste eller slettede hvilken session",
    "the agenda of a network meeting": "dagsordenen for et netværksmøde",
    "the answers file (YAML)": "svarfilen (YAML)",
    "the department server: postgresql://… or service=NAME":
        "afdelingens server: postgresql://… eller service=NAVN",
    "the meeting's date: DD-MM-YYYY, DD.MM.YYYY or YYYY-MM-DD":
        "mødets dato: DD-MM-ÅÅÅÅ, DD.MM.ÅÅÅÅ eller ÅÅÅÅ-MM-DD",
    "the new guide's id, e.g. min-kriseplan": "den nye guides id, f.eks. min-kriseplan",
    "the patient's points from a preparation session, on one page":
        "patientens punkter fra en forberedelse, på én side",
    "the plan template (default: the guide's plan; any plan it fills)":
        "planskabelonen (standard: guidens egen plan; enhver plan, guiden udfylder, kan vælges)",
    ("the server: postgresql://… or service=NAME (no password in it: ~/.pgpass or a service file "
     "keeps that)"):
        ("serveren: postgresql://… eller service=NAVN (uden adgangskode: den ligger i ~/.pgpass "
         "eller en servicefil)"),
    "the session store as a whole: copy to a server, migrate, check":
        "sessionslageret som helhed: kopiér til en server, migrér, kontrollér",
    "the session store file": "sessionslagerets fil",
    ("the session store: a file (default: in the user's data directory; also SDM_STORE), or a "
     "department server (postgresql://… or service=NAME), for the chat and every command"):
        ("sessionslageret: en fil (standard: i brugerens datamappe; også SDM_STORE) eller en "
         "afdelingsserver (postgresql://… eller service=NAVN), for chatten og alle kommandoer"),
    "the session's id, or its first 6 or more characters (see 'sdm sessions list')":
        "sessionens id eller mindst dets første 6 tegn (se 'sdm sessions list')",
    "the store file to copy from (default: your own)":
        "lagerfilen, der kopieres fra (standard: din egen)",
    "the store: a file, or postgresql://… / service=NAME":
        "lageret: en fil eller postgresql://… / service=NAVN",
    ("who takes part, as roles (patient, relative, clinician, municipality, housing, gp, "
     "peer_worker, other); default: the guide's suggestions"):
        ("hvem der deltager, som roller (patient, relative, clinician, municipality, housing, "
         "gp, peer_worker, other); standard: guidens forslag"),
    ("whom the paper is for: patient (to take home) or record (the health record; md makes only "
     "this); default: html patient, text and md record"):
        ("hvem papiret er til: patient (til at tage med hjem) eller record (journalen; md laver "
         "kun denne); standard: patient for html, record for text og md"),
    "with --export: the plan to draft (default: the guide's own plan)":
        "med --export: planen, der skal laves udkast til (standard: guidens egen plan)",
    ("with --store: append to this stored session (its id, or its first 6 or more characters) "
     "instead of starting a new one"):
        ("med --store: føj til denne gemte session (dens id eller mindst dets første 6 tegn) i "
         "stedet for at starte en ny"),
    ("with --store: the new session's label, a pseudonym or initials (default: the answers "
     "file's name)"):
        ("med --store: den nye sessions navn, et pseudonym eller initialer (standard: svarfilens "
         "navn)"),
    ("wrap the text format's lines at N columns (default: not wrapped; the health record wraps "
     "them)"):
        ("bryd tekstformatets linjer efter N tegn (standard: ingen linjebrud; journalen bryder "
         "dem selv)"),
    "write a commented scaffold for a new guide": "skriv et kommenteret skelet til en ny guide",
    ("write the answers to this session store, printing one JSON line per stored event "
     "({\"seq\", \"step\", \"session\", \"type\"}) as soon as it is committed"):
        ("gem svarene i dette sessionslager, og skriv én JSON-linje ud pr. gemt hændelse "
         "({\"seq\", \"step\", \"session\", \"type\"}), så snart den er gemt"),
    "write to FILE, a new file with mode 0600, instead of stdout":
        "skriv til FILE, en ny fil med rettigheder 0600, i stedet for standard-output",
    "write to this file instead of stdout": "skriv til denne fil i stedet for standard-output",
}
