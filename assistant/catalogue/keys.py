"""The keys' words (Danish, English): footer and help labels, key names, the help's rules,
and Textual's own words (the command palette and its system commands).

A key's label is found by its binding's action (`LABELS`, the action's name without its
namespace or arguments); `CLASS_LABELS` overrides it for one class, where the same action
means something else there (Esc closes the help, but cancels a dialog).
"""

from __future__ import annotations

#: A binding's label by its action's name: what the footer and F1 show.
LABELS: dict[str, tuple[str, str]] = {
    # the app
    "help": ("Hjælp", "Help"),
    "quit": ("Afslut", "Quit"),
    "lock": ("Lås skærmen", "Lock screen"),
    "command_palette": ("palet", "palette"),
    "focus_next": ("Næste felt", "Next field"),
    "focus_previous": ("Forrige felt", "Previous field"),
    "next_list": ("Næste liste", "Next list"),
    "previous_list": ("Forrige liste", "Previous list"),
    "into_library": ("Til biblioteket", "To the library"),
    "page_log": ("Rul samtalen en side", "Scroll the conversation a page"),
    "scroll_log": ("Rul samtalen", "Scroll the conversation"),
    # the conversation
    "next_speaker": ("Skift taler", "Next speaker"),
    "summary": ("Oversigt", "Summary"),
    "undo": ("Fortryd", "Undo"),
    "edit": ("Ret svar", "Edit answer"),
    "skip": ("Spring over", "Skip"),
    "plan": ("Plan", "Plan"),
    "sources": ("Kilder", "Sources"),
    "escape": ("Tilbage", "Back"),
    "save": ("Gem", "Save"),
    "scroll_transcript": ("Rul samtalen", "Scroll the conversation"),
    "toggle_transcript": ("Samtalen", "Conversation"),
    "take_suggestion": ("Tag med", "Include"),
    "scroll_up": ("Rul op", "Scroll up"),
    "scroll_down": ("Rul ned", "Scroll down"),
    "page_up": ("Side op", "Page up"),
    "page_down": ("Side ned", "Page down"),
    "document_start": ("Til tekstens start", "To the start of the text"),
    "document_end": ("Til tekstens slutning", "To the end of the text"),
    # the review
    "back": ("Tilbage", "Back"),
    "move": ("Felt op/ned", "Field up/down"),
    "edit_field": ("Ret felt", "Edit field"),
    "correct_line": ("Ret linje", "Correct line"),
    "strike_line": ("Ikke mine ord", "Not my words"),
    "approve": ("Godkend", "Approve"),
    "discussed": ("Drøftet", "Discussed"),
    "goto_step": ("Gå til", "Go to"),
    "copy": ("Kopiér", "Copy"),
    "revisions": ("Revisioner", "Revisions"),
    "next_plan": ("Skift plan", "Next plan"),
    # the summary
    "pop_screen": ("Tilbage", "Back"),
    "save_points": ("Gem mine punkter", "Save my points"),
    "copy_points": ("Kopiér mine punkter", "Copy my points"),
    # dialogs and the lock
    "dismiss": ("Annullér", "Cancel"),
    "cancel": ("Annullér", "Cancel"),
    "unlock": ("Lås op", "Unlock"),
    # Textual's own widgets (text fields, lists, buttons)
    "cut": ("Klip", "Cut"),
    "paste": ("Sæt ind", "Paste"),
    "redo": ("Gentag", "Redo"),
    "select_all": ("Markér al tekst", "Select all text"),
    "select_line": ("Markér linjen", "Select the line"),
    "submit": ("Gem", "Save"),
    "select": ("Vælg", "Choose"),
    "select_cursor": ("Vælg", "Choose"),
    "toggle_button": ("Vælg / fravælg", "Choose / unchoose"),
    "press": ("Tryk på knappen", "Press the button"),
    "copy_text": ("Kopiér markeret tekst", "Copy selected text"),
}

#: Labels for one class (by its name), where its action means something else.
CLASS_LABELS: dict[str, dict[str, tuple[str, str]]] = {
    "HelpScreen": {"dismiss": ("Luk", "Close")},
    "SourcesDialog": {"dismiss": ("Luk", "Close")},
    "BlockersDialog": {"dismiss": ("Tilbage", "Back")},
    "UnsavedDialog": {"dismiss": ("Bliv", "Stay")},
    "ScaleBar": {"move": ("Flyt på skalaen", "Move on the scale"),
                 "home": ("Laveste", "Lowest"), "end": ("Højeste", "Highest")},
    "AnswerBubble": {"edit": ("Ret svaret", "Edit the answer")},
}

#: Key names as people read them (Textual's own names are English or symbols).
KEY_NAMES: dict[str, tuple[str, str]] = {
    "space": ("Mellemrum", "Space"),
    "enter": ("Enter", "Enter"),
    "escape": ("Esc", "Esc"),
    "tab": ("Tab", "Tab"),
    "shift": ("Skift", "Shift"),
    "ctrl": ("Ctrl", "Ctrl"),
    "up": ("↑", "↑"),
    "down": ("↓", "↓"),
    "left": ("←", "←"),
    "right": ("→", "→"),
    "pageup": ("PgUp", "PgUp"),
    "pagedown": ("PgDn", "PgDn"),
    "home": ("Home", "Home"),
    "end": ("End", "End"),
    "delete": ("Delete", "Delete"),
    "backspace": ("Backspace", "Backspace"),
    # the keys an answer reads itself: "J" works for "ja", "Y" for "yes" (both always do)
    "yes_no": ("J / N", "Y / N"),
    "digits": ("1–9", "1–9"),
    "scale_digits": ("0–9", "0–9"),
    "arrows_up_down": ("↑ / ↓", "↑ / ↓"),
    "arrows_left_right": ("← / →", "← / →"),
}

#: Keys an answer widget reads itself (not bindings): F1 lists them for the focused answer.
WIDGET_KEYS: dict[str, tuple[str, str]] = {
    "choose_number": ("Vælg svar nummer", "Choose answer number"),
    "choose_arrows": ("Flyt mellem svarene", "Move between the answers"),
    "toggle_number": ("Markér svar nummer (flere svar)", "Toggle answer number (several answers)"),
    "toggle": ("Markér (flere svar)", "Toggle (several answers)"),
    "scale_move": ("Flyt på skalaen", "Move on the scale"),
    "scale_number": ("Vælg tal på skalaen", "Choose a number on the scale"),
    "yes_no": ("Ja / nej", "Yes / no"),
    "enter_save": ("Gem svar / vælg / fortsæt", "Save answer / choose / continue"),
    "add_item": ("Tilføj til listen", "Add to the list"),
}

#: The help overlay's own words and its three rules (issue #12).
HELP: dict[str, tuple[str, str]] = {
    "title": ("Taster på denne skærm", "Keys on this screen"),
    "close": ("Esc, F1 eller q lukker.", "Esc, F1 or q closes."),
    "rule_speaker_title": ("Hvem taler", "Who is speaking"),
    "rule_speaker": (
        "Taleren skifter kun, når I skifter (F2 eller klik), eller når guiden stiller et "
        "spørgsmål til en bestemt person, der er med – så står skiftet i samtalen, før I "
        "skriver. Ellers taler den samme videre, også efter pause. Når I retter et svar (F5), "
        "står taleren på den, der gav svaret; skift med F2 for at rette, hvem der sagde det.",
        "The speaker changes only when you change it (F2 or a click), or when the guide puts "
        "a question to a particular person who is present – then the change is shown in the "
        "conversation before you type. Otherwise the same person goes on speaking, also after "
        "a break. When you edit an answer (F5), the speaker is the one who gave it; switch "
        "with F2 to correct who said it."),
    "rule_approval_title": ("Godkendelse", "Approval"),
    "rule_approval": (
        "En plan godkendes af en behandler, der er med i samtalen. Er patienten med, bekræfter "
        "patienten først selv planen. Påkrævede felter skal være udfyldt eller markeret "
        "\"drøftet\" (d). En forberedelse uden behandler godkender ingen plan: patientens "
        "punkter tages med til mødet.",
        "A plan is approved by a clinician taking part in the conversation. If the patient "
        "takes part, the patient first confirms the plan themselves. Required fields must be "
        "filled in or marked \"discussed\" (d). A preparation without a clinician approves no "
        "plan: the patient's points are taken to the meeting."),
    "rule_end_title": ("Når samtalen er slut", "When the conversation ends"),
    "rule_end": (
        "Planen åbner af sig selv. Derefter kan I se planen igen (F8), starte en ny samtale "
        "eller gå til forsiden (Esc). Alt er gemt; mødeuret står stille.",
        "The plan opens by itself. Then you can see the plan again (F8), start a new "
        "conversation or go home (Esc). Everything is saved; the meeting timer stops."),
}

#: Textual's own words: the command palette and the system commands it lists.
TEXTUAL: dict[str, tuple[str, str]] = {
    "palette_placeholder": ("Søg efter en kommando …", "Search for a command …"),
    "palette_no_matches": ("Ingen kommando passer", "No command fits"),
    "themes_placeholder": ("Søg efter et farvetema …", "Search for a colour theme …"),
    "theme": ("Farvetema", "Theme"),
    "theme_help": ("Skift skærmens farver", "Change the screen's colours"),
    "quit_help": ("Afslut programmet (spørger først, hvis et svar ikke er gemt)",
                  "Quit the program (asks first if an answer is not saved)"),
    "help_help": ("Tasterne på denne skærm", "The keys on this screen"),
    "maximize": ("Forstør", "Maximize"),
    "maximize_help": ("Vis feltet med fokus på hele skærmen",
                      "Show the focused field on the whole screen"),
    "minimize": ("Normal størrelse", "Normal size"),
    "minimize_help": ("Vis feltet i normal størrelse igen",
                      "Show the field at its normal size again"),
}
